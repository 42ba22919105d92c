"""What every journey does on the pages it visits: axe at desktop and phone width, screenshots.

`Inspector.look(page, "name")` runs axe-core (vendored, injected into the page; it is a test
asset, never served) at 1280 px and at 390 px, notes any serious or critical violation with
its rule and elements, notes a page wider than the window, and saves a full-page screenshot
at both widths under e2e/screenshots/ (ignored by git). `assert_clean()` at the end of a
journey fails with every finding at once, so one run shows all there is to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Page

HERE = Path(__file__).parent
AXE = HERE / "vendor" / "axe.min.js"
SCREENSHOTS = HERE / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
BLOCKING = ("serious", "critical")
PASSWORD = "correct-horse-battery"  # noqa: S105 - UserFactory's test password

RUN_AXE = """async (blocking) => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => blocking.includes(v.impact))
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => {
        const data = (n.any[0] || {}).data || {};
        const contrast = data.contrastRatio ? ` [${data.fgColor} on ${data.bgColor}: ${data.contrastRatio}:1]` : "";
        return {target: n.target.join(" "), html: n.html.slice(0, 160) + contrast};
      }),
    }));
}"""

OVERFLOW = """() => {
  // The page itself must not scroll sideways; a table may, inside its own scroller.
  const width = document.documentElement.clientWidth;
  const scrolls = document.documentElement.scrollWidth;
  if (scrolls <= width + 1) return [];
  const culprits = [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .filter((el) => !el.closest(".table-responsive") || ["absolute", "fixed"].includes(getComputedStyle(el).position))
    .slice(0, 3)
    .map((el) => el.outerHTML.slice(0, 120));
  return [`the page scrolls sideways to ${scrolls}px: ${culprits.join("; ") || "(no single element)"}`];
}"""


# After a viewport change, wait (at most 3 s) until Chart.js has resized every canvas to fit the
# window; a fixed delay lost the race on a busy machine. A canvas still too wide after that is a
# real finding, reported by OVERFLOW as before.
SETTLE = """() => new Promise((done) => {
  const start = performance.now();
  const fits = () => [...document.querySelectorAll("canvas")]
    .every((c) => c.getBoundingClientRect().right <= window.innerWidth + 1);
  const tick = () => (fits() || performance.now() - start > 3000)
    ? setTimeout(done, 50) : requestAnimationFrame(tick);
  requestAnimationFrame(() => requestAnimationFrame(tick));
})"""


@dataclass
class Inspector:
    journey: str
    findings: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    count: int = 0

    def look(self, page: Page, name: str) -> None:
        """Check the page as it is now at both widths; leave it at desktop width."""
        if name in self.seen:
            return
        self.seen.add(name)
        self.count += 1
        page.wait_for_load_state("load")
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            if page.viewport_size != size:
                page.set_viewport_size(size)
                # Let resize observers (Chart.js canvases) catch up before measuring.
                page.evaluate(SETTLE)
            self._axe(page, name, label)
            for html in page.evaluate(OVERFLOW):
                self.findings.append(f"[{name} @ {size['width']}px] wider than the window: {html}")
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            SCREENSHOTS.mkdir(exist_ok=True)
            page.screenshot(
                path=SCREENSHOTS / f"{self.journey}-{self.count:02d}-{slug}-{size['width']}.png", full_page=True
            )
        page.set_viewport_size(DESKTOP)

    def _axe(self, page: Page, name: str, label: str) -> None:
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            # Evaluated through the DevTools protocol, which the page's CSP does not govern
            # (an injected <script> tag would be refused: script-src 'self').
            page.evaluate(AXE.read_text())
        for violation in page.evaluate(RUN_AXE, list(BLOCKING)):
            elements = "; ".join(f"{n['target']} {n['html']}" for n in violation["nodes"][:5])
            self.findings.append(
                f"[{name} @ {label}] {violation['impact']} {violation['id']} ({violation['help']}): {elements}"
            )

    def assert_clean(self) -> None:
        assert not self.findings, f"{len(self.findings)} accessibility/layout findings:\n" + "\n".join(self.findings)


def log_in(page: Page, base_url: str, email: str) -> None:
    """The login form, as a person uses it."""
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("load")

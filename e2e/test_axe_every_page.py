"""axe on every page kind, not only the journeys' pages (issue 18): no violation of any impact
(minor and moderate too) at 1280 px and at 390 px.

The pages are integration_hub/tests/page_walk.py's samples (the ones the HTML check validates),
each opened as its sample's role in one browser page; the session of a Django test client
logged in as that role is handed to the browser as its cookie. The failure lists every
violation with its page, width, rule and elements.

The walk is cut into SHARDS consecutive runs of the same sorted list of samples, each a test of
its own, so pytest-xdist (bin/test) can walk them on different cores; together they open every
sample, and each must open its share.
"""

import pytest
from django.conf import settings
from playwright.sync_api import Error as PlaywrightError

from e2e.helpers import AXE, DESKTOP, PHONE, RUN_AXE, SETTLE
from integration_hub.tests.page_walk import fetch, page_samples, visitors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EVERY_IMPACT = ["minor", "moderate", "serious", "critical"]
SHARDS = 2


def _axe(page) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())  # through DevTools, which the page's CSP does not govern
    return page.evaluate(RUN_AXE, EVERY_IMPACT)


def _answer_with(body: bytes):
    def handler(route):
        route.fulfill(body=body, content_type="text/html; charset=utf-8")

    return handler


@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_page_kind_has_no_axe_violation_at_either_width(
    browser, live_server, people, organization, network_office, shard
):
    every = sorted(page_samples(organization, people), key=lambda sample: sample.role)
    samples = every[len(every) * shard // SHARDS : len(every) * (shard + 1) // SHARDS]
    clients = visitors(people, organization, network_office)
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    findings, role, visited = [], None, 0
    for sample in samples:
        if sample.role != role:
            role = sample.role
            context.clear_cookies()
            session = clients[role].cookies.get(settings.SESSION_COOKIE_NAME)
            if session is not None:
                context.add_cookies([{"name": session.key, "value": session.value, "url": live_server.url}])
        url = live_server.url + sample.path
        if sample.post is not None:
            # The page a POST answers with (a form with its errors, a key shown once): the test
            # client posts it, and the browser is handed that answer at the page's own address.
            url += "?posted"
            page.route(url, _answer_with(fetch(clients[role], sample).content))
        try:
            response = page.goto(url)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue  # the organisation's export: a zip, not a page
            raise
        if response is None or response.status != sample.status or "html" not in response.headers["content-type"]:
            continue  # a download, or a page answering otherwise: the HTML check reports those
        page.unroute_all()
        visited += 1
        # Start at whichever width the last page ended at: one resize per page, not two.
        sizes = (DESKTOP, PHONE) if page.viewport_size == DESKTOP else (PHONE, DESKTOP)
        for size in sizes:
            if page.viewport_size != size:
                page.set_viewport_size(size)
                page.evaluate(SETTLE)
            for violation in _axe(page):
                elements = "; ".join(f"{n['target']} {n['html']}" for n in violation["nodes"][:4])
                findings.append(
                    f"[{sample.name} as {role} @ {size['width']}px] {violation['impact']} {violation['id']} "
                    f"({violation['help']}): {elements}"
                )
    context.close()
    assert visited > 90 // SHARDS  # well over ninety page kinds in all, each at both widths
    assert not findings, f"{len(findings)} axe violations:\n" + "\n".join(findings)

"""Screenshot pages of a running server as a logged-in user, for looking at them.

    python tools/screenshot.py --login staff@riverside.example / /needs/ --out screenshots/
    python tools/screenshot.py --width 390 /accounts/login/

Uses Debian's Chromium through Playwright; the demo password comes from seed_demo.
"""

import argparse
import re
import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright

DEMO_PASSWORD = "welcome-demo-2026"  # noqa: S105 - the printed demo password


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--login", help="demo email to log in as")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--out", default="screenshots")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=shutil.which("chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": args.width, "height": 900})
        if args.login:
            page.goto(args.base + "/accounts/login/")
            page.fill("input[name=username]", args.login)
            page.fill("input[name=password]", DEMO_PASSWORD)
            page.click("button[type=submit]")
        for path in args.paths:
            page.goto(args.base + path)
            name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
            target = out / f"{name}-{args.width}.png"
            page.screenshot(path=str(target), full_page=True)
            print(target)
        browser.close()


if __name__ == "__main__":
    main()

"""Screenshot the top of a page from a running Clonus server, for the docs.

    .venv/bin/python docs/screenshot.py http://127.0.0.1:8765/articles/clonus/ docs/article-page.png

Uses Debian's Chromium (CLONUS_CHROMIUM, default /usr/bin/chromium) through Playwright, which
downloads no browser of its own. The picture is 1280 px wide, the width of a laptop screen,
and shows the first 1800 px of the page (less if the page is shorter).
"""

import argparse
import os

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CLONUS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def screenshot(url, out, width=1280, height=1800):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": 900})
        response = page.goto(url, wait_until="networkidle")
        if not response.ok:
            raise SystemExit(f"{url} answered {response.status}")
        page_height = page.evaluate("document.documentElement.scrollHeight")
        clip = {"x": 0, "y": 0, "width": width, "height": min(height, page_height)}
        page.screenshot(path=out, full_page=True, clip=clip)
        browser.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("out", help="where to write the PNG")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1800, help="how much of the page to show")
    args = parser.parse_args()
    screenshot(args.url, args.out, args.width, args.height)


if __name__ == "__main__":
    main()

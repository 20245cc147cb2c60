"""The README's pictures, taken in headless Chromium from a throwaway Clonus with the demo content.

    .venv/bin/python docs/screenshot.py [--only article-page …]

Builds a SQLite database in a temporary folder, loads the demo, serves it with gunicorn on a
free loopback port (production settings, as benchmarks/page_speed.py does), and writes each
picture below into docs/. Uses Debian's Chromium (CLONUS_CHROMIUM, default /usr/bin/chromium)
through Playwright, which downloads no browser of its own. Nothing is left running.
"""

import argparse
import os
import secrets
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.page_speed import gunicorn, manage, production_env  # noqa: E402  (needs ROOT on the path)

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
DESKTOP, PHONE = 1280, 375
#: The throwaway site's one staff account, for the editor's picture.
PASSWORD = secrets.token_urlsafe(16)
STAFF = f"""
from django.contrib.auth import get_user_model
get_user_model().objects.create_superuser("screenshots", password={PASSWORD!r})
"""


def article_page(page):
    page.goto("/articles/clonus/")


def article_mobile(page):
    page.set_viewport_size({"width": PHONE, "height": 812})
    page.goto("/articles/clonus/")


def reference_popover(page):
    page.goto("/articles/clonus/")
    mark = page.locator("section sup.citation a").nth(2)
    mark.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -200)")
    mark.focus()
    expect(page.locator(".reference-popover")).to_be_visible()


def search_results(page):
    page.goto("/")
    page.get_by_role("searchbox", name="Search articles").fill("muscle stiffness")
    page.get_by_role("searchbox", name="Search articles").press("Enter")
    expect(page.locator(".search-result").first).to_be_visible()


def topic_page(page):
    page.goto("/topics/neurology/")


def editor_picker(page):
    log_in(page)
    page.goto("/admin/articles/article/add/")
    page.get_by_label("Title").fill("Ankle clonus")
    page.get_by_role("button", name="Add another Section").click()
    row = page.locator(".inline-related.dynamic-sections").first
    row.get_by_label("Heading").fill("What is ankle clonus?")
    body = row.locator("textarea.markdownx-editor")
    body.press_sequentially("The foot beats rhythmically when it is pushed up sharply [@boy")
    expect(page.get_by_role("listbox", name="Sources to cite")).to_be_visible()
    body.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, 250)")


#: Picture name → (what to do in the page, width, how much of the page to show or None for the viewport).
SHOTS = {
    "article-page": (article_page, DESKTOP, 1800),
    "article-mobile": (article_mobile, PHONE, 1600),
    "reference-popover": (reference_popover, DESKTOP, None),
    "search-results": (search_results, DESKTOP, 1100),
    "topic-page": (topic_page, DESKTOP, 1000),
    "editor-citing": (editor_picker, DESKTOP, None),
}


def log_in(page):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("screenshots")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Articles, sources and citations")).to_be_visible()


def take(browser, base, name):
    act, width, height = SHOTS[name]
    context = browser.new_context(base_url=base, viewport={"width": width, "height": 900})
    page = context.new_page()
    act(page)
    page.wait_for_load_state("networkidle")
    out = ROOT / "docs" / f"{name}.png"
    if height is None:
        page.screenshot(path=out)
    else:
        page_height = page.evaluate("document.documentElement.scrollHeight")
        page.screenshot(
            path=out, full_page=True, clip={"x": 0, "y": 0, "width": width, "height": min(height, page_height)}
        )
    context.close()
    print(out.relative_to(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=SHOTS, default=list(SHOTS))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = production_env(tmp)
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo")
        manage(env, "shell", "-c", STAFF)
        manage(env, "collectstatic", "--noinput")
        with gunicorn(env, workers=1) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name in args.only:
                take(browser, base, name)
            browser.close()


if __name__ == "__main__":
    main()

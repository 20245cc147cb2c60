"""Every public page passes axe-core's WCAG 2.2 A and AA rules, on a desktop and on a phone,
in light and dark, and with a citation's reference open; and no page scrolls sideways on a phone.

axe-core is the copy package.json pins (``make test`` puts it in node_modules/ with npm); without
it the tests skip, or fail where the browser is required (see conftest.py).
"""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import browser_required

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = {"desktop": 1280, "phone": 375}
NOT_FOUND = "/no-such-page/"

#: Every public page, by name: its address once the demo is loaded. Also what
#: tests/test_html_validity.py checks.
PUBLIC_PAGES = {
    "home": lambda: reverse("articles:article-list"),
    "article": lambda: reverse("articles:article-detail", args=["clonus"]),
    "source": lambda: reverse("articles:source-detail", args=["boyraz2015"]),
    "sources": lambda: reverse("articles:source-list"),
    "topics": lambda: reverse("articles:topic-list"),
    "topic": lambda: reverse("articles:topic-detail", args=["neurology"]),
    "search": lambda: reverse("articles:search") + "?q=clonus",
    "search without results": lambda: reverse("articles:search") + "?q=xylophone",
    "not found": lambda: NOT_FOUND,
}


@pytest.fixture
def demo():
    call_command("load_demo", stdout=StringIO())


@pytest.fixture
def open_page(page, demo, expected_errors):
    """``open_page(name, width)``: the page in a window ``width`` pixels wide."""
    expected_errors.add((404, NOT_FOUND))

    def open_one(name, width=WIDTHS["desktop"]):
        page.set_viewport_size({"width": width, "height": 800})
        response = page.goto(PUBLIC_PAGES[name]())
        assert response.status == (404 if name == "not found" else 200)
        return page

    return open_one


def violations(page):
    """What axe finds wrong with the page as it is now, against the WCAG 2.2 A and AA rules."""
    if not AXE.exists():
        missing = f"{AXE} not found: run `make test`, which installs axe-core with npm"
        if browser_required():
            pytest.fail(f"{missing} (required here: CLONUS_REQUIRE_BROWSER=1 or CI=true)")
        pytest.skip(missing)
    page.add_script_tag(path=AXE)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return result["violations"]


def readable(found):
    lines = []
    for violation in found:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(map(str, node['target']))}: {node['html'][:200]}")
            lines.extend(f"        {line}" for line in node["failureSummary"].splitlines())
    return "\n".join(lines)


def assert_accessible(page):
    found = violations(page)
    if found:
        pytest.fail(f"axe found {len(found)} problems on {page.url}:\n{readable(found)}")


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_every_public_page_passes_axe(open_page, name, width):
    assert_accessible(open_page(name, width))


@pytest.mark.parametrize("name", ["home", "article"])
def test_pages_pass_axe_in_dark_mode(open_page, page, name):
    page.emulate_media(color_scheme="dark")

    open_page(name)

    expect(page.locator("body")).to_have_css("background-color", "rgb(18, 22, 28)")  # site.css: dark --paper
    assert_accessible(page)


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_article_with_a_reference_open_passes_axe(open_page, width):
    page = open_page("article", width)

    page.locator('section sup.citation a[role="doc-noteref"]').first.click()

    expect(page.locator("#reference-popover")).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_no_page_scrolls_sideways_on_a_phone(open_page, name):
    page = open_page(name, WIDTHS["phone"])

    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(element => element.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .map(element => element.outerHTML.slice(0, 120))"""
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS["phone"], overflowing[:5]

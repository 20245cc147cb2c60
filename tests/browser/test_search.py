import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def demo_article():
    call_command("load_demo", stdout=StringIO())
    return Article.objects.get(slug="clonus")


def test_reader_searches_from_the_header_and_opens_a_result(page, demo_article):
    page.goto("/")
    search_box = page.get_by_role("searchbox", name="Search articles")
    search_box.fill("sustained clonus")
    search_box.press("Enter")

    expect(page).to_have_title("Search results for “sustained clonus” · Clonus")
    expect(page.get_by_role("heading", name="Search results for “sustained clonus”", level=1)).to_be_visible()
    expect(page.get_by_role("searchbox", name="Search articles")).to_have_value("sustained clonus")
    result = page.locator("ol.search-results > li.search-result", has_text=demo_article.live_revision.title)
    expect(result.locator(".snippet mark").first).to_be_visible()

    result.get_by_role("link", name=demo_article.live_revision.title).click()

    expect(page).to_have_url(re.compile(f"{re.escape(demo_article.get_absolute_url())}$"))
    expect(page.get_by_role("heading", name=demo_article.live_revision.title, level=1)).to_be_visible()


def test_reader_follows_a_suggestion_after_a_misspelling(page, demo_article):
    page.goto("/")
    page.get_by_role("searchbox", name="Search articles").fill("clonsu")
    page.get_by_role("button", name="Search").click()

    expect(page.get_by_text("No articles match your search.")).to_be_visible()
    page.locator(".suggestion").get_by_role("link", name="clonus").click()

    expect(page.get_by_role("heading", name="Search results for “clonus”", level=1)).to_be_visible()
    expect(page.locator("li.search-result", has_text=demo_article.live_revision.title)).to_be_visible()

import html
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils.html import strip_tags
from playwright.sync_api import expect

from articles.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

TARGET_HIGHLIGHT = "rgb(255, 248, 219)"  # site.css: li:target { background: #fff8db }


@pytest.fixture
def demo_article():
    call_command("load_demo", stdout=StringIO())
    return Article.objects.get(slug="clonus")


def fragment(page):
    return page.evaluate("location.hash")


def reference_text(article, number):
    """Reference ``number`` as readers see it: from the live revision, not the draft."""
    reference = next(ref for ref in article.live_revision.page().references if ref.number == number)
    return html.unescape(strip_tags(reference.source.reference_html()))


def test_reader_follows_a_citation_to_its_reference_and_back(page, demo_article):
    page.goto(demo_article.get_absolute_url())
    mark = page.locator("section sup.citation a").first
    mark_id = mark.get_attribute("id")
    number = int(mark.get_attribute("href").removeprefix("#ref-"))
    reference = page.locator(f"li#ref-{number}")
    expect(reference).not_to_be_in_viewport()

    mark.click()

    assert fragment(page) == f"#ref-{number}"
    expect(reference).to_be_in_viewport()
    assert reference.evaluate("li => li.matches(':target')")
    expect(reference).to_have_css("background-color", TARGET_HIGHLIGHT)
    expect(reference).to_contain_text(reference_text(demo_article, number))

    expect(mark).not_to_be_in_viewport()

    reference.locator(f'.backlinks a[href="#{mark_id}"]').click()

    assert fragment(page) == f"#{mark_id}"
    expect(mark).to_be_in_viewport()


def test_reader_jumps_to_a_section_from_the_contents(page, demo_article):
    page.goto(demo_article.get_absolute_url())
    contents = page.get_by_role("navigation", name="Contents")
    causes = page.get_by_role("heading", name="What causes clonus?", level=2)
    references = page.get_by_role("heading", name="References", level=2)
    expect(causes).not_to_be_in_viewport()

    contents.get_by_role("link", name="What causes clonus?").click()

    assert fragment(page) == "#what-causes-clonus"
    expect(causes).to_be_in_viewport()

    contents.get_by_role("link", name="References").click()

    assert fragment(page) == "#references"
    expect(references).to_be_in_viewport()

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def fragment(page):
    return page.evaluate("location.hash")


def test_reader_follows_a_citation_to_its_reference_and_back(page):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    page.goto("/articles/clonus/")
    mark = page.locator("section sup.citation a").first
    mark_id = mark.get_attribute("id")
    number = mark.inner_text().removeprefix("reference").strip()

    mark.click()

    assert fragment(page) == f"#ref-{number}"
    reference = page.locator(f"li#ref-{number}")
    expect(reference).to_be_in_viewport()
    assert reference.evaluate("li => li.matches(':target')")
    expect(reference).to_contain_text("Boyraz I")  # the Vancouver entry of the first source cited

    reference.locator(f'.backlinks a[href="#{mark_id}"]').click()

    assert fragment(page) == f"#{mark_id}"
    expect(page.locator(f"[id='{mark_id}']")).to_be_in_viewport()


def test_reader_jumps_to_a_section_from_the_contents(page):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    page.goto("/articles/clonus/")
    contents = page.get_by_role("navigation", name="Contents")

    contents.get_by_role("link", name="What causes clonus?").click()

    assert fragment(page) == "#what-causes-clonus"
    expect(page.get_by_role("heading", name="What causes clonus?", level=2)).to_be_in_viewport()
    contents = page.get_by_role("navigation", name="Contents")
    contents.get_by_role("link", name="References").click()
    expect(page.get_by_role("heading", name="References", level=2)).to_be_in_viewport()


def test_reader_gets_the_site_stylesheet(page):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    response = page.goto("/articles/clonus/")

    assert response.ok
    assert page.evaluate(
        """() => [...document.styleSheets].some(
            (sheet) => sheet.href.endsWith('/static/css/site.css') && sheet.cssRules.length > 0)"""
    )
    assert re.search(r"Clonus", page.title())

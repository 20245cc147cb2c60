import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article, Section
from tests.factories import make_source, make_user

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def editor_page(log_in):
    """The admin, logged in as a superuser through the login form."""
    return log_in(make_user(superuser=True))


def add_section(page, heading, body, anchor=""):
    """Add a section row with the inline's "Add another" link and write in it; returns the row."""
    rows = page.locator(".inline-related.dynamic-sections")
    count = rows.count()
    page.get_by_role("button", name="Add another Section").click()
    row = rows.nth(count)
    row.get_by_label("Heading").fill(heading)
    row.get_by_label("Anchor").fill(anchor)
    row.locator("textarea.markdownx-editor").fill(body)
    return row


def test_editor_writes_an_article_with_a_cited_section_and_publishes_it(editor_page, new_page, expected_errors):
    page = editor_page
    source = make_source(key="thekey", title="Ankle clonus in upper motor neurone lesions")
    page.goto(reverse("admin:articles_article_add"))
    page.get_by_label("Title").press_sequentially("Ankle clonus")  # keystrokes fill in the slug
    expect(page.get_by_label("Slug")).to_have_value("ankle-clonus")  # prepopulated from the title

    first = add_section(page, "What is ankle clonus?", "The foot **beats** when tapped [@thekey].")
    first_preview = first.locator(".citing-preview-body")
    expect(first_preview.locator("strong")).to_have_text("beats")
    expect(first_preview.locator("sup.citation a")).to_have_text("1")

    second = add_section(page, "Is it serious?", "It *points* to harm [@thekey].")
    expect(second.locator(".citing-preview-body em")).to_have_text("points")
    first.locator("textarea.markdownx-editor").fill("The foot **jerks** when stretched [@thekey].")
    expect(first_preview.locator("strong")).to_have_text("jerks")  # the first editor still works

    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    expect(page.get_by_text("Draft", exact=True)).to_be_visible()  # the state shown above the form

    # Saved is not published: readers see nothing until the article goes through Publish.
    reader = new_page()  # another browser: no admin session
    public_url = Article.objects.get().get_absolute_url()
    expected_errors.add((404, public_url))
    assert reader.goto(public_url).status == 404

    # Nobody has signed it off, so even a superuser is refused, told why, and may override.
    page.get_by_role("link", name="Publish…").click()
    refusal = page.get_by_role("list", name="Publishing is refused")
    expect(refusal).to_contain_text("Revision 1 has no sign-off from a medical reviewer.")
    expect(page.get_by_role("button", name="Publish revision 1", exact=True)).to_be_disabled()
    page.get_by_label("Why may these checks be overridden?").fill(
        "Urgent safety update: the clinical sign-off follows."
    )
    page.get_by_role("button", name="Override the checks and publish revision 1").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Revision 1 of “Ankle clonus” is live.")
    expect(page.get_by_text("Live", exact=True)).to_be_visible()

    assert reader.goto(public_url).ok
    section = reader.locator("section#what-is-ankle-clonus")
    expect(section.get_by_role("heading", level=2)).to_have_text("What is ankle clonus?")
    expect(section).to_contain_text("The foot jerks when stretched")
    citation = section.locator("sup.citation a")
    expect(citation).to_have_text(re.compile(r"\b1$"))
    expect(citation).to_have_attribute("href", "#ref-1")
    expect(reader.locator("section#is-it-serious sup.citation a")).to_have_attribute("href", "#ref-1")
    expect(reader.locator("li#ref-1")).to_contain_text(source.title)
    expect(reader.locator("#references li")).to_have_count(1)
    expect(reader.get_by_text("Last reviewed")).to_have_count(0)  # overridden, not reviewed


def test_editor_mistyping_a_citation_key_sees_it_flagged_and_nothing_saved(editor_page):
    page = editor_page
    make_source(key="thekey")
    page.goto(reverse("admin:articles_article_add"))
    page.get_by_label("Title").press_sequentially("Ankle clonus")

    row = add_section(page, "What is ankle clonus?", "The foot beats when stretched [@nosuchkey].")
    expect(row.locator(".citing-preview-body .citation-problem")).to_contain_text("[@nosuchkey]")

    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".errornote")).to_be_visible()
    errors = page.locator(".errorlist")
    expect(errors).to_have_count(1)
    expect(errors).to_contain_text("No source has the key “nosuchkey”")
    expect(page.locator(".inline-related.dynamic-sections").get_by_label("Body")).to_have_value(
        "The foot beats when stretched [@nosuchkey]."
    )
    assert not Article.objects.exists()
    assert not Section.objects.exists()

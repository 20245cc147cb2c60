"""Citing at the claim, in a real browser: the picker, the preview and what readers then see."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article, Revision
from tests.browser.conftest import settle
from tests.browser.test_editor import add_section
from tests.factories import make_source, make_user, sign_off

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def library():
    make_source(
        "elwes1985",
        authors=[("Elwes", "RDC"), ("Chesterman", "P"), ("Reynolds", "EH")],
        title="Prognosis after a first untreated tonic-clonic seizure",
        container_title="Lancet",
        year=1985,
    )
    make_source("boyer2005", authors=[("Boyer", "EW")], title="The serotonin syndrome", year=2005)


@pytest.fixture
def editor(log_in, library):
    return log_in(make_user("Editors"))


def test_editor_cites_with_the_keyboard_sees_the_preview_and_readers_see_the_locator(editor, log_in, new_page):
    page = editor
    page.goto(reverse("admin:articles_article_add"))
    page.get_by_label("Title").press_sequentially("Seizures and clonus")
    row = add_section(page, "What happens after a first seizure?", "")
    body = row.locator("textarea.markdownx-editor")

    body.press_sequentially("Most people do well after a first seizure [@elw")
    picker = page.get_by_role("listbox", name="Sources to cite")
    expect(picker).to_be_visible()
    expect(body).to_have_attribute("aria-expanded", "true")  # an ARIA combobox
    option = picker.get_by_role("option").first
    expect(option).to_contain_text("Elwes RDC et al · 1985 · Prognosis after a first untreated")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(row.get_by_role("status")).to_contain_text("1 source found")
    body.press("Enter")
    expect(picker).to_have_count(0)
    expect(body).to_have_value("Most people do well after a first seizure [@elwes1985]")
    body.press_sequentially(", p. 752")  # the cursor waits inside the brackets
    expect(body).to_have_value("Most people do well after a first seizure [@elwes1985, p. 752]")

    preview = row.locator(".citing-preview-body")
    expect(preview.locator("sup.citation a")).to_have_text("1")
    expect(preview.locator("sup.citation")).to_contain_text("1(p752)")
    expect(preview.locator(".preview-references li")).to_contain_text("Prognosis after a first untreated")
    tip = preview.get_by_role("tooltip")
    expect(tip).to_be_hidden()
    preview.locator("sup.citation a").focus()
    expect(tip).to_be_visible()  # focus shows the reference, as hover does
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()  # and Escape puts it away

    body.press("End")
    body.press_sequentially(". Rarely [@Nosuch2099].")
    problem = preview.locator(".citation-problem")
    expect(problem).to_contain_text("[@nosuch2099] — no source has the key “nosuch2099”")

    body.fill("Most people do well after a first seizure [@elwes1985, p. 752]. Escape closes the list [@boy")
    body.press("End")
    body.press_sequentially("e")
    expect(picker).to_be_visible()
    body.press("Escape")
    expect(picker).to_have_count(0)
    body.fill("Most people do well after a first seizure [@elwes1985, p. 752].")

    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")

    settle(page)
    article = Article.objects.get()
    sign_off(Revision.objects.get(article_pk=article.pk))
    admin = log_in(make_user("Site admins"))
    admin.goto(reverse("admin:articles_article_publish", args=[article.pk]))
    admin.get_by_role("button", name="Publish revision 1", exact=True).click()
    expect(admin.locator(".messagelist .success")).to_contain_text("is live")

    reader = new_page()
    reader.goto(article.get_absolute_url())
    expect(reader.locator("section sup.citation")).to_have_text("1(p752)")
    expect(reader.locator('a[role="doc-noteref"][aria-label="reference 1, page 752"]')).to_be_visible()
    expect(reader.locator("#references li")).to_have_count(1)


def test_the_cite_button_opens_the_same_search_in_a_row_added_later(editor):
    page = editor
    page.goto(reverse("admin:articles_article_add"))
    add_section(page, "First?", "One.")
    row = add_section(page, "Second?", "A claim")
    body = row.locator("textarea.markdownx-editor")
    body.press("End")

    row.get_by_role("button", name="Cite a source").click()

    picker = page.get_by_role("listbox", name="Sources to cite")
    expect(picker.get_by_role("option")).to_have_count(2)  # before typing: the sources added last
    page.keyboard.press("ArrowDown")
    expect(picker.get_by_role("option").nth(1)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    expect(body).to_have_value("A claim[@elwes1985]")
    expect(row.locator(".citing-preview-body sup.citation a")).to_have_text("1")


def test_the_change_page_lists_what_publishing_would_refuse_beside_the_section(editor):
    page = editor
    page.goto(reverse("admin:articles_article_add"))
    page.get_by_label("Title").press_sequentially("Unsourced")
    add_section(page, "Who gets it?", "Nobody knows.")
    page.get_by_role("button", name="Save and continue editing").click()

    checks = page.locator(".publish-checks")
    expect(checks).to_contain_text("Section “Who gets it?” cites no source.")
    checks.get_by_role("link", name="Section “Who gets it?” cites no source.").click()
    expect(page.locator(".section-checks")).to_be_in_viewport()

"""Putting sections and authors in order in the admin, in a real browser: an editor drags a
section by its title bar, or moves one with the keyboard through its Move up / Move down
buttons; after publishing, readers see the new order."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article, Revision
from references.models import Source
from tests.browser.conftest import settle
from tests.factories import make_article, make_section, make_source, make_user, sign_off

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

HEADINGS = ["What is clonus?", "How is it tested?", "What causes it?"]


@pytest.fixture
def article():
    make_source(key="elwes1985")
    article = make_article(title="Clonus", slug="clonus")
    for position, heading in enumerate(HEADINGS, start=1):
        make_section(article, "Short answer [@elwes1985].", heading=heading, position=position)
    Revision.objects.record(article)
    return article


@pytest.fixture
def editor_page(log_in, article):
    """The article's change form, for a superuser logged in through the login form."""
    page = log_in(make_user(superuser=True))
    page.goto(reverse("admin:articles_article_change", args=[article.pk]))
    return page


def section_titles(page):
    """The saved sections' title bars in the change form, top to bottom."""
    return page.locator(".inline-related.has_original h3 .inline_label")


def expect_sections(page, headings):
    """The change form shows the saved sections with these headings, in this order."""
    expect(section_titles(page)).to_have_text([re.compile(f"^{re.escape(heading)} Change") for heading in headings])


def drag(page, item, target):
    """Press on ``item``, move to the top edge of ``target`` in small steps as a hand would (the
    sortable list follows moves, not jumps), and let go once the list shows ``item`` where
    ``target`` was: the items slide as they swap, so the pointer follows the target there."""
    moved, before = item.inner_text(), target.inner_text()
    start = item.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    for _ in range(10):
        end = section_titles(page).filter(has_text=before).bounding_box()
        page.mouse.move(end["x"] + 5, end["y"] + 2, steps=20)
        page.wait_for_timeout(200)  # the list's animation of a swap
        titles = section_titles(page).all_inner_texts()
        if titles.index(moved) < titles.index(before):
            break
    page.mouse.up()


def announcement(page):
    return page.locator(".keyboard-ordering-status")


def save_and_publish(page):
    """Save, have the revision signed off, and publish it through the admin's Publish screen."""
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    settle(page)
    article = Article.objects.get()
    sign_off(article.latest_revision)
    page.get_by_role("link", name="Publish…").click()
    page.get_by_role("button", name=f"Publish revision {article.version}", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text("is live")


def public_headings(page):
    return page.locator("section:not(#references) > h2")


def test_editor_drags_the_last_section_to_the_top_and_readers_see_it_first(editor_page, new_page):
    page = editor_page
    page.set_viewport_size({"width": 1280, "height": 2400})  # every section in view while dragging
    last, first = section_titles(page).nth(2), section_titles(page).nth(0)
    # The sections' previews arrive after the page and change its layout: drag once they have.
    settle(page)
    drag(page, last, first)
    expect_sections(page, ["What causes it?", "What is clonus?", "How is it tested?"])

    save_and_publish(page)

    reader = new_page()
    reader.goto("/articles/clonus/")
    expect(public_headings(reader)).to_have_text(["What causes it?", "What is clonus?", "How is it tested?"])


def test_editor_moves_a_section_up_with_the_keyboard(editor_page):
    page = editor_page
    move_up = page.get_by_role("button", name="Move “What causes it?” up")
    move_up.focus()
    page.keyboard.press("Enter")
    expect(announcement(page)).to_have_text("“What causes it?” moved up: 2 of 3.")
    expect(move_up).to_be_focused()
    page.keyboard.press("Space")
    expect(announcement(page)).to_have_text("“What causes it?” moved up: 1 of 3.")
    page.keyboard.press("Enter")
    expect(announcement(page)).to_have_text("“What causes it?” is already first.")
    expect_sections(page, ["What causes it?", "What is clonus?", "How is it tested?"])

    page.get_by_role("button", name="Save and continue editing").click()

    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    expect_sections(page, ["What causes it?", "What is clonus?", "How is it tested?"])
    sections = Article.objects.get().sections.all()
    assert [(s.position, s.heading) for s in sections] == [
        (1, "What causes it?"),
        (2, "What is clonus?"),
        (3, "How is it tested?"),
    ]


def test_a_refused_save_shows_the_sections_in_the_order_the_editor_chose(editor_page):
    page = editor_page
    page.get_by_role("button", name="Move “What is clonus?” down").click()
    page.locator("#sections-1").get_by_label("Body").fill("A claim [@nosuchkey].")
    page.get_by_role("button", name="Save and continue editing").click()

    expect(page.locator(".errornote")).to_be_visible()
    expect_sections(page, ["How is it tested?", "What is clonus?", "What causes it?"])

    page.locator("#sections-1").get_by_label("Body").fill("A claim [@elwes1985].")
    page.get_by_role("button", name="Save and continue editing").click()

    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    expect_sections(page, ["How is it tested?", "What is clonus?", "What causes it?"])


def test_a_section_added_after_moving_others_is_saved_last(editor_page):
    page = editor_page
    page.get_by_role("button", name="Move “What is clonus?” down").click()
    page.get_by_role("button", name="Add another Section").click()
    new_row = page.locator("#sections-3")
    new_row.get_by_label("Heading").fill("Can it be treated?")
    new_row.get_by_label("Body").fill("Often [@elwes1985].")
    page.get_by_role("button", name="Save and continue editing").click()

    expect_sections(page, ["How is it tested?", "What is clonus?", "What causes it?", "Can it be treated?"])
    assert [s.position for s in Article.objects.get().sections.all()] == [1, 2, 3, 4]


def test_editor_puts_a_source_s_authors_in_order_with_the_keyboard(log_in):
    source = make_source(key="elwes1985", authors=[("Elwes", "RDC"), ("Reynolds", "EH"), ("Shorvon", "SD")])
    page = log_in(make_user(superuser=True))
    page.goto(reverse("admin:references_source_change", args=[source.pk]))
    page.get_by_role("button", name="Move “Shorvon SD” up").press("Enter")
    expect(announcement(page)).to_have_text("“Shorvon SD” moved up: 2 of 3.")
    page.get_by_role("button", name="Save and continue editing").click()

    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    assert Source.objects.get().reference.startswith("Elwes RDC, Shorvon SD, Reynolds EH.")

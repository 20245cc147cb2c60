"""The editorial workflow in a real browser: an editor writes, a medical reviewer signs off, a
site admin publishes, a reader reads; later edits stay off the public page until published; an
earlier revision is compared and restored. Each person logs in through the admin's login form
in a browser of their own.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article, Review, Revision
from tests.factories import make_article, make_section, make_source, make_user

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

FIRST_TEXT = "The foot beats when tapped [@elwes1985]."
SECOND_TEXT = "The foot jerks when stretched [@elwes1985]."


def make_person(name, role):
    first_name, last_name = name.split()
    person = make_user(username=first_name.lower(), staff=True, first_name=first_name, last_name=last_name)
    person.groups.add(Group.objects.get(name=role))
    return person


@pytest.fixture
def people(roles):
    return SimpleNamespace(
        editor=make_person("Edna Editor", "Editors"),
        reviewer=make_person("Rhea Reviewer", "Medical reviewers"),
        site_admin=make_person("Sam Admin", "Site admins"),
    )


def live_article(people, *bodies):
    """“Ankle clonus”, saved by the editor once per body, each revision signed off by the
    reviewer and published by the site admin: the last body is live."""
    make_source(key="elwes1985", title="Ankle clonus and the stretch reflex")
    article = make_article(title="Ankle clonus", slug="ankle-clonus")
    section = make_section(article, heading="What is ankle clonus?")
    for body in bodies:
        section.body = body
        section.save()
        revision = Revision.objects.record(article, people.editor)
        Review.objects.record(revision, people.reviewer, Review.Outcome.SIGNED_OFF)
        article.publish(revision, people.site_admin)
    return article


def open_article(page, title):
    """Find the article in the admin's list of articles and open it."""
    page.goto(reverse("admin:articles_article_changelist"))
    page.get_by_role("link", name=title, exact=True).click()


def section_form(page, n=0):
    """The ``n``th section of the article's change form (the inline's rows are sections-0, …)."""
    return page.locator(f"#sections-{n}")


def revision_row(history, number):
    """The row of revision ``number`` in the history table."""
    number_cell = history.page.get_by_role("rowheader", name=str(number), exact=True)
    return history.get_by_role("row").filter(has=number_cell)


def section_text(page, heading):
    """A section of an article page, found by its heading as a screen reader finds it."""
    return page.get_by_role("region", name=heading)


def test_editor_reviewer_and_site_admin_take_an_article_live(people, log_in, new_page):
    make_source(key="elwes1985", title="Ankle clonus and the stretch reflex")

    # The editor writes a draft with a cited section, and submits it for review.
    editor = log_in(people.editor)
    editor.goto(reverse("admin:articles_article_add"))
    editor.get_by_label("Title").press_sequentially("Ankle clonus")
    editor.get_by_role("button", name="Add another Section").click()
    section = section_form(editor)
    section.get_by_label("Heading").fill("What is ankle clonus?")
    section.get_by_label("Body").fill(FIRST_TEXT)
    expect(section.locator(".citing-preview-body .preview-references")).to_contain_text(
        "Ankle clonus and the stretch reflex"
    )
    editor.get_by_label("What changed?").fill("First draft")
    editor.get_by_role("button", name="Save and continue editing").click()
    expect(editor.get_by_text("was added successfully")).to_be_visible()
    expect(editor.get_by_role("link", name="Publish…")).to_have_count(0)  # not theirs to do
    editor.get_by_role("link", name="Submit for review").click()
    editor.get_by_role("button", name="Submit revision 1 for review").click()
    expect(editor.get_by_text("Revision 1 is waiting for a medical review.")).to_be_visible()

    # The medical reviewer finds it, reads it on the review page, and signs it off.
    reviewer = log_in(people.reviewer)
    open_article(reviewer, "Ankle clonus")
    reviewer.get_by_role("link", name="Review", exact=True).click()
    expect(reviewer.get_by_role("heading", name="Review revision 1 of “Ankle clonus”")).to_be_visible()
    expect(reviewer.get_by_text("submitted for review on")).to_be_visible()
    expect(reviewer.get_by_text("No earlier revision was signed off: review all of it.")).to_be_visible()
    reviewer.get_by_label("Signed off").check()
    reviewer.get_by_role("button", name="Record review of revision 1").click()
    expect(reviewer.get_by_text("Your review of revision 1 is recorded.")).to_be_visible()

    # The site admin publishes it: every check passes, nothing to override.
    site_admin = log_in(people.site_admin)
    open_article(site_admin, "Ankle clonus")
    site_admin.get_by_role("link", name="Publish…").click()
    expect(site_admin.get_by_role("heading", name="Revision 1 will go live")).to_be_visible()
    expect(site_admin.get_by_role("heading", name="Publishing is refused")).to_have_count(0)
    site_admin.get_by_role("button", name="Publish revision 1").click()
    expect(site_admin.get_by_text("Revision 1 of “Ankle clonus” is live.")).to_be_visible()

    # A reader, not logged in, reads it, with who reviewed it.
    reader = new_page()
    reader.goto("/articles/ankle-clonus/")
    expect(reader.get_by_role("heading", name="Ankle clonus", level=1)).to_be_visible()
    expect(section_text(reader, "What is ankle clonus?")).to_contain_text("The foot beats when tapped")
    expect(reader.get_by_role("term").filter(has_text="Last reviewed")).to_be_visible()
    expect(reader.get_by_role("definition").filter(has_text="by Rhea Reviewer")).to_be_visible()
    expect(reader.get_by_role("list").filter(has_text="Ankle clonus and the stretch reflex")).to_be_visible()


def test_editors_changes_stay_off_the_public_page_until_published_again(people, log_in, new_page):
    live_article(people, FIRST_TEXT)
    reader = new_page()
    reader.goto("/articles/ankle-clonus/")
    section = section_text(reader, "What is ankle clonus?")
    expect(section).to_contain_text("The foot beats when tapped")

    # The editor rewrites the section and saves: a new draft, not what readers see.
    editor = log_in(people.editor)
    open_article(editor, "Ankle clonus")
    section_form(editor).get_by_label("Body").fill(SECOND_TEXT)
    editor.get_by_label("What changed?").fill("Clearer wording")
    editor.get_by_role("button", name="Save and continue editing").click()
    expect(editor.get_by_text("was changed successfully")).to_be_visible()
    expect(editor.get_by_text("Live, with unpublished changes")).to_be_visible()

    reader.reload()
    expect(section).to_contain_text("The foot beats when tapped")
    expect(section).not_to_contain_text("jerks")

    editor.get_by_role("link", name="Submit for review").click()
    editor.get_by_role("button", name="Submit revision 2 for review").click()
    expect(editor.get_by_text("Revision 2 is waiting for a medical review.")).to_be_visible()

    # Until a reviewer signs revision 2 off, the site admin is refused, and told why.
    site_admin = log_in(people.site_admin)
    open_article(site_admin, "Ankle clonus")
    site_admin.get_by_role("link", name="Publish…").click()
    expect(site_admin.get_by_role("heading", name="Revision 2 will go live")).to_be_visible()
    reasons = site_admin.get_by_role("list", name="Publishing is refused")
    expect(reasons).to_have_text("Revision 2 has no sign-off from a medical reviewer.")
    expect(site_admin.get_by_role("button", name="Publish revision 2", exact=True)).to_be_disabled()

    # The reviewer sees what changed since their last sign-off, and signs this one off.
    reviewer = log_in(people.reviewer)
    open_article(reviewer, "Ankle clonus")
    reviewer.get_by_role("link", name="Review", exact=True).click()
    reviewer.get_by_role("link", name="Changed since last review").click()
    expect(reviewer.get_by_role("insertion").filter(has_text="jerks")).to_be_visible()
    reviewer.go_back()
    reviewer.get_by_label("Signed off").check()
    reviewer.get_by_role("button", name="Record review of revision 2").click()
    expect(reviewer.get_by_text("Your review of revision 2 is recorded.")).to_be_visible()

    reader.reload()
    expect(section).to_contain_text("The foot beats when tapped")  # signed off is not published

    site_admin.reload()
    expect(site_admin.get_by_role("heading", name="Publishing is refused")).to_have_count(0)
    site_admin.get_by_role("button", name="Publish revision 2").click()
    expect(site_admin.get_by_text("Revision 2 of “Ankle clonus” is live.")).to_be_visible()

    reader.reload()
    expect(section).to_contain_text("The foot jerks when stretched")


def test_site_admin_compares_two_revisions_and_restores_the_older(people, log_in, new_page):
    live_article(people, FIRST_TEXT, SECOND_TEXT)
    site_admin = log_in(people.site_admin)
    open_article(site_admin, "Ankle clonus")

    site_admin.get_by_role("link", name="History and compare").click()
    expect(site_admin.get_by_role("heading", name="History of “Ankle clonus”")).to_be_visible()
    history = site_admin.get_by_role("table", name="Revisions of “Ankle clonus”, newest first")
    expect(revision_row(history, 2)).to_contain_text("Live")
    expect(revision_row(history, 1)).to_contain_text("Published before")

    # Compare: the words taken out are marked deleted, the words put in marked inserted, and
    # not by colour alone (struck through and underlined).
    site_admin.get_by_label("From").select_option(label="Revision 1")
    site_admin.get_by_label("to", exact=True).select_option(label="Revision 2")
    site_admin.get_by_role("button", name="Compare").click()
    expect(
        site_admin.get_by_role("heading", name="Changes to “Ankle clonus” from revision 1 to revision 2")
    ).to_be_visible()
    changed = site_admin.get_by_role("row").filter(has_text="What is ankle clonus?")
    deleted, inserted = changed.get_by_role("deletion"), changed.get_by_role("insertion")
    expect(deleted).to_have_text(["deleted: beats", "deleted: tapped"])
    expect(inserted).to_have_text(["inserted: jerks", "inserted: stretched"])
    expect(deleted.first).to_have_css("text-decoration-line", "line-through")
    expect(inserted.first).to_have_css("text-decoration-line", "underline")

    # Restore revision 1: it becomes the draft again; readers keep revision 2 until a publish.
    site_admin.get_by_role("link", name="Back to the history").click()
    site_admin.get_by_role("button", name="Restore revision 1 as the draft").click()
    expect(site_admin.get_by_text("The draft is revision 1 again")).to_have_text(
        "The draft is revision 1 again, saved as revision 3. "
        "Readers see the published version until this draft is published."
    )
    expect(section_form(site_admin).get_by_label("Body")).to_have_value(FIRST_TEXT)
    expect(site_admin.get_by_text("Live, with unpublished changes")).to_be_visible()

    site_admin.get_by_role("link", name="Preview draft").click()
    expect(site_admin.get_by_role("status")).to_have_text(
        "Preview of the draft: readers do not see this; they see the published version."
    )
    expect(section_text(site_admin, "What is ankle clonus?")).to_contain_text("The foot beats when tapped")

    reader = new_page()
    reader.goto("/articles/ankle-clonus/")
    expect(section_text(reader, "What is ankle clonus?")).to_contain_text("The foot jerks when stretched")

    # History is added to, never rewritten: the restore is revision 3, and 1 and 2 are still there.
    site_admin.go_back()
    site_admin.get_by_role("link", name="History and compare").click()
    expect(history.get_by_role("rowheader")).to_have_text(["3", "2", "1"])
    expect(revision_row(history, 3)).to_contain_text("Restored from revision 1")
    expect(revision_row(history, 3)).to_contain_text("Current draft")
    expect(revision_row(history, 2)).to_contain_text("Live")


def test_editor_sees_no_publish_link_and_is_refused_the_publish_page(people, log_in, expected_errors):
    article = make_article(title="Ankle clonus", slug="ankle-clonus")
    Revision.objects.record(article, people.editor)
    editor = log_in(people.editor)
    open_article(editor, "Ankle clonus")
    expect(editor.get_by_role("link", name="Submit for review")).to_be_visible()
    expect(editor.get_by_role("link", name="Publish…")).to_have_count(0)

    publish_url = reverse("admin:articles_article_publish", args=[article.pk])
    expected_errors.add((403, publish_url))
    response = editor.goto(publish_url)

    assert response.status == 403
    expect(editor.get_by_role("heading", name="403 Forbidden")).to_be_visible()
    assert Article.objects.get(pk=article.pk).live_revision is None

"""Submitting for review, clinical review, what readers see of it, and overdue reviews."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, AuditEntry, Review, Revision
from tests.factories import make_article, make_section, make_source, make_user, ready_article, save_draft, sign_off

pytestmark = pytest.mark.django_db


def review_url(article, revision=None):
    url = reverse("admin:articles_article_review", args=[article.pk])
    return f"{url}?revision={revision.pk}" if revision else url


@pytest.fixture
def reviewer():
    return make_user("Medical reviewers", first_name="Ada", last_name="Lovelace")


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


def days_ago(n):
    return timezone.localdate() - timedelta(days=n)


def review_form(revision, outcome="signed-off", comment="", reviewed_on=None):
    return {
        "revision": revision.pk,
        "outcome": outcome,
        "comment": comment,
        "reviewed_on": str(reviewed_on or timezone.localdate()),
    }


# Submitting


def test_submitting_marks_the_latest_revision_and_records_it(client):
    editor = make_user("Editors")
    article = make_article()
    revision = Revision.objects.record(article, editor)
    client.force_login(editor)
    url = reverse("admin:articles_article_submit", args=[article.pk])
    assert f"Submit revision {revision.number} for review" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    revision.refresh_from_db()
    assert revision.submitted_at is not None
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SUBMIT)
    assert (entry.user, entry.revision) == (editor, revision)


def test_submitting_twice_keeps_the_first_submission(client):
    article = make_article()
    revision = Revision.objects.record(article)
    client.force_login(make_user("Editors"))
    url = reverse("admin:articles_article_submit", args=[article.pk])
    client.post(url)
    first = Revision.objects.get(pk=revision.pk).submitted_at
    client.post(url)
    assert Revision.objects.get(pk=revision.pk).submitted_at == first
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SUBMIT).count() == 1


def test_editors_read_the_reviewers_request_on_the_submit_page(client, reviewer):
    article = make_article()
    revision = Revision.objects.record(article)
    Review.objects.record(revision, reviewer, Review.Outcome.CHANGES_REQUESTED, "Cite the 2019 trial.")
    client.force_login(make_user("Editors"))
    html = client.get(reverse("admin:articles_article_submit", args=[article.pk])).content.decode()
    assert "Last review: changes requested by Ada Lovelace" in html and "Cite the 2019 trial." in html


# The review page


def test_review_page_shows_the_latest_revision_with_a_preview(reviewer_client):
    article = ready_article()
    latest = save_draft(article, title="Newest")
    html = reviewer_client.get(review_url(article)).content.decode()
    assert f"Revision {latest.number} (the latest)" in html
    assert reverse("admin:articles_article_revision_preview", args=[article.pk, latest.pk]) in html


def test_review_page_shows_a_chosen_revision(reviewer_client):
    article = ready_article()
    first = article.latest_revision
    save_draft(article, title="Newer")
    html = reviewer_client.get(review_url(article, first)).content.decode()
    assert f"Revision {first.number}, saved" in html


def test_review_page_offers_what_changed_since_the_last_sign_off(reviewer_client):
    article = ready_article()
    signed = article.latest_revision
    latest = save_draft(article, title="Changed")
    html = reviewer_client.get(review_url(article)).content.decode()
    compare = reverse("admin:articles_article_compare", args=[article.pk])
    assert f'<a href="{compare}?a={signed.pk}&amp;b={latest.pk}">Changed since last review</a>' in html


def test_review_page_says_when_nothing_was_signed_off_before(reviewer_client):
    article = make_article()
    Revision.objects.record(article)
    assert "No earlier revision was signed off" in reviewer_client.get(review_url(article)).content.decode()


def test_signing_off_records_the_review_and_an_audit_entry(reviewer_client, reviewer):
    article = ready_article()
    revision = save_draft(article, title="To sign")
    response = reviewer_client.post(review_url(article), review_form(revision))
    assert response.status_code == 302
    review = revision.reviews.get()
    assert (review.reviewer, review.outcome) == (reviewer, Review.Outcome.SIGNED_OFF)
    assert review.reviewed_on == timezone.localdate()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.REVIEW, revision=revision)
    assert (entry.user, entry.detail) == (reviewer, "Signed off")
    assert article.publish_problems(revision) == []


def test_review_date_defaults_to_today(reviewer_client):
    article = ready_article()
    html = reviewer_client.get(review_url(article)).content.decode()
    assert f'name="reviewed_on" value="{timezone.localdate():%Y-%m-%d}"' in html  # ISO, as date inputs need


def test_requesting_changes_needs_a_comment(reviewer_client):
    article = ready_article()
    revision = save_draft(article, title="Returned")
    form = review_form(revision, "changes")
    response = reviewer_client.post(review_url(article), form)
    assert "Say what has to change." in response.content.decode()
    assert not revision.reviews.exists()
    reviewer_client.post(review_url(article), {**form, "comment": "The dose in section 2 is wrong."})
    assert revision.reviews.get().comment == "The dose in section 2 is wrong."
    entry = AuditEntry.objects.get(action=AuditEntry.Action.REVIEW, revision=revision)
    assert entry.detail == "Changes requested: The dose in section 2 is wrong."


def test_reviewer_cannot_sign_off_a_revision_they_saved_but_may_ask_for_changes(reviewer_client, reviewer):
    article = ready_article()
    own = save_draft(article, editor=reviewer, title="Edited by the reviewer")
    form = review_form(own)
    response = reviewer_client.post(review_url(article), form)
    assert "another reviewer must sign it off" in response.content.decode()
    assert not own.reviews.exists()
    reviewer_client.post(review_url(article), {**form, "outcome": "changes", "comment": "Check my edit."})
    assert own.reviews.get().outcome == Review.Outcome.CHANGES_REQUESTED


def test_review_cannot_be_dated_in_the_future_or_before_the_revision(reviewer_client):
    article = ready_article()
    revision = article.latest_revision
    for day, message in ((days_ago(-1), "cannot be dated in the future"), (days_ago(2), "did not exist yet")):
        response = reviewer_client.post(review_url(article), review_form(revision, reviewed_on=day))
        assert message in response.content.decode()
    assert revision.reviews.count() == 1  # the sign-off ready_article() made


# What readers see


def test_public_page_shows_last_reviewed_and_next_review_due_from_the_review(client, settings, reviewer):
    settings.CLONUS_REVIEW_INTERVAL = timedelta(days=30)
    article = make_article()
    make_section(article, f"Claim [@{make_source().key}].")
    revision = Revision.objects.record(article, make_user("Editors"))
    Revision.objects.filter(pk=revision.pk).update(created_at=timezone.now() - timedelta(days=20))
    revision.refresh_from_db()
    sign_off(revision, reviewer, reviewed_on=days_ago(10))
    article.publish(revision, None)
    html = client.get(article.get_absolute_url()).content.decode()
    reviewed, due = days_ago(10), days_ago(10) + timedelta(days=30)
    shown = f'<time datetime="{reviewed:%Y-%m-%d}">{reviewed.day} {reviewed:%B %Y}</time> by Ada Lovelace'
    assert shown in html
    assert f'Next review due</dt><dd><time datetime="{due:%Y-%m-%d}">' in html


def test_last_reviewed_is_not_the_last_modified_date(client, reviewer):
    article = ready_article()
    revision = article.latest_revision
    Revision.objects.filter(pk=revision.pk).update(created_at=timezone.now() - timedelta(days=100))
    Review.objects.filter(revision=revision).update(reviewed_on=days_ago(90))
    article.publish(revision, None)
    # Edited and republished today with an override: modified today, but not reviewed today.
    newer = save_draft(article, title="Edited today")
    article.publish(newer, None, override_reason="Typo fix")
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'Page last reviewed</dt><dd><time datetime="{days_ago(90):%Y-%m-%d}">' in html
    last_reviewed = html.split("Page last reviewed")[1].split("</dd>")[0]
    assert f'<time datetime="{timezone.localdate():%Y-%m-%d}">' not in last_reviewed


def test_sign_off_of_an_unpublished_draft_is_not_shown_to_readers(client, reviewer):
    article = ready_article()
    Review.objects.filter(revision=article.latest_revision).update(reviewed_on=days_ago(50))
    article.publish(article.latest_revision, None)
    sign_off(save_draft(article, title="Still a draft"), reviewer)
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'Page last reviewed</dt><dd><time datetime="{days_ago(50):%Y-%m-%d}">' in html
    assert "Ada Lovelace" not in html


def test_a_page_never_reviewed_shows_no_review_dates(client):
    article = make_article()
    article.publish(Revision.objects.record(article), None, override_reason="No clinical content")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Last reviewed" not in html and "Next review due" not in html


# Overdue reviews in the admin


def test_overdue_filter_lists_live_articles_whose_review_date_has_passed(client, settings):
    settings.CLONUS_REVIEW_INTERVAL = timedelta(days=30)
    fresh, stale, due_today, draft = (ready_article(title=t) for t in ("Fresh", "Stale", "Due today", "Kept back"))
    for article, age in ((fresh, 29), (stale, 31), (due_today, 30), (draft, 400)):
        Review.objects.filter(revision__article_pk=article.pk).update(reviewed_on=days_ago(age))
    for article in (fresh, stale, due_today):
        article.publish(article.latest_revision, None)
    assert set(Article.objects.review_overdue()) == {stale}
    client.force_login(make_user("Site admins"))
    html = client.get(reverse("admin:articles_article_changelist") + "?review=overdue").content.decode()
    assert "Stale" in html
    # (The draft's title is none of the status filter's labels, so it can only appear as a row.)
    assert "Fresh" not in html and "Due today" not in html and "Kept back" not in html


def test_overdue_follows_the_review_interval_setting(settings):
    article = ready_article()
    Review.objects.filter(revision__article_pk=article.pk).update(reviewed_on=days_ago(100))
    article.publish(article.latest_revision, None)
    assert not Article.objects.review_overdue().exists()  # the default interval is a year
    settings.CLONUS_REVIEW_INTERVAL = timedelta(days=90)
    assert list(Article.objects.review_overdue()) == [article]


def test_a_sign_off_of_an_unpublished_draft_does_not_clear_an_overdue_review(settings):
    settings.CLONUS_REVIEW_INTERVAL = timedelta(days=30)
    article = ready_article()
    Review.objects.filter(revision__article_pk=article.pk).update(reviewed_on=days_ago(60))
    article.publish(article.latest_revision, None)
    sign_off(save_draft(article, title="Reviewed, not yet published"))
    assert list(Article.objects.review_overdue()) == [article]


def test_a_live_article_never_reviewed_is_overdue():
    article = make_article()
    article.publish(Revision.objects.record(article), None, override_reason="Emergency notice")
    assert list(Article.objects.review_overdue()) == [article]


# The admin's review list


@pytest.mark.parametrize(
    ("role", "status"),
    [("Medical reviewers", 200), ("Site admins", 200), ("Editors", 200), (None, 403)],
)
def test_everyone_in_a_role_reads_the_review_list_and_others_do_not(client, role, status):
    ready_article(title="Reviewed article")
    client.force_login(make_user(role))
    response = client.get(reverse("admin:articles_review_changelist"))
    assert response.status_code == status
    assert ("Reviewed article" in response.content.decode()) == (status == 200)


def test_the_review_list_is_read_only(client):
    review = ready_article().latest_revision.reviews.get()
    client.force_login(make_user("Site admins"))
    assert client.get(reverse("admin:articles_review_change", args=[review.pk])).status_code == 200
    assert client.get(reverse("admin:articles_review_add")).status_code == 403
    delete = reverse("admin:articles_review_delete", args=[review.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Review.objects.filter(pk=review.pk).exists()


def test_the_review_form_offers_exactly_the_two_outcomes(reviewer_client):
    html = reviewer_client.get(review_url(ready_article())).content.decode()
    assert 'name="outcome" value=""' not in html
    assert 'value="signed-off"' in html and 'value="changes"' in html


def test_change_form_links_to_what_changed_since_the_last_sign_off(client):
    article = ready_article()
    reviewed = article.latest_revision
    article.title = "Retitled after review"
    article.save()
    client.force_login(make_user("Editors"))
    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    compare = reverse("admin:articles_article_compare", args=[article.pk])
    assert f'href="{compare}?a={reviewed.pk}&amp;b=draft">Changed since last review</a>' in html

"""Publishing, unpublishing and the publish gate, through the admin pages a site admin uses."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, AuditEntry, PublishRefused, Revision
from tests.factories import (
    make_article,
    make_section,
    make_source,
    make_user,
    ready_article,
    request_changes,
    save_draft,
    sign_off,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_admin():
    return make_user("Site admins")


@pytest.fixture
def admin_client(client, site_admin):
    client.force_login(site_admin)
    return client


def publish_url(article, revision=None):
    url = reverse("admin:articles_article_publish", args=[article.pk])
    return f"{url}?revision={revision.pk}" if revision else url


def live_state(client, article):
    """What readers get, and what the database says is live."""
    article = Article.objects.get(pk=article.pk)
    response = client.get(article.get_absolute_url())
    return article.live_revision_id, article.live_since, response.status_code, response.content


# The publish page


def test_publish_page_shows_the_latest_revision_and_an_enabled_button(admin_client):
    article = ready_article()
    html = admin_client.get(publish_url(article)).content.decode()
    assert f"Revision {article.latest_revision.number} will go live" in html
    assert "Publishing is refused" not in html
    assert f'value="Publish revision {article.latest_revision.number}">' in html  # not disabled


def test_publish_page_lists_every_reason_and_disables_the_button(admin_client):
    make_source("elwes1985")
    article = make_article()
    make_section(article, "No source here.", heading="Uncited?")
    make_section(article, "A mark to nowhere [@nosuchkey].", heading="Dangling?")
    revision = Revision.objects.record(article)
    html = admin_client.get(publish_url(article)).content.decode()
    assert "Section “Uncited?” cites no source." in html
    assert "A citation mark in “Dangling?” names “nosuchkey”, which is no source." in html
    assert f"Revision {revision.number} has no sign-off from a medical reviewer." in html
    assert f'value="Publish revision {revision.number}" disabled' in html


def test_publish_page_shows_a_chosen_revision(admin_client):
    article = ready_article()
    first = article.latest_revision
    save_draft(article, title="Later")
    html = admin_client.get(publish_url(article, first)).content.decode()
    assert f"Revision {first.number} will go live" in html


def test_publish_page_links_to_a_preview_and_a_compare_with_what_readers_see(admin_client):
    article = ready_article()
    live = article.latest_revision
    article.publish(live, None)
    draft = save_draft(article, title="Draft")
    html = admin_client.get(publish_url(article)).content.decode()
    assert reverse("admin:articles_article_revision_preview", args=[article.pk, draft.pk]) in html
    compare = reverse("admin:articles_article_compare", args=[article.pk])
    assert f"{compare}?a={live.pk}&amp;b={draft.pk}" in html


def test_revision_of_another_article_is_404(admin_client):
    article, other = ready_article(), ready_article(title="Other")
    assert admin_client.get(publish_url(article, other.latest_revision)).status_code == 404
    response = admin_client.post(publish_url(article), {"revision": other.latest_revision.pk})
    assert response.status_code == 404
    assert Article.objects.get(pk=article.pk).live_revision_id is None


def test_publish_page_of_a_missing_article_is_404(admin_client):
    assert admin_client.get(reverse("admin:articles_article_publish", args=[987654])).status_code == 404


# Publishing


def test_publishing_makes_the_revision_live_and_records_it(admin_client, site_admin, client):
    article = ready_article(title="Clonus explained")
    revision = article.latest_revision
    response = admin_client.post(publish_url(article), {"revision": revision.pk})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.live_revision == revision and article.is_live
    assert article.published_at is not None
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PUBLISH)
    assert (entry.article, entry.revision, entry.user) == (article, revision, site_admin)
    client.logout()
    assert b"Clonus explained" in client.get(article.get_absolute_url()).content


def test_publishing_posts_the_revision_that_was_shown_not_a_newer_save(admin_client):
    article = ready_article()
    shown = article.latest_revision
    newer = save_draft(article, title="Saved while the admin was reading")
    sign_off(newer)
    admin_client.post(publish_url(article), {"revision": shown.pk})
    assert Article.objects.get(pk=article.pk).live_revision == shown


def test_publishing_an_older_revision_puts_it_back_live(admin_client, client):
    article = ready_article(title="First words")
    first = article.latest_revision
    second = save_draft(article, title="Second words")
    sign_off(second)
    article.publish(second, None)
    admin_client.post(publish_url(article), {"revision": first.pk})
    client.logout()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "First words" in html and "Second words" not in html


def test_sign_off_of_another_revision_does_not_let_this_one_go_live(admin_client):
    article = ready_article()
    unreviewed = save_draft(article, title="Changed after the sign-off")
    with pytest.raises(PublishRefused) as refusal:
        article.publish(unreviewed, None)
    assert refusal.value.reasons == [f"Revision {unreviewed.number} has no sign-off from a medical reviewer."]


def test_changes_requested_after_a_sign_off_withdraw_it(admin_client):
    article = ready_article()
    revision = article.latest_revision
    request_changes(revision, "Dose is wrong.")
    problems = article.publish_problems(revision)
    assert len(problems) == 1 and "changes requested: “Dose is wrong.”" in problems[0]


def test_refused_publish_leaves_the_live_page_exactly_as_it_was(admin_client, client):
    article = ready_article(title="Reviewed words")
    article.publish(article.latest_revision, None)
    unreviewed = save_draft(article, title="Unreviewed words")
    before = live_state(client, article)
    response = admin_client.post(publish_url(article), {"revision": unreviewed.pk})
    assert response.status_code == 200
    assert "Nothing was published." in response.content.decode()
    assert live_state(client, article) == before
    assert not AuditEntry.objects.filter(revision=unreviewed).exists()


def test_failed_publish_leaves_the_live_page_exactly_as_it_was(admin_client, client, monkeypatch):
    article = ready_article(title="Reviewed words")
    article.publish(article.latest_revision, None)
    newer = save_draft(article, title="Newer words")
    sign_off(newer)
    before = live_state(client, article)
    entries = AuditEntry.objects.count()

    def broken_record(action, *args, **kwargs):
        raise RuntimeError("the audit log is unavailable")

    # The audit entry is written after the live revision changed: its failure must undo that.
    monkeypatch.setattr(AuditEntry, "record", broken_record)
    admin_client.raise_request_exception = False
    response = admin_client.post(publish_url(article), {"revision": newer.pk})
    monkeypatch.undo()
    assert response.status_code == 500
    assert live_state(client, article) == before
    assert AuditEntry.objects.count() == entries


def test_failed_publish_leaves_the_article_object_unchanged(monkeypatch):
    article = ready_article()
    monkeypatch.setattr(AuditEntry, "record", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        article.publish(article.latest_revision, None)
    assert article.live_revision_id is None


def test_publishing_now_replaces_a_scheduled_publish(admin_client):
    article = ready_article()
    article.schedule(article.latest_revision, None, publish_at=timezone.now() + timedelta(days=1))
    admin_client.post(publish_url(article), {"revision": article.latest_revision.pk})
    article.refresh_from_db()
    assert (article.is_live, article.publish_at, article.scheduled_revision) == (True, None, None)


# Overriding the checks


def test_override_publishes_despite_problems_and_records_the_reason(admin_client):
    article = make_article()
    make_section(article, "Nothing cited.", heading="Bare?")
    revision = Revision.objects.record(article)
    response = admin_client.post(
        publish_url(article),
        {"revision": revision.pk, "override": "1", "override_reason": "Urgent safety notice; review booked."},
    )
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).live_revision == revision
    override = AuditEntry.objects.get(action=AuditEntry.Action.OVERRIDE)
    assert override.detail.startswith("Urgent safety notice; review booked.")
    assert "cites no source" in override.detail
    assert AuditEntry.objects.filter(action=AuditEntry.Action.PUBLISH, revision=revision).exists()


def test_override_without_a_reason_publishes_nothing(admin_client):
    article = make_article()
    revision = Revision.objects.record(article)
    response = admin_client.post(
        publish_url(article), {"revision": revision.pk, "override": "1", "override_reason": "  "}
    )
    assert "Say why the checks may be overridden" in response.content.decode()
    assert Article.objects.get(pk=article.pk).live_revision_id is None
    assert not AuditEntry.objects.exists()


def test_override_form_is_offered_only_with_the_override_permission(client):
    article = make_article()
    revision = Revision.objects.record(article)
    publisher = make_user(staff=True)  # may publish, may not override
    publisher.user_permissions.add(*Permission.objects.filter(codename__in=["publish_article", "view_article"]))
    client.force_login(publisher)
    assert "override_reason" not in client.get(publish_url(article)).content.decode()
    form = {"revision": revision.pk, "override": "1", "override_reason": "Because"}
    response = client.post(publish_url(article), form)
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).live_revision_id is None
    client.force_login(make_user("Site admins"))
    assert "override_reason" in client.get(publish_url(article)).content.decode()


# Unpublishing


def test_unpublishing_takes_the_article_off_the_site_and_records_it(admin_client, client):
    article = ready_article()
    article.publish(article.latest_revision, None)
    response = admin_client.post(reverse("admin:articles_article_unpublish", args=[article.pk]))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.live_revision_id is None and not article.is_live
    assert AuditEntry.objects.filter(action=AuditEntry.Action.UNPUBLISH, article=article).exists()
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_unpublishing_a_draft_changes_nothing(admin_client):
    article = ready_article()
    admin_client.post(reverse("admin:articles_article_unpublish", args=[article.pk]))
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.UNPUBLISH).exists()


def test_unpublish_answers_only_post(admin_client):
    article = ready_article()
    article.publish(article.latest_revision, None)
    assert admin_client.get(reverse("admin:articles_article_unpublish", args=[article.pk])).status_code == 405
    assert Article.objects.get(pk=article.pk).is_live


# Draft and live stay apart everywhere readers look


def test_editing_a_live_article_changes_neither_its_page_nor_the_home_list_until_published(admin_client, client):
    article = ready_article(title="Reviewed title")
    article.publish(article.latest_revision, None)
    draft = save_draft(article, title="Draft title", summary="Draft summary")
    for url in (article.get_absolute_url(), reverse("articles:article-list")):
        html = client.get(url).content.decode()
        assert "Reviewed title" in html and "Draft" not in html
    sign_off(draft)
    admin_client.post(publish_url(article), {"revision": draft.pk})
    client.logout()
    assert "Draft title" in client.get(reverse("articles:article-list")).content.decode()


def test_a_citation_only_in_the_draft_never_appears_on_the_source_page(client):
    article = ready_article(title="Live article")
    article.publish(article.latest_revision, None)
    new_source = make_source("draftonly2024")
    make_section(article, "A newer claim [@draftonly2024].", heading="Drafted question?")
    Revision.objects.record(article)
    html = client.get(new_source.get_absolute_url()).content.decode()
    assert "Live article" not in html and "Drafted question?" not in html


def test_the_change_page_links_to_the_workflow_pages_the_user_may_use(client):
    article = ready_article()
    change = reverse("admin:articles_article_change", args=[article.pk])
    client.force_login(make_user("Site admins"))
    html = client.get(change).content.decode()
    for name in ("submit", "review", "publish"):
        assert reverse(f"admin:articles_article_{name}", args=[article.pk]) in html
    client.force_login(make_user("Editors"))
    html = client.get(change).content.decode()
    assert reverse("admin:articles_article_submit", args=[article.pk]) in html
    assert reverse("admin:articles_article_publish", args=[article.pk]) not in html

"""One status per article, the same in Python, in SQL and on every screen that shows it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Revision, Status
from tests.factories import make_article, make_user, ready_article, save_draft

pytestmark = pytest.mark.django_db


def live(title):
    article = ready_article(title=title)
    article.publish(article.latest_revision, None)
    return article


def one_article_in_each_status():
    """{status: article}, built through the workflow's own actions."""
    draft = make_article(title="Being written")
    Revision.objects.record(draft)
    submitted = ready_article(title="Waiting for review")
    submitted.submit_for_review(make_user("Editors"))
    scheduled = ready_article(title="Going live tomorrow")
    scheduled.schedule(scheduled.latest_revision, None, publish_at=timezone.now() + timedelta(days=1))
    changed = live("Being revised")
    save_draft(changed, title="Being revised, again")
    expired = live("Past its time")
    Article.objects.filter(pk=expired.pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    return {
        Status.DRAFT: draft,
        Status.SUBMITTED: submitted,
        Status.SCHEDULED: scheduled,
        Status.LIVE: live("On the site"),
        Status.CHANGED: changed,
        Status.EXPIRED: expired,
    }


def test_every_status_is_the_same_in_python_and_in_sql():
    articles = one_article_in_each_status()
    for status, article in articles.items():
        assert Article.objects.get(pk=article.pk).status == status
        assert list(Article.objects.with_status(status)) == [article], status


def test_an_article_never_saved_as_a_revision_is_a_draft():
    article = make_article()
    assert article.status == Status.DRAFT
    assert list(Article.objects.with_status(Status.DRAFT)) == [article]


def test_only_live_statuses_are_live():
    assert {status for status in Status if status.is_live} == {Status.LIVE, Status.CHANGED}


def test_admin_list_shows_each_status_and_filters_by_it(client):
    articles = one_article_in_each_status()
    client.force_login(make_user("Site admins"))
    changelist = reverse("admin:articles_article_changelist")
    html = client.get(changelist).content.decode()
    for status in Status:
        assert f'<td class="field-status">{status.label}' in html, status
    for status, article in articles.items():
        listed = client.get(changelist, {"status": status.value}).context["cl"].result_list
        assert list(listed) == [article], status


def test_the_status_column_costs_the_same_queries_for_any_number_of_articles(client):
    client.force_login(make_user("Site admins"))
    changelist = reverse("admin:articles_article_changelist")
    one_article_in_each_status()
    with CaptureQueriesContext(connection) as few:
        client.get(changelist)
    one_article_in_each_status()
    with CaptureQueriesContext(connection) as many:
        client.get(changelist)
    assert len(many) == len(few)

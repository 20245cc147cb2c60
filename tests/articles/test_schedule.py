"""Scheduling a publish and an expiry, and `manage.py publish_scheduled` carrying them out."""

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, AuditEntry
from tests.factories import make_section, make_user, ready_article, request_changes, save_draft, sign_off

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_user("Site admins"))
    return client


def schedule_url(article):
    return reverse("admin:articles_article_schedule", args=[article.pk])


def local(moment):
    """A time as a datetime-local input sends it."""
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


def in_hours(n):
    return timezone.now() + timedelta(hours=n)


def let_time_pass(hours=3):
    """Move every scheduled time back, as if ``hours`` had gone by."""
    gone = timedelta(hours=hours)
    Article.objects.update(publish_at=F("publish_at") - gone, expire_at=F("expire_at") - gone)


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("publish_scheduled", *args, stdout=out, stderr=err)  # returns: exit status 0
    return out.getvalue(), err.getvalue()


def fresh(article):
    return Article.objects.get(pk=article.pk)


# The schedule page


def test_scheduling_saves_the_times_and_records_them(admin_client):
    article = ready_article()
    publish_at, expire_at = in_hours(2), in_hours(50)
    form = {"revision": article.latest_revision.pk, "publish_at": local(publish_at), "expire_at": local(expire_at)}
    response = admin_client.post(schedule_url(article), form)
    assert response.status_code == 302
    article = fresh(article)
    assert article.scheduled_revision == article.latest_revision
    assert article.publish_at == publish_at.replace(second=0, microsecond=0)
    assert article.expire_at == expire_at.replace(second=0, microsecond=0)
    assert not article.is_live
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SCHEDULE)
    assert entry.revision == article.latest_revision
    assert "publish at" in entry.detail and "expire at" in entry.detail


def test_schedule_page_shows_the_current_schedule(admin_client):
    article = ready_article()
    article.schedule(article.latest_revision, None, publish_at=in_hours(5))
    html = admin_client.get(schedule_url(article)).content.decode()
    assert f"Revision {article.latest_revision.number} is scheduled to go live" in html
    assert f'value="{local(article.publish_at)}"' in html


@pytest.mark.parametrize(
    ("publish_at", "expire_at", "message"),
    [
        (-1, None, "Choose a time in the future."),
        (None, -1, "Choose a time in the future."),
        (5, 4, "The article would expire before it is published"),
        (None, 4, "The article is not live, so there is nothing to expire"),
        (None, None, "Give a time to publish, a time to expire, or both."),
    ],
)
def test_impossible_schedules_are_refused_with_a_reason(admin_client, publish_at, expire_at, message):
    article = ready_article()
    form = {"revision": article.latest_revision.pk, "publish_at": "", "expire_at": ""}
    if publish_at is not None:
        form["publish_at"] = local(in_hours(publish_at))
    if expire_at is not None:
        form["expire_at"] = local(in_hours(expire_at))
    response = admin_client.post(schedule_url(article), form)
    assert response.status_code == 200
    assert message in response.content.decode()
    article = fresh(article)
    assert (article.publish_at, article.expire_at) == (None, None)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.SCHEDULE).exists()


def test_expiry_alone_can_be_scheduled_for_a_live_article(admin_client):
    article = ready_article()
    article.publish(article.latest_revision, None)
    form = {"revision": "", "publish_at": "", "expire_at": local(in_hours(24))}
    admin_client.post(schedule_url(article), form)
    article = fresh(article)
    assert article.expire_at is not None and article.is_live


def test_a_revision_that_fails_the_checks_cannot_be_scheduled(admin_client):
    article = ready_article()
    unreviewed = save_draft(article, title="Not reviewed")
    form = {"revision": unreviewed.pk, "publish_at": local(in_hours(2))}
    response = admin_client.post(schedule_url(article), form)
    assert "has no sign-off from a medical reviewer" in response.content.decode()
    assert fresh(article).publish_at is None


def test_cancelling_the_schedule_clears_it_and_records_it(admin_client):
    article = ready_article()
    article.schedule(article.latest_revision, None, publish_at=in_hours(2))
    admin_client.post(schedule_url(article), {"cancel": "1"})
    article = fresh(article)
    assert (article.publish_at, article.scheduled_revision) == (None, None)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SCHEDULE, detail="schedule cancelled").exists()


# publish_scheduled


def test_a_due_revision_is_published_and_reported(client):
    article = ready_article(title="Timed article")
    article.schedule(article.latest_revision, None, publish_at=in_hours(1))
    assert client.get(article.get_absolute_url()).status_code == 404  # not before its time
    let_time_pass()
    out, err = run()
    assert out == f"Published revision {article.latest_revision.number} of “Timed article”.\n" and err == ""
    article = fresh(article)
    assert article.live_revision == article.latest_revision and article.publish_at is None
    assert client.get(article.get_absolute_url()).status_code == 200
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PUBLISH)
    assert (entry.user, entry.detail) == (None, "as scheduled")


def test_nothing_happens_before_the_scheduled_time():
    article = ready_article()
    article.schedule(article.latest_revision, None, publish_at=in_hours(1))
    assert run("-v2") == ("Nothing was due.\n", "")
    assert fresh(article).live_revision is None


def test_a_second_run_does_nothing():
    article = ready_article()
    article.schedule(article.latest_revision, None, publish_at=in_hours(1))
    let_time_pass()
    run()
    entries = AuditEntry.objects.count()
    assert run() == ("", "")
    assert AuditEntry.objects.count() == entries


def test_it_is_silent_with_verbosity_zero():
    article = ready_article()
    article.schedule(article.latest_revision, None, publish_at=in_hours(1))
    let_time_pass()
    assert run("-v0") == ("", "")
    assert fresh(article).is_live


def test_the_checks_are_made_again_and_a_refused_revision_stays_scheduled(client):
    article = ready_article(title="Returned article")
    revision = article.latest_revision
    article.schedule(revision, None, publish_at=in_hours(1))
    request_changes(revision, "Wrong dose.")
    let_time_pass()
    out, err = run("-v0")
    assert out == "" and "Refused to publish revision" in err and "Wrong dose." in err
    article = fresh(article)
    assert article.live_revision is None and article.scheduled_revision == revision
    assert client.get(article.get_absolute_url()).status_code == 404
    sign_off(revision)  # once fixed, the next run publishes it
    run()
    assert fresh(article).live_revision == revision


def test_the_scheduled_revision_goes_live_not_later_saves_of_the_draft():
    article = ready_article()
    scheduled = article.latest_revision
    article.schedule(scheduled, None, publish_at=in_hours(1))
    make_section(article, "Uncited.", heading="Added later?")
    save_draft(article)
    let_time_pass()
    run()
    assert fresh(article).live_revision == scheduled


def test_an_expired_article_is_unpublished(client):
    article = ready_article(title="Seasonal advice")
    article.publish(article.latest_revision, None)
    article.schedule(None, None, expire_at=in_hours(1))
    assert client.get(article.get_absolute_url()).status_code == 200
    let_time_pass()
    assert client.get(article.get_absolute_url()).status_code == 404  # readers never see it late
    assert run() == ("Unpublished “Seasonal advice”: it expired.\n", "")
    article = fresh(article)
    assert (article.live_revision, article.expire_at) == (None, None)
    assert AuditEntry.objects.get(action=AuditEntry.Action.UNPUBLISH).detail == "expired as scheduled"


def test_a_scheduled_publish_keeps_a_later_expiry():
    article = ready_article()
    article.schedule(article.latest_revision, None, publish_at=in_hours(1), expire_at=in_hours(10))
    let_time_pass()
    run()
    article = fresh(article)
    assert article.is_live and article.expire_at is not None
    let_time_pass(hours=10)
    run()
    assert fresh(article).live_revision is None


def test_when_publish_and_expiry_both_passed_the_article_ends_off_the_site():
    article = ready_article(title="Missed window")
    article.schedule(article.latest_revision, None, publish_at=in_hours(1), expire_at=in_hours(2))
    let_time_pass(hours=5)
    out, _ = run()
    assert "Skipped publishing revision" in out
    article = fresh(article)
    assert (article.live_revision, article.publish_at, article.expire_at) == (None, None, None)
    assert run() == ("", "")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (run with DATABASE_URL=postgres://…): SQLite serialises all writers "
    "with one database lock, so two runs cannot overlap there",
)
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_publish_a_revision_once():
    article = ready_article()
    article.schedule(article.latest_revision, None, publish_at=in_hours(1))
    let_time_pass()
    barrier, outputs = threading.Barrier(2), []

    def cron():
        barrier.wait()
        try:
            outputs.append(run())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cron) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(out for out, err in outputs)[0] == ""  # the second found nothing left to do
    assert AuditEntry.objects.filter(action=AuditEntry.Action.PUBLISH).count() == 1

"""Every save is a revision, and an article's history and revisions are shown to those who may
see the article, and to no one else."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import AuditEntry, Review, Revision
from references.models import Citation
from tests.factories import make_article, make_section, make_source, make_user, publish

pytestmark = pytest.mark.django_db


def login(client, role=None):
    user = make_user(staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return user


def change_form(article, **overrides):
    """The admin change form of ``article`` as a browser would post it, unchanged."""
    sections = list(article.sections.all())
    data = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "topic": article.topic_id or "",
        "byline": article.byline,
        "base_version": article.version,
        "revision_message": "",
        "sections-TOTAL_FORMS": len(sections),
        "sections-INITIAL_FORMS": len(sections),
        "sections-MIN_NUM_FORMS": 0,
        "sections-MAX_NUM_FORMS": 1000,
    }
    for n, section in enumerate(sections):
        data |= {
            f"sections-{n}-id": section.pk,
            f"sections-{n}-article": article.pk,
            f"sections-{n}-position": section.position,
            f"sections-{n}-heading": section.heading,
            f"sections-{n}-anchor": section.anchor,
            f"sections-{n}-body": section.body,
        }
    return data | overrides


def test_every_admin_save_records_a_revision_with_its_author_and_message(client):
    editor = login(client, "Editors")
    make_source("elwes1985")
    article = make_article(title="Clonus")
    make_section(article, "Brisk [@elwes1985].", heading="What is it?")
    Revision.objects.record(article)

    data = change_form(article, title="Clonus explained", revision_message="Clearer title")
    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), data)

    assert response.status_code == 302
    revision = article.revisions.first()
    assert (revision.number, revision.created_by, revision.message) == (2, editor, "Clearer title")
    assert revision.data["article"]["title"] == "Clonus explained"
    assert [s["heading"] for s in revision.data["sections"]] == ["What is it?"]


def test_a_revision_keeps_sections_citations_and_sources_as_they_were():
    source = make_source("elwes1985", title="Prognosis after a first seizure")
    article = make_article()
    section = make_section(article, "A claim [@elwes1985].", heading="Old heading")
    whole = make_source("whole")
    Citation.objects.create(section=section, source=whole, locator="p. 4")
    revision = Revision.objects.record(article)

    source.title = "Renamed since"
    source.save()
    section.heading, section.body = "New heading", "No claims now."
    section.save()
    section.citations.all().delete()

    revision.refresh_from_db()
    [kept] = revision.data["sections"]
    assert kept["heading"] == "Old heading" and "@elwes1985" in kept["body"]
    assert [(c["source"], c["in_text"], c["locator"]) for c in kept["citations"]] == [
        (source.pk, True, ""),
        (whole.pk, False, "p. 4"),
    ]
    assert revision.data["sources"][str(source.pk)]["title"] == "Prognosis after a first seizure"
    assert "Prognosis after a first seizure" in revision.data["sources"][str(source.pk)]["reference"]


def test_history_lists_revisions_newest_first_with_author_message_and_status(client):
    site_admin = login(client, "Site admins")
    reviewer = make_user(first_name="Ada", last_name="Reviewer")
    make_source("elwes1985")
    article = make_article()
    make_section(article, "[@elwes1985]")
    first = Revision.objects.record(article, site_admin, "First draft")
    Review.objects.create(revision=first, reviewer=reviewer, outcome=Review.Outcome.SIGNED_OFF)
    article.publish(first, site_admin)
    second = Revision.objects.record(article, site_admin, "Second go")
    second.submitted_at = second.created_at
    second.save()
    Review.objects.create(
        revision=second, reviewer=reviewer, outcome=Review.Outcome.CHANGES_REQUESTED, comment="Cite more."
    )
    article.publish(second, site_admin, override_reason="Urgent correction")
    third = Revision.objects.record(article, site_admin)

    response = client.get(reverse("admin:articles_article_history", args=[article.pk]))

    assert response.status_code == 200
    rows = list(response.context["revisions"])
    assert [r.number for r in rows] == [3, 2, 1]
    assert [r.was_published for r in rows] == [False, True, True]
    assert [r.previous_pk for r in rows] == [second.pk, first.pk, None]
    html = response.content.decode()
    assert "First draft" in html and "Second go" in html and str(site_admin) in html
    assert "<strong>Live</strong>" in html and "Published before" in html and "Never published" in html
    assert "Submitted for review" in html
    assert "Signed off by Ada Reviewer" in html and "Changes requested by Ada Reviewer" in html
    assert "Cite more." in html
    assert third.get_absolute_url() in html
    compare = reverse("admin:articles_article_compare", args=[article.pk])
    assert f"{compare}?a={second.pk}&amp;b={third.pk}" in html  # compare with previous
    assert f"{compare}?a=live&amp;b={third.pk}" in html
    assert "<caption>" in html and '<th scope="col">Revision</th>' in html


def test_history_table_scrolls_sideways_in_a_region_a_keyboard_can_reach(client):
    login(client, "Editors")
    article = make_article()
    Revision.objects.record(article)
    html = client.get(reverse("admin:articles_article_history", args=[article.pk])).content.decode()
    region = re.search(r'<div ([^>]*)>\s*<table id="revision-history"', html)
    assert region, "the revision table is not wrapped in its own box"
    attributes = dict(re.findall(r'([\w-]+)="([^"]*)"', region[1]))
    assert "table-scroll" in attributes["class"].split()
    assert attributes["tabindex"] == "0" and attributes["role"] == "region" and attributes["aria-label"]


def test_history_offers_restore_to_site_admins_only(client):
    article = make_article()
    revision = Revision.objects.record(article)
    restore_url = reverse("admin:articles_article_restore", args=[article.pk, revision.pk])
    url = reverse("admin:articles_article_history", args=[article.pk])

    login(client, "Editors")
    assert restore_url not in client.get(url).content.decode()
    login(client, "Site admins")
    assert restore_url in client.get(url).content.decode()


def test_change_form_links_to_the_history(client):
    login(client, "Editors")
    article = make_article()
    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert reverse("admin:articles_article_history", args=[article.pk]) in html


def per_article_urls(article, revision):
    return [
        reverse("admin:articles_article_history", args=[article.pk]),
        reverse("admin:articles_article_compare", args=[article.pk]) + f"?a={revision.pk}&b=draft",
        reverse("admin:articles_article_revision_preview", args=[article.pk, revision.pk]),
    ]


@pytest.mark.parametrize("page", ["history", "compare", "preview"])
def test_staff_without_permission_on_the_article_get_403(client, page):
    login(client)  # staff, but in no group
    article = make_article()
    make_section(article, "Secret draft text")
    revision = Revision.objects.record(article)
    url = dict(zip(["history", "compare", "preview"], per_article_urls(article, revision), strict=True))[page]

    response = client.get(url)

    assert response.status_code == 403
    assert b"Secret draft text" not in response.content


@pytest.mark.parametrize("role", ["Editors", "Medical reviewers", "Site admins"])
def test_every_role_may_read_history_compare_and_preview(client, role):
    login(client, role)
    article = make_article()
    revision = Revision.objects.record(article)
    assert [client.get(url).status_code for url in per_article_urls(article, revision)] == [200, 200, 200]


def test_readers_are_sent_to_the_admin_login(client):
    article = make_article()
    revision = Revision.objects.record(article)
    for url in per_article_urls(article, revision):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_history_of_a_missing_article_is_404(client):
    login(client, "Site admins")
    assert client.get(reverse("admin:articles_article_history", args=[999999])).status_code == 404


def test_revision_preview_shows_the_revision_as_readers_would_with_noindex(client):
    login(client, "Medical reviewers")
    make_source("elwes1985", title="Prognosis after a first seizure")
    article = make_article(title="Old title")
    make_section(article, "Old claim [@elwes1985].", heading="What was it?")
    revision = Revision.objects.record(article)
    article.title = "New title"
    article.save()
    Revision.objects.record(article)

    response = client.get(revision.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "articles/article_detail.html"
    assert "<h1>Old title</h1>" in html and "Old claim" in html and "What was it?" in html
    assert "Prognosis after a first seizure" in html
    assert f"Preview of revision {revision.number}" in html
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"] == "noindex"
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}


def test_revision_preview_shows_the_review_of_that_revision_not_a_later_one(client):
    login(client, "Site admins")
    article = make_article()
    old = Revision.objects.record(article)
    new = Revision.objects.record(article)
    reviewer = make_user(first_name="Later", last_name="Reviewer")
    Review.objects.create(revision=new, reviewer=reviewer, outcome=Review.Outcome.SIGNED_OFF)

    assert client.get(old.get_absolute_url()).context["review"] is None
    assert client.get(new.get_absolute_url()).context["review"].reviewer == reviewer


def test_preview_of_a_revision_of_another_article_is_404(client):
    login(client, "Site admins")
    article, other = make_article(), make_article()
    revision = Revision.objects.record(other)
    url = reverse("admin:articles_article_revision_preview", args=[article.pk, revision.pk])
    assert client.get(url).status_code == 404


def test_live_page_is_unchanged_by_a_later_admin_save(client):
    login(client, "Editors")
    article = make_article(title="Published title")
    make_section(article, "")
    publish(article)

    client.post(reverse("admin:articles_article_change", args=[article.pk]), change_form(article, title="Draft title"))

    html = client.get(article.get_absolute_url()).content.decode()
    assert "Published title" in html and "Draft title" not in html
    assert article.revisions.count() == 2


def test_publishing_writes_an_audit_entry_the_history_reads(client):
    site_admin = login(client, "Site admins")
    article = make_article()
    revision = publish(article)
    AuditEntry.record(AuditEntry.Action.PUBLISH, site_admin, article, revision)
    response = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert [r.was_published for r in response.context["revisions"]] == [True]


def test_history_costs_the_same_queries_for_many_revisions(client):
    login(client, "Site admins")
    reviewer = make_user()

    def queries_for(revisions):
        article = make_article()
        make_section(article, "Some text.")
        for _ in range(revisions):
            revision = Revision.objects.record(article)
            Review.objects.create(revision=revision, reviewer=reviewer, outcome=Review.Outcome.SIGNED_OFF)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("admin:articles_article_history", args=[article.pk])).status_code == 200
        return len(queries)

    assert queries_for(2) == queries_for(20)

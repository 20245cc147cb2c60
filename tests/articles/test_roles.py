"""Every role against every editorial action, on the server.

An allowed action succeeds; a forbidden one answers 403 (anonymous visitors are sent to the
login page) and leaves the database exactly as it was.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, AuditEntry, Review, Revision, Section
from tests.factories import make_article, make_user, ready_article

pytestmark = pytest.mark.django_db

EDITORS, REVIEWERS, SITE_ADMINS = "Editors", "Medical reviewers", "Site admins"
NO_GROUP, ANONYMOUS = "staff without a group", "anonymous"
ROLES = [EDITORS, REVIEWERS, SITE_ADMINS, NO_GROUP, ANONYMOUS]


@dataclass
class Action:
    """One thing a person can try: how to set it up, the request, and what success looks like."""

    name: str
    allowed: set
    #: article -> (method, url, data)
    request: Callable
    #: article -> whether the action's effect is in the database
    happened: Callable
    setup: Callable = field(default=ready_article)


def url(name, article):
    return reverse(f"admin:articles_article_{name}", args=[article.pk])


def live(article):
    article.publish(article.latest_revision, None)
    return article


def unreviewed():
    article = make_article()
    Revision.objects.record(article)
    return article


def logged(action):
    return lambda article: AuditEntry.objects.filter(action=action, article_pk=article.pk).exists()


ACTIONS = [
    Action(
        "submit", {EDITORS, SITE_ADMINS},
        lambda a: ("post", url("submit", a), {}),
        lambda a: Revision.objects.get(pk=a.latest_revision_id).submitted_at is not None,
        setup=unreviewed,
    ),
    Action(
        "review", {REVIEWERS, SITE_ADMINS},
        lambda a: ("post", url("review", a), {"outcome": "signed-off", "reviewed_on": timezone.localdate()}),
        logged(AuditEntry.Action.REVIEW),
        setup=unreviewed,
    ),
    Action(
        "publish", {SITE_ADMINS},
        lambda a: ("post", url("publish", a), {"revision": a.latest_revision_id}),
        lambda a: Article.objects.get(pk=a.pk).live_revision_id == a.latest_revision_id,
    ),
    Action(
        "override", {SITE_ADMINS},
        lambda a: ("post", url("publish", a), {
            "revision": a.latest_revision_id, "override": "1", "override_reason": "Urgent",
        }),
        logged(AuditEntry.Action.OVERRIDE),
        setup=unreviewed,
    ),
    Action(
        "unpublish", {SITE_ADMINS},
        lambda a: ("post", url("unpublish", a), {}),
        lambda a: Article.objects.get(pk=a.pk).live_revision_id is None,
        setup=lambda: live(ready_article()),
    ),
    Action(
        "schedule", {SITE_ADMINS},
        lambda a: ("post", url("schedule", a), {
            "revision": a.latest_revision_id,
            "publish_at": f"{timezone.localtime() + timedelta(days=1):%Y-%m-%dT%H:%M}",
        }),
        lambda a: Article.objects.get(pk=a.pk).publish_at is not None,
    ),
    Action(
        "view audit log", {SITE_ADMINS},
        lambda a: ("get", reverse("admin:articles_auditentry_changelist"), {}),
        lambda a: True,  # a page that opens is the whole effect
    ),
    Action(
        "delete article", {SITE_ADMINS},
        lambda a: ("post", reverse("admin:articles_article_delete", args=[a.pk]), {"post": "yes"}),
        lambda a: not Article.objects.filter(pk=a.pk).exists() and logged(AuditEntry.Action.DELETE)(a),
    ),
    Action(
        "restore", {SITE_ADMINS},
        lambda a: ("post", restore_url(a), {}),
        lambda a: Article.objects.get(pk=a.pk).title == "First title",
        setup=lambda: retitled(ready_article(title="First title")),
    ),
    Action(
        "recover", {SITE_ADMINS},
        lambda a: ("post", reverse("admin:articles_article_recover", args=[a.deleted_revision.pk]), {}),
        lambda a: Article.objects.filter(pk=a.pk).exists(),
        setup=lambda: deleted(ready_article()),
    ),
    *(
        Action(
            page, {EDITORS, REVIEWERS, SITE_ADMINS},
            lambda a, page=page: ("get", page_url(page, a), {}),
            lambda a: True,  # reading is the whole effect
        )
        for page in ("history", "compare", "revision preview", "draft preview")
    ),
]  # fmt: skip


def retitled(article):
    article.title = "Second title"
    article.save()
    Revision.objects.record(article)
    return article


def restore_url(article):
    first = article.revisions.get(number=1)
    return reverse("admin:articles_article_restore", args=[article.pk, first.pk])


def deleted(article):
    article.deleted_revision = article.latest_revision
    Article.objects.filter(pk=article.pk).delete()
    return article


def page_url(page, article):
    revision = article.latest_revision
    return {
        "history": url("history", article),
        "compare": f"{url('compare', article)}?a={revision.pk}&b=draft",
        "revision preview": reverse("admin:articles_article_revision_preview", args=[article.pk, revision.pk]),
        "draft preview": reverse("articles:article-preview", args=[article.slug]),
    }[page]


def login(client, role):
    if role == ANONYMOUS:
        return None
    user = make_user(staff=True) if role == NO_GROUP else make_user(role)
    client.force_login(user)
    return user


def database():
    """Everything an editorial action could change."""
    return {
        "articles": list(Article.objects.order_by("pk").values()),
        "sections": list(Section.objects.order_by("pk").values_list("pk", "article_id")),
        "revisions": list(Revision.objects.order_by("pk").values_list("pk", "article_id", "submitted_at")),
        "reviews": list(Review.objects.order_by("pk").values_list("pk")),
        "audit": list(AuditEntry.objects.order_by("pk").values_list("pk")),
        "users": get_user_model().objects.count(),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS, ids=lambda action: action.name)
def test_role_against_action(client, action, role):
    article = action.setup()
    login(client, role)
    before = database()
    method, target, data = action.request(article)
    response = getattr(client, method)(target, data)
    if role in action.allowed:
        assert response.status_code in (200, 302), response.content[:500]
        assert response.status_code == 200 or "/login/" not in response.get("Location", "")
        assert action.happened(article)
        return
    if role == ANONYMOUS:
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    else:
        assert response.status_code == 403
    assert database() == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["submit", "review", "publish", "schedule"])
def test_workflow_pages_open_only_for_their_roles(client, name, role):
    action = next(a for a in ACTIONS if a.name == name)
    article = ready_article()
    login(client, role)
    response = client.get(url(name, article))
    if role in action.allowed:
        assert response.status_code == 200
    elif role == ANONYMOUS:
        assert response.status_code == 302
    else:
        assert response.status_code == 403


@pytest.mark.parametrize(
    ("role", "visible"), [(EDITORS, False), (REVIEWERS, False), (SITE_ADMINS, True), (NO_GROUP, False)]
)
def test_the_audit_log_is_listed_in_the_admin_only_for_site_admins(client, role, visible):
    login(client, role)
    html = client.get(reverse("admin:index")).content.decode()
    assert (reverse("admin:articles_auditentry_changelist") in html) == visible


def test_site_admins_see_audit_entries_but_cannot_change_them(client):
    article = ready_article(title="Audited")
    live(article)
    login(client, SITE_ADMINS)
    html = client.get(reverse("admin:articles_auditentry_changelist")).content.decode()
    assert "Audited" in html and "Published" in html
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PUBLISH)
    delete = reverse("admin:articles_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:articles_auditentry_add")).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()

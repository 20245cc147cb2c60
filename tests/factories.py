"""Small builders for test data: each makes a valid object and takes overrides."""

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article, Review, Revision, Section
from references.models import Author, Source

#: Every built user's password, for tests that log in through the login form.
PASSWORD = "correct horse battery staple"

_n = itertools.count(1)


def make_user(*roles, username=None, staff=False, superuser=False, **fields):
    """A user; in ``roles`` (group names: "Editors", "Medical reviewers", "Site admins") a member
    of the editorial staff."""
    user = get_user_model().objects.create_user(
        username=username or f"user{next(_n)}",
        password=PASSWORD,
        is_staff=staff or superuser or bool(roles),
        is_superuser=superuser,
        **fields,
    )
    user.groups.add(*Group.objects.filter(name__in=roles))
    return user


def make_source(key=None, authors=(("Elwes", "RDC"), ("Reynolds", "EH")), **fields):
    n = next(_n)
    fields.setdefault("title", f"A study of clonus number {n}")
    fields.setdefault("container_title", "J Neurol")
    fields.setdefault("year", 2000 + n % 25)
    source = Source.objects.create(key=key or f"source{n}", **fields)
    Author.objects.bulk_create(
        Author(source=source, position=i, family=family, given=given) for i, (family, given) in enumerate(authors)
    )
    return source


def make_article(title=None, **fields):
    """A draft: add sections, then ``publish()`` it to show it to readers."""
    n = next(_n)
    fields.setdefault("slug", f"article-{n}")
    return Article.objects.create(title=title or f"Article {n}", **fields)


def make_section(article, body="", heading=None, **fields):
    n = next(_n)
    fields.setdefault("position", n)
    return Section.objects.create(article=article, heading=heading or f"Question {n}?", body=body, **fields)


def publish(article, user=None):
    """Record a revision of ``article`` as it is now and make it live, skipping the checks
    that ``Article.publish()`` makes (tests of those call it themselves)."""
    revision = Revision.objects.record(article, user)
    previous, now = article.live_revision, timezone.now()
    article.live_revision, article.live_since = revision, now
    article.published_at = article.published_at or now - timezone.timedelta(days=1)
    article.save(update_fields=["live_revision", "live_since", "published_at"])
    revision.prerender()
    article.pages_changed(previous, revision)
    return revision


# The editorial workflow


def ready_article(title="Clonus", editor=None, **fields):
    """A draft whose latest revision passes every check: its section cites a source, and a
    medical reviewer signed it off."""
    source = make_source()
    article = make_article(title=title, **fields)
    make_section(article, f"Brisk jerks [@{source.key}].", heading="What is clonus?")
    sign_off(Revision.objects.record(article, editor or make_user("Editors")))
    return article


def save_draft(article, editor=None, **fields):
    """An editor's save: change the working copy and record it as a revision."""
    for name, value in fields.items():
        setattr(article, name, value)
    article.save()
    return Revision.objects.record(article, editor or make_user("Editors"))


def sign_off(revision, reviewer=None, **fields):
    reviewer = reviewer or make_user("Medical reviewers")
    return Review.objects.record(revision, reviewer, Review.Outcome.SIGNED_OFF, **fields)


def request_changes(revision, comment="Please check the dose."):
    return Review.objects.record(revision, make_user("Medical reviewers"), Review.Outcome.CHANGES_REQUESTED, comment)

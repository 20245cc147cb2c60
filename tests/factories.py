"""Small builders for test data: each makes a valid object and takes overrides."""

import itertools

from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article, Revision, Section
from references.models import Author, Source

_n = itertools.count(1)


def make_source(key=None, authors=(("Elwes", "RDC"), ("Reynolds", "EH")), **fields):
    n = next(_n)
    fields.setdefault("title", f"A study of clonus number {n}")
    fields.setdefault("container_title", "J Neurol")
    fields.setdefault("year", 2000 + n % 25)
    source = Source.objects.create(key=key or f"source{n}", **fields)
    Author.objects.bulk_create(
        Author(source=source, position=i, family=family, given=given)
        for i, (family, given) in enumerate(authors)
    )
    return source


def make_article(title=None, **fields):
    """A draft: add sections, then ``publish()`` it to show it to readers."""
    n = next(_n)
    fields.setdefault("slug", f"article-{n}")
    return Article.objects.create(title=title or f"Article {n}", **fields)


def publish(article, user=None):
    """Record a revision of ``article`` as it is now and make it live, skipping the checks
    that ``Article.publish()`` makes (tests of those call it themselves)."""
    revision = Revision.objects.record(article, user)
    now = timezone.now()
    article.live_revision, article.live_since = revision, now
    article.published_at = article.published_at or now - timezone.timedelta(days=1)
    article.save(update_fields=["live_revision", "live_since", "published_at"])
    return revision


def make_section(article, body="", heading=None, **fields):
    n = next(_n)
    fields.setdefault("position", n)
    return Section.objects.create(article=article, heading=heading or f"Question {n}?", body=body, **fields)


def make_user(username=None, staff=False, superuser=False, **fields):
    n = next(_n)
    return get_user_model().objects.create_user(
        username=username or f"user{n}",
        password="correct horse battery staple",
        is_staff=staff or superuser,
        is_superuser=superuser,
        **fields,
    )

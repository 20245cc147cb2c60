"""Builders for the editorial workflow tests: people in roles, and articles ready to publish."""

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from articles.models import Review, Revision
from tests.factories import make_article, make_section, make_source

_n = itertools.count(1)


def role_user(*roles, **fields):
    """A staff member in the given groups. No password: tests log in with force_login, and
    hashing one costs a third of a second."""
    user = get_user_model().objects.create(username=f"staff{next(_n)}", is_staff=True, **fields)
    user.groups.add(*Group.objects.filter(name__in=roles))
    return user


def ready_article(title="Clonus", editor=None, **fields):
    """A draft whose latest revision passes every check: its section cites a source, and a
    medical reviewer signed it off."""
    source = make_source()
    article = make_article(title=title, **fields)
    make_section(article, f"Brisk jerks [@{source.key}].", heading="What is clonus?")
    sign_off(Revision.objects.record(article, editor or role_user("Editors")))
    return article


def sign_off(revision, reviewer=None, **fields):
    reviewer = reviewer or role_user("Medical reviewers")
    return Review.objects.record(revision, reviewer, Review.Outcome.SIGNED_OFF, **fields)


def request_changes(revision, comment="Please check the dose."):
    return Review.objects.record(revision, role_user("Medical reviewers"), Review.Outcome.CHANGES_REQUESTED, comment)


def save_draft(article, editor=None, **fields):
    """An editor's save: change the working copy and record it as a revision."""
    for name, value in fields.items():
        setattr(article, name, value)
    article.save()
    return Revision.objects.record(article, editor or role_user("Editors"))

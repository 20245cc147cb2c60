import json

from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from articles import demo
from articles.models import Article, Revision, Section, Topic
from articles.snapshots import take
from references.models import Author, Source


class Command(BaseCommand):
    help = (
        "Load (or refresh) the demo articles (on clonus, spasticity and serotonin syndrome), their "
        "topics and their sources. Safe to run again: unchanged articles get no new revision."
    )

    @transaction.atomic
    def handle(self, **options):
        for entry in demo.SOURCES:
            load_source(entry)
        Source.objects.filter(key__in=[entry["key"] for entry in demo.SOURCES]).format_references()
        topics = {name: load_topic(name, description) for name, description in demo.TOPICS.items()}
        for entry in demo.ARTICLES:
            article, published = load_article(entry, topics[entry["topic"]])
            self.stdout.write(
                f"Demo article “{article}” ({article.topic}) with {article.sections.count()} sections and "
                f"{Source.objects.cited_in(article).count()} sources, "
                f"{'published' if published else 'unchanged'}: {article.get_absolute_url()}"
            )
        self.stdout.write(
            f"{len(demo.ARTICLES)} demo articles in {len(topics)} topics, citing {len(demo.SOURCES)} sources."
        )


def load_source(entry):
    fields = {name: value for name, value in entry.items() if name not in ("key", "authors", "editors")}
    source, _ = Source.objects.update_or_create(key=entry["key"], defaults=fields)
    source.authors.all().delete()
    people = [(Author.Role.AUTHOR, name) for name in entry["authors"]]
    people += [(Author.Role.EDITOR, name) for name in entry.get("editors", [])]
    Author.objects.bulk_create(
        Author(source=source, position=position, role=role, family=family, given=given)
        for position, (role, (family, given)) in enumerate(people)
    )
    return source


def load_topic(name, description):
    """The topic called ``name`` (matched as the importer matches it), with ``description``."""
    topic = Topic.objects.filter(Q(slug=slugify(name)) | Q(name__iexact=name)).first()
    if topic is None:
        return Topic.objects.create(name=name, slug=slugify(name), description=description)
    if topic.description != description:
        topic.description = description
        topic.save(update_fields=["description"])
    return topic


def load_article(entry, topic):
    """Bring the article up to date with ``entry``; return it, and whether a revision was published."""
    article, _ = Article.objects.update_or_create(
        slug=entry["slug"],
        defaults={
            "title": entry["title"],
            "summary": entry["summary"],
            "byline": entry["byline"],
            "topic": topic,
        },
    )
    for position, section in enumerate(entry["sections"], start=1):
        Section.objects.update_or_create(article=article, position=position, defaults=section)
    article.sections.filter(position__gt=len(entry["sections"])).delete()
    if article.latest_revision and article.latest_revision.data == snapshot_as_stored(article):
        return article, False  # unchanged since the last load
    revision = Revision.objects.record(article, message="Loaded by load_demo")
    # Honest about it: no clinician has signed the demo off, so readers see no review date.
    article.publish(revision, user=None, override_reason=DEMO_OVERRIDE)
    return article, True


DEMO_OVERRIDE = "Demo content loaded by load_demo; not reviewed by a clinician."


def snapshot_as_stored(article):
    return json.loads(json.dumps(take(article), cls=DjangoJSONEncoder))

import json

from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.text import slugify

from articles import demo
from articles.models import Article, Revision, Section, Topic
from articles.snapshots import take
from references.models import Author, Source


class Command(BaseCommand):
    help = "Load (or refresh) the demo article on clonus and its sources. Safe to run again."

    @transaction.atomic
    def handle(self, **options):
        for entry in demo.SOURCES:
            load_source(entry)
        Source.objects.filter(key__in=[entry["key"] for entry in demo.SOURCES]).format_references()
        article = load_article(demo.ARTICLE)
        self.stdout.write(
            f"Demo article “{article}” with {article.sections.count()} sections and "
            f"{Source.objects.cited_in(article).count()} sources: {article.get_absolute_url()}"
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


def load_article(entry):
    topic, _ = Topic.objects.get_or_create(slug=slugify(entry["topic"]), defaults={"name": entry["topic"]})
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
        return article  # unchanged since the last load
    revision = Revision.objects.record(article, message="Loaded by load_demo")
    # Honest about it: no clinician has signed the demo off, so readers see no review date.
    article.publish(revision, user=None, override_reason=DEMO_OVERRIDE)
    return article


DEMO_OVERRIDE = "Demo content loaded by load_demo; not reviewed by a clinician."


def snapshot_as_stored(article):
    return json.loads(json.dumps(take(article), cls=DjangoJSONEncoder))

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles import demo
from articles.models import Article, Section, Topic
from references.models import Author, Source


class Command(BaseCommand):
    help = "Load (or refresh) the demo article on clonus and its sources. Safe to run again."

    @transaction.atomic
    def handle(self, **options):
        for entry in demo.SOURCES:
            load_source(entry)
        article = load_article(demo.ARTICLE)
        self.stdout.write(
            f"Demo article “{article}” with {article.sections.count()} sections and "
            f"{Source.objects.cited_in(article).count()} sources: {article.get_absolute_url()}"
        )


def load_source(entry):
    fields = {name: value for name, value in entry.items() if name not in ("key", "authors")}
    source, _ = Source.objects.update_or_create(key=entry["key"], defaults=fields)
    source.authors.all().delete()
    Author.objects.bulk_create(
        Author(source=source, position=position, family=family, given=given)
        for position, (family, given) in enumerate(entry["authors"])
    )
    return source


def load_article(entry):
    topic, _ = Topic.objects.get_or_create(
        slug=slugify(entry["topic"]), defaults={"name": entry["topic"]}
    )
    article, created = Article.objects.update_or_create(
        slug=entry["slug"],
        defaults={
            "title": entry["title"],
            "summary": entry["summary"],
            "byline": entry["byline"],
            "topic": topic,
            "status": Article.Status.PUBLISHED,
        },
    )
    if article.published_at is None:
        article.published_at = timezone.now()
        article.save()
    article.sections.all().delete()
    for position, section in enumerate(entry["sections"], start=1):
        Section.objects.create(article=article, position=position, **section)
    return article

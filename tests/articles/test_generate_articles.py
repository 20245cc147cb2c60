import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse

from articles.models import Article, SearchEntry
from articles.snapshots import take

pytestmark = pytest.mark.django_db


def generate(count, **options):
    out = StringIO()
    call_command("generate_articles", count, stdout=out, **{"sections": 3, "seed": 7, "sources": 5, **options})
    return out.getvalue()


def content():
    return [
        (article.title, [section.body for section in article.sections.all()])
        for article in Article.objects.order_by("slug").prefetch_related("sections")
    ]


def test_generated_articles_are_live_with_their_sections_citations_and_search_entries(client):
    generate(3, sections=4)
    articles = list(Article.objects.published().select_related("live_revision"))
    assert len(articles) == 3
    for article in articles:
        assert article.status == Article.Status.LIVE
        assert article.sections.count() == 4
        assert all(section.citations.exists() for section in article.sections.all())
        assert article.live_revision.content_problems() == []
        assert client.get(article.get_absolute_url()).status_code == 200
    assert SearchEntry.objects.count() == 3
    title_word = articles[0].title.split()[0].strip(":")
    response = client.get(reverse("articles:search"), {"q": title_word})
    assert articles[0] in [result.article for result in response.context["results"]]


def test_a_generated_revision_holds_what_a_snapshot_of_the_article_holds():
    generate(2)
    for article in Article.objects.select_related("live_revision"):
        assert article.live_revision.data == json.loads(json.dumps(take(article), cls=DjangoJSONEncoder))


def test_the_same_seed_makes_the_same_articles():
    generate(2)
    first = content()
    Article.objects.all().delete()
    generate(2)
    assert content() == first
    Article.objects.all().delete()
    generate(2, seed=8)
    assert content() != first


def test_running_again_makes_only_the_articles_missing():
    generate(2)
    assert generate(3) == "Made 1 live article; 2 were there already.\n"
    assert Article.objects.published().count() == 3

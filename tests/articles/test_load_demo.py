import re

import pytest
from django.core.management import call_command

from articles import demo
from articles.markdown import render
from articles.models import Article, AuditEntry, Revision, Section, Topic
from references.models import Citation, Source

pytestmark = pytest.mark.django_db

SAMPLE_SOURCES = {
    "Prognosis after a first untreated tonic-clonic seizure",
    "Generalized tonic-clonic activity after remifentanil administration",
}
SLUGS = ["clonus", "spasticity", "serotonin-syndrome"]


def test_demo_is_a_published_article_whose_every_section_cites_a_source(client):
    call_command("load_demo", stdout=None)
    article = Article.objects.published().get(slug="clonus")
    sections = list(article.sections.all())
    assert len(sections) >= 8
    assert all(section.citations.exists() for section in sections)
    assert all(section.heading.endswith("?") for section in sections)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response.content.count(b'<li id="ref-') == Source.objects.cited_in(article).count()


def test_demo_has_three_live_articles_whose_every_section_asks_and_cites(client):
    call_command("load_demo")
    assert [entry["slug"] for entry in demo.ARTICLES] == SLUGS
    for slug in SLUGS:
        article = Article.objects.published().get(slug=slug)
        assert article.live_revision == article.latest_revision
        sections = list(article.sections.all())
        assert len(sections) >= 5 if slug == "clonus" else 5 <= len(sections) <= 7
        assert all(section.heading.endswith("?") for section in sections)
        assert all(section.citations.exists() for section in sections), slug
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        assert response.content.count(b'<li id="ref-') == Source.objects.cited_in(article).count()
    assert Article.objects.get(slug="spasticity").topic.name == "Neurology"
    assert Article.objects.get(slug="serotonin-syndrome").topic.name == "Medicines"


def test_every_mark_in_the_demo_parses_and_names_a_demo_source():
    keys = {entry["key"] for entry in demo.SOURCES}
    assert len(keys) == len(demo.SOURCES)
    for article in demo.ARTICLES:
        assert article["topic"] in demo.TOPICS
        for section in article["sections"]:
            rendered = render(section["body"])
            assert rendered.errors == [], (article["slug"], section["heading"])
            assert rendered.keys, (article["slug"], section["heading"])
            assert {key.lower() for key in rendered.keys} <= keys, (article["slug"], section["heading"])


def test_demo_topics_are_loaded_with_their_descriptions(client):
    call_command("load_demo")
    assert set(demo.TOPICS) == {"Neurology", "Medicines"}
    for name, description in demo.TOPICS.items():
        assert description.strip()
        assert Topic.objects.get(name=name).description == description
    neurology = Topic.objects.get(name="Neurology")
    assert set(neurology.articles.values_list("slug", flat=True)) == {"clonus", "spasticity"}
    assert client.get(neurology.get_absolute_url()).status_code == 200


def test_loading_the_demo_refreshes_a_changed_topic_description():
    call_command("load_demo")
    Topic.objects.filter(name="Medicines").update(description="Old words.")
    revisions = Revision.objects.count()
    call_command("load_demo")
    assert Topic.objects.get(name="Medicines").description == demo.TOPICS["Medicines"]
    assert Revision.objects.count() == revisions


def test_demo_cites_the_five_sources_of_the_sample_and_every_source_it_lists():
    call_command("load_demo")
    titles = set(Source.objects.values_list("title", flat=True))
    assert SAMPLE_SOURCES <= titles
    sample_authors = {"Elwes", "Tudur Smith", "Haber", "Armelisasso", "Van de Vel"}
    assert sample_authors <= set(Source.objects.values_list("authors__family", flat=True))
    assert not Source.objects.filter(citations__isnull=True).exists()


def test_loading_the_demo_twice_changes_nothing():
    call_command("load_demo")
    models = (Article, Section, Source, Citation, Revision, AuditEntry, Topic)
    before = [model.objects.count() for model in models]
    published_at = dict(Article.objects.values_list("slug", "published_at"))
    live = dict(Article.objects.values_list("slug", "live_revision"))
    descriptions = dict(Topic.objects.values_list("name", "description"))
    call_command("load_demo")
    after = [model.objects.count() for model in models]
    assert before == after
    assert dict(Article.objects.values_list("slug", "published_at")) == published_at
    assert dict(Article.objects.values_list("slug", "live_revision")) == live
    assert dict(Topic.objects.values_list("name", "description")) == descriptions
    assert Revision.objects.count() == len(SLUGS)


def test_demo_is_published_with_a_recorded_override_and_no_invented_review():
    call_command("load_demo")
    for slug in SLUGS:
        article = Article.objects.get(slug=slug)
        assert article.last_review() is None
        override = AuditEntry.objects.get(action=AuditEntry.Action.OVERRIDE, article=article)
        assert "not reviewed by a clinician" in override.detail


def test_readers_are_told_the_demo_has_not_been_reviewed(client):
    call_command("load_demo")
    for slug in SLUGS:
        html = client.get(Article.objects.get(slug=slug).get_absolute_url()).content.decode().lower()
        # The template's wording is being reworded; either phrasing says the same.
        assert re.search(r"not yet (been )?reviewed by a clinician", html), slug
        assert "last reviewed" not in html, slug

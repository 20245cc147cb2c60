import pytest
from django.core.management import call_command

from articles.models import Article, AuditEntry, Revision, Section
from references.models import Citation, Source

pytestmark = pytest.mark.django_db

SAMPLE_SOURCES = {
    "Prognosis after a first untreated tonic-clonic seizure",
    "Generalized tonic-clonic activity after remifentanil administration",
}


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


def test_demo_cites_the_five_sources_of_the_sample_and_every_source_it_lists():
    call_command("load_demo")
    titles = set(Source.objects.values_list("title", flat=True))
    assert SAMPLE_SOURCES <= titles
    sample_authors = {"Elwes", "Tudur Smith", "Haber", "Armelisasso", "Van de Vel"}
    assert sample_authors <= set(Source.objects.values_list("authors__family", flat=True))
    assert not Source.objects.filter(citations__isnull=True).exists()


def test_loading_the_demo_twice_changes_nothing():
    call_command("load_demo")
    models = (Article, Section, Source, Citation, Revision, AuditEntry)
    before = [model.objects.count() for model in models]
    published_at = Article.objects.get(slug="clonus").published_at
    call_command("load_demo")
    after = [model.objects.count() for model in models]
    assert before == after
    assert Article.objects.get(slug="clonus").published_at == published_at


def test_demo_is_published_with_a_recorded_override_and_no_invented_review():
    call_command("load_demo")
    article = Article.objects.get(slug="clonus")
    assert article.last_review() is None
    override = AuditEntry.objects.get(action=AuditEntry.Action.OVERRIDE)
    assert "not reviewed by a clinician" in override.detail


def test_readers_are_told_the_demo_has_not_been_reviewed(client):
    call_command("load_demo")
    html = client.get(Article.objects.get(slug="clonus").get_absolute_url()).content.decode()
    assert "Not yet reviewed by a clinician" in html and "Last reviewed" not in html

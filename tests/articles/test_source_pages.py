"""Public source pages read what is published: the source as live revisions cite it."""

import pytest
from django.urls import reverse

from tests.factories import make_article, make_section, make_source, publish

pytestmark = pytest.mark.django_db


def cited_live(source, title="Live article"):
    article = make_article(title=title)
    make_section(article, f"A claim [@{source.key}].", heading="Where it is cited?")
    publish(article)
    return article


def test_a_source_cited_only_by_drafts_is_not_found(client):
    source = make_source("drafted2020")
    make_section(make_article(), "[@drafted2020]")
    assert client.get(reverse("articles:source-detail", args=[source.key])).status_code == 404


def test_an_uncited_source_is_not_found(client):
    assert client.get(reverse("articles:source-detail", args=[make_source().key])).status_code == 404


def test_edits_to_a_source_show_only_once_an_article_citing_it_is_published_again(client):
    source = make_source("elwes1985", title="Prognosis after a first seizure")
    article = cited_live(source)
    source.title = "Corrected title, not yet published"
    source.save()
    source.format_reference()
    html = client.get(source.get_absolute_url()).content.decode()
    assert "Prognosis after a first seizure" in html and "Corrected title" not in html
    publish(article)
    html = client.get(source.get_absolute_url()).content.decode()
    assert "Corrected title, not yet published" in html


def test_a_source_page_shows_identifiers_as_published_with_links(client):
    source = make_source("tudursmith2001", doi="10.1002/14651858.CD001769", pmid="11687121", pmcid="PMC123456")
    cited_live(source)
    html = client.get(source.get_absolute_url()).content.decode()
    assert 'href="https://doi.org/10.1002/14651858.cd001769"' in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/11687121/"' in html
    assert 'href="https://pmc.ncbi.nlm.nih.gov/articles/PMC123456/"' in html


def test_keys_are_found_in_any_case(client):
    source = make_source("elwes1985")
    cited_live(source)
    assert client.get("/sources/Elwes1985/").status_code == 200


def test_the_source_list_shows_only_sources_that_live_articles_cite(client):
    live, drafted, uncited = make_source(title="Cited live"), make_source(title="Cited in a draft"), make_source()
    cited_live(live)
    make_section(make_article(), f"[@{drafted.key}]")
    html = client.get(reverse("articles:source-list")).content.decode()
    assert "Cited live" in html
    assert "Cited in a draft" not in html and uncited.title not in html


def test_the_source_list_is_paginated(client, settings):
    settings.SOURCES_PER_PAGE = 2
    sources = [make_source(f"s{n}", title=f"Source number {n}") for n in range(5)]
    article = make_article()
    make_section(article, " ".join(f"[@{s.key}]" for s in sources))
    publish(article)
    first = client.get(reverse("articles:source-list")).content.decode()
    last = client.get(reverse("articles:source-list") + "?page=3").content.decode()
    assert "Source number 0" in first and "Source number 2" not in first
    assert "Source number 4" in last and 'rel="prev"' in last


def test_source_pages_cost_a_few_queries_however_many_articles_cite_them(client, django_assert_max_num_queries):
    sources = [make_source(f"s{n}") for n in range(20)]
    for _ in range(5):
        article = make_article()
        make_section(article, " ".join(f"[@{s.key}]" for s in sources))
        publish(article)
    with django_assert_max_num_queries(3):  # the page of sources, their count, the revisions citing them
        assert client.get(reverse("articles:source-list")).status_code == 200
    with django_assert_max_num_queries(2):  # the source, the revisions citing it
        assert client.get(sources[0].get_absolute_url()).status_code == 200

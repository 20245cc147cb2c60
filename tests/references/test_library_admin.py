"""The admin's list of sources, and what the source form says about duplicates."""

import pytest
from django.urls import reverse

from references.models import Citation, Source
from tests.factories import make_article, make_section, make_source

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:references_source_changelist"


def listed(client, query=""):
    response = client.get(reverse(CHANGELIST) + query)
    return [source.key for source in response.context["cl"].result_list]


def test_the_list_shows_authors_year_kind_identifiers_and_citation_count(superuser_client):
    source = make_source(
        "tudursmith2001",
        authors=[("Tudur Smith", "C"), ("Marson", "AG"), ("Williamson", "PR"), ("Hutton", "JL")],
        year=2001,
        doi="10.1002/14651858.CD001769",
        pmid="11687121",
    )
    article = make_article()
    make_section(article, "[@tudursmith2001]")
    make_section(article, "[@tudursmith2001] again")
    html = superuser_client.get(reverse(CHANGELIST)).content.decode()
    assert "Tudur Smith, Marson, Williamson et al" in html
    assert "DOI 10.1002/14651858.cd001769<br>PMID 11687121" in html
    assert '<td class="field-citation_count">2</td>' in html
    assert "Journal article" in html and str(source.year) in html


def test_filters_find_uncited_sources_and_sources_without_identifiers(superuser_client):
    make_source("cited", doi="10.1000/cited")
    make_source("uncited", pmid="123")
    make_source("bare")
    make_section(make_article(), "[@cited]")
    assert listed(superuser_client, "?cited=no") == ["bare", "uncited"]
    assert listed(superuser_client, "?cited=yes") == ["cited"]
    assert listed(superuser_client, "?identified=no") == ["bare"]
    assert listed(superuser_client, "?identified=doi") == ["bare", "uncited"]


def test_merged_sources_are_listed_only_when_asked_for(superuser_client):
    kept, merged = make_source("kept"), make_source("merged")
    merged.merge_into(kept)
    assert listed(superuser_client) == ["kept"]
    assert listed(superuser_client, "?merged=yes") == ["merged"]


def source_form(**fields):
    return {
        "key": "new2001",
        "kind": "article-journal",
        "title": "A new source",
        "authors-TOTAL_FORMS": 1,
        "authors-INITIAL_FORMS": 0,
        "authors-MIN_NUM_FORMS": 0,
        "authors-MAX_NUM_FORMS": 1000,
        "authors-0-family": "Tudur Smith",
        "authors-0-given": "C",
        "authors-0-role": "author",
        "authors-0-position": 1,
        **fields,
    }


def test_a_doi_already_in_the_library_is_a_form_error_linking_to_that_source(superuser_client):
    known = make_source("known", doi="10.1002/14651858.cd001769")
    response = superuser_client.post(
        reverse("admin:references_source_add"), source_form(doi="https://doi.org/10.1002/14651858.CD001769")
    )
    assert response.status_code == 200
    html = response.content.decode()
    url = reverse("admin:references_source_change", args=[known.pk])
    assert f'This is the same work as <a href="{url}">' in html
    assert Source.objects.count() == 1


def test_an_invalid_isbn_is_a_form_error(superuser_client):
    response = superuser_client.post(
        reverse("admin:references_source_add"), source_form(kind="book", isbn="978-0-19-852663-7")
    )
    assert response.status_code == 200 and "is not a valid ISBN" in response.content.decode()


def test_a_javascript_url_is_a_form_error(superuser_client):
    response = superuser_client.post(reverse("admin:references_source_add"), source_form(url="javascript:alert(1)"))
    assert response.status_code == 200 and Source.objects.count() == 0


def test_the_same_title_year_and_first_author_is_saved_with_a_warning_linking_to_the_other(superuser_client):
    known = make_source("tudursmith2001", title="Phenytoin versus valproate", year=2001, authors=[("Tudur Smith", "C")])
    response = superuser_client.post(
        reverse("admin:references_source_add"), source_form(title="PHENYTOIN VERSUS VALPROATE.", year=2001), follow=True
    )
    html = response.content.decode()
    assert "This looks like the same work as" in html
    assert reverse("admin:references_source_change", args=[known.pk]) in html
    new = Source.objects.get(key="new2001")
    assert new.reference.startswith("Tudur Smith C.")  # formatted once its authors were saved


def test_saving_a_source_formats_its_reference_in_the_configured_style(superuser_client):
    superuser_client.post(reverse("admin:references_source_add"), source_form(year=2001, container_title="Lancet"))
    source = Source.objects.get(key="new2001")
    assert source.reference_style == "nlm-citation-sequence"
    assert "A new source. Lancet. 2001" in source.reference
    assert Citation.objects.count() == 0

"""Sources out as BibTeX, RIS and CSL-JSON, and back in unchanged."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from references import csl
from references.importing import Import
from references.models import Author, Source
from tests.factories import make_article, make_section, make_source, make_user, publish

pytestmark = pytest.mark.django_db

FORMATS = ["bibtex", "ris", "csljson"]


@pytest.fixture
def library():
    """A journal article with every identifier, a chapter with editors, a corporate guideline."""
    article = make_source(
        "tudursmith2001",
        authors=[("Tudur Smith", "C"), ("Marson", "AG"), ("Williamson", "PR")],
        title="Phenytoin versus valproate monotherapy for partial onset seizures and generalized onset tonic-clonic seizures",
        container_title="Cochrane Database Syst Rev",
        year=2001,
        month=10,
        issue="4",
        pages="CD001769",
        doi="10.1002/14651858.CD001769",
        pmid="11687121",
        language="en",
    )
    chapter = make_source(
        "lance1980",
        kind="chapter",
        authors=[("Lance", "JW")],
        title="Symposium synopsis",
        container_title="Spasticity: disordered motor control",
        year=1980,
        pages="485-94",
        publisher="Year Book Medical Publishers",
        publisher_place="Chicago",
    )
    Author.objects.bulk_create(
        Author(source=chapter, position=10 + n, role=Author.Role.EDITOR, family=family, given=given)
        for n, (family, given) in enumerate([("Feldman", "RG"), ("Young", "RR"), ("Koella", "WP")])
    )
    guideline = make_source(
        "nice2022",
        kind="report",
        authors=[("National Institute for Health and Care Excellence", "")],
        title="Epilepsies in children, young people and adults",
        container_title="",
        year=2022,
        publisher="NICE",
        publisher_place="London",
        url="https://www.nice.org.uk/guidance/ng217",
    )
    return [article, chapter, guideline]


def records(sources):
    return {
        source.key: csl.fields(csl.item(source.record()))
        for source in Source.objects.filter(pk__in=[s.pk for s in sources]).prefetch_related("authors")
    }


@pytest.mark.parametrize("format", FORMATS)
def test_import_after_export_gives_back_the_same_records(library, format):
    before = records(library)
    out = io.StringIO()
    call_command("export_sources", "--format", format, stdout=out)
    Source.objects.all().delete()
    Import.parse(out.getvalue(), format).save()
    assert records(Source.objects.all()) == before


def test_the_command_writes_one_articles_sources_to_a_file(library, tmp_path):
    article = make_article(slug="clonus")
    make_section(article, "A claim [@lance1980].")
    path = tmp_path / "clonus.json"
    call_command(
        "export_sources", "--format", "csljson", "--article", "clonus", "--output", str(path), stderr=io.StringIO()
    )
    assert [item["id"] for item in json.loads(path.read_text())] == ["lance1980"]


def test_merged_sources_are_not_exported(library):
    library[0].merge_into(library[1])
    out = io.StringIO()
    call_command("export_sources", "--format", "csljson", stdout=out)
    assert {item["id"] for item in json.loads(out.getvalue())} == {"lance1980", "nice2022"}


def test_readers_download_a_live_articles_references_as_published(client, library):
    article = make_article(slug="clonus")
    make_section(article, "Claims [@nice2022] and [@tudursmith2001].")
    publish(article)
    Source.objects.filter(key="nice2022").update(title="Changed after publishing")
    response = client.get(reverse("articles:article-references", args=["clonus", "csljson"]))
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="clonus-references.json"'
    items = json.loads(response.content)
    assert [item["id"] for item in items] == ["nice2022", "tudursmith2001"]  # in the order of the reference list
    assert items[0]["title"] == "Epilepsies in children, young people and adults"
    bib = client.get(reverse("articles:article-references", args=["clonus", "bibtex"]))
    assert bib["Content-Type"].startswith("application/x-bibtex") and b"tudursmith2001" in bib.content
    ris = client.get(reverse("articles:article-references", args=["clonus", "ris"]))
    assert b"TY  - " in ris.content
    assert b"Download references" in client.get(article.get_absolute_url()).content


def test_a_drafts_references_are_not_found(client, library):
    article = make_article(slug="draft")
    make_section(article, "[@nice2022]")
    assert client.get(reverse("articles:article-references", args=["draft", "bibtex"])).status_code == 404
    publish(article)
    assert client.get(reverse("articles:article-references", args=["draft", "docx"])).status_code == 404


def test_the_admin_exports_selected_sources_the_library_and_an_articles_revision(client, library):
    client.force_login(make_user("Editors"))
    selected = client.post(
        reverse("admin:references_source_changelist"),
        {"action": "export_ris", "_selected_action": [library[0].pk]},
    )
    assert selected["Content-Disposition"] == 'attachment; filename="clonus-sources.ris"'
    assert selected.content.count(b"TY  - ") == 1
    whole = client.get(reverse("admin:references_source_export") + "?format=csljson")
    assert len(json.loads(whole.content)) == 3
    article = make_article(slug="clonus")
    make_section(article, "[@lance1980]")
    publish(article)
    revision = client.get(reverse("admin:articles_article_export", args=[article.pk]) + "?format=bibtex")
    assert revision["Content-Disposition"].endswith('-references.bib"') and b"lance1980" in revision.content

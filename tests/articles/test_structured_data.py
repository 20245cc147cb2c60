"""The schema.org JSON-LD of a live article page, read out of the served HTML and checked field by
field against the records."""

import json
from datetime import datetime

import pytest
from django.utils import timezone

from articles.models import Article, Topic
from references.models import Source
from tests.articles.test_metadata import Document
from tests.factories import make_article, make_section, make_source, make_user, publish, save_draft, sign_off

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


def json_ld(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    [script] = [s for s in Document(response.content.decode()).scripts if s["type"] == "application/ld+json"]
    return json.loads(script["text"])


def moment(value):
    """A JSON-LD date-time, checked to be ISO 8601 to the second."""
    parsed = datetime.fromisoformat(value)
    assert parsed.microsecond == 0 and parsed.tzinfo is not None and "." not in value
    return parsed


@pytest.fixture
def article():
    """A live, signed-off article on a topic, citing a journal article with a DOI and a PMID
    and a book with neither."""
    make_source(
        "elwes1985",
        title="Prognosis after a first untreated tonic-clonic seizure",
        authors=[("Elwes", "RDC"), ("Chesterman", "P"), ("Reynolds", "EH")],
        container_title="Lancet",
        year=1985,
        month=9,
        doi="10.1016/s0140-6736(85)90641-3",
        pmid="2864496",
    )
    make_source(
        "lance1980",
        kind="book",
        title="Spasticity: disordered motor control",
        authors=[("Lance", "JW")],
        container_title="",
        year=1980,
        publisher="Year Book Medical",
    )
    topic = Topic.objects.create(name="Neurology", slug="neurology")
    article = make_article(
        title="Clonus explained", summary="Rhythmic beats of a muscle.", byline="Clonus editorial team", topic=topic
    )
    make_section(article, "Beats [@lance1980]. Seizures [@elwes1985].")
    revision = save_draft(article)
    sign_off(revision, make_user("Medical reviewers", first_name="Ada", last_name="Lovelace"))
    publish(article)
    article.refresh_from_db()
    return article


def test_a_live_article_is_a_medical_web_page(client, article):
    data = json_ld(client, article)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalWebPage"
    assert data["headline"] == article.live_revision.title == "Clonus explained"
    assert data["description"] == article.live_revision.summary
    assert data["url"] == f"{SITE}{article.get_absolute_url()}"
    assert data["inLanguage"] == "en-GB"
    assert data["publisher"] == {"@type": "Organization", "name": "Clonus", "url": f"{SITE}/"}


def test_dates_are_first_publication_and_when_the_live_revision_went_live(client, article):
    data = json_ld(client, article)
    assert moment(data["datePublished"]) == article.published_at.replace(microsecond=0)
    assert moment(data["dateModified"]) == article.live_since.replace(microsecond=0)


def test_topic_is_what_the_page_is_about(client, article):
    assert json_ld(client, article)["about"] == {"@type": "MedicalCondition", "name": "Neurology"}


def test_byline_is_the_author(client, article):
    assert json_ld(client, article)["author"] == {"@type": "Organization", "name": "Clonus editorial team"}
    article.byline = "Dr Jane Smith"
    article.save()
    publish(article)
    assert json_ld(client, article)["author"] == {"@type": "Person", "name": "Dr Jane Smith"}


def test_sign_off_is_when_and_by_whom_it_was_last_reviewed(client, article):
    review = article.last_review(up_to=article.live_revision)
    data = json_ld(client, article)
    assert data["lastReviewed"] == review.reviewed_on.isoformat()
    assert data["reviewedBy"] == {"@type": "Person", "name": "Ada Lovelace"}


def test_an_unsigned_article_without_byline_topic_or_summary_has_none_of_them(client):
    article = make_article(title="Unreviewed")
    make_section(article, "A claim.")
    publish(article)
    data = json_ld(client, article)
    assert article.last_review() is None
    for absent in ("lastReviewed", "reviewedBy", "author", "about", "description"):
        assert absent not in data
    assert data["citation"] == []


def test_a_sign_off_of_a_later_draft_is_not_the_live_revisions(client):
    article = make_article()
    make_section(article, "A claim.")
    publish(article)
    sign_off(save_draft(article, title="Changed"))
    assert "lastReviewed" not in json_ld(client, article)


def test_citations_follow_the_reference_list(client, article):
    citations = json_ld(client, article)["citation"]
    numbered = [reference.source.key for reference in article.live_revision.page().references]
    assert numbered == ["lance1980", "elwes1985"]
    assert [c["name"] for c in citations] == [
        "Spasticity: disordered motor control",
        "Prognosis after a first untreated tonic-clonic seizure",
    ]


def test_a_journal_article_citation_with_its_doi_and_pmid(client, article):
    journal = json_ld(client, article)["citation"][1]
    assert journal == {
        "@type": "ScholarlyArticle",
        "name": "Prognosis after a first untreated tonic-clonic seizure",
        "author": [
            {"@type": "Person", "name": "RDC Elwes", "familyName": "Elwes", "givenName": "RDC"},
            {"@type": "Person", "name": "P Chesterman", "familyName": "Chesterman", "givenName": "P"},
            {"@type": "Person", "name": "EH Reynolds", "familyName": "Reynolds", "givenName": "EH"},
        ],
        "datePublished": "1985-09",
        "isPartOf": {"@type": "Periodical", "name": "Lancet"},
        "url": "https://doi.org/10.1016/s0140-6736(85)90641-3",
        "sameAs": ["https://pubmed.ncbi.nlm.nih.gov/2864496/"],
        "identifier": [
            {"@type": "PropertyValue", "propertyID": "DOI", "value": "10.1016/s0140-6736(85)90641-3"},
            {"@type": "PropertyValue", "propertyID": "PMID", "value": "2864496"},
        ],
    }


def test_a_book_citation_without_identifiers(client, article):
    book = json_ld(client, article)["citation"][0]
    assert book == {
        "@type": "Book",
        "name": "Spasticity: disordered motor control",
        "author": [{"@type": "Person", "name": "JW Lance", "familyName": "Lance", "givenName": "JW"}],
        "datePublished": "1980",
        "publisher": {"@type": "Organization", "name": "Year Book Medical"},
    }


def test_an_organisation_author_of_a_source(client):
    make_source("nice2012", kind="report", title="Epilepsies", authors=[("National Institute for Health", "")])
    article = make_article()
    make_section(article, "[@nice2012]")
    publish(article)
    [report] = json_ld(client, article)["citation"]
    assert report["@type"] == "Report"
    assert report["author"] == [{"@type": "Organization", "name": "National Institute for Health"}]


def test_citations_are_the_sources_as_published(client, article):
    Source.objects.filter(key="elwes1985").update(title="Corrected later")
    assert json_ld(client, article)["citation"][1]["name"] == "Prognosis after a first untreated tonic-clonic seizure"


def test_the_live_revision_not_the_draft(client, article):
    save_draft(article, title="Draft title", summary="Draft summary", topic=None, byline="")
    data = json_ld(client, article)
    assert (data["headline"], data["description"]) == ("Clonus explained", "Rhythmic beats of a muscle.")
    assert data["about"]["name"] == "Neurology" and data["author"]["name"] == "Clonus editorial team"


def test_a_title_closing_the_script_stays_inside_it(client):
    title = 'Beats</script><script>alert("x")</script> & <!-- more'
    article = make_article(title=title, summary="</SCRIPT> too")
    make_section(article, "A claim.")
    publish(article)
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert "</script><script>alert" not in html
    data = json_ld(client, article)
    assert data["headline"] == title and data["description"] == "</SCRIPT> too"
    [script] = [s for s in Document(html).scripts if s["type"] == "application/ld+json"]
    assert "<" not in script["text"] and ">" not in script["text"] and "&" not in script["text"]


def test_expired_and_draft_articles_have_no_page_to_describe(client):
    article = make_article()
    assert client.get(article.get_absolute_url()).status_code == 404
    publish(article)
    Article.objects.filter(pk=article.pk).update(expire_at=timezone.now())
    assert client.get(article.get_absolute_url()).status_code == 404

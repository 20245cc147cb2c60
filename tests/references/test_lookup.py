"""“Fill from DOI/PMID”: Crossref and PubMed answers as source fields, and the admin's look-up.

The answers come from a fake of both services (tests/fakes/remote_api.py) replaying recordings in
their real formats, over real HTTP: the client under test is never patched.
"""

import time

import pytest
from django.urls import reverse
from urllib3.util import Timeout

from references import csl, lookup
from tests.conftest import CONTACT_EMAIL
from tests.factories import make_source, make_user

TUDUR_SMITH_DOI = "10.1002/14651858.CD001769"
HABER_DOI = "10.1097/00000539-200112000-00040"
TUDUR_SMITH_TITLE = (
    "Phenytoin versus valproate monotherapy for partial onset seizures and generalized onset tonic-clonic seizures"
)
OBJECTIVES = (
    "To review the best evidence comparing phenytoin and valproate when used as monotherapy in patients "
    "with partial onset seizures or generalized onset tonic-clonic seizures."
)


# What each recorded answer fills


def test_a_crossref_work_gives_the_fields_of_a_journal_article(remote_api):
    assert csl.fields(lookup.crossref(TUDUR_SMITH_DOI)) == (
        {
            "kind": "article-journal",
            "title": TUDUR_SMITH_TITLE,
            "container_title": "Cochrane Database of Systematic Reviews",  # Crossref has no abbreviation here
            "year": 2001,
            "pages": "CD001769",  # Crossref's article number
            "publisher": "Wiley",
            "doi": "10.1002/14651858.cd001769",
            "language": "en",
            "abstract": f"Objectives: {OBJECTIVES}",  # JATS, as plain text
        },
        [["Tudur Smith", "Catrin"], ["Marson", "Anthony G"], ["Williamson", "Paula R"]],
        [],
    )


def test_a_crossref_work_gives_the_journal_abbreviation_and_the_print_issue_date(remote_api):
    values, authors, editors = csl.fields(lookup.crossref(f"https://doi.org/{HABER_DOI}"))
    assert values == {
        "kind": "article-journal",
        "title": "Generalized tonic-clonic activity after remifentanil administration",
        "container_title": "Anesth Analg",  # "Anesth. Analg.", as NLM writes it
        "year": 2001,
        "month": 12,
        "volume": "93",
        "issue": "6",
        "publisher": "Ovid Technologies (Wolters Kluwer Health)",
        "doi": HABER_DOI,
    }
    assert authors == [["Haber", "G. W."], ["Litman", "R. S."]]


def test_a_pubmed_article_gives_nlm_s_abbreviation_and_the_pmid(remote_api):
    assert csl.fields(lookup.pubmed("11687121")) == (
        {
            "kind": "article-journal",
            "title": TUDUR_SMITH_TITLE,  # without PubMed's full stop
            "container_title": "Cochrane Database Syst Rev",
            "year": 2001,
            "issue": "4",
            "pages": "CD001769",
            "doi": TUDUR_SMITH_DOI,
            "pmid": "11687121",
            "language": "en",
            "abstract": f"OBJECTIVES: {OBJECTIVES}",
        },
        [["Tudur Smith", "C"], ["Marson", "AG"], ["Williamson", "PR"]],  # initials, not "A G"
        [],
    )


def test_a_pubmed_article_gives_the_full_date_and_given_names(remote_api):
    values, authors, _ = csl.fields(lookup.pubmed("PMID: 15784664"))
    assert values == {
        "kind": "article-journal",
        "title": "The serotonin syndrome",
        "container_title": "N Engl J Med",
        "year": 2005,
        "month": 3,
        "day": 17,
        "volume": "352",
        "issue": "11",
        "pages": "1112-20",
        "doi": "10.1056/NEJMra041867",
        "pmid": "15784664",
        "language": "en",
    }
    assert authors == [["Boyer", "Edward W"], ["Shannon", "Michael"]]


# How the services are asked


def test_the_look_ups_say_who_asks_and_how_to_reach_them(remote_api):
    lookup.crossref(HABER_DOI)
    lookup.pubmed("15784664")
    crossref, pubmed = remote_api.requests()
    assert crossref["path"] == f"/crossref/works/{HABER_DOI}"
    assert crossref["headers"]["User-Agent"] == f"Clonus/1.0 (+mailto:{CONTACT_EMAIL})"
    assert pubmed["path"] == "/pubmed/efetch.fcgi"
    assert pubmed["query"] == {
        "db": ["pubmed"],
        "id": ["15784664"],
        "retmode": ["xml"],
        "tool": ["clonus"],
        "email": [CONTACT_EMAIL],
    }
    assert pubmed["headers"]["User-Agent"] == crossref["headers"]["User-Agent"]


def test_without_a_contact_address_the_user_agent_names_clonus_alone(remote_api, settings):
    settings.CLONUS_CONTACT_EMAIL = ""
    lookup.crossref(HABER_DOI)
    assert remote_api.requests()[0]["headers"]["User-Agent"] == "Clonus/1.0"


def test_a_doi_crossref_does_not_know_is_not_found(remote_api):
    with pytest.raises(lookup.NotFound, match=r"^Crossref has no record of the DOI 10\.1000/nothing-here\.$"):
        lookup.crossref("10.1000/NOTHING-HERE")


def test_a_pmid_pubmed_does_not_know_is_not_found(remote_api):
    # NCBI answers 200 with an empty <PubmedArticleSet>.
    with pytest.raises(lookup.NotFound, match=r"^PubMed has no article with the PMID 999999999\.$"):
        lookup.pubmed("999999999")


@pytest.mark.parametrize(
    "look_up, service", [(lambda: lookup.crossref(HABER_DOI), "Crossref"), (lambda: lookup.pubmed("1"), "PubMed")]
)
def test_without_network_the_editor_is_told_plainly(no_network, look_up, service):
    with pytest.raises(lookup.Unreachable) as error:
        look_up()
    assert str(error.value) == f"{service} could not be reached (no network?); nothing was changed."


def test_a_slow_service_is_given_up_on_after_the_timeout_without_asking_again(remote_api):
    remote_api.mode("slow", seconds=3)
    impatient = lookup.Service("Crossref", "CLONUS_CROSSREF_API", timeout=Timeout(connect=1, read=0.5))
    started = time.monotonic()
    with pytest.raises(lookup.Unreachable, match="^Crossref did not answer within 0.5 seconds; try again in a minute"):
        lookup.crossref(HABER_DOI, service=impatient)
    assert time.monotonic() - started < 2
    assert len(remote_api.requests()) == 1


def test_the_default_timeouts_keep_an_editor_waiting_seconds_not_minutes():
    assert lookup.TIMEOUT.connect_timeout <= 3 and lookup.TIMEOUT.read_timeout <= 5
    assert lookup.RETRIES.total <= 2 and lookup.MAX_RETRY_AFTER <= 2


def test_a_server_error_is_asked_again_once(remote_api):
    remote_api.mode("failing", status=503, times=1)
    assert lookup.crossref(HABER_DOI)["volume"] == "93"
    assert len(remote_api.requests()) == 2


def test_a_rate_limit_is_waited_out_as_retry_after_says(remote_api):
    remote_api.mode("failing", status=429, times=1, retry_after="1")
    started = time.monotonic()
    assert lookup.pubmed("15784664")["PMID"] == "15784664"
    assert time.monotonic() - started >= 1
    assert len(remote_api.requests()) == 2


def test_a_service_asking_for_a_long_wait_is_not_asked_again(remote_api):
    remote_api.mode("failing", status=429, times=1, retry_after="120")
    with pytest.raises(lookup.Unreachable, match=r"^PubMed is busy or down \(it answered 429\); try again in a few"):
        lookup.pubmed("15784664")
    assert len(remote_api.requests()) == 1


def test_a_service_still_failing_after_the_retry_is_reported_busy(remote_api):
    remote_api.mode("failing", status=502, times=5)
    with pytest.raises(lookup.Unreachable, match=r"^Crossref is busy or down \(it answered 502\)"):
        lookup.crossref(HABER_DOI)
    assert len(remote_api.requests()) == 2


@pytest.mark.parametrize(
    "look_up, message",
    [
        (lambda: lookup.crossref(HABER_DOI), "Crossref answered with something that is not JSON, not a record"),
        (lambda: lookup.pubmed("15784664"), "PubMed answered with <html>, not a record"),
    ],
)
def test_an_answer_that_is_not_a_record_is_a_bad_answer(remote_api, look_up, message):
    remote_api.mode("garbage")  # a maintenance page, with status 200
    with pytest.raises(lookup.BadAnswer, match=f"^{message}; nothing was changed.$"):
        look_up()


# Crossref's other shapes


def test_a_book_chapter_has_its_book_editors_and_organisations():
    work = {
        "type": "book-chapter",
        "title": ["Symposium synopsis"],
        "subtitle": ["<i>clonus</i> &amp; spasticity"],
        "container-title": ["Spasticity: disordered motor control"],
        "author": [{"given": "James W.", "family": "Lance"}, {"name": "Spasticity Study Group"}],
        "editor": [{"given": "R. G.", "family": "Feldman"}],
        "page": "485-494",
        "publisher": "Year Book Medical Publishers",
        "publisher-location": "Chicago",
        "ISBN": ["9780815132257", "0815132255"],
        "issued": {"date-parts": [[1980, None]]},
    }
    values, authors, editors = csl.fields(lookup.work_item(work))
    assert values == {
        "kind": "chapter",
        "title": "Symposium synopsis: clonus & spasticity",
        "container_title": "Spasticity: disordered motor control",
        "pages": "485-94",
        "publisher": "Year Book Medical Publishers",
        "publisher_place": "Chicago",
        "isbn": "9780815132257",
        "year": 1980,
    }
    assert authors == [["Lance", "James W."], ["Spasticity Study Group", ""]]
    assert editors == [["Feldman", "R. G."]]


@pytest.mark.parametrize(
    "crossref_type, kind",
    [
        ("journal-article", "article-journal"),
        ("book-chapter", "chapter"),
        ("book", "book"),
        ("edited-book", "book"),
        ("report", "report"),
        ("posted-content", "article-journal"),  # a preprint
        ("proceedings-article", "paper-conference"),
        ("dissertation", "thesis"),
        ("peer-review", "article-journal"),
        ("component", "report"),  # anything else: the least specific kind
    ],
)
def test_crossref_types_become_source_kinds(crossref_type, kind):
    work = {"type": crossref_type, "title": ["A title"]}
    assert csl.fields(lookup.work_item(work))[0]["kind"] == kind


def test_a_book_has_no_container_and_a_doi_link_is_no_url():
    work = {"type": "book", "title": ["T"], "container-title": ["A series"], "URL": "http://dx.doi.org/10.1/x"}
    assert csl.fields(lookup.work_item(work))[0] == {"kind": "book", "title": "T"}


@pytest.mark.parametrize(
    "pages, nlm",
    [("1532-1533", "1532-3"), ("123-145", "123-45"), ("98-102", "98-102"), ("752-753", "752-3"), ("e33693", "e33693")],
)
def test_page_ranges_are_shortened_as_citing_medicine_does(pages, nlm):
    assert lookup.nlm_pages(pages) == nlm


# PubMed's other shapes


def efetch_fields(xml):
    return csl.fields(lookup.efetch_item(f"<PubmedArticleSet>{xml}</PubmedArticleSet>".encode()))


def test_a_pubmed_article_with_a_group_author_and_a_medline_date():
    values, authors, _ = efetch_fields("""<PubmedArticle><MedlineCitation><PMID Version="1">12345</PMID>
        <Article><Journal><JournalIssue><Volume>7</Volume><PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate>
        </PubDate></JournalIssue><Title>Revue neurologique</Title><ISOAbbreviation>Rev. Neurol. (Paris)</ISOAbbreviation>
        </Journal><ArticleTitle>[Clonus of the <i>ankle</i>].</ArticleTitle>
        <ELocationID EIdType="doi" ValidYN="Y">10.1000/RN.1</ELocationID>
        <AuthorList><Author ValidYN="Y"><LastName>Dupont</LastName><ForeName>J-P</ForeName><Initials>JP</Initials></Author>
        <Author ValidYN="Y"><CollectiveName>Groupe d'étude du clonus</CollectiveName></Author>
        <Author ValidYN="N"><LastName>Wrong</LastName></Author></AuthorList>
        <Language>fre</Language><PublicationTypeList><PublicationType>Congress</PublicationType></PublicationTypeList>
        </Article></MedlineCitation><PubmedData><ArticleIdList><ArticleId IdType="pmc">PMC42</ArticleId>
        </ArticleIdList></PubmedData></PubmedArticle>""")
    assert values == {
        "kind": "paper-conference",
        "title": "[Clonus of the ankle]",  # a translated title keeps its brackets
        "container_title": "Rev Neurol (Paris)",
        "year": 1998,
        "month": 12,
        "volume": "7",
        "doi": "10.1000/RN.1",
        "pmid": "12345",
        "pmcid": "PMC42",
        "language": "fr",
    }
    assert authors == [["Dupont", "J-P"], ["Groupe d'étude du clonus", ""]]


def test_a_chapter_on_the_ncbi_bookshelf_has_its_book_editors_and_link():
    values, authors, editors = efetch_fields("""<PubmedBookArticle><BookDocument><PMID Version="1">20301295</PMID>
        <ArticleIdList><ArticleId IdType="bookaccession">NBK1116</ArticleId></ArticleIdList>
        <Book><Publisher><PublisherName>University of Washington, Seattle</PublisherName>
        <PublisherLocation>Seattle (WA)</PublisherLocation></Publisher><BookTitle book="gene">GeneReviews<sup>®</sup></BookTitle>
        <PubDate><Year>1993</Year></PubDate><AuthorList Type="editors"><Author><LastName>Adam</LastName>
        <ForeName>Margaret P</ForeName><Initials>MP</Initials></Author></AuthorList></Book>
        <ArticleTitle book="gene" part="example">An example chapter</ArticleTitle><Language>eng</Language>
        <AuthorList Type="authors"><Author><LastName>Smith</LastName><ForeName>Jane</ForeName></Author></AuthorList>
        </BookDocument></PubmedBookArticle>""")
    assert values == {
        "kind": "chapter",
        "title": "An example chapter",
        "container_title": "GeneReviews®",
        "publisher": "University of Washington, Seattle",
        "publisher_place": "Seattle (WA)",
        "pmid": "20301295",
        "url": "https://www.ncbi.nlm.nih.gov/books/NBK1116/",
        "language": "en",
        "year": 1993,
    }
    assert (authors, editors) == ([["Smith", "Jane"]], [["Adam", "Margaret P"]])


@pytest.mark.parametrize(
    "xml, message",
    [
        ("<eFetchResult><ERROR>Empty id list - nothing todo</ERROR></eFetchResult>", "<eFetchResult>"),
        ("<PubmedArticleSet><PubmedArticle/></PubmedArticleSet>", "a <PubmedArticle> without MedlineCitation/"),
        # defusedxml refuses entities unread (billion laughs and the like)
        ('<!DOCTYPE x [<!ENTITY a "aaaa">]><PubmedArticleSet>&a;</PubmedArticleSet>', "something that is not XML"),
    ],
)
def test_efetch_answers_that_are_no_article_are_bad_answers(xml, message):
    with pytest.raises(lookup.BadAnswer, match=f"^PubMed answered with {message}"):
        lookup.efetch_item(xml.encode())


# The admin's look-up


def lookup_url(**query):
    return reverse("admin:references_source_lookup", query=query)


@pytest.mark.django_db
def test_an_editor_gets_the_fields_the_authors_and_a_citation_key(staff_client, remote_api):
    response = staff_client.get(lookup_url(doi=f"doi:{HABER_DOI}"))
    assert response.status_code == 200
    assert response.json() == {
        "service": "Crossref",
        "fields": {
            "kind": "article-journal",
            "title": "Generalized tonic-clonic activity after remifentanil administration",
            "container_title": "Anesth Analg",
            "year": 2001,
            "month": 12,
            "volume": "93",
            "issue": "6",
            "publisher": "Ovid Technologies (Wolters Kluwer Health)",
            "doi": HABER_DOI,
        },
        "authors": [["Haber", "G. W."], ["Litman", "R. S."]],
        "editors": [],
        "key": "haber2001",
    }


@pytest.mark.django_db
def test_a_pmid_is_looked_up_in_pubmed_and_its_identifiers_are_stored_spelling(staff_client, remote_api):
    answer = staff_client.get(lookup_url(pmid="11687121", doi="10.1/ignored-when-a-pmid-is-given")).json()
    assert answer["service"] == "PubMed"
    assert (answer["fields"]["doi"], answer["fields"]["pmid"]) == ("10.1002/14651858.cd001769", "11687121")
    assert answer["key"] == "tudursmith2001"


@pytest.mark.django_db
def test_a_key_already_taken_is_suggested_with_a_letter(staff_client, remote_api):
    make_source(key="haber2001")
    make_source(key="haber2001a")
    assert staff_client.get(lookup_url(doi=HABER_DOI)).json()["key"] == "haber2001b"


@pytest.mark.django_db
def test_a_source_with_that_doi_already_is_named_with_its_link_and_nobody_is_asked(staff_client, remote_api):
    source = make_source(key="haber2001", doi=HABER_DOI)
    response = staff_client.get(lookup_url(doi=HABER_DOI.upper()))
    assert response.status_code == 409
    assert response.json() == {
        "error": "The source “haber2001” already has this DOI: edit that one rather than adding it twice.",
        "duplicate": {
            "key": "haber2001",
            "title": source.title,
            "url": reverse("admin:references_source_change", args=[source.pk]),
        },
    }
    assert remote_api.requests() == []


@pytest.mark.django_db
def test_the_source_being_edited_is_no_duplicate_of_itself(staff_client, remote_api):
    source = make_source(key="haber2001", doi=HABER_DOI)
    assert staff_client.get(lookup_url(doi=HABER_DOI, source=source.pk)).status_code == 200


@pytest.mark.django_db
def test_the_doi_pubmed_gives_is_checked_for_duplicates_too(staff_client, remote_api):
    make_source(key="tudursmith2001", doi=TUDUR_SMITH_DOI)
    response = staff_client.get(lookup_url(pmid="11687121"))
    assert response.status_code == 409
    assert response.json()["error"].startswith("The source “tudursmith2001” already has this DOI")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, message",
    [
        ({}, "Type a DOI or a PMID first."),
        ({"doi": "11687121"}, "“11687121” is not a DOI"),
        ({"pmid": "10.1002/x"}, "“10.1002/x” is not a PubMed ID"),
    ],
)
def test_what_cannot_be_a_doi_or_pmid_is_refused_with_the_reason(staff_client, remote_api, query, message):
    response = staff_client.get(lookup_url(**query))
    assert response.status_code == 400
    assert response.json()["error"].startswith(message)
    assert remote_api.requests() == []


@pytest.mark.django_db
def test_failures_answer_with_the_editor_s_sentence_and_a_status(staff_client, remote_api, no_network):
    response = staff_client.get(lookup_url(doi=HABER_DOI))
    assert response.status_code == 503
    assert response.json() == {"error": "Crossref could not be reached (no network?); nothing was changed."}


@pytest.mark.django_db
def test_an_unknown_doi_is_a_404_with_a_sentence(staff_client, remote_api):
    response = staff_client.get(lookup_url(doi="10.1000/nothing-here"))
    assert (response.status_code, response.json()) == (
        404,
        {"error": "Crossref has no record of the DOI 10.1000/nothing-here."},
    )


@pytest.mark.django_db
def test_a_bad_answer_is_a_502(staff_client, remote_api):
    remote_api.mode("garbage")
    assert staff_client.get(lookup_url(pmid="15784664")).status_code == 502


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client, remote_api):
    response = client.get(lookup_url(doi=HABER_DOI))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert remote_api.requests() == []


@pytest.mark.django_db
@pytest.mark.parametrize("roles", [("Medical reviewers",), ()])
def test_staff_who_may_not_add_or_change_sources_are_refused(client, remote_api, roles):
    client.force_login(make_user(*roles, staff=True))
    assert client.get(lookup_url(doi=HABER_DOI)).status_code == 403
    assert remote_api.requests() == []


@pytest.mark.django_db
def test_the_source_form_loads_the_script_with_the_look_up_s_address(superuser_client):
    page = superuser_client.get(reverse("admin:references_source_add")).content.decode()
    assert "references/admin/fill-from-identifier.js" in page
    assert f'data-lookup-url="{reverse("admin:references_source_lookup")}"' in page


@pytest.mark.django_db
def test_a_reader_of_sources_gets_no_button(client):
    client.force_login(make_user("Medical reviewers"))
    source = make_source()
    page = client.get(reverse("admin:references_source_change", args=[source.pk])).content.decode()
    assert "fill-from-identifier.js" not in page

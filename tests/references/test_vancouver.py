import datetime

import pytest

from references.models import Source
from references.vancouver import author_list, initials
from tests.factories import make_source

pytestmark = pytest.mark.django_db


def test_journal_article_in_nlm_style_with_doi_and_pubmed_links():
    source = make_source(
        "elwes1985",
        authors=[("Elwes", "RDC"), ("Chesterman", "P"), ("Reynolds", "EH")],
        title="Prognosis after a first untreated tonic-clonic seizure",
        container_title="Lancet",
        year=1985,
        volume="2",
        issue="8458",
        pages="752-3",
        doi="10.1016/S0140-6736(85)90641-3",
        pmid="2864496",
    )
    assert source.vancouver() == (
        "Elwes RDC, Chesterman P, Reynolds EH. Prognosis after a first untreated tonic-clonic "
        "seizure. Lancet. 1985;2(8458):752-3. "
        'doi:<a href="https://doi.org/10.1016/S0140-6736(85)90641-3">10.1016/S0140-6736(85)90641-3</a> '
        'PMID: <a href="https://pubmed.ncbi.nlm.nih.gov/2864496/">2864496</a>'
    )


def test_more_than_six_authors_are_cut_to_six_and_et_al():
    source = make_source("many", authors=[(f"Author{n}", "A") for n in range(8)])
    assert author_list(source.authors.all()).endswith("Author5 A, et al")


def test_given_names_become_initials():
    assert initials("Richard D. C.") == "RDC"
    assert initials("EH") == "EH"
    assert initials("") == ""


def test_title_ending_in_a_question_mark_gets_no_extra_full_stop():
    source = make_source("q", title="Is clonus a seizure?", container_title="BMJ", year=2020)
    assert "Is clonus a seizure? BMJ. 2020." in source.vancouver()


def test_web_page_shows_internet_medium_cited_date_and_link():
    source = make_source(
        "nice",
        authors=[("National Institute for Health and Care Excellence", "")],
        kind=Source.Kind.WEBPAGE,
        title="Spasticity in under 19s: management",
        container_title="",
        publisher="London: NICE",
        year=2012,
        url="https://www.nice.org.uk/guidance/cg145",
        accessed=datetime.date(2026, 1, 5),
    )
    assert source.vancouver() == (
        "National Institute for Health and Care Excellence. Spasticity in under 19s: management "
        "[Internet]. London: NICE; 2012 [cited 2026 Jan 5]. Available from: "
        '<a href="https://www.nice.org.uk/guidance/cg145">https://www.nice.org.uk/guidance/cg145</a>'
    )


def test_chapter_names_the_book_and_pages():
    source = make_source(
        "lance1980",
        authors=[("Lance", "JW")],
        kind=Source.Kind.CHAPTER,
        title="Symposium synopsis",
        container_title="Spasticity: disordered motor control",
        publisher="Chicago: Year Book Medical Publishers",
        year=1980,
        pages="485-94",
    )
    assert source.vancouver() == (
        "Lance JW. Symposium synopsis. In: Spasticity: disordered motor control. "
        "Chicago: Year Book Medical Publishers; 1980. p. 485-94."
    )


def test_markup_in_bibliographic_fields_is_escaped():
    source = make_source("x", title="<script>alert(1)</script>", container_title="A & B")
    html = source.vancouver()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html and "A &amp; B" in html


def test_incomplete_author_list_ends_with_et_al():
    source = make_source("smith2001", authors=[("Smith", "CT"), ("Marson", "AG")], authors_incomplete=True)
    assert source.vancouver().startswith("Smith CT, Marson AG, et al. ")

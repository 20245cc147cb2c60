"""Bibliographic files in and out (``references.formats``).

The files in ``data/`` have the shapes the tools write: Zotero's BibTeX, RIS and CSL-JSON exports,
EndNote's RIS, PubMed's "Send to: Citation manager" (.nbib), a hand-kept biblatex file, and Google
Scholar lines. Real works in them are the demo article's sources (``articles/demo.py``), with only
the facts given there; every other record is made up for the test and says so ("test-only"), with
identifiers no real work has (DOI prefix 10.5555, nine-digit PMIDs).
"""

import codecs
import datetime
import time
from pathlib import Path

import pytest
import rispy
from django.conf import settings
from django.test import override_settings

from articles.demo import SOURCES
from references import csl, formats
from references.formats import common, ris
from references.formats.bibtex import decode

DATA = Path(__file__).parent / "data"
MB = 1024 * 1024
ACCESSED = datetime.date(2024, 3, 1)


def read(name):
    return formats.read((DATA / name).read_bytes())


def parsed(name):
    text = read(name)
    return formats.parse(text, formats.guess(text))


def fields(entry):
    """What a Source would be made of, or the record's error."""
    return csl.fields(entry.item) if entry.item else entry.error


def source(authors=(), editors=(), **values):
    """What ``csl.fields()`` gives: ``(values, authors, editors)``."""
    return values, [list(name) for name in authors], [list(name) for name in editors]


def demo(key, **changes):
    """A demo source as ``csl.fields()`` gives it, without its key (files have their own)."""
    record = next(dict(record) for record in SOURCES if record["key"] == key)
    values, authors, editors = csl.fields(csl.item(record | changes))
    del values["key"]
    return values, authors, editors


TEST_ARTICLE = {
    "kind": "article-journal",
    "title": "A test-only article with every identifier & a full date",
    "container_title": "Test J Clonus",
    "volume": "12",
    "issue": "3",
    "pages": "101-9",
    "doi": "10.5555/clonus.test.1999",
    "year": 1999,
    "month": 10,
}


# Reading each format.


def test_zotero_bibtex_export():
    assert [fields(entry) for entry in parsed("zotero.bib")] == [
        source(
            kind="article-journal",
            title="Amyotrophic lateral sclerosis",
            container_title="Lancet",
            volume="377",
            issue="9769",
            pages="942-55",
            doi="10.1016/S0140-6736(10)61156-7",
            pmid="21296405",
            year=2011,
            key="kiernan_amyotrophic_2011",
            authors=[
                ("Kiernan", "M. C."),
                ("Vucic", "S."),
                ("Cheah", "B. C."),
                ("Turner", "M. R."),
                ("Eisen", "A."),
                ("Hardiman", "O."),
                ("Burrell", "J. R."),
                ("Zoing", "M. C."),
            ],
        ),
        source(
            kind="article-journal",
            # Zotero braces capitalised words; they are not part of the title.
            title=(
                "Operational classification of seizure types by the International League Against Epilepsy: "
                "Position Paper of the ILAE Commission for Classification and Terminology"
            ),
            container_title="Epilepsia",
            volume="58",
            issue="4",
            pages="522-30",
            doi="10.1111/epi.13670",
            year=2017,
            key="fisher_operational_2017",
            authors=[
                ("Fisher", "R. S."),
                ("Cross", "J. H."),
                ("French", "J. A."),
                ("Higurashi", "N."),
                ("Hirsch", "E."),
                ("Jansen", "F. E."),
                ("Lagae", "L."),
                ("Moshé", "S. L."),
                ("Peltola", "J."),
                ("Roulet Perez", "E."),
                ("Scheffer", "I. E."),
                ("Zuberi", "S. M."),
            ],
        ),
        source(
            kind="article-journal",
            title=(
                "Critical evaluation of four different seizure detection systems tested on one patient "
                "with focal and generalized tonic and clonic seizures"
            ),
            container_title="Epilepsy Behav",
            year=2014,
            key="van_de_vel_critical_2014",
            authors=[("Van de Vel", "A."), ("Verhaert", "K."), ("Ceulemans", "B.")],
        ),
        source(
            kind="chapter",
            title="Symposium synopsis",
            container_title="Spasticity: disordered motor control",
            pages="485-94",
            publisher="Year Book Medical Publishers",
            publisher_place="Chicago",
            year=1980,
            key="lance_symposium_1980",
            authors=[("Lance", "J. W.")],
        ),
        source(
            kind="report",
            title="Spasticity in under 19s: management (NICE clinical guideline CG145)",
            publisher="NICE",
            publisher_place="London",
            url="https://www.nice.org.uk/guidance/cg145",
            year=2012,
            accessed=ACCESSED,
            key="national_institute_for_health_and_care_excellence_spasticity_2012",
            authors=[("National Institute for Health and Care Excellence", "")],
        ),
        source(
            **TEST_ARTICLE,
            pmid="999999001",
            pmcid="PMC999999001",
            url="https://example.org/test-only/1999/101",
            abstract="A test-only abstract, 50% shorter than most.",
            language="en",
            accessed=ACCESSED,
            key="testwoman_test-only_1999",
            authors=[("Testwoman", "Ada"), ("Testman", "Bo")],
        ),
    ]


def test_an_organisation_in_braces_is_a_literal_name():
    report = parsed("zotero.bib")[4].item
    assert report["author"] == [{"literal": "National Institute for Health and Care Excellence"}]


def test_hand_kept_biblatex_with_macros_latex_accents_and_others():
    entries = parsed("handmade.bib")
    assert [fields(entry) for entry in entries] == [
        source(
            kind="article-journal",
            title="Spasticity after stroke: physiology, assessment and treatment",
            container_title="Brain Inj",  # From @string{brinj = …}.
            doi="10.3109/02699052.2013.804202",
            year=2013,
            key="thibaut2013",
            authors_incomplete=True,  # "and others".
            authors=[("Thibaut", "A."), ("Chatelle", "C."), ("Ziegler", "E.")],
        ),
        source(
            kind="article-journal",
            title=(
                "Operational classification of seizure types by the International League Against Epilepsy: "
                "Position Paper of the ILAE Commission for Classification and Terminology"
            ),
            container_title="Epilepsia",
            volume="58",
            issue="4",
            pages="522-530",
            year=2017,
            key="Fisher2017",
            authors=[
                ("Fisher", "R. S."),
                ("Cross", "J. H."),
                ("French", "J. A."),
                ("Higurashi", "N."),
                ("Hirsch", "E."),
                ("Jansen", "F. E."),
                ("Lagae", "L."),
                ("Moshé", "S. L."),  # Mosh{\'e}
                ("Peltola", "J."),
                ("Roulet Perez", "E."),
                ("Scheffer", "I. E."),
                ("Zuberi", "S. M."),
            ],
        ),
        source(
            kind="article-journal",
            title="A test-only title with über, ça, Straße, naïve and tonic–clonic",
            container_title="Test J Clonus",  # shortjournal, before journaltitle
            pages="101-109",
            pmid="999999001",  # eprinttype = {pubmed}
            pmcid="PMC999999001",  # from the note
            language="en",  # langid = {english}
            year=1999,
            month=10,
            day=5,  # date = {1999-10-05}
            key="testonly1999",
            authors=[("Müller", "Test"), ("Østergaard", "Tést"), ("World Health Organization", "")],
        ),
        source(
            kind="chapter",
            title="A test-only chapter",
            container_title="A Test-Only Book of Chapters",
            pages="1-10",
            publisher="Test Press",
            publisher_place="Oxford",
            isbn="978-0-00-000000-2",
            year=2001,
            month=6,
            key="testchapter2001",
            authors=[("Chapterson", "Cy")],
            editors=[("Editor", "Ann"), ("van Editorsen", "Ben")],
        ),
        source(
            kind="book",
            title="A test-only book",
            publisher="Test Press",
            publisher_place="Oxford",
            isbn="9780000000002",
            year=2002,
            key="testbook2002",
            authors=[("Bookman", "Di")],
        ),
        source(
            kind="webpage",  # @misc with a link (in howpublished = {\url{…}})
            title="A test-only web page",
            url="https://example.org/test-only-page",
            year=2023,
            accessed=ACCESSED,
            key="testpage2024",
            authors=[("Test Foundation", "")],
        ),
        source(
            kind="thesis",
            title="A test-only thesis",
            publisher="Test University",
            year=2020,
            key="testthesis2020",
            authors=[("Thesiswriter", "Ty")],
        ),
        source(
            kind="paper-conference",
            title="A test-only conference paper",
            container_title="Proceedings of the Test-Only Conference",
            pages="11-12",
            year=2019,
            key="testpaper2019",
            authors=[("Presenter", "Pat")],
        ),
    ]
    assert [entry.line for entry in entries] == [8, 16, 26, 39, 52, 61, 69, 76]


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"M{\"u}ller", "Müller"),
        (r"\"{u}ber", "über"),
        (r"{\o}", "ø"),
        (r"\v{C}apek and Dvo\v{r}\'ak", "Čapek and Dvořák"),
        (r"{T}he {ILAE}", "The ILAE"),
        (r"tonic--clonic --- in brief", "tonic–clonic — in brief"),
        (r"A \& B, 50\%, a\_b", "A & B, 50%, a_b"),
        (r"hy\-phen\-ated", "hyphenated"),
        (r"$\alpha$-synuclein in \emph{vivo}", "α-synuclein in vivo"),  # pylatexenc, for what the table lacks
    ],
)
def test_latex_is_decoded(latex, text):
    assert decode(latex) == text


def test_zotero_ris_export():
    assert [fields(entry) for entry in parsed("zotero.ris")] == [
        source(
            kind="article-journal",
            title="Amyotrophic lateral sclerosis",
            container_title="Lancet",
            volume="377",
            issue="9769",
            pages="942-55",  # SP 942, EP 55
            doi="10.1016/S0140-6736(10)61156-7",
            year=2011,
            authors=[
                ("Kiernan", "M. C."),
                ("Vucic", "S."),
                ("Cheah", "B. C."),
                ("Turner", "M. R."),
                ("Eisen", "A."),
                ("Hardiman", "O."),
                ("Burrell", "J. R."),
                ("Zoing", "M. C."),
            ],
        ),
        source(
            **TEST_ARTICLE | {"container_title": "Test J Clonus"},  # J2, not T2's full title
            url="https://example.org/test-only/1999/101",
            abstract="A test-only abstract, written on two lines by the exporter.",
            language="en",
            day=5,  # DA  - 1999/10/05/
            accessed=ACCESSED,
            authors=[("Testwoman", "Ada"), ("Testman", "Bo")],
        ),
        source(
            kind="chapter",
            title="A test-only chapter",
            container_title="A Test-Only Book of Chapters",
            pages="1-10",
            publisher="Test Press",
            publisher_place="Oxford",
            isbn="978-0-00-000000-2",
            year=2001,
            month=6,
            authors=[("Chapterson", "Cy")],
            editors=[("Editor", "Ann"), ("van Editorsen", "Ben")],
        ),
        source(
            kind="report",
            title="Spasticity in under 19s: management (NICE clinical guideline CG145)",
            publisher="NICE",
            publisher_place="London",
            url="https://www.nice.org.uk/guidance/cg145",
            year=2012,
            accessed=ACCESSED,
            authors=[("National Institute for Health and Care Excellence", "")],  # no comma: an organisation
        ),
        source(
            kind="webpage",
            title="A test-only web page",
            container_title="Test Foundation website",
            url="https://example.org/test-only-page",
            language="en-GB",
            year=2023,
            accessed=ACCESSED,
            authors=[("Test Foundation", "")],
        ),
    ]


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Kiernan, M. C.", {"family": "Kiernan", "given": "M. C."}),
        ("Baldwin,S.A.", {"family": "Baldwin", "given": "S.A."}),  # Reference Manager
        ("Testman, Bo, Jr.", {"family": "Testman", "given": "Bo"}),  # the suffix has no place in a Source
        ("World Health Organization", {"literal": "World Health Organization"}),  # Zotero
        ("World Health Organization,", {"literal": "World Health Organization"}),  # EndNote
    ],
)
def test_ris_names(written, name):
    assert ris.name(written) == name


@pytest.mark.parametrize(
    ("written", "tag"),
    [("eng", "en"), ("fre", "fr"), ("ger", "de"), ("English", "en"), ("en-GB", "en-GB"), ("Klingon", "Klingon")],
)
def test_languages_become_two_letter_tags_where_known(written, tag):
    assert common.language(written) == tag


def test_endnote_ris_export():
    entries = parsed("endnote.ris")
    assert [fields(entry) for entry in entries] == [
        source(
            kind="article-journal",
            title="The serotonin syndrome",
            container_title="N Engl J Med",
            volume="352",
            issue="11",
            pages="1112-20",
            doi="10.1056/NEJMra041867",
            pmid="15784664",  # AN, with DP  - NLM
            language="en",
            year=2005,
            authors=[("Boyer", "E. W."), ("Shannon", "M.")],
        ),
        source(
            kind="article-journal",
            title="Myoclonus: current concepts and recent advances",
            container_title="Lancet Neurol",
            volume="3",
            issue="10",
            pages="598-607",  # the whole range in SP
            pmid="15380156",
            year=2004,
            authors=[("Caviness", "J. N."), ("Brown", "P.")],
        ),
        source(
            kind="article-journal",
            title="Spasticity after stroke: physiology, assessment and treatment",
            container_title="Brain Inj",
            doi="10.3109/02699052.2013.804202",
            year=2013,
            authors_incomplete=True,  # AU  - et al.
            authors=[("Thibaut", "A."), ("Chatelle", "C."), ("Ziegler", "E.")],
        ),
        source(
            kind="report",
            title="Spasticity in under 19s: management (NICE clinical guideline CG145)",
            publisher="NICE",
            publisher_place="London",
            url="https://www.nice.org.uk/guidance/cg145",
            year=2012,
            authors=[("National Institute for Health and Care Excellence", "")],  # EndNote's trailing comma
        ),
        source(
            **TEST_ARTICLE,
            day=5,  # PY  - 1999 with DA  - Oct 5
            pmid="999999001",
            pmcid="PMC999999001",  # C2
            language="en",
            authors_incomplete=True,  # our note
            authors=[("Testwoman", "Ada"), ("Testman", "Bo")],
        ),
        source(
            kind="book",
            title="A test-only book",
            publisher="Test Press",
            publisher_place="Oxford",
            isbn="9780000000002",  # the ISBN of "0140-6736 (Print); 9780000000002"
            language="en",  # LA  - English
            year=2002,
            authors=[("Bookman", "Di")],
            editors=[("Editor", "Ann")],  # A3 in a book
        ),
    ]
    assert "citation-key" not in entries[0].item.get("custom", {})  # ID  - 1 is EndNote's record number


def test_pubmed_nbib_file():
    entries = parsed("pubmed.nbib")
    assert [fields(entry) for entry in entries] == [
        demo("kiernan2011", language="en"),
        demo("boyer2005", language="en"),
        demo("tudursmith2001", language="en"),
        source(
            **TEST_ARTICLE | {"title": TEST_ARTICLE["title"] + ", whose title runs over two lines"},
            day=5,  # DP  - 1999 Oct 5
            pmid="999999001",
            pmcid="PMC999999001",
            abstract=(
                "BACKGROUND: A test-only abstract, as PubMed wraps it over several lines of a record. "
                "CONCLUSIONS: It reads as one paragraph."
            ),
            language="en",
            authors=[
                ("Testwoman", "Ada"),  # FAU, not AU
                ("Testman", "Bo"),
                ("Test-Only Study Group", ""),  # CN, in its place
                ("van der Test", "Cy"),
            ],
        ),
        source(
            kind="article-journal",
            title="[A test-only translated title]",  # only PubMed's final full stop goes
            container_title="Test Med Wochenschr",  # TA, not JT
            volume="2",
            pages="7-8",
            pmid="999999002",
            language="de",  # ger
            year=1985,
            month=10,
            authors=[("Altmann", "H"), ("Testwoman", "A")],  # AU alone, as before 2002
        ),
        source(
            kind="chapter",
            title="A test-only chapter",
            container_title="A Test-Only Book of Chapters",  # BTI
            publisher="Test Press",
            publisher_place="Oxford",
            pmid="999999003",
            isbn="978-0-00-000000-2",
            abstract="A test-only summary of a chapter of a book in NCBI's Bookshelf.",
            language="en",
            year=2001,
            authors=[("Chapterson", "Cy")],
            editors=[("Editor", "Ann"), ("van Editorsen", "Ben")],
        ),
    ]
    assert [entry.line for entry in entries] == [1, 26, 44, 60, 101, 116]
    assert entries[3].item["author"][2] == {"literal": "Test-Only Study Group"}


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ("DP  - 2004 Jan-Feb", {"year": 2004, "month": 1}),
        ("DP  - 2013 Spring", {"year": 2013}),
        ("DP  - 2001 Dec 30-2002 Jan 5", {"year": 2001, "month": 12, "day": 30}),
        ("JT  - Test journal of clonus", {"container_title": "Test journal of clonus"}),  # no TA
        ("TA  - Test J Clonus\nJT  - Test journal of clonus", {"container_title": "Test J Clonus"}),
        ("LA  - fre", {"language": "fr"}),
        ("PMC - PMC999999006", {"pmcid": "PMC999999006"}),
    ],
)
def test_pubmed_dates_journals_and_languages(lines, expected):
    [entry] = formats.parse(f"PMID- 999999006\nTI  - A test-only title?\n{lines}\n", "nbib")
    values, _, _ = fields(entry)
    assert values == {"kind": "article-journal", "title": "A test-only title?", "pmid": "999999006"} | expected


def test_zotero_csl_json_export():
    entries = parsed("zotero.json")
    assert [fields(entry) for entry in entries] == [
        source(
            kind="article-journal",
            title="The serotonin syndrome",
            container_title="N Engl J Med",
            volume="352",
            issue="11",
            pages="1112-20",
            doi="10.1056/NEJMra041867",
            pmid="15784664",  # from "note": "PMID: 15784664"
            year=2005,
            authors=[("Boyer", "E. W."), ("Shannon", "M.")],
        ),
        source(
            kind="report",
            title="Spasticity in under 19s: management (NICE clinical guideline CG145)",
            publisher="NICE",
            publisher_place="London",
            url="https://www.nice.org.uk/guidance/cg145",
            year=2012,
            accessed=ACCESSED,
            authors=[("National Institute for Health and Care Excellence", "")],
        ),
        source(
            kind="chapter",
            title="Symposium synopsis",
            container_title="Spasticity: disordered motor control",
            pages="485-494",
            publisher="Year Book Medical Publishers",
            publisher_place="Chicago",
            year=1980,
            key="lance1980",  # CSL 1.0.2's citation-key
            authors=[("Lance", "J. W.")],
        ),
        source(
            **TEST_ARTICLE,
            day=5,
            pmid="999999001",
            pmcid="PMC999999001",
            url="https://example.org/test-only/1999/101",
            abstract="A test-only abstract.\n\nIts second paragraph.",
            language="en",
            accessed=ACCESSED,
            key="testwoman1999",
            authors=[("Testwoman", "Ada"), ("van der Test", "Cy"), ("Test-Only Study Group", "")],
        ),
    ]
    assert [entry.line for entry in entries] == [2, 31, 61, 85]
    assert entries[3].item["ISSN"] == "0000-0000"  # kept for CSL processors, though Source has no field


def test_google_scholar_lines():
    entries = parsed("scholar.txt")
    assert [fields(entry) for entry in entries] == [
        source(
            kind="article-journal",
            title="Prognosis after a first untreated tonic-clonic seizure",
            container_title="The Lancet",
            publisher="Elsevier",
            year=1985,
            authors=[("Elwes", "RDC"), ("Chesterman", "P"), ("Reynolds", "EH")],
        ),
        source(
            kind="article-journal",
            title=(
                "Phenytoin versus valproate monotherapy for partial onset seizures and generalized onset "
                "tonic-clonic seizures"
            ),
            container_title="Cochrane Database of …",  # as Scholar shows it
            publisher="cochranelibrary.com",
            year=2001,
            authors_incomplete=True,
            authors=[("Smith", "CT"), ("Marson", "AG")],
        ),
        source(
            kind="article-journal",
            title="Generalized tonic-clonic activity after remifentanil administration",
            container_title="Anesthesia & Analgesia",
            publisher="cdn.journals.lww.com",
            year=2001,
            authors=[("Haber", "GW"), ("Litman", "RS")],
        ),
    ]
    assert [entry.line for entry in entries] == [1, 2, 4]  # blank lines are not records


# Round trips.

ROUND_TRIP = {
    "journal article": {
        "id": "testwoman1999",
        "type": "article-journal",
        "title": "Clonus & myoclonus in 50% of {test} cases: $5, a_b, ~x^2 and \\ — a test-only title by the ILAE",
        "author": [
            {"family": "Testwoman", "given": "Ada"},
            {"family": "Moshé", "given": "S. L."},
            {"family": "van der Test", "given": "Cy"},
            {"literal": "Test-Only Study Group"},
        ],
        "container-title": "Test J Clonus",
        "volume": "12",
        "issue": "3",
        "page": "101-9",
        "issued": {"date-parts": [[1999, 10, 5]]},
        "publisher": "Test Publishers",
        "DOI": "10.5555/clonus.test.1999",
        "PMID": "999999001",
        "PMCID": "PMC999999001",
        "URL": "https://example.org/test-only/1999/101?a=1&b=2_3%20",
        "accessed": {"date-parts": [[2024, 3, 1]]},
        "abstract": "A test-only abstract, in one paragraph.",
        "language": "en",
        "custom": {"citation-key": "testwoman1999"},
    },
    "book": {
        "id": "testbook2002",
        "type": "book",
        "title": "A test-only book",
        "author": [{"family": "Bookman", "given": "Di"}],
        "publisher": "Test Press",
        "publisher-place": "Oxford",
        "ISBN": "9780000000002",
        "issued": {"date-parts": [[2002]]},
        "custom": {"citation-key": "testbook2002"},
    },
    "chapter": {
        "id": "testchapter2001",
        "type": "chapter",
        "title": "A test-only chapter",
        "author": [{"family": "Chapterson", "given": "Cy"}],
        "editor": [{"family": "Editor", "given": "Ann"}, {"family": "van Editorsen", "given": "Ben"}],
        "container-title": "A Test-Only Book of Chapters",
        "publisher": "Test Press",
        "publisher-place": "Oxford",
        "page": "1-10",
        "ISBN": "978-0-00-000000-2",
        "issued": {"date-parts": [[2001, 6]]},
        "custom": {"citation-key": "testchapter2001"},
    },
    "report by an organisation": csl.item(
        next(record for record in SOURCES if record["key"] == "nice2012") | {"accessed": "2024-03-01"}
    ),
    "web page": {
        "id": "testpage2024",
        "type": "webpage",
        "title": "A test-only web page",
        "author": [{"literal": "Test Foundation"}],
        "container-title": "Test Foundation website",
        "URL": "https://example.org/test-only-page",
        "issued": {"date-parts": [[2023]]},
        "accessed": {"date-parts": [[2024, 3, 1]]},
        "language": "en-GB",
        "custom": {"citation-key": "testpage2024"},
    },
    "incomplete author list": csl.item(
        next(record for record in SOURCES if record["key"] == "thibaut2013")
        | {"authors": [("Thibaut", "A"), ("Chatelle", "C"), ("Ziegler", "E")], "authors_incomplete": True}
    ),
    "conference paper": {
        "id": "testpaper2019",
        "type": "paper-conference",
        "title": "A test-only conference paper",
        "author": [{"family": "Presenter", "given": "Pat"}],
        "container-title": "Proceedings of the Test-Only Conference",
        "page": "11-12",
        "issued": {"date-parts": [[2019]]},
        "custom": {"citation-key": "testpaper2019"},
    },
    "thesis": {
        "id": "testthesis2020",
        "type": "thesis",
        "title": "A test-only thesis",
        "author": [{"family": "Thesiswriter", "given": "Ty"}],
        "publisher": "Test University",
        "issued": {"date-parts": [[2020]]},
        "custom": {"citation-key": "testthesis2020"},
    },
}


@pytest.mark.parametrize("name", formats.WRITABLE)
def test_round_trip_keeps_every_field(name):
    items = list(ROUND_TRIP.values())
    entries = formats.parse(formats.dump(items, name), name)
    assert [fields(entry) for entry in entries] == [csl.fields(item) for item in items]


@pytest.mark.parametrize("name", formats.WRITABLE)
def test_round_trip_of_the_demo_sources(name):
    items = [csl.item(record) for record in SOURCES]
    entries = formats.parse(formats.dump(items, name), name)
    assert [fields(entry) for entry in entries] == [csl.fields(item) for item in items]


def test_what_bibtex_cannot_carry_a_container_for_a_book_report_or_thesis():
    """BibTeX has ``journal``, ``booktitle`` and (biblatex) ``titleaddon``, none of which a book,
    report or thesis may have: a container ("series" in CSL terms) is dropped for those kinds."""
    items = [
        ROUND_TRIP["book"] | {"container-title": "Test-Only Series"},
        ROUND_TRIP["report by an organisation"] | {"container-title": "Test-Only Guidelines"},
        ROUND_TRIP["thesis"] | {"container-title": "Test-Only Theses"},
    ]
    for item, entry in zip(items, formats.parse(formats.dump(items, "bibtex"), "bibtex"), strict=True):
        values, authors, editors = csl.fields(item)
        del values["container_title"]
        assert fields(entry) == (values, authors, editors)
    assert [fields(e) for e in formats.parse(formats.dump(items, "ris"), "ris")] == [csl.fields(i) for i in items]


def test_what_ris_cannot_carry_the_paragraphs_of_an_abstract():
    item = ROUND_TRIP["journal article"] | {"abstract": "First paragraph.\n\nSecond paragraph."}
    [entry] = formats.parse(formats.dump([item], "ris"), "ris")
    assert entry.item["abstract"] == "First paragraph. Second paragraph."
    [entry] = formats.parse(formats.dump([item], "bibtex"), "bibtex")
    assert entry.item["abstract"] == "First paragraph.\n\nSecond paragraph."


def test_bibtex_is_written_as_zotero_writes_it():
    assert formats.dump([ROUND_TRIP["journal article"], ROUND_TRIP["report by an organisation"]], "bibtex") == (
        "@article{testwoman1999,\n"
        "\ttitle = {Clonus \\& myoclonus in 50\\% of \\{test\\} cases: \\$5, a\\_b, \\textasciitilde{}x"
        "\\textasciicircum{}2 and \\textbackslash{} — a test-only title by the {ILAE}},\n"
        "\tauthor = {Testwoman, Ada and Moshé, S. L. and van der Test, Cy and {Test-Only Study Group}},\n"
        "\tjournal = {Test J Clonus},\n"
        "\tyear = {1999},\n"
        "\tmonth = oct,\n"
        "\tday = {5},\n"
        "\tvolume = {12},\n"
        "\tnumber = {3},\n"
        "\tpages = {101--9},\n"
        "\tpublisher = {Test Publishers},\n"
        "\tdoi = {10.5555/clonus.test.1999},\n"
        "\tpmid = {999999001},\n"
        "\tpmcid = {PMC999999001},\n"
        "\turl = {https://example.org/test-only/1999/101?a=1&b=2_3%20},\n"
        "\turldate = {2024-03-01},\n"
        "\tabstract = {A test-only abstract, in one paragraph.},\n"
        "\tlanguage = {en}\n"
        "}\n"
        "\n\n"
        "@techreport{nice2012,\n"
        "\ttitle = {Spasticity in under 19s: management ({NICE} clinical guideline {CG145})},\n"
        "\tauthor = {{National Institute for Health and Care Excellence}},\n"
        "\tyear = {2012},\n"
        "\tinstitution = {NICE},\n"
        "\taddress = {London},\n"
        "\turl = {https://www.nice.org.uk/guidance/cg145},\n"
        "\turldate = {2024-03-01}\n"
        "}\n"
    )


def test_bibtex_ends_a_truncated_author_list_with_and_others():
    text = formats.dump([ROUND_TRIP["incomplete author list"]], "bibtex")
    assert "author = {Thibaut, A and Chatelle, C and Ziegler, E and others}" in text


def test_ris_is_written_as_zotero_and_endnote_write_it():
    """PMID as the NLM accession number and PMCID in C2 (EndNote's fields), an incomplete author
    list as a note, an organisation with EndNote's trailing comma; no record numbers."""
    item = ROUND_TRIP["journal article"] | {"custom": {"citation-key": "testwoman1999", "authors-incomplete": True}}
    assert formats.dump([item], "ris") == (
        "TY  - JOUR\n"
        "TI  - Clonus & myoclonus in 50% of {test} cases: $5, a_b, ~x^2 and \\ — a test-only title by the ILAE\n"
        "AU  - Testwoman, Ada\n"
        "AU  - Moshé, S. L.\n"
        "AU  - van der Test, Cy\n"
        "AU  - Test-Only Study Group,\n"
        "T2  - Test J Clonus\n"
        "J2  - Test J Clonus\n"
        "AB  - A test-only abstract, in one paragraph.\n"
        "DA  - 1999/10/05/\n"
        "PY  - 1999\n"
        "VL  - 12\n"
        "IS  - 3\n"
        "SP  - 101\n"
        "EP  - 9\n"
        "PB  - Test Publishers\n"
        "DO  - 10.5555/clonus.test.1999\n"
        "UR  - https://example.org/test-only/1999/101?a=1&b=2_3%20\n"
        "Y2  - 2024/03/01/\n"
        "LA  - en\n"
        "AN  - 999999001\n"
        "DP  - NLM\n"
        "C2  - PMC999999001\n"
        "N1  - The author list is incomplete (et al.).\n"
        "ID  - testwoman1999\n"
        "ER  - \n"
    )


def test_csl_json_is_a_list_indented_in_utf_8():
    text = formats.dump([ROUND_TRIP["journal article"]], "csljson")
    assert text.startswith('[\n  {\n    "id": "testwoman1999",')
    assert '"family": "Moshé"' in text


def test_pubmed_files_and_scholar_lines_are_only_read():
    assert set(formats.FORMATS) == {"bibtex", "ris", "nbib", "csljson", "scholar"}
    for name in ("nbib", "scholar"):
        with pytest.raises(ValueError, match="read, not written"):
            formats.dump([ROUND_TRIP["book"]], name)


# Files editors get wrong.

BROKEN_BIBTEX = """\
@article{first2001,
  title = {First},
  year = {2001}
}

@article{broken2002,
  title = {Broken {brace,
  year = {2002}
}

@article{third2003,
  title = {Third},
  year = {2003}
}
"""


def test_broken_bibtex_braces_are_an_error_of_their_entry_only():
    entries = formats.parse(BROKEN_BIBTEX, "bibtex")
    assert [entry.item["title"] if entry.item else str(entry) for entry in entries] == [
        "First",
        "record 2 (line 6): a closing brace is missing: this entry is still open where the next one starts, on line 11",
        "Third",
    ]


def test_an_unclosed_last_bibtex_entry_is_an_error():
    text = "@article{first2001,\n  title = {First}\n}\n\n@article{last2002,\n  title = {Last},\n  year = {2002}\n"
    [first, last] = formats.parse(text, "bibtex")
    assert first.item["title"] == "First"
    assert str(last) == "record 2 (line 5): a closing brace is missing: the file ends before this entry does"


@pytest.mark.parametrize(
    ("entry", "error"),
    [
        ("@article{a, title = {A}, year = {19x5}}", "the year 19x5 is not a year"),
        ("@article{a, title = {A}, year = 1999, month = {Octember}}", "the month Octember is not a month"),
        ("@article{a, year = 1999}", "it has no title"),
        (
            "@article{a, title = {A}, urldate = {yesterday}}",
            "the access date yesterday is not a date (expected 2024-03-01)",
        ),
        ("@article{a title = {A}}", "there is no comma after the key: write “@article{key,” before the fields"),
    ],
)
def test_a_bibtex_entry_that_cannot_be_imported_says_why(entry, error):
    [parsed_entry] = formats.parse(entry, "bibtex")
    assert parsed_entry.item is None
    assert parsed_entry.error == error


@pytest.mark.parametrize("year", ["in press", "n.d.", "Forthcoming"])
def test_a_work_in_press_has_no_year_rather_than_an_error(year):
    [entry] = formats.parse(f"@article{{a, title = {{A}}, year = {{{year}}}}}", "bibtex")
    assert "issued" not in entry.item


def test_a_key_used_twice_in_a_bibtex_file_is_an_error_of_the_second_entry():
    text = "@article{a, title = {A}}\n@article{a, title = {B}}\n"
    assert [str(entry) for entry in formats.parse(text, "bibtex")] == [
        "record 1 (line 1)",
        "record 2 (line 2): the key a is already used by the entry on line 1",
    ]


TRUNCATED_RIS = """\
TY  - JOUR
TI  - One
ER  -

TY  - JOUR
TI  - Two, whose ER line was deleted
PY  - 2002

TY  - JOUR
TI  - Three
ER  -

TY  - JOUR
TI  - Four, where the file was cut
AU  - Cut, Off"""


def test_a_truncated_ris_record_is_an_error_never_a_missing_record():
    entries = formats.parse(TRUNCATED_RIS, "ris")
    assert [entry.item["title"] if entry.item else str(entry) for entry in entries] == [
        "One",
        "record 2 (line 5): it has no “ER  -” line: the next record starts on line 9",
        "Three",
        "record 4 (line 13): the file ends before this record’s “ER  -” line: it may have been cut short",
    ]
    # What rispy alone makes of it: record 2 swallows record 3, record 4 is gone, nothing is said.
    assert [record["title"] for record in rispy.loads(TRUNCATED_RIS)] == ["One", "Two, whose ER line was deleted"]


def test_a_ris_record_without_its_type_line_is_an_error():
    [entry] = formats.parse("AU  - Nobody, N.\nTI  - No type\nER  - \n", "ris")
    assert str(entry) == "record 1 (line 1): it does not start with a “TY  -” line"


def test_a_pubmed_value_that_cannot_be_read_is_an_error_of_its_record():
    [entry] = formats.parse("PMID- 99999x007\nTI  - A test-only title.\n", "nbib")
    assert str(entry) == "record 1 (line 1): the PMID 99999x007 is not a number"
    [entry] = formats.parse("PMID- 999999007\nTI  - A test-only title.\nAID - 10.5555/x\n", "nbib")
    assert str(entry) == 'record 1 (line 1): a line is not in PubMed’s format (For line(s): "10.5555/x")'


def test_a_malformed_pubmed_line_is_an_error_of_its_record():
    entries = formats.parse(
        "PMID- 999999004\nTI  - A test-only title.\nthis is no MEDLINE line\n\nPMID- 999999005\nTI  - B.\n", "nbib"
    )
    assert [str(entry) for entry in entries] == [
        "record 1 (line 1): line 3 is not a PubMed line (a tag, a hyphen and a value: “TI  - …”)",
        "record 2 (line 5)",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[\n  {"title": "A",}\n]',
            "line 2, column 17: this is not valid JSON (Expecting property name enclosed in double quotes)",
        ),
        ('[\n  {"title": "A"}\n  {"title": "B"}\n]', "line 3: a “,” or “]” is missing after an item"),
        ("[]", "there is no item in this CSL-JSON file: it is an empty list"),
    ],
)
def test_broken_csl_json_stops_the_file_with_the_line(text, message):
    with pytest.raises(formats.FormatError) as error:
        formats.parse(text, "csljson")
    assert str(error.value) == message


def test_a_csl_json_element_that_is_no_item_is_an_error_of_its_record():
    entries = formats.parse('[\n  {"type": "book", "title": "A"},\n  "B",\n  {"type": "book"}\n]', "csljson")
    assert [str(entry) for entry in entries] == [
        "record 1 (line 2)",
        "record 2 (line 3): it is not a CSL item: an item is a JSON object with a type and a title",
        "record 3 (line 4): it has no title",
    ]


def test_a_file_not_in_utf_8_names_the_line():
    with pytest.raises(formats.FormatError) as error:
        formats.read("TY  - JOUR\nTI  - Café au lait\nER  - \n".encode("latin-1"))
    assert str(error.value) == (
        "line 2 is not UTF-8 text (the byte 0xe9 in column 10): "
        "export the file again choosing UTF-8 (Unicode) as its character encoding"
    )


def test_utf_8_with_or_without_a_byte_order_mark():
    data = (DATA / "zotero.bib").read_bytes()
    assert formats.read(codecs.BOM_UTF8 + data) == formats.read(data) == data.decode()


@pytest.mark.parametrize("data", [b"", b"\n  \r\n", codecs.BOM_UTF8])
def test_an_empty_file(data):
    with pytest.raises(formats.FormatError, match="^the file is empty$"):
        formats.read(data)
    for name in formats.FORMATS:
        with pytest.raises(formats.FormatError, match="^the file is empty$"):
            formats.parse(data.decode("utf-8-sig"), name)


def test_a_file_with_no_record_in_it():
    with pytest.raises(formats.FormatError, match="there is no BibTeX entry in this file"):
        formats.parse("% Only a comment.\n", "bibtex")
    with pytest.raises(formats.FormatError, match="there is no RIS record in this file"):
        formats.parse("Provider: nobody\n", "ris")


def test_a_file_over_the_size_limit():
    with pytest.raises(formats.FormatError) as error:
        formats.read(b"x" * 101, limit=100)
    assert str(error.value) == "the file is 101 bytes, larger than the limit of 100 bytes"
    assert formats.read(b"x" * 100, limit=100) == "x" * 100


def test_the_default_size_limit_is_the_setting_of_20_mb():
    assert settings.CLONUS_IMPORT_MAX_BYTES == 20 * MB
    with pytest.raises(formats.FormatError) as error:
        formats.read(b" " * (20 * MB + 1))
    assert str(error.value) == (
        "the file is 20.0 MB (20,971,521 bytes), larger than the limit of 20.0 MB (20,971,520 bytes)"
    )
    with override_settings(CLONUS_IMPORT_MAX_BYTES=10):
        with pytest.raises(formats.FormatError, match="larger than the limit of 10 bytes"):
            formats.read(b"x" * 11)


def test_ten_thousand_records_with_one_malformed():
    records = [
        f"@article{{test{n},\n\ttitle = {{Test-only record {n}}},\n\tauthor = {{Testwoman, Ada and Testman, Bo}},\n"
        f"\tjournal = {{Test J Clonus}},\n\tyear = {{{1900 + n % 100}}},\n\tpages = {{{n}--{n + 9}}}\n}}\n"
        for n in range(1, 10_001)
    ]
    records[4999] = records[4999].replace("title = {Test-only record 5000}", "title = {Test-only record {5000}")
    started = time.perf_counter()
    entries = formats.parse("\n".join(records), "bibtex")
    elapsed = time.perf_counter() - started
    assert len(entries) == 10_000
    assert [str(entry) for entry in entries if entry.error] == [
        "record 5000 (line 39993): a closing brace is missing: this entry is still open where the next one "
        "starts, on line 40001"
    ]
    assert entries[5000].item["title"] == "Test-only record 5001"
    assert entries[-1].item["page"] == "10000-10009"
    assert elapsed < 30  # About 3 s on a quiet machine; the bound only catches a quadratic slip.


def test_ten_thousand_ris_records_with_one_cut_short():
    items = [
        {
            "id": f"test{n}",
            "type": "article-journal",
            "title": f"Test-only record {n}",
            "issued": {"date-parts": [[1999]]},
        }
        for n in range(1, 10_001)
    ]
    text = formats.dump(items, "ris").replace("ID  - test5000\nER  - \n", "ID  - test5000\n")
    entries = formats.parse(text, "ris")
    assert len(entries) == 10_000
    assert [str(entry) for entry in entries if entry.error] == [
        "record 5000 (line 34994): it has no “ER  -” line: the next record starts on line 35000"
    ]
    assert entries[4999 + 1].item["title"] == "Test-only record 5001"


def test_an_unknown_format_name_is_a_programming_error():
    with pytest.raises(ValueError, match="there is no format 'endnote': the formats are bibtex, ris, nbib"):
        formats.parse("TY  - JOUR", "endnote")


# Guessing the format.


@pytest.mark.parametrize(
    ("name", "format"),
    [
        ("zotero.bib", "bibtex"),
        ("handmade.bib", "bibtex"),
        ("zotero.ris", "ris"),
        ("endnote.ris", "ris"),
        ("pubmed.nbib", "nbib"),
        ("zotero.json", "csljson"),
        ("scholar.txt", "scholar"),
    ],
)
def test_guess(name, format):
    assert formats.guess(read(name)) == format


def test_a_scholar_line_starting_with_a_bracket_is_not_json():
    line = "[PDF] A test-only title by A Testwoman – Test J Clonus, 2001 – example.org"
    assert formats.guess(line) == "scholar"


@pytest.mark.parametrize("junk", ["Dear editor,\nplease find the references attached.\n", "<html><body></body></html>"])
def test_guess_says_when_nothing_fits(junk):
    with pytest.raises(formats.FormatError, match="^this is not a file Clonus can read: expected BibTeX"):
        formats.guess(junk)

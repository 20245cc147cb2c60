import pytest

from references.importing import key_stem
from references.scholar import ScholarFormatError, ScholarReference, parse

NBSP = "\u00a0"

# The five source lines of the sample article, as Scholar pages write them: a non-breaking
# space before each " – ", "…" for what Scholar cut, and U+2010 for some hyphens.
SAMPLE = [
    (
        f"Prognosis after a first untreated tonic-clonic seizure by RDC Elwes, P Chesterman, "
        f"EH Reynolds{NBSP}– The Lancet, 1985 – Elsevier",
        ScholarReference(
            title="Prognosis after a first untreated tonic-clonic seizure",
            authors=(("Elwes", "RDC"), ("Chesterman", "P"), ("Reynolds", "EH")),
            authors_truncated=False,
            container_title="The Lancet",
            year=1985,
            publisher="Elsevier",
        ),
    ),
    (
        "Phenytoin versus valproate monotherapy for partial onset seizures and generalized "
        f"onset tonic\u2010clonic seizures by CT Smith, AG Marson…{NBSP}– Cochrane Database "
        f"of{NBSP}…, 2001 – cochranelibrary.com",
        ScholarReference(
            title=(
                "Phenytoin versus valproate monotherapy for partial onset seizures and "
                "generalized onset tonic-clonic seizures"
            ),
            authors=(("Smith", "CT"), ("Marson", "AG")),
            authors_truncated=True,
            container_title="Cochrane Database of …",
            year=2001,
            publisher="cochranelibrary.com",
        ),
    ),
    (
        "Generalized tonic-clonic activity after remifentanil administration by GW Haber, "
        f"RS Litman{NBSP}– Anesthesia & Analgesia, 2001 – cdn.journals.lww.com",
        ScholarReference(
            title="Generalized tonic-clonic activity after remifentanil administration",
            authors=(("Haber", "GW"), ("Litman", "RS")),
            authors_truncated=False,
            container_title="Anesthesia & Analgesia",
            year=2001,
            publisher="cdn.journals.lww.com",
        ),
    ),
    (
        "Tonic-clonic seizures in a patient with primary hypoparathyroidism: a case report by "
        f"C Armelisasso, ML Vaccario…{NBSP}– Clinical EEG and{NBSP}…, 2004 – journals.sagepub.com",
        ScholarReference(
            title=("Tonic-clonic seizures in a patient with primary hypoparathyroidism: a case report"),
            authors=(("Armelisasso", "C"), ("Vaccario", "ML")),
            authors_truncated=True,
            container_title="Clinical EEG and …",
            year=2004,
            publisher="journals.sagepub.com",
        ),
    ),
    (
        "Critical evaluation of four different seizure detection systems tested on one patient "
        "with focal and generalized tonic and clonic seizures by A Van de Vel, K Verhaert, "
        f"B Ceulemans{NBSP}– Epilepsy & Behavior, 2014 – Elsevier",
        ScholarReference(
            title=(
                "Critical evaluation of four different seizure detection systems tested on one "
                "patient with focal and generalized tonic and clonic seizures"
            ),
            authors=(("Van de Vel", "A"), ("Verhaert", "K"), ("Ceulemans", "B")),
            authors_truncated=False,
            container_title="Epilepsy & Behavior",
            year=2014,
            publisher="Elsevier",
        ),
    ),
]


@pytest.mark.parametrize("line, expected", SAMPLE, ids=["elwes", "smith", "haber", "armelisasso", "vandevel"])
def test_sample_lines_are_read_into_exact_fields(line, expected):
    assert parse(line) == expected


def test_truncated_author_list_keeps_only_the_named_authors_and_says_it_was_cut():
    reference = parse("Ankle jerks by AB Ward, CD Lowe… – J Neurol, 1999 – example.org")
    assert reference.authors == (("Ward", "AB"), ("Lowe", "CD"))
    assert reference.authors_truncated


def test_ellipsis_standing_alone_after_the_last_author_is_a_truncation_too():
    reference = parse("Ankle jerks by AB Ward, … – J Neurol, 1999 – example.org")
    assert (reference.authors, reference.authors_truncated) == ((("Ward", "AB"),), True)


def test_truncated_journal_name_is_kept_as_scholar_shows_it():
    reference = parse("Ankle jerks by AB Ward – Journal of Clinical …, 1999 – example.org")
    assert reference.container_title == "Journal of Clinical …"


def test_title_containing_by_is_split_at_the_last_by():
    reference = parse("Clonus caused by baclofen withdrawal by AB Ward – Spinal Cord, 2005")
    assert reference.title == "Clonus caused by baclofen withdrawal"
    assert reference.authors == (("Ward", "AB"),)


def test_title_containing_an_en_dash_is_kept_whole():
    reference = parse("Clonus – a review by AB Ward – Brain, 2010 – academic.oup.com")
    assert (reference.title, reference.container_title) == ("Clonus – a review", "Brain")


def test_publisher_and_journal_may_be_missing():
    reference = parse("A handbook of reflexes by AB Ward – 1987")
    assert (reference.container_title, reference.year, reference.publisher) == ("", 1987, "")


def test_organisation_author_without_initials_is_kept_whole():
    reference = parse("Spasticity guideline by World Health Organization – WHO, 2018 – who.int")
    assert reference.authors == (("World Health Organization", ""),)


@pytest.mark.parametrize(
    "line, problem",
    [
        ("Ankle jerks, AB Ward – J Neurol, 1999 – example.org", "by"),
        ("Ankle jerks by AB Ward – J Neurol – example.org", "no year"),
        ("Ankle jerks by AB Ward, J Neurol, 1999", "–"),
        (" by AB Ward – J Neurol, 1999 – example.org", "by"),
        ("Ankle jerks by AB Ward,, CD Lowe – J Neurol, 1999", "empty author"),
    ],
    ids=["no-by", "no-year", "no-dash", "no-title", "empty-author"],
)
def test_line_not_shaped_like_a_scholar_result_is_an_error(line, problem):
    with pytest.raises(ScholarFormatError, match=problem):
        parse(line)


@pytest.mark.parametrize(
    "family, year, key",
    [("Van de Vel", 2014, "vandevel2014"), ("Müller-Lüdenscheidt", 2003, "mullerludenscheidt2003"),
     ("O'Brien", 1990, "obrien1990"), ("王", 2020, "source2020")],
)  # fmt: skip
def test_key_stem_is_family_and_year_in_plain_lower_case(family, year, key):
    assert key_stem(family, year) == key

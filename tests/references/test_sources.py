import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from references.identifiers import normalize_doi
from references.models import Source
from tests.factories import make_article, make_section, make_source

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "written",
    [
        "10.1016/S0140-6736(85)90641-3",
        "https://doi.org/10.1016/S0140-6736(85)90641-3",
        "http://dx.doi.org/10.1016/S0140-6736(85)90641-3",
        "doi: 10.1016/S0140-6736(85)90641-3 ",
    ],
)
def test_doi_is_stored_bare_and_in_lower_case_whatever_the_spelling(written):
    assert normalize_doi(written) == "10.1016/s0140-6736(85)90641-3"
    assert make_source(doi=written).doi == "10.1016/s0140-6736(85)90641-3"


def test_two_sources_cannot_share_a_doi_however_written():
    make_source("a", doi="10.1000/XYZ")
    with pytest.raises(IntegrityError):
        make_source("b", doi="https://doi.org/10.1000/xyz")


def test_many_sources_may_have_no_doi_or_pmid():
    make_source("a"), make_source("b")
    assert Source.objects.filter(doi="", pmid="").count() == 2


def test_duplicate_pmid_is_a_validation_error_with_a_clear_message():
    make_source("a", pmid="2864496")
    duplicate = Source(key="b", title="Copy", pmid="2864496")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "Another source already has this PMID." in str(error.value)


@pytest.mark.parametrize("key", ["Elwes1985", "elwes 1985", "-elwes", "elwes@1985", ""])
def test_citation_key_must_be_lower_case_and_plain(key):
    with pytest.raises(ValidationError):
        Source(key=key, title="T").full_clean()


def test_cited_in_lists_each_article_once():
    source = make_source("a")
    article = make_article()
    make_section(article, "[@a]")
    make_section(article, "[@a] again")
    make_section(make_article(), "no citation")
    assert list(Source.objects.cited_in(article)) == [source]


def test_key_of_a_source_cited_by_marks_cannot_be_renamed():
    source = make_source("elwes1985")
    make_section(make_article(), "[@elwes1985]")
    source.key = "elwes-1985"
    with pytest.raises(ValidationError) as error:
        source.full_clean()
    assert "cannot change" in str(error.value.message_dict["key"])


def test_key_of_an_uncited_source_can_be_renamed():
    source = make_source("draft1")
    source.key = "draft2"
    source.full_clean()

"""Identifiers are reduced to one spelling and checked wherever a source is written; a source's
URL is http(s) whatever writes it, down to the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from references.identifiers import format_isbn, normalize_isbn, normalize_pmcid, normalize_pmid
from references.models import Source
from tests.factories import make_source

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "written, stored",
    [
        ("11687121", "11687121"),
        ("PMID: 11687121", "11687121"),
        ("https://pubmed.ncbi.nlm.nih.gov/11687121/", "11687121"),
    ],
)
def test_pmid_is_stored_as_its_digits(written, stored):
    assert normalize_pmid(written) == stored
    assert make_source(pmid=written).pmid == stored


@pytest.mark.parametrize("written", ["PMC3531190", "pmc3531190", "3531190", "PMCID: PMC3531190"])
def test_pmcid_is_stored_with_its_pmc_prefix(written):
    assert normalize_pmcid(written) == "PMC3531190"
    assert make_source(pmcid=written).pmcid == "PMC3531190"


@pytest.mark.parametrize(
    "written, stored",
    [
        ("978-0-19-852663-6", "9780198526636"),  # ISBN-13 with hyphens
        ("0-19-852663-6", "0198526636"),  # the same book's ISBN-10
        ("ISBN 81 515 3270 X", "815153270X"),  # spaces, a prefix and a check digit X
    ],
)
def test_isbn_is_stored_compact_and_shown_with_its_hyphens(written, stored):
    assert normalize_isbn(written) == stored
    source = Source(key="book", title="A book", kind="book", isbn=written)
    source.full_clean()
    assert source.isbn == stored
    assert format_isbn("9780198526636") == "978-0-19-852663-6"


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("doi", "10.1016", "is not a DOI"),
        ("doi", "https://example.com/paper", "is not a DOI"),
        ("pmid", "PMID 12a", "is not a PubMed ID"),
        ("pmid", "0123", "is not a PubMed ID"),
        ("pmcid", "PMX123", "is not a PubMed Central ID"),
        ("isbn", "978-0-19-852663-7", "is not a valid ISBN"),  # checksum off by one
        ("isbn", "0-19-852663-5", "is not a valid ISBN"),
        ("isbn", "12345", "is not a valid ISBN"),
    ],
)
def test_an_invalid_identifier_is_a_validation_error_naming_it(field, value, message):
    source = Source(key="s", title="T", **{field: value})
    with pytest.raises(ValidationError) as error:
        source.full_clean()
    assert message in " ".join(error.value.message_dict[field])


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "ftp://example.com/paper.pdf",
        "//example.com/paper",
    ],
)
def test_no_write_path_stores_a_url_that_is_not_http_or_https(url):
    with pytest.raises(ValidationError) as error:
        Source(key="s", title="T", url=url).full_clean()
    assert "url" in error.value.message_dict
    # Around the form and full_clean(): the database refuses it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(key="s", title="T", url=url)
    source = make_source()
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.filter(pk=source.pk).update(url=url)


@pytest.mark.parametrize("url", ["https://www.nice.org.uk/guidance/ng217", "http://example.com/a?b=c"])
def test_http_and_https_urls_are_stored(url):
    Source(key="s", title="T", url=url).full_clean()
    assert make_source(url=url).url == url

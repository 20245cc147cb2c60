"""Identifiers of sources, each reduced to one spelling and checked.

Every write path goes through these: the admin form and ``full_clean()`` (the fields'
validators), imports and look-ups (``Source.clean()``), and ``Source.save()``, which normalises
even when nothing validates. ``normalize_*`` never raises: it returns its input, trimmed, when it
cannot make sense of it, and the matching ``validate_*`` then says what is wrong.

ISBNs are checked by python-stdnum (ranges and checksums for ISBN-10 and ISBN-13).
"""

import re

from django.core.exceptions import ValidationError
from stdnum import isbn as stdnum_isbn
from stdnum.exceptions import ValidationError as StdnumError

DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
#: The DOI Handbook's shape: "10." then a registrant code, a slash and a suffix without spaces.
DOI = re.compile(r"10\.\d{4,9}(?:\.\d+)*/\S+")
PMID_PREFIX = re.compile(r"^(?:pmid:?\s*|https?://pubmed\.ncbi\.nlm\.nih\.gov/)", re.IGNORECASE)
PMCID = re.compile(r"(?:pmcid:?\s*)?(?:pmc)?(\d{1,9})", re.IGNORECASE)
PMID_DIGITS = 9


def normalize_doi(value):
    """``https://doi.org/10.1016/S0140-…`` or ``doi:10.1016/…`` → ``10.1016/s0140-…``.

    DOIs are case-insensitive; they are stored in lower case so that equal DOIs are equal strings.
    """
    return DOI_PREFIX.sub("", (value or "").strip()).strip().lower()


def validate_doi(value):
    if value and not DOI.fullmatch(normalize_doi(value)):
        raise ValidationError(
            "“%(value)s” is not a DOI: a DOI starts with “10.”, a number, then “/” (e.g. 10.1016/s0140-6736(85)90629-3).",
            params={"value": value},
            code="invalid_doi",
        )


def normalize_pmid(value):
    """``PMID: 11687121`` or a PubMed link → ``11687121``."""
    return PMID_PREFIX.sub("", (value or "").strip()).strip().rstrip("/")


def validate_pmid(value):
    pmid = normalize_pmid(value)
    if value and not (pmid.isascii() and pmid.isdigit() and len(pmid) <= PMID_DIGITS and not pmid.startswith("0")):
        raise ValidationError(
            "“%(value)s” is not a PubMed ID: a PMID is a number of at most nine digits (e.g. 11687121).",
            params={"value": value},
            code="invalid_pmid",
        )


def normalize_pmcid(value):
    """``pmc3531190``, ``PMCID: PMC3531190`` or ``3531190`` → ``PMC3531190``."""
    value = (value or "").strip()
    match = PMCID.fullmatch(value)
    return f"PMC{match[1]}" if match else value


def validate_pmcid(value):
    if value and not PMCID.fullmatch(value.strip()):
        raise ValidationError(
            "“%(value)s” is not a PubMed Central ID: it is “PMC” and digits (e.g. PMC3531190).",
            params={"value": value},
            code="invalid_pmcid",
        )


ISBN_PREFIX = re.compile(r"^isbn(?:-1[03])?:?\s*", re.IGNORECASE)


def normalize_isbn(value):
    """An ISBN-10 or ISBN-13 without hyphens, spaces or label: ``ISBN 978-0-19-…`` → ``97801…``."""
    return stdnum_isbn.compact(ISBN_PREFIX.sub("", value.strip())) if value else ""


def validate_isbn(value):
    if not value:
        return
    try:
        stdnum_isbn.validate(ISBN_PREFIX.sub("", value.strip()))
    except StdnumError as error:
        raise ValidationError(
            "“%(value)s” is not a valid ISBN (%(reason)s): check the digits against the book.",
            params={"value": value, "reason": str(error).rstrip(".").lower()},
            code="invalid_isbn",
        ) from None


def format_isbn(value):
    """An ISBN with its hyphens where python-stdnum knows the ranges: ``978-0-19-…``."""
    try:
        return stdnum_isbn.format(value)
    except StdnumError:
        return value


NORMALIZERS = {"doi": normalize_doi, "pmid": normalize_pmid, "pmcid": normalize_pmcid, "isbn": normalize_isbn}

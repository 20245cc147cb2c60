"""PubMed's MEDLINE format: the ``.nbib`` file of PubMed's "Send to: Citation manager".

A record is a run of lines without a blank one, each a tag padded to four characters, a hyphen
and a value (``PMID- 2863441``, ``TI  - Prognosis…``), long values going on in lines indented by
six spaces. The records and their lines are found here, so that a malformed line is an error
that names it and its record, not a failure of the whole file; nbib then reads the tags it reads
well (title, journal, volume, pages, identifiers, language, publication types).

The rest is read here, because nbib keeps one corporate author, drops the authors of records
from before 2002 (which have no full names, ``FAU``) and reads no editors, book titles, ISBNs,
publishers or dates of publication:

- authors in order: a full name (``FAU - Kiernan, Matthew C``) with its short form
  (``AU  - Kiernan MC``) is one person, a short form alone is one too, and a group (``CN``) is
  an organisation in its place among them; editors (``FED``, ``ED``) likewise;
- the date of publication, ``DP  - 1985 Oct 5`` (a season, "2013 Spring", gives the year only);
- the container: the journal's NLM abbreviation (``TA``), which Vancouver references use and
  Source keeps, the full title (``JT``) only when there is no abbreviation; a chapter's book
  title (``BTI``);
- for books and chapters, the publisher (``PB``), place (``PL``) and ``ISBN``; a journal's
  ``PL`` is the country it is published in, not a place of publication, and is not kept.

PubMed ends every title with a full stop, which a reference adds itself: it is removed. Three-letter
language codes (``eng``) become the two-letter tags Source keeps (``en``).
"""

import re
from typing import NamedTuple

import nbib
from nbib.exceptions import MalformedLine, UnknownTagFormat

from . import common

LABEL = "PubMed (MEDLINE, .nbib)"

TAG_LINE = re.compile(r"([A-Z]{2,4}) {0,2}- ?(.*)")
CONTINUATION = re.compile(r"\s+(\S.*)")
#: The tags handed to nbib: those it reads well.
NBIB_TAGS = {"PMID", "TI", "AB", "TA", "JT", "VI", "IP", "PG", "LA", "PMC", "AID", "PT"}
#: Publication types (``PT``) that are not journal articles.
PUBLICATION_TYPES = {"preprint": "article", "dataset": "dataset"}


class Tag(NamedTuple):
    name: str
    #: The value, its continuation lines joined to it.
    value: str


def detect(text):
    return re.search(r"^PMID- ?\d", text, re.MULTILINE) is not None


# Reading.


def parse(text):
    """Every record of a MEDLINE file, in order, including the malformed ones."""
    records = list(split(text))
    if not records:
        raise common.FormatError("there is no PubMed record in this file: a record starts with a “PMID- ” line")
    return [
        common.checked(number, line, item_of, tags, problem) for number, (line, tags, problem) in enumerate(records, 1)
    ]


def split(text):
    """The records of a file as ``(first line, tags, problem)``: records are separated by blank
    lines; ``problem`` names a line of no known shape, or is None."""
    tags, start, problem = [], 0, None
    for number, line in enumerate(text.split("\n") + [""], 1):
        if not line.strip():
            if tags or problem:
                yield start, tags, problem
            tags, problem = [], None
            continue
        if not tags and not problem:
            start = number
        if match := TAG_LINE.fullmatch(line.rstrip()):
            tags.append(Tag(match[1], match[2].strip()))
        elif (match := CONTINUATION.fullmatch(line.rstrip())) and tags:
            tags[-1] = tags[-1]._replace(value=f"{tags[-1].value} {match[1]}")
        else:
            problem = problem or f"line {number} is not a PubMed line (a tag, a hyphen and a value: “TI  - …”)"


def item_of(tags, problem):
    """The CSL-JSON item of a record's tags."""
    if problem:
        raise common.RecordError(problem)
    first = {}
    for tag in tags:
        first.setdefault(tag.name, tag.value)
    if not first.get("PMID", "0").isdigit():
        raise common.RecordError(f"the PMID {first['PMID']} is not a number")
    study = read_with_nbib(tags)
    book_title = first.get("BTI", "")
    csl_type = kind_of(study, book_title)
    title = study.get("title") or book_title
    if csl_type == "book":
        container = ""
    elif csl_type == "chapter":
        container = book_title
    else:
        container = study.get("journal_abbreviated") or study.get("journal")  # TA before JT
    return common.item(
        csl_type,
        {
            "title": title.removesuffix("."),  # PubMed's full stop, which references add themselves
            "container-title": container,
            "volume": study.get("journal_volume"),
            "issue": study.get("journal_issue"),
            "page": study.get("pages"),
            "publisher": first.get("PB"),
            "publisher-place": first.get("PL") if book_title else "",  # A journal's PL is its country.
            "DOI": study.get("doi") or located(tags, "doi"),
            "PMID": str(study.get("pubmed_id", "")),
            "PMCID": f"PMC{study['pmcid']}" if study.get("pmcid") else "",
            "ISBN": common.isbn(" ".join(tag.value for tag in tags if tag.name == "ISBN")),
            "abstract": study.get("abstract"),
            "language": common.language(study.get("language")),
        },
        authors=names(tags, "FAU", "AU", groups=True),
        editors=names(tags, "FED", "ED"),
        issued=issued(first.get("DP", "")),
    )


def kind_of(study, book_title):
    """A chapter (it has a title of its own) or a book when the record has a book title, else a
    journal article unless its publication types say otherwise."""
    if book_title:
        return "chapter" if study.get("title") else "book"
    types = (kind.lower() for kind in study.get("publication_types", []))
    return next((PUBLICATION_TYPES[kind] for kind in types if kind in PUBLICATION_TYPES), "article-journal")


def read_with_nbib(tags):
    """nbib's reading of the record's tags that it reads well, each given on one line."""
    lines = [f"{tag.name:<4}- {tag.value}" for tag in tags if tag.name in NBIB_TAGS]
    try:
        studies = nbib.read("\n".join(lines) + "\n")
    except (MalformedLine, UnknownTagFormat) as error:
        raise common.RecordError(f"a line is not in PubMed’s format ({error})") from None
    return studies[0] if studies else {}


def located(tags, kind):
    """An identifier from ``LID  - 10.1016/… [doi]``, the article's location."""
    for tag in tags:
        if tag.name == "LID" and tag.value.endswith(f"[{kind}]"):
            return tag.value.removesuffix(f"[{kind}]").strip()
    return ""


def names(tags, full, short, groups=False):
    """People in order from MEDLINE's full and short names; with ``groups``, collective
    authors (``CN``) in their places among them."""
    result, pending = [], None
    for tag in tags:
        if tag.name == full:
            result.extend([pending] if pending else [])
            pending = full_name(tag.value)
        elif tag.name == short:
            result.append(pending or short_name(tag.value))
            pending = None
        elif tag.name == "CN" and groups:
            result.extend([pending] if pending else [])
            result.append(common.organisation(tag.value))
            pending = None
    return result + ([pending] if pending else [])


def full_name(value):
    """``Kiernan, Matthew C`` → Kiernan, Matthew C."""
    family, _, given = value.partition(",")
    return common.person(family.strip(), given.strip())


def short_name(value):
    """``Tudur Smith C`` → Tudur Smith, C: the initials are the last word."""
    family, _, initials = value.rpartition(" ")
    if family and initials.isupper() and initials.isalpha():
        return common.person(family, initials)
    return common.person(value)


def issued(text):
    """``1985 Oct 5``, ``2004 Jan-Feb``, ``2013 Spring`` or ``2001`` → a CSL date."""
    words = text.split()
    if not words:
        return None
    month = words[1].split("-")[0].lower()[:3] if len(words) > 1 else ""
    if month not in common.MONTHS:  # A season, or a date PubMed does not write.
        return common.date(words[0])
    day = words[2].split("-")[0] if len(words) > 2 else None
    return common.date(words[0], month, day)

"""RIS, as EndNote, Zotero, Mendeley and publishers' sites export it.

A record runs from its ``TY  -`` line to its ``ER  -`` line. rispy reads the tags of a record;
the records themselves are found here first, because rispy drops a record that has no ``ER``
line (and, when the next ``TY`` comes first, merges the two): a file cut short, or a record
whose end was deleted, must be an error that names it, never a record that silently goes
missing. Tags are read in either spacing (``TY  - JOUR``, ``TY - JOUR``).

Reading follows Zotero's RIS importer where exporters disagree: an author without a comma, or
with a trailing one (EndNote's mark), is an organisation; a journal's abbreviation (``J2``,
``JO``) is preferred to its full title (``T2``), as Source keeps the NLM abbreviation; ``SN``
counts as an ISBN only when it is a valid one (journals put their ISSN there).

RIS has no tags for PMIDs, PMCIDs or a cut-short author list. Writing follows EndNote, whose
PubMed records keep the PMID as the accession number (``AN``, with ``DP  - NLM`` naming the
database it belongs to) and the PMCID in ``C2``; reading also takes ``PMID: …`` and
``PMCID: …`` lines of a note (``N1``). An incomplete author list is written as a note,
``N1  - The author list is incomplete (et al.).``, which other tools keep as a note; a last
author "et al." or "others", as some files have, counts too. The citation key is the record's
``ID`` (not EndNote's, which is a record number). Dates are written as Zotero writes them
(``DA  - 1985/10/05/``, ``PY  - 1985``), and read in EndNote's words too (``DA  - Oct 5``).

What RIS loses: the paragraphs of an abstract (a tag's lines are one paragraph; abstracts are
written on one line).
"""

import re

import rispy

from references import csl

from . import common

LABEL = "RIS"

#: RIS types → CSL types; the others are generic documents.
TYPES = {
    "JOUR": "article-journal",
    "EJOUR": "article-journal",
    "JFULL": "article-journal",
    "ABST": "article-journal",
    "INPR": "article-journal",
    "MGZN": "article-magazine",
    "NEWS": "article-newspaper",
    "BOOK": "book",
    "EBOOK": "book",
    "EDBOOK": "book",
    "CHAP": "chapter",
    "ECHAP": "chapter",
    "ENCYC": "entry-encyclopedia",
    "DICT": "entry-dictionary",
    "RPRT": "report",
    "GOVDOC": "report",
    "STAND": "standard",
    "ELEC": "webpage",
    "WEB": "webpage",
    "BLOG": "post-weblog",
    "CONF": "paper-conference",
    "CPAPER": "paper-conference",
    "THES": "thesis",
    "UNPB": "manuscript",
    "MANSCPT": "manuscript",
    "DATA": "dataset",
    "GEN": "document",
}
#: Source kinds → RIS types, for writing; other CSL types are written as ``GEN``.
RIS_TYPES = {
    "article-journal": "JOUR",
    "book": "BOOK",
    "chapter": "CHAP",
    "report": "RPRT",
    "webpage": "ELEC",
    "paper-conference": "CPAPER",
    "thesis": "THES",
}
#: Where each kind keeps its container, in order of preference.
CONTAINERS = {"article-journal": ("J2", "JO", "JA", "T2", "JF")}
OTHER_CONTAINERS = ("T2", "BT", "JF", "JO", "J2")
#: The tag of editors, by kind, as EndNote and Zotero use them (``A2`` is a series editor in a
#: book or report); ``ED`` is read as editors in any record, and written for the other kinds.
EDITORS = {"book": "A3", "chapter": "A2", "paper-conference": "A2"}
#: Last "authors" that only say the list goes on.
ET_AL = {"et al", "et al.", "others", "..."}
INCOMPLETE = "The author list is incomplete (et al.)."
#: Notes that carry identifiers RIS has no tag for.
NOTE_IDENTIFIER = re.compile(r"^\s*(PMID|PMCID):\s*(\S+)", re.IGNORECASE | re.MULTILINE)
#: Databases whose accession number is a PMID.
PUBMED = re.compile(r"NLM|PubMed|MEDLINE", re.IGNORECASE)

TAG_LINE = re.compile(r"([A-Z][A-Z0-9]) {1,2}-(?: (.*))?")
#: Every tag read or written, by the tag itself in lower case, for rispy: ``record["sp"]``.
TAGS = {tag: tag.lower() for tag in [*rispy.TAG_KEY_MAPPING, "BT", "CT", "ED", "SV"]}
LIST_TAGS = [*rispy.LIST_TYPE_TAGS, "ED"]
PARSER = rispy.RisParser(mapping=TAGS, list_tags=LIST_TAGS, delimiter_tags_mapping={})


class Writer(rispy.RisWriter):
    REFERENCE_TYPE_KEY = "ty"
    DEFAULT_REFERENCE_TYPE = "GEN"

    def set_header(self, count):
        return ""  # rispy numbers records ("1."), which other readers take for a stray line.


def detect(text):
    return re.search(r"^TY {1,2}- ", text, re.MULTILINE) is not None


# Reading.


def parse(text):
    """Every record of a RIS file, in order, including the broken ones."""
    records = list(split(text))
    if not records:
        raise common.FormatError("there is no RIS record in this file: a record starts with a “TY  - ” line")
    return [
        common.checked(number, line, item_of, lines, problem)
        for number, (line, lines, problem) in enumerate(records, 1)
    ]


def split(text):
    """The records of a file as ``(first line, lines, problem)``, their tags written the one way
    rispy reads them; ``problem`` says what is wrong with a record's shape, or is None."""
    lines, start, problem = None, 0, None
    for number, line in enumerate(text.split("\n"), 1):
        match = TAG_LINE.fullmatch(line.rstrip())
        tag = match[1] if match else None
        if tag == "TY":
            if lines is not None:
                yield start, lines, problem or f"it has no “ER  -” line: the next record starts on line {number}"
            lines, start, problem = [], number, None
        elif lines is None:
            if not tag:
                continue  # Between records: blank lines, or a header some exporters write.
            lines, start, problem = [], number, "it does not start with a “TY  -” line"
        elif tag == "ER":
            yield start, lines, problem
            lines = None
            continue
        lines.append(f"{tag}  - {match[2] or ''}" if tag else line)
    if lines is not None:
        yield start, lines, problem or "the file ends before this record’s “ER  -” line: it may have been cut short"


def item_of(lines, problem):
    if problem:
        raise common.RecordError(problem)
    [record] = PARSER.parse_lines(iter([*lines, "ER  - "]))
    csl_type = TYPES.get(record.get("ty", "").strip().upper(), "document")
    kind = csl.kind(csl_type)

    def text(*tags):
        """The first of these tags that has a value, on one line."""
        return next((common.clean(value) for tag in tags if (value := first(record.get(tag.lower())))), "")

    authors, incomplete = names(values(record, "AU", "A1"))
    editors, _ = names(values(record, EDITORS.get(kind, "ED"), "ED"))
    notes = "\n".join(record.get("n1", []))
    noted = {label.upper(): value for label, value in NOTE_IDENTIFIER.findall(notes)}
    return common.item(
        csl_type,
        {
            "title": text("TI", "T1", "CT") or (text("BT") if kind == "book" else ""),
            "container-title": text(*CONTAINERS.get(kind, OTHER_CONTAINERS)),
            "volume": text("VL"),
            "issue": text("IS"),
            "page": pages(text("SP"), text("EP")),
            "publisher": text("PB"),
            "publisher-place": text("CY"),
            "DOI": text("DO") or (text("M3") if text("M3").startswith("10.") else ""),  # M3: Zotero's reading
            "PMID": pmid(text("AN"), text("DP", "DB")) or noted.get("PMID"),
            "PMCID": text("C2") if re.fullmatch(r"PMC\d+", text("C2")) else noted.get("PMCID"),
            "ISBN": common.isbn(text("SN")),
            "URL": re.split(r";?\s+", text("UR"))[0],
            "abstract": text("AB", "N2"),  # RIS runs paragraphs together.
            "language": common.language(text("LA")),
        },
        authors=authors,
        editors=editors,
        issued=issued(text("PY", "Y1"), text("DA")),
        accessed=accessed(text("Y2")),
        key="" if text("ID").isdigit() else text("ID"),  # EndNote numbers its records in ID.
        incomplete=incomplete or INCOMPLETE.lower() in notes.lower(),
    )


def values(record, *tags):
    """Every value of these repeatable tags, each tag read once."""
    return [value for tag in dict.fromkeys(tags) for value in record.get(tag.lower(), [])]


def first(value):
    """A tag's value; the first, for a tag that may repeat."""
    if isinstance(value, list):
        return value[0] if value else ""
    return value or ""


def pmid(accession, database):
    """The accession number (``AN``) when it is a PMID: a number (or "PMID: …") in a record from
    NLM's database, which ``DP`` or ``DB`` names. Zotero's ``AN`` is an archive's shelf mark."""
    number = re.sub(r"^PMID:?\s*", "", accession, flags=re.IGNORECASE)
    from_pubmed = PUBMED.search(database) or accession.upper().startswith("PMID")
    return number if from_pubmed and number.isdigit() else ""


def names(values):
    """CSL names from ``AU`` values, and whether the last one said "et al"."""
    people, incomplete = [], False
    for value in map(common.clean, values):
        if value.lower() in ET_AL:
            incomplete = True
        elif value:
            people.append(name(value))
    return people, incomplete


def name(value):
    """``Kiernan, M. C.`` is a person (``Family, Given, Suffix``); ``World Health Organization``
    (no comma) and ``World Health Organization,`` (EndNote's trailing comma) are organisations."""
    family, comma, given = value.partition(",")
    given = given.split(",")[0].strip()
    if not comma or not given:
        return common.organisation(family.strip())
    return common.person(family.strip(), given)


def date_parts(text):
    """``(year, month, day)`` as written, ``""`` for a missing part: numeric (``1985/10/05/``,
    ``1985-10-05``) or in EndNote's words (``Oct 5``, ``October 1985``)."""
    if not text:
        return "", "", ""
    if text[0].isdigit():
        pieces = [piece.strip() for piece in re.split(r"[/-]", text)] + ["", ""]
        return pieces[0], pieces[1], (pieces[2].split() or [""])[0]
    words = re.findall(r"[A-Za-z]+\.?|\d+", text)
    month = next((word for word in words if word.lower().rstrip(".") in common.MONTHS), "")
    year = next((word for word in words if len(word) == 4 and word.isdigit()), "")
    day = next((word for word in words if word.isdigit() and len(word) <= 2), "")
    return year, month, day


def issued(year_text, date_text):
    """The date of publication: the year from ``PY``, the month and day from ``DA`` when it is
    of the same year (or has none), else from ``PY`` itself (``1985/10/05/``)."""
    year, month, day = date_parts(year_text)
    da_year, da_month, da_day = date_parts(date_text)
    if da_month and da_year in ("", year):
        month, day = da_month, da_day
    year = year or da_year
    return common.date(year, month or None, day or None) if year else None


def accessed(text):
    year, month, day = date_parts(text)
    if not year:
        return None
    try:
        return common.date(year, month or None, day or None)
    except common.RecordError:
        raise common.RecordError(f"the access date {text} is not a date") from None


def pages(start, end):
    """``SP`` and ``EP`` as one range: ``752`` and ``3`` → ``752-3``."""
    return f"{start}-{end}" if start and end and "-" not in start else start or end


# Writing.


def dump(items):
    """CSL-JSON items as a RIS file."""
    return rispy.dumps(
        [record(item) for item in items],
        implementation=Writer,
        mapping=TAGS,
        list_tags=LIST_TAGS,
        delimiter_tags_mapping={},
    )


def record(item):
    """One item as rispy's record: tags (in lower case) to values, in Zotero's order, with the
    identifiers and notes it has no tags for at the end."""
    values, authors, editors = csl.fields(item)
    kind = values["kind"]
    result = {"ty": RIS_TYPES.get(kind, "GEN")}

    def add(tag, value):
        if value not in (None, "", []):
            result[tag.lower()] = value

    add("TI", values["title"])
    add("AU", [written(family, given) for family, given in authors])
    add(EDITORS.get(kind, "ED"), [written(family, given) for family, given in editors])
    add("T2", values.get("container_title"))
    if kind == "article-journal":
        add("J2", values.get("container_title"))
    add("AB", common.clean(values.get("abstract")))  # On one line: RIS has no paragraphs.
    if values.get("year"):
        add("DA", ris_date(values["year"], values.get("month"), values.get("day")))
        add("PY", f"{values['year']:04d}")
    add("VL", values.get("volume"))
    add("IS", values.get("issue"))
    start, _, end = values.get("pages", "").partition("-")
    add("SP", start)
    add("EP", end)
    add("PB", values.get("publisher"))
    add("CY", values.get("publisher_place"))
    add("SN", values.get("isbn"))
    add("DO", values.get("doi"))
    add("UR", [values["url"]] if values.get("url") else [])
    if accessed := values.get("accessed"):
        add("Y2", ris_date(accessed.year, accessed.month, accessed.day))
    add("LA", values.get("language"))
    if values.get("pmid"):
        add("AN", values["pmid"])
        add("DP", "NLM")
    add("C2", values.get("pmcid"))
    add("N1", [INCOMPLETE] if values.get("authors_incomplete") else [])
    add("ID", common.key_of(item))
    return result


def ris_date(year, month=None, day=None):
    """Zotero's form, every part in its place: ``1985/10/05/``, ``1985/10//``, ``1985///``."""
    return f"{year:04d}/{f'{month:02d}' if month else ''}/{f'{day:02d}' if day else ''}/"


def written(family, given):
    """``Family, Given``; an organisation with EndNote's trailing comma, which Zotero reads too."""
    return f"{family}, {given}" if given else f"{family},"

"""Sources as CSL-JSON items, and back.

CSL-JSON (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html) is the one shape
every part of the reference library speaks: the importers turn BibTeX, RIS, MEDLINE and Scholar
lines into items, the look-ups turn Crossref and PubMed answers into items, the exporters write
items out, and the CSL processor formats items. ``item()`` reads a source's ``record()`` (or a
revision's copy of one); ``fields()`` gives back what a ``Source`` and its authors are made of.

Two things CSL has no variable for travel in its ``custom`` object: the citation key (also the
item's ``id``) and whether the author list was cut short (Scholar's "…", BibTeX's "and others").
"""

import datetime

#: CSL types we keep as they are (``Source.Kind``); the others map to the nearest kind.
KINDS = {"article-journal", "book", "chapter", "report", "webpage", "paper-conference", "thesis"}
NEAREST_KIND = {
    "article": "article-journal",  # preprints
    "article-magazine": "article-journal",
    "article-newspaper": "article-journal",
    "review": "article-journal",
    "review-book": "article-journal",
    "entry-encyclopedia": "chapter",
    "entry-dictionary": "chapter",
    "entry": "chapter",
    "post": "webpage",
    "post-weblog": "webpage",
    "manuscript": "report",
    "standard": "report",
    "legislation": "report",
    "dataset": "report",
    "document": "report",
}
#: Source field ↔ CSL variable, for the plain strings.
STRINGS = [
    ("title", "title"),
    ("container_title", "container-title"),
    ("volume", "volume"),
    ("issue", "issue"),
    ("pages", "page"),
    ("publisher", "publisher"),
    ("publisher_place", "publisher-place"),
    ("doi", "DOI"),
    ("pmid", "PMID"),
    ("pmcid", "PMCID"),
    ("isbn", "ISBN"),
    ("url", "URL"),
    ("abstract", "abstract"),
    ("language", "language"),
]


def kind(csl_type):
    """The ``Source.Kind`` value for a CSL type; unknown types are reports (the least specific)."""
    return csl_type if csl_type in KINDS else NEAREST_KIND.get(csl_type, "report")


def names(pairs):
    """``[family, given]`` pairs as CSL names; a name without given names (an organisation,
    "World Health Organization") is a literal, which styles never invert or abbreviate."""
    return [{"family": family, "given": given} if given else {"literal": family} for family, given in pairs]


def date_parts(*parts):
    parts = [int(part) for part in parts]
    while parts and not parts[-1]:
        parts.pop()
    return {"date-parts": [parts]} if parts else None


def item(record):
    """A source ``record()`` as a CSL-JSON item (strings as stored, nothing formatted)."""
    csl = {"id": record.get("key", ""), "type": record.get("kind") or "article-journal"}
    for people in ("author", "editor"):
        if record.get(f"{people}s"):
            csl[people] = names(record[f"{people}s"])
    for name, variable in STRINGS:
        if record.get(name):
            csl[variable] = str(record[name])
    if issued := date_parts(record.get("year") or 0, record.get("month") or 0, record.get("day") or 0):
        csl["issued"] = issued
    if accessed := record.get("accessed"):
        csl["accessed"] = date_parts(*str(accessed).split("-"))
    csl["custom"] = {"citation-key": record.get("key", "")}
    if record.get("authors_incomplete"):
        csl["custom"]["authors-incomplete"] = True
    return csl


def fields(csl):
    """What a CSL-JSON item gives a ``Source``: ``(fields, authors, editors)``, where the authors
    and editors are ``[family, given]`` pairs. Fields the item lacks are left out, so that a
    look-up fills a source without blanking what it does not know. Raises ``ValueError`` (with a
    sentence that says why) for an item no source can be made of."""
    if not isinstance(csl, dict):
        raise ValueError("an item is not a JSON object")
    values = {"kind": kind(csl.get("type", ""))}
    for name, variable in STRINGS:
        value = csl.get(variable)
        if isinstance(value, list):  # some exporters write ISBNs and titles as lists
            value = value[0] if value else ""
        if value not in (None, ""):
            values[name] = " ".join(str(value).split()) if name != "abstract" else str(value).strip()
    issued = parts_of(csl.get("issued"), "issued")
    for name, part in zip(("year", "month", "day"), issued, strict=False):  # as many parts as given
        values[name] = part
    if accessed := parts_of(csl.get("accessed"), "accessed"):
        try:
            values["accessed"] = datetime.date(*(list(accessed) + [1, 1])[:3])
        except ValueError:
            raise ValueError(f"the access date {accessed} is not a date") from None
    custom = csl.get("custom") if isinstance(csl.get("custom"), dict) else {}
    if key := custom.get("citation-key") or csl.get("citation-key"):
        values["key"] = str(key)
    if custom.get("authors-incomplete"):
        values["authors_incomplete"] = True
    if not values.get("title"):
        raise ValueError("it has no title")
    return values, pairs(csl.get("author")), pairs(csl.get("editor"))


def parts_of(date, name):
    """A CSL date's ``[year, month, day]`` (as many as it has), from ``date-parts``, ``raw`` or
    ``literal`` when those hold a year."""
    if not date:
        return []
    if not isinstance(date, dict):
        raise ValueError(f"the {name} date is not a CSL date")
    try:
        if date.get("date-parts"):
            return [int(part) for part in date["date-parts"][0] if str(part).strip()][:3]
        text = str(date.get("raw") or date.get("literal") or "")
        year = next((int(word[:4]) for word in text.replace("-", " ").split() if word[:4].isdigit()), None)
        return [year] if year else []
    except (TypeError, ValueError, IndexError):
        raise ValueError(f"the {name} date {date!r} has no year") from None


def pairs(people):
    """CSL names as ``[family, given]``: literals (organisations) keep their whole name as family."""
    result = []
    for person in people or []:
        if not isinstance(person, dict):
            continue
        if person.get("literal"):
            result.append([" ".join(str(person["literal"]).split()), ""])
        elif person.get("family"):
            family = " ".join(filter(None, [person.get("non-dropping-particle"), person["family"]]))
            result.append([family, str(person.get("given", "")).strip()])
    return result

"""Reading Google Scholar result lines, as pasted under an article's list of sources.

Scholar shows each result as ``Title by Authors – Journal, Year – Publisher or host``::

    Prognosis after a first untreated tonic-clonic seizure by RDC Elwes, P Chesterman,
    EH Reynolds – The Lancet, 1985 – Elsevier

(on one line). Scholar shortens long author lists and journal names with "…". The parser keeps
what Scholar shows and says when it was shortened; it never guesses what was cut.
"""

import re
from dataclasses import dataclass

#: Scholar's separator between the authors, the journal and year, and the host.
SEPARATOR = re.compile(r"\s+–\s+")
JOURNAL_AND_YEAR = re.compile(r"(?:(?P<container>.+?),\s*)?(?P<year>\d{4})")
ELLIPSIS = ("…", "...")
#: Initials as Scholar writes them before a family name: "RDC Elwes".
MAX_INITIALS = 4


class ScholarFormatError(ValueError):
    """A line that does not have the shape of a Google Scholar result."""


@dataclass(frozen=True)
class ScholarReference:
    title: str
    #: (family, initials) pairs, as many as Scholar names.
    authors: tuple
    #: True when Scholar cut the author list short with "…": more authors exist than are named.
    authors_truncated: bool
    #: The journal as Scholar shows it, a trailing "…" included when Scholar shortened it.
    container_title: str
    year: int
    #: Publisher or hosting site: "Elsevier", "journals.sagepub.com".
    publisher: str


def parse(line):
    """One Scholar result line → ``ScholarReference``; ``ScholarFormatError`` if it is not one."""
    parts = SEPARATOR.split(clean(line))
    if len(parts) < 2:
        raise ScholarFormatError("no “ – ” after the authors")
    position, journal_and_year = find_journal_and_year(parts)
    title, by, authors = " – ".join(parts[:position]).rpartition(" by ")
    if not by or not title.strip():
        raise ScholarFormatError("no “Title by Authors” before the first “ – ”")
    names, truncated = parse_authors(authors)
    return ScholarReference(
        title=title.strip(),
        authors=names,
        authors_truncated=truncated,
        container_title=journal_and_year["container"] or "",
        year=int(journal_and_year["year"]),
        publisher=" – ".join(parts[position + 1 :]),
    )


def clean(text):
    """Plain spaces and hyphens for the look-alikes that Scholar pages are full of.

    Non-breaking spaces and Unicode hyphens (U+2010, U+2011) would otherwise make the same
    title compare unequal to one typed by an editor.
    """
    text = re.sub(r"[\u2010\u2011]", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def find_journal_and_year(parts):
    """The last "Journal, Year" part (never the first: that holds the title and authors)."""
    for position in range(len(parts) - 1, 0, -1):
        match = JOURNAL_AND_YEAR.fullmatch(parts[position])
        if match:
            return position, match
    raise ScholarFormatError("no year: expected “– Journal, 2001 –” after the authors")


def parse_authors(text):
    """``"CT Smith, AG Marson…"`` → ``((("Smith", "CT"), ("Marson", "AG")), True)``."""
    names = [name.strip() for name in text.split(",")]
    truncated = names[-1].endswith(ELLIPSIS)
    if truncated:
        names[-1] = names[-1].rstrip(".…").strip()
        if not names[-1]:  # "A Smith, …"
            names.pop()
    if not names or not all(names):
        raise ScholarFormatError("an empty author name after “ by ”")
    return tuple(split_name(name) for name in names), truncated


def split_name(name):
    """``"A Van de Vel"`` → ``("Van de Vel", "A")``; a name without initials is kept whole.

    Organisations ("World Health Organization") have no initials and stay whole as the family.
    """
    initials, _, family = name.partition(" ")
    if family and initials.isalpha() and initials.isupper() and len(initials) <= MAX_INITIALS:
        return family, initials
    return name, ""

"""What the formats share: records as entries, the errors editors read, and the rules for dates,
languages and names that do not depend on the file they come from.

Each format module reads a file into CSL-JSON items (``references.csl`` is the contract) and
wraps each in an ``Entry``. A record that cannot be imported still becomes an entry, with the
reason as its ``error``, so that a preview lists it among the good ones; only what stops the whole
file from being read raises ``FormatError``.
"""

import re
from dataclasses import dataclass

from stdnum import isbn as stdnum_isbn

from references import csl


class FormatError(Exception):
    """A file that cannot be read at all. The message says where and why, in an editor's words:
    "line 4 is not UTF-8 text", "the file is empty"."""


class RecordError(ValueError):
    """What is wrong with one record ("the year 19x5 is not a year"): its entry's error."""


@dataclass(frozen=True)
class Entry:
    """One record of a file: its place, and either its CSL-JSON item or why it has none."""

    #: The record's number in the file, from 1.
    number: int
    #: The line the record starts on, from 1.
    line: int
    item: dict | None = None
    #: Why the record cannot be imported ("it has no title"), or None.
    error: str | None = None

    def __str__(self):
        where = f"record {self.number} (line {self.line})"
        return f"{where}: {self.error}" if self.error else where


def checked(number, line, make, *args):
    """The entry for one record: ``make(*args)`` builds its item, which ``csl.fields()`` must
    accept. A ``ValueError`` from either (``RecordError`` is one) becomes the entry's error."""
    try:
        item = make(*args)
        csl.fields(item)
    except ValueError as error:
        return Entry(number, line, error=str(error))
    item.setdefault("id", item.get("custom", {}).get("citation-key") or f"record-{number}")
    return Entry(number, line, item=item)


def item(csl_type, variables, *, authors=(), editors=(), issued=None, accessed=None, key="", incomplete=False):
    """A CSL-JSON item of ``csl_type``: ``variables`` by their CSL names, the empty ones left
    out, and the two things CSL has no variable for in ``custom`` (see ``references.csl``)."""
    result = {"type": csl_type}
    result.update((name, value) for name, value in variables.items() if value not in (None, ""))
    for role, names in (("author", authors), ("editor", editors)):
        if names:
            result[role] = list(names)
    for name, date in (("issued", issued), ("accessed", accessed)):
        if date:
            result[name] = date
    custom = {}
    if key:
        custom["citation-key"] = key
    if incomplete:
        custom["authors-incomplete"] = True
    if custom:
        result["custom"] = custom
    return result


def key_of(item):
    """The key to write an item under: its citation key (``custom``, or CSL 1.0.2's
    ``citation-key``), else its id."""
    custom = item.get("custom") if isinstance(item.get("custom"), dict) else {}
    return str(custom.get("citation-key") or item.get("citation-key") or item.get("id") or "")


# Names.


def person(family, given=""):
    return {"family": family, "given": given} if given else {"family": family}


def organisation(name):
    """A name no style may invert or abbreviate: "World Health Organization"."""
    return {"literal": name}


# Dates.

MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
#: The BibTeX macros for months, in order: ``month = oct``.
MONTH_MACROS = [name[:3] for name in MONTH_NAMES]
#: Month names, whole or cut short, to their numbers.
MONTHS = dict(zip(MONTH_MACROS, range(1, 13), strict=True)) | dict(zip(MONTH_NAMES, range(1, 13), strict=True))
MONTHS["sept"] = 9


def year(text):
    """``"1985"`` → 1985; anything but four digits is an error that quotes it."""
    text = str(text).strip()
    if not re.fullmatch(r"\d{4}", text):
        raise RecordError(f"the year {text} is not a year")
    return int(text)


def month(text):
    """``"10"``, ``"oct"``, ``"October"`` or ``"Oct."`` → 10."""
    text = str(text).strip()
    number = int(text) if text.isdigit() else MONTHS.get(text.lower().rstrip("."), 0)
    if not 1 <= number <= 12:
        raise RecordError(f"the month {text} is not a month")
    return number


def day(text):
    text = str(text).strip()
    if not (text.isdigit() and 1 <= int(text) <= 31):
        raise RecordError(f"the day {text} is not a day of a month")
    return int(text)


#: What files write for a work with no date yet: no year, rather than an error.
UNDATED = {"n.d.", "nd", "s.d.", "in press", "forthcoming", "submitted", "accepted"}


def date(year_, month_=None, day_=None):
    """A CSL date from its parts (as text or numbers, the missing ones None), checked; None for
    a work that is undated or in press."""
    if str(year_).strip().lower() in UNDATED:
        return None
    parts = [year(year_)]
    if month_:
        parts.append(month(month_))
        if day_:
            parts.append(day(day_))
    return {"date-parts": [parts]}


def iso_date(text, what="date"):
    """``"2024-03-01"``, ``"2024/03/01/"`` or ``"2024-03"`` → a CSL date; None for nothing."""
    text = str(text or "").strip()
    if not text:
        return None
    match = re.fullmatch(r"(\d{4})(?:[-/](\d{1,2})?(?:[-/](\d{1,2})?)?)?(?:[/T ].*)?", text)
    if not match:
        raise RecordError(f"the {what} {text} is not a date (expected 2024-03-01)")
    return date(*match.groups())


# Languages.

#: ISO 639-2 codes (bibliographic and terminology, as MEDLINE and exporters write them) and English
#: names, for the languages medical literature is most often in, as ISO 639-1 codes.
LANGUAGES = {
    code: tag
    for tag, codes in {
        "ar": ("ara", "arabic"),
        "cs": ("cze", "ces", "czech"),
        "da": ("dan", "danish"),
        "de": ("ger", "deu", "german"),
        "el": ("gre", "ell", "greek"),
        "en": ("eng", "english"),
        "es": ("spa", "spanish"),
        "fa": ("per", "fas", "persian"),
        "fi": ("fin", "finnish"),
        "fr": ("fre", "fra", "french"),
        "he": ("heb", "hebrew"),
        "hr": ("hrv", "croatian"),
        "hu": ("hun", "hungarian"),
        "it": ("ita", "italian"),
        "ja": ("jpn", "japanese"),
        "ko": ("kor", "korean"),
        "nl": ("dut", "nld", "dutch"),
        "no": ("nor", "norwegian"),
        "pl": ("pol", "polish"),
        "pt": ("por", "portuguese"),
        "ro": ("rum", "ron", "romanian"),
        "ru": ("rus", "russian"),
        "sk": ("slo", "slk", "slovak"),
        "sl": ("slv", "slovenian"),
        "sr": ("srp", "serbian"),
        "sv": ("swe", "swedish"),
        "th": ("tha", "thai"),
        "tr": ("tur", "turkish"),
        "uk": ("ukr", "ukrainian"),
        "zh": ("chi", "zho", "chinese"),
    }.items()
    for code in codes
}


def language(text):
    """A language tag: ``"eng"`` or ``"English"`` → ``"en"``; tags ("en-GB") and languages the
    table does not know are kept as written."""
    text = clean(text)
    return LANGUAGES.get(text.lower(), text)


# Text.

#: What could be an ISBN-10 or ISBN-13, hyphens and all; stdnum checks it.
ISBN = re.compile(r"\d[\d-]{8,15}[\dXx]")


def clean(text):
    """One line, single spaces."""
    return " ".join(str(text or "").split())


def isbn(text):
    """The first valid ISBN in ``text`` ("978-0-19-…; 0-19-…"), as written; "" for none.

    Formats put ISBNs and ISSNs in the same field (RIS ``SN``), so only a checked ISBN counts.
    """
    return next((found for found in ISBN.findall(str(text or "")) if stdnum_isbn.is_valid(found)), "")

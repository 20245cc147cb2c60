"""Bibliographic files in and out: BibTeX, RIS, PubMed's MEDLINE (.nbib), CSL-JSON and pasted
Google Scholar lines, all read into CSL-JSON items (``references.csl`` is the contract), and
BibTeX, RIS and CSL-JSON written from them::

    text = formats.read(upload.read())      # bytes to text, or FormatError
    name = formats.guess(text)              # "bibtex", "ris", "nbib", "csljson" or "scholar"
    for entry in formats.parse(text, name):
        entry.item or entry.error           # each record: an item, or why it has none
    formats.dump(items, "ris")

A record that cannot be imported is an ``Entry`` with an ``error`` among the others; only what
stops the whole file (nothing in it, not UTF-8, too large, broken JSON) raises ``FormatError``.
What each format keeps and loses is told in its module.
"""

from django.conf import settings

from . import bibtex, csljson, nbib, ris, scholar
from .common import Entry, FormatError

__all__ = ["FORMATS", "WRITABLE", "Entry", "FormatError", "dump", "guess", "parse", "read"]

MODULES = {"bibtex": bibtex, "ris": ris, "nbib": nbib, "csljson": csljson, "scholar": scholar}
#: Every format, by name, with its name for editors.
FORMATS = {name: module.LABEL for name, module in MODULES.items()}
#: The formats ``dump()`` writes: PubMed files and Scholar lines are only read.
WRITABLE = ("bibtex", "ris", "csljson")
#: The order ``guess()`` tries formats in: a CSL-JSON file starts with its list; a MEDLINE
#: record's first line (``PMID-``), a RIS record's (``TY  -``) and a BibTeX entry's (``@article{``)
#: appear in no other format; any line can look like a Scholar result, so Scholar comes last.
GUESS_ORDER = ["csljson", "nbib", "ris", "bibtex", "scholar"]


def read(data, limit=None):
    """The text of an uploaded file, UTF-8 with or without a byte order mark.

    ``limit`` is the largest file accepted, in bytes: by default ``CLONUS_IMPORT_MAX_BYTES``
    (20 MB), read when called, so that the setting can change without a restart of the reader.
    """
    limit = settings.CLONUS_IMPORT_MAX_BYTES if limit is None else limit
    if len(data) > limit:
        raise FormatError(f"the file is {size(len(data))}, larger than the limit of {size(limit)}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        start = data.rfind(b"\n", 0, error.start) + 1
        line = data.count(b"\n", 0, error.start) + 1
        column = len(data[start : error.start].decode("utf-8", "replace")) + 1
        raise FormatError(
            f"line {line} is not UTF-8 text (the byte {data[error.start]:#04x} in column {column}): "
            "export the file again choosing UTF-8 (Unicode) as its character encoding"
        ) from None
    if not text.strip():
        raise FormatError("the file is empty")
    return text


def guess(text):
    """The name of the format ``text`` is in, from its content; ``FormatError`` if none fits."""
    text = normalised(text)
    for name in GUESS_ORDER:
        if MODULES[name].detect(text):
            return name
    raise FormatError(
        "this is not a file Clonus can read: expected BibTeX (“@article{…”), RIS (“TY  - JOUR”), "
        "PubMed’s MEDLINE format (“PMID- …”), CSL-JSON (“[{…}]”) or Google Scholar result lines"
    )


def parse(text, name):
    """Every record of ``text``, read as format ``name``, as an ``Entry``."""
    return module(name).parse(normalised(text))


def dump(items, name):
    """CSL-JSON items written as format ``name``: ``bibtex``, ``ris`` or ``csljson``."""
    writer = module(name)
    if name not in WRITABLE:
        raise ValueError(f"{FORMATS[name]} files are read, not written")
    return writer.dump(list(items))


def module(name):
    """The module that reads (and writes) format ``name``; ``ValueError`` for no such format."""
    if name not in MODULES:
        raise ValueError(f"there is no format {name!r}: the formats are {', '.join(MODULES)}")
    return MODULES[name]


def normalised(text):
    """Text with one kind of line end and no byte order mark; ``FormatError`` if it is empty."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise FormatError("the file is empty")
    return text


def size(count):
    """``150 bytes``, or ``20.0 MB (20,971,521 bytes)``: exact where it matters."""
    if count < 1024:
        return f"{count} bytes"
    unit, scale = ("KB", 1024) if count < 1024**2 else ("MB", 1024**2)
    return f"{count / scale:.1f} {unit} ({count:,} bytes)"

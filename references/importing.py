"""Importing sources from a file: read, check against the library, then create, all or nothing.

``Import.read()`` parses a file (``references.formats``) and checks every record as a source
without writing anything: its fields and identifiers, whether the library (or the file, earlier)
already has the same work, and the key it would get. The admin shows that as a preview; the
command line and the admin's confirmation call ``save()``, which creates the new sources in one
transaction, or none if any record has an error. Duplicates are skipped, never merged: merging
is a site admin's decision (``Source.merge_into()``).

The library is read once, into a ``Library`` index, so that checking 10,000 records costs a few
queries rather than several per record.
"""

import re
import secrets
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from itertools import count, product
from pathlib import Path
from string import ascii_lowercase

from django.core.exceptions import ValidationError
from django.db import transaction

from . import csl, formats, formatting
from .models import KEY_PATTERN, Author, Source, set_references, title_key

KEY = re.compile(KEY_PATTERN)
#: Fields a record cannot set: the key is checked on its own, the rest is bookkeeping.
NOT_FROM_FILES = {"key", "merged_into", "reference", "reference_style"}


def key_stem(family, year):
    """``("Van de Vel", 2014)`` → ``"vandevel2014"``: the first author's family name in plain
    lower-case letters, and the year."""
    ascii_family = unicodedata.normalize("NFKD", family).encode("ascii", "ignore").decode()
    letters = re.sub(r"[^a-z0-9]", "", ascii_family.lower())[:50]
    return f"{letters or 'source'}{year or ''}"


def suffixes():
    """ "", "a", "b", … "z", "aa", "ab", …"""
    yield ""
    for length in count(1):
        for letters in product(ascii_lowercase, repeat=length):
            yield "".join(letters)


def free_key(stem, taken):
    """``stem``, or ``stem`` with the first letters not in ``taken``: ``haber2001a``."""
    return next(stem + suffix for suffix in suffixes() if stem + suffix not in taken)


def new_key(family, year):
    """A key no source has, for one source: its first author's family name and its year."""
    stem = key_stem(family, year)
    return free_key(stem, set(Source.objects.filter(key__startswith=stem).values_list("key", flat=True)))


class Library:
    """What an import checks records against: every key, and the current sources by DOI, PMID
    and (title, year, first author)."""

    def __init__(self):
        self.keys = set(Source.objects.values_list("key", flat=True))
        first_authors = {}
        for source_id, family in (
            Author.objects.filter(role=Author.Role.AUTHOR).order_by("-position", "-id").values_list("source", "family")
        ):
            first_authors[source_id] = family  # the last written is the first in order
        self.works = {}
        for source in Source.objects.current().only("pk", "key", "doi", "pmid", "title", "year"):
            for identity in identities(source, first_authors.get(source.pk, "")):
                self.works.setdefault(identity, source)

    def same_work(self, source, family):
        return next((self.works[i] for i in identities(source, family) if i in self.works), None)

    def add(self, source, family):
        self.keys.add(source.key)
        for identity in identities(source, family):
            self.works.setdefault(identity, source)

    def free_key(self, stem):
        return free_key(stem, self.keys)


def identities(source, family):
    """The ways a source is recognised as the same work as another."""
    if source.doi:
        yield ("doi", source.doi)
    if source.pmid:
        yield ("pmid", source.pmid)
    if source.title and source.year and family:
        yield ("work", title_key(source.title), source.year, family.casefold())


@dataclass
class Row:
    """One record of the file, as it would be imported."""

    number: int
    line: int
    source: Source | None = None
    authors: list = field(default_factory=list)
    editors: list = field(default_factory=list)
    #: The source already in the library (saved) or earlier in the file (unsaved) it repeats.
    duplicate_of: Source | None = None
    duplicate_row: int | None = None
    error: str = ""

    @property
    def where(self):
        return f"record {self.number} (line {self.line})" if self.line else f"record {self.number}"

    @property
    def is_new(self):
        return not self.error and self.duplicate_of is None


@dataclass
class Import:
    format: str
    rows: list

    @classmethod
    def read(cls, data, format=None, keys=None):
        """Parse the bytes of a file and check each record; ``FormatError`` for a file that
        cannot be read at all. ``keys`` maps record numbers to keys chosen by an editor."""
        return cls.parse(formats.read(data), format, keys)

    @classmethod
    def parse(cls, text, format=None, keys=None, progress=iter):
        format = format or formats.guess(text)
        entries = formats.parse(text, format)
        if not entries:
            raise formats.FormatError(f"The file holds no {formats.FORMATS[format]} records.")
        library, keys = Library(), keys or {}
        rows = [check(entry, library, keys.get(entry.number)) for entry in progress(entries)]
        return cls(format, rows)

    @property
    def new(self):
        return [row for row in self.rows if row.is_new]

    @property
    def duplicates(self):
        return [row for row in self.rows if row.duplicate_of is not None]

    @property
    def errors(self):
        return [row for row in self.rows if row.error]

    @transaction.atomic
    def save(self):
        """Create the new sources with their authors and formatted references; refuse the whole
        import if any record has an error. Returns the sources created."""
        if self.errors:
            raise ValidationError(
                "Nothing was imported: %(count)s record(s) have errors, the first %(where)s: %(error)s",
                params={"count": len(self.errors), "where": self.errors[0].where, "error": self.errors[0].error},
            )
        rows = self.new
        # Formatted before they are created: thousands of rows are not written twice.
        set_references(
            [row.source for row in rows],
            formatting.current_style(),
            [row.source.record(row.authors, row.editors) for row in rows],
        )
        sources = Source.objects.bulk_create([row.source for row in rows], batch_size=500)
        Author.objects.bulk_create(
            [
                Author(source=source, position=position, role=role, family=family, given=given)
                for row, source in zip(rows, sources, strict=True)
                for role, people in ((Author.Role.AUTHOR, row.authors), (Author.Role.EDITOR, row.editors))
                for position, (family, given) in enumerate(people)
            ],
            batch_size=1000,
        )
        return sources


def check(entry, library, chosen_key=None):
    """A ``Row`` for one parsed record: the source it makes, or why it cannot be imported."""
    row = Row(entry.number, entry.line)
    if entry.error:
        row.error = entry.error
        return row
    try:
        values, row.authors, row.editors = csl.fields(entry.item)
    except ValueError as error:
        row.error = str(error)
        return row
    source = Source(**{name: value for name, value in values.items() if name not in NOT_FROM_FILES})
    source.normalize()
    family = row.authors[0][0] if row.authors else ""
    named = (row.authors or row.editors or [[""]])[0][0]  # an edited book is known by its first editor
    source.key = chosen_key or file_key(values.get("key"), library) or library.free_key(key_stem(named, source.year))
    row.source = source
    try:
        source.clean_fields()
    except ValidationError as error:
        row.error = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
        return row
    if source.key in library.keys:
        row.error = f"key: another source already has the key “{source.key}”"
        return row
    if same := library.same_work(source, family):
        row.duplicate_of = same
        row.duplicate_row = getattr(same, "import_row", None)
        return row
    source.import_row = row.number
    library.add(source, family)
    return row


def file_key(key, library):
    """The file's own key for a record, in lower case, when it is one of ours and free: Zotero's
    ``elwes_prognosis_1985`` and ``Fisher2017`` are kept (as ``fisher2017``), ``Elwes:1985:PAF``
    is not."""
    key = (key or "").lower()
    if KEY.fullmatch(key) and len(key) <= Source._meta.get_field("key").max_length:
        return key if key not in library.keys else None
    return None


# Between the admin's preview and its confirmation, the file waits on the server's disk, never
# in the database: nothing is saved before the confirmation. Staged files are the uploader's
# alone and are cleared a day later at most.

STAGING = Path(tempfile.gettempdir()) / "clonus-imports"
STAGED_FOR = 24 * 60 * 60
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def stage(data, user):
    """Keep ``data`` for ``user``'s confirmation; returns the token that names it."""
    STAGING.mkdir(mode=0o700, exist_ok=True)
    for old in STAGING.iterdir():
        if old.stat().st_mtime < time.time() - STAGED_FOR:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    staged_path(token, user).write_bytes(data)
    return token


def staged(token, user):
    """The bytes staged under ``token`` by ``user``; ``FileNotFoundError`` if there are none."""
    return staged_path(token, user).read_bytes()


def unstage(token, user):
    staged_path(token, user).unlink(missing_ok=True)


def staged_path(token, user):
    if not TOKEN.fullmatch(token or ""):
        raise FileNotFoundError("not a staging token")
    return STAGING / f"{user.pk}-{token}"

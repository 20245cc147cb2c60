import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from references import formats
from references.importing import Import


class Command(BaseCommand):
    help = (
        "Import sources from a BibTeX, RIS, PubMed MEDLINE (.nbib), CSL-JSON or Google Scholar file. "
        "Sources already in the library (same DOI, PMID, or title, year and first author) are skipped; "
        "if any record has an error, nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The file to import (UTF-8).")
        parser.add_argument(
            "--format", choices=list(formats.FORMATS), help="The file's format; guessed from its content if not given."
        )

    def handle(self, path, format, **options):
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        try:
            text = formats.read(data)
            checked = Import.parse(text, format, progress=self.progress)
        except formats.FormatError as error:
            raise CommandError(f"Nothing was imported from {path}: {error}") from None
        for row in checked.errors:
            self.stderr.write(f"{row.where}: {row.error}")
        try:
            created = checked.save()
        except ValidationError as error:
            self.summary(checked, created=[])
            raise CommandError(
                f"Nothing was imported from {path}: {len(checked.errors)} record(s) have errors."
            ) from error
        self.summary(checked, created)

    def progress(self, entries):
        """Entries, with a progress bar on a terminal (and nothing in a log or a pipe)."""
        return tqdm(entries, desc="Checking", unit=" records", file=sys.stderr, disable=not sys.stderr.isatty())

    def summary(self, checked, created):
        self.stdout.write(f"Read {len(checked.rows)} {formats.FORMATS[checked.format]} record(s).")
        self.stdout.write(f"Created: {len(created)}.")
        self.stdout.write(f"Duplicates skipped: {len(checked.duplicates)}.")
        for row in checked.duplicates:
            self.stdout.write(f"  {row.where}: the same work as “{row.duplicate_of.key}”")
        self.stdout.write(f"Errors: {len(checked.errors)}.")

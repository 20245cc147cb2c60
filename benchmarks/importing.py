"""The reference library's import: 10,000 BibTeX records into a library of 10,000 sources.

    .venv/bin/python benchmarks/importing.py [--records 10000] [--sources 10000] [--database-url postgres://…]

Builds a throwaway database as benchmarks/revisions.py does and fills the library as
benchmarks/editor.py does (--sources sources, a DOI on every other one). Then writes a BibTeX
file of --records records shaped like a Zotero export, of which one in twenty repeats a
library source's DOI and one in twenty repeats an earlier record of the file in other
capitals and punctuation, and times, with time.perf_counter, what ``import_sources`` does:

- reading: decoding the bytes and guessing the format;
- checking: parsing every record (bibtexparser 2), making it a source, validating its fields
  and identifiers, finding its duplicates and its key (``Import.parse``), with the queries;
- saving: creating the new sources and their authors, and formatting their references with
  Pandoc's citeproc in the default style (``Import.save``), with the queries.

One run (an import is not repeated on one library); it prints a Markdown table.
"""

import argparse
import os
import random
import time

from editor import FAMILIES, WORDS, fill_library
from revisions import machine, throwaway_database


def bibtex(records, library_dois, rng):
    """A Zotero-shaped BibTeX file of ``records`` records, and how many are duplicates."""
    entries, duplicates = [], 0
    for n in range(records):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 11))).capitalize() + f" {n}"
        authors = " and ".join(f"{rng.choice(FAMILIES)}, A. B." for _ in range(rng.randint(1, 6)))
        doi, year = f"10.5556/import.{n}", 1980 + n % 45
        if n % 20 == 7:  # already in the library, by its DOI
            doi, duplicates = library_dois[n % len(library_dois)], duplicates + 1
        elif n % 20 == 13:  # an earlier record (itself no duplicate) again, as another tool spells it
            title, duplicates = entries[n - 13]["title"].upper() + ".", duplicates + 1
            authors, doi, year = entries[n - 13]["authors"], "", entries[n - 13]["year"]
        entries.append({"title": title, "authors": authors, "doi": doi, "year": year})
    text = "\n".join(
        f"@article{{import{n},\n  title = {{{e['title']}}},\n  author = {{{e['authors']}}},\n"
        f"  journal = {{{rng.choice(['Lancet', 'BMJ', 'J Neurol'])}}},\n  year = {{{e['year']}}},\n"
        f"  volume = {{{n % 90 + 1}}},\n  pages = {{{n % 900 + 1}--{n % 900 + 9}}},\n"
        + (f"  doi = {{{e['doi']}}},\n" if e["doi"] else "")
        + "}\n"
        for n, e in enumerate(entries)
    )
    return text, duplicates


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--sources", type=int, default=10_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    load = os.getloadavg()
    with throwaway_database(args.database_url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from references import formats
        from references.importing import Import
        from references.models import Source

        fill_library(args.sources)
        dois = list(Source.objects.exclude(doi="").values_list("doi", flat=True))
        text, duplicates = bibtex(args.records, dois, random.Random(2026))
        data = text.encode()
        rows = []

        started = time.perf_counter()
        name = formats.guess(formats.read(data))
        rows.append(("read and guess the format", time.perf_counter() - started, 0))

        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            checked = Import.parse(formats.read(data), name)
            rows.append(
                ("check: parse, validate, find duplicates and keys", time.perf_counter() - started, len(queries))
            )
        assert not checked.errors, checked.errors[:3]
        assert len(checked.duplicates) == duplicates, (len(checked.duplicates), duplicates)

        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            created = checked.save()
            rows.append(("save: create, and format every reference", time.perf_counter() - started, len(queries)))
        assert len(created) == args.records - duplicates
        described = machine()

    print(
        f"{described}\n{args.records:,} BibTeX records ({len(data) / 1e6:.1f} MB; {duplicates:,} duplicates: "
        f"half of the library by DOI, half of the file itself) into a library of {args.sources:,} sources; "
        f"one run; load average {load[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end\n"
    )
    print("| step | time | queries |\n|---|---:|---:|")
    for step, seconds, count in rows:
        print(f"| {step} | {seconds:.2f} s | {count} |")
    print(f"| **the whole import** | **{sum(row[1] for row in rows):.2f} s** | |")


if __name__ == "__main__":
    main()

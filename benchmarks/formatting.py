"""The citation style engine: what formatting references costs, in each style.

    .venv/bin/python benchmarks/formatting.py [--sources 10000] [--repeat 10]

Generates --sources references (journal articles with one to eight authors, a DOI on every
other one and a PMID on every third; every tenth a book chapter with editors, every tenth a
web page with an access date, every twentieth an author list cut short) and times, in this
process, with time.perf_counter:

- the import: ``format_items()`` of all of them at once, in each style (one run);
- the admin's save: ``format_items()`` of one reference (median and p95 of --repeat runs).

No database: items are built as ``references.csl.item()`` builds them from a source's record.
It prints a Markdown table.
"""

import argparse
import os
import platform
import random
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from revisions import configure

WORDS = (
    "clonus spasticity stroke ankle reflex seizure serotonin toxicity baclofen tizanidine botulinum "
    "multiple sclerosis spinal cord injury cerebral palsy upper motor neuron syndrome tendon "
    "hyperreflexia myoclonus epilepsy outcome trial review cohort children adults treatment"
).split()
FAMILIES = (
    "Smith Jones Brown Taylor Wilson Davies Evans Thomas Johnson Roberts Walker Wright Robinson "
    "Thompson White Hughes Edwards Green Hall Wood Harris Lewis Martin Jackson Clarke"
).split()


def records(count):
    rng = random.Random(2026)
    for n in range(count):
        record = {
            "key": f"{rng.choice(FAMILIES).lower()}{1980 + n % 45}{n}",
            "kind": "article-journal",
            "title": " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 12))).capitalize(),
            "authors": [
                (rng.choice(FAMILIES), rng.choice(["A", "RDC", "Mary Ann", "JW"])) for _ in range(rng.randint(1, 8))
            ],
            "authors_incomplete": n % 20 == 0,
            "container_title": rng.choice(["Lancet", "BMJ", "N Engl J Med", "J Neurol", "Brain"]),
            "year": 1980 + n % 45,
            "volume": str(n % 400),
            "issue": str(n % 12 + 1),
            "pages": f"{100 + n % 900}-{110 + n % 900}",
            "doi": f"10.5555/lib.{n}" if n % 2 == 0 else "",
            "pmid": str(30_000_000 + n) if n % 3 == 0 else "",
        }
        if n % 10 == 1:
            record |= {"kind": "chapter", "container_title": "Spasticity: disordered motor control"}
            record |= {
                "editors": [("Feldman", "RG"), ("Young", "RR")],
                "publisher": "Year Book",
                "publisher_place": "Chicago",
            }
        elif n % 10 == 2:
            record |= {
                "kind": "webpage",
                "container_title": "",
                "url": f"https://example.org/{n}",
                "accessed": "2024-03-05",
            }
        yield record


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        configure(None, tmp)  # settings only: no database is used
        run(args)


def run(args):
    import pypandoc

    from references.csl import item
    from references.formatting import STYLES, format_items

    items = [item(record) for record in records(args.sources)]
    load = os.getloadavg()
    rows = []
    for style in STYLES:
        format_items(items[:1], style)  # warm the file cache
        started = time.perf_counter()
        references = format_items(items, style)
        batch = time.perf_counter() - started
        assert len(references) == len(items)
        one = []
        for n in range(args.repeat):
            started = time.perf_counter()
            format_items([items[n]], style)
            one.append((time.perf_counter() - started) * 1000)
        one.sort()
        rows.append((style, batch, statistics.median(one), one[max(int(len(one) * 0.95) - 1, 0)]))

    pandoc = subprocess.run([pypandoc.get_pandoc_path(), "--version"], capture_output=True, text=True).stdout.split(
        "\n"
    )[0]
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []
    cpu = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), platform.processor()
    )
    print(
        f"{pandoc}; {cpu}, {os.cpu_count()} CPUs; {platform.system()} {platform.release()}; Python {platform.python_version()}\n"
        f"{args.sources:,} references; one reference timed {args.repeat} times; "
        f"load average {load[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end\n"
    )
    print(f"| style | {args.sources:,} references | per reference | one reference: median | p95 |")
    print("|---|---:|---:|---:|---:|")
    for style, batch, median, p95 in rows:
        print(f"| {style} | {batch:.1f} s | {batch / len(items) * 1000:.2f} ms | {median:.0f} ms | {p95:.0f} ms |")


if __name__ == "__main__":
    main()

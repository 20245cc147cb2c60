"""The editor's desk: what the citation picker's search and the live preview cost on the server.

    .venv/bin/python benchmarks/editor.py [--repeat 50] [--sources 10000] [--database-url postgres://…]

Builds a throwaway database as benchmarks/revisions.py does, fills the library with --sources
sources (one to six authors each, titles of medical words, a DOI on every other one, a PMID on
every third), and times, through Django's test client (no HTTP; the figures include the test
client's own few tenths of a millisecond, so they bound the server's time from above):

- the picker's search, ``GET /editor/sources/?q=…``, for each kind of query an editor types;
- the live preview, ``POST /editor/preview/`` with a 30-section article as typed (every section
  rendered, numbered across the article, every section's preview returned);
- the preview of hostile bodies: 5 MB of text, 50,000 "[" and 5,000 marks.

It prints a Markdown table of median, p95 and queries per request.
"""

import argparse
import json
import os
import random

from revisions import machine, throwaway_database, timed

WORDS = (
    "clonus spasticity stroke ankle reflex seizure serotonin toxicity baclofen tizanidine botulinum "
    "multiple sclerosis spinal cord injury cerebral palsy upper motor neuron syndrome tendon "
    "hyperreflexia myoclonus epilepsy outcome trial review cohort children adults treatment "
    "diagnosis prognosis rehabilitation physiotherapy electromyography"
).split()
FAMILIES = (
    "Smith Jones Brown Taylor Wilson Davies Evans Thomas Johnson Roberts Walker Wright Robinson "
    "Thompson White Hughes Edwards Green Hall Wood Harris Lewis Martin Jackson Clarke Clark Turner "
    "Hill Scott Cooper Morris Ward Moore King Watson Baker Harrison Morgan Patel Young Allen"
).split()
QUERIES = [
    ("key prefix", "elw"),
    ("author", "thibaut"),
    ("common title word", "clonus"),
    ("two words", "stroke baclofen"),
    ("year", "2005"),
    ("DOI", "10.5555/lib.4242"),
    ("PMID", "30000300"),
    ("nothing matches", "zzzzzz"),
    ("empty (Cite button)", ""),
]


def fill_library(count):
    from django.db import connection

    from references.models import Author, Source

    rng = random.Random(2026)
    sources = [
        Source(
            key=f"{rng.choice(FAMILIES).lower()}{1980 + n % 45}{n}",
            title=" ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 10))).capitalize(),
            container_title=rng.choice(["Lancet", "BMJ", "N Engl J Med", "J Neurol", "Brain"]),
            year=1980 + n % 45,
            doi=f"10.5555/lib.{n}" if n % 2 == 0 else "",
            pmid=str(30_000_000 + n) if n % 3 == 0 else "",
        )
        for n in range(count)
    ]
    sources += [
        Source(key="elwes1985", title="Prognosis after a first untreated tonic-clonic seizure", year=1985),
        Source(key="thibaut2013", title="Spasticity after stroke: physiology, assessment and treatment", year=2013),
    ]
    Source.objects.bulk_create(sources, batch_size=1000)
    saved = Source.objects.in_bulk(field_name="key")
    authors = []
    for source in saved.values():
        for position in range(rng.randint(1, 6)):
            authors.append(Author(source=source, position=position, family=rng.choice(FAMILIES), given="AB"))
    Author.objects.create(source=saved["thibaut2013"], position=9, family="Thibaut", given="A")
    Author.objects.bulk_create(authors, batch_size=2000)
    if connection.vendor == "postgresql":  # as autovacuum would have by now: the planner's statistics
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def search(client, query):
    def run(_):
        response = client.get("/editor/sources/", {"q": query} if query else {})
        assert response.status_code == 200

    return (lambda n: None), run


def preview(client, bodies):
    payload = json.dumps({"sections": [{"body": body} for body in bodies]})

    def run(_):
        response = client.post("/editor/preview/", payload, content_type="application/json")
        assert response.status_code in (200, 413), response.content[:300]

    return (lambda n: None), run


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--sources", type=int, default=10_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    load = os.getloadavg()
    with throwaway_database(args.database_url):
        from django.contrib.auth.models import User
        from django.test import Client

        fill_library(args.sources)
        client = Client()
        client.force_login(User.objects.create_user("editor", is_staff=True))
        keys = ["elwes1985", "thibaut2013"] + [f"smith{1980 + n}{n}" for n in range(0, 45 * 20, 45)][:8]
        article = [
            "\n\n".join(
                f"Paragraph {k} of section {s} makes a **claim** [@{keys[(s + k) % len(keys)]}, p. {k + 1}]. " * 3
                for k in range(3)
            )
            for s in range(30)
        ]
        rows = [(f"search: {name} `{query}`", timed(search(client, query), args.repeat)) for name, query in QUERIES]
        rows.append(("preview: 30-section article as typed", timed(preview(client, article), args.repeat)))
        hostile = {
            "5 MB of text": "Clonus is a rhythmic contraction. " * 150_000,
            "50,000 [": "[" * 50_000,
            # Within the 100,000 characters a section may hold: a mark every 20 characters.
            "5,000 marks": " ".join(f"C [@elwes1985, {n}]." if n % 2 else "C [@thibaut2013]." for n in range(5_000)),
        }
        for name, body in hostile.items():
            rows.append((f"preview: {name}", timed(preview(client, [body]), max(args.repeat // 10, 3), 1)))
        described = machine()

    print(
        f"{described}\n{args.sources:,} sources; {args.repeat} timed runs per search and article preview, "
        f"fewer for hostile bodies; load average {load[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end\n"
    )
    print("| request | median | p95 | queries |\n|---|---:|---:|---:|")
    for name, row in rows:
        print(f"| {name} | {row['median']:.1f} ms | {row['p95']:.1f} ms | {row['queries']} |")


if __name__ == "__main__":
    main()

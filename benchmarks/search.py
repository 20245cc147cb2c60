"""Site search: what the search page costs on the server with 10,000 live articles.

    .venv/bin/python benchmarks/search.py --database-url postgres://… [--articles 10000] [--repeat 50]

Builds a throwaway database as benchmarks/revisions.py does (on PostgreSQL, a fresh
``test_<name>`` beside the database named, dropped at the end; SQLite without --database-url),
fills it with ``manage.py generate_articles`` (--articles live articles of 9 sections, seed 1),
then ``VACUUM ANALYZE``, as autovacuum would have done by then. It times, through Django's test
client (no HTTP; the figures include the client's own few tenths of a millisecond), the search
page for a rare term (the generator's rare word found in the fewest articles), for a term in
nearly every article, and for other kinds of query, and prints a Markdown table of median, p95
and queries per request, with how many articles each query finds.
"""

import argparse
import os
import subprocess
import sys
import time

from revisions import ROOT, machine, throwaway_database, timed

#: The generator's words: "patients" is in nearly every article (generate_articles.SENTENCES).
COMMON = "patients"
OTHERS = [
    ("two common words", "baclofen stroke"),
    ("phrase", '"brisk reflexes"'),
    ("prefix", "spast*"),
    ("misspelt: nothing, then a suggestion", "spastisity"),
]


def generate(count):
    """Fill the throwaway database in another process, as an editor's site would have been
    filled: the millions of objects made on the way are not left to this one's garbage
    collector while the requests are timed."""
    from django.db import connection

    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        if connection.vendor == "postgresql"
        else f"sqlite:///{database['NAME']}"
    )
    command = [sys.executable, "manage.py", "generate_articles", str(count), "--sections=9", "--seed=1", "-v0"]
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env={**os.environ, "DATABASE_URL": url}, check=True)
    seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return seconds


def matches(query):
    from articles.models import SearchEntry
    from articles.search import Query

    return SearchEntry.objects.search(Query.parse(query)).count_up_to(10**9)  # every match


def rarest():
    from articles.management.commands.generate_articles import RARE

    found = {word: matches(word) for word in RARE if word.isalpha()}
    return min((word for word in found if found[word]), key=found.get)


def search_page(client, query, page=1):
    params = {"q": query, **({"page": page} if page > 1 else {})}

    def run(_):
        response = client.get("/search/", params)
        assert response.status_code == 200, response.status_code

    return (lambda n: None), run


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    load = os.getloadavg()
    with throwaway_database(args.database_url):
        from django.test import Client

        seconds = generate(args.articles)
        client = Client()
        rare = rarest()
        queries = [("rare term", rare), ("term in nearly every article", COMMON), *OTHERS]
        rows = [(name, query, 1, matches(query)) for name, query in queries]
        rows.append(("the same, page 10", COMMON, 10, matches(COMMON)))
        results = [(*row, timed(search_page(client, row[1], row[2]), args.repeat)) for row in rows]
        described = machine()

    print(
        f"{described}\n{args.articles:,} live articles of 9 sections, generated in {seconds:.0f} s; "
        f"{args.repeat} timed requests each, after 3 untimed ones; load average {load[0]:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end\n"
    )
    print("| search | articles found | median | p95 | queries |\n|---|---:|---:|---:|---:|")
    for name, query, page, found, row in results:
        shown = f"`{query}`" + (f" page {page}" if page > 1 else "")
        print(f"| {name}: {shown} | {found:,} | {row['median']:.1f} ms | {row['p95']:.1f} ms | {row['queries']} |")


if __name__ == "__main__":
    main()

"""Readers' pages under load, kept and not, beside a static copy served in the same rounds.

    .venv/bin/python benchmarks/http_speed.py --database-url postgres://postgres@127.0.0.1:5432/clonus_http
        [--articles 10000] [--duration 15] [--rounds 3] [--reuse]

Fills the database named (dropped and made again, unless --reuse finds it filled) with the demo
and ``generate_articles`` (--articles live articles of 9 sections), runs ``VACUUM ANALYZE``, and
starts two gunicorns of 2 sync workers on production settings: one serving pages as deployed
(kept pages on, ``clonus/pagecache.py``), one with kept pages off (``CLONUS_KEEP_PAGES=0``),
where every request goes through Django and the database. The demo article's HTML is saved as a static file that WhiteNoise
serves through the first. Each round runs ``wrk -t2 -c16 -d<duration>s --latency`` against
every page in a shuffled order, after a few untimed requests; the table gives the median over
the rounds of requests per second, p50 and p99 latency, and the ratio of requests per second to
the static copy's in the same round. Traffic goes to 127.0.0.1 only, and the run stops by itself.
"""

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from contextlib import ExitStack
from pathlib import Path

from page_speed import gunicorn, manage, production_env

#: (label, server, path): "kept" is the site as deployed, "uncached" has kept pages off.
PAGES = [
    ("static copy of the demo article", "kept", "/static/copies/article.html"),
    ("demo article (10 sections, 15 sources), uncached", "uncached", "/articles/clonus/"),
    ("demo article, kept", "kept", "/articles/clonus/"),
    ("generated article (9 sections), uncached", "uncached", "/articles/generated-1/"),
    ("home, page 1, uncached", "uncached", "/"),
    ("home, page 300, uncached", "uncached", "/?page=300"),
    ("home, page 1, kept", "kept", "/"),
    ("topic page, uncached", "uncached", "/topics/neurology/"),
    ("Atom feed, uncached", "uncached", "/feeds/atom/"),
    ("search for a term in every article, uncached", "uncached", "/search/?q=patients"),
    ("search, kept", "kept", "/search/?q=patients"),
]
STATIC = PAGES[0][0]


def fill(env, articles, reuse):
    url = env["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    admin = ["psql", "-q", "-h", "127.0.0.1", "-U", "postgres"]
    if reuse:
        found = subprocess.run([*admin, name, "-tAc", "SELECT count(*) FROM articles_article"], capture_output=True)
        if found.returncode == 0 and int(found.stdout or 0) >= articles:
            return
    subprocess.run([*admin, "-c", f'DROP DATABASE IF EXISTS "{name}"', "-c", f'CREATE DATABASE "{name}"'], check=True)
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    manage(env, "generate_articles", str(articles), "--sections=9", "--seed=1", "-v0")
    subprocess.run([*admin, name, "-c", "VACUUM ANALYZE"], check=True)


def wrk(url, duration):
    """Requests per second, p50 and p99 in ms, as wrk measured them."""
    command = ["wrk", "-t2", "-c16", f"-d{duration}s", "--latency", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output or "Socket errors" in output:
        raise RuntimeError(f"{url} answered with errors under load:\n{output}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return rps, latency(output, "50%"), latency(output, "99%")


def latency(output, percentile):
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)", output).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def warm(url, times=40):
    for _ in range(times):
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL database this may drop and fill")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=15, help="seconds of wrk per page and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="keep the database if it is filled already")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")

    with tempfile.TemporaryDirectory() as tmp:
        env = {**production_env(tmp, args.database_url), "CLONUS_CACHE_TAGS_FILE": f"{tmp}/page-tags"}
        fill(env, args.articles, args.reuse)
        manage(env, "collectstatic", "--noinput")
        copies = Path(tmp, "static", "copies")
        copies.mkdir()
        with gunicorn(env, 2) as base:
            with urllib.request.urlopen(base + "/articles/clonus/", timeout=30) as response:
                (copies / "article.html").write_bytes(response.read())
        uncached_env = {**env, "CLONUS_KEEP_PAGES": "0"}
        with ExitStack() as servers:
            bases = {"kept": servers.enter_context(gunicorn(env, 2))}
            bases["uncached"] = servers.enter_context(gunicorn(uncached_env, 2))
            results = {label: [] for label, _, _ in PAGES}
            for _ in range(args.rounds):
                order = random.sample(PAGES, len(PAGES))
                measured = {}
                for label, server, path in order:
                    url = bases[server] + path
                    warm(url)
                    measured[label] = wrk(url, args.duration)
                static = measured[STATIC][0]
                for label, (rps, p50, p99) in measured.items():
                    results[label].append((rps, p50, p99, rps / static))

    load = os.getloadavg()[0]
    print(
        f"PostgreSQL, {args.articles:,} generated articles and the demo; gunicorn 2 sync workers; "
        f"wrk -t2 -c16 -d{args.duration}s; median of {args.rounds} shuffled rounds; load average {load:.1f} at the end\n"
    )
    print("| page | requests/s | p50 | p99 | ratio to the static copy |")
    print("|---|---:|---:|---:|---:|")
    for label, _, path in PAGES:
        rows = results[label]
        rps, p50, p99, ratio = (statistics.median(row[i] for row in rows) for i in range(4))
        print(f"| {label}: `{path}` | {rps:,.0f} | {p50:.1f} ms | {p99:.1f} ms | {ratio:.3f} |")


if __name__ == "__main__":
    main()

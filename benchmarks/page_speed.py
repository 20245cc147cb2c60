"""Page speed over real HTTP: gunicorn serving production settings, a client on loopback.

    .venv/bin/python benchmarks/page_speed.py [--requests 400] [--concurrency 4]
                                              [--database-url postgres://…]

Builds a throwaway database (SQLite in a temporary folder unless --database-url is given) with
the demo article and a large article (30 sections, 100 citations), starts gunicorn, saves each
page's HTML as a static file, starts gunicorn again, and sends a fixed number of requests to
each page and to its static copy (served by WhiteNoise through the same gunicorn). It prints a
Markdown table of latency and throughput, and the ratio of each page's median to its copy's:
what Django adds over sending the same bytes. Traffic goes to 127.0.0.1 only, and the run
stops by itself.
"""

import argparse
import contextlib
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "/",
    "/articles/clonus/",
    "/articles/benchmark-large/",
    "/topics/neurology/",
    "/search/?q=spasticity",
    "/sources/",
    "/sources/elwes1985/",
]

LARGE_ARTICLE = """
from articles.models import Article, Revision, Section
from references.models import Author, Citation, Source
article, _ = Article.objects.update_or_create(slug="benchmark-large", defaults={
    "title": "A large article", "summary": "30 sections, 100 citations."})
article.sections.all().delete()
sources = []
for n in range(40):
    source, _ = Source.objects.update_or_create(key=f"bench{n}", defaults={
        "title": f"Benchmark source {n}", "container_title": "J Bench", "year": 2000 + n % 25,
        "volume": "12", "issue": "3", "pages": "100-9", "doi": f"10.5555/bench.{n}"})
    source.authors.all().delete()
    Author.objects.bulk_create(Author(source=source, position=i, family=f"Author{i}", given="AB") for i in range(4))
    sources.append(source)
sections = []
for p in range(30):
    body = "\\n\\n".join(f"Paragraph {k} makes a claim about clonus [@{sources[(p + k) % 40].key}]. " * 3 for k in range(3))
    sections.append(Section.objects.create(article=article, position=p, heading=f"Question {p}?", body=body))
for n in range(10):
    Citation.objects.create(section=sections[n], source=sources[30 + n])
assert Citation.objects.filter(section__article=article).count() == 100
article.publish(Revision.objects.record(article), None, override_reason="benchmark content")
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def wait_for(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def fetch(url):
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=10) as response:
        body = response.read()
        assert response.status == 200, (url, response.status)
    return time.perf_counter() - started, len(body)


def measure(base, path, requests, concurrency):
    url = base + path
    for _ in range(20):  # warm up every worker
        fetch(url)
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(fetch, [url] * requests))
    elapsed = time.perf_counter() - started
    latencies = sorted(seconds * 1000 for seconds, _ in results)
    return {
        "page": path,
        "bytes": results[0][1],
        "median": statistics.median(latencies),
        "p95": latencies[int(len(latencies) * 0.95) - 1],
        "rps": requests / elapsed,
    }


def copy_name(path):
    return (re.sub(r"[/?=&]+", "-", path.strip("/")) or "home") + ".html"


def production_env(tmp, database_url=None):
    """The environment of a throwaway site in the folder ``tmp``: production settings on plain
    HTTP, a fresh secret key, static files and (without ``database_url``) SQLite in ``tmp``."""
    return {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": f"{tmp}/static",
        "DATABASE_URL": database_url or f"sqlite:///{tmp}/site.sqlite3",
    }


@contextlib.contextmanager
def gunicorn(env, workers):
    """gunicorn serving the site on a free port; yields its base URL, stops it by its PID."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "clonus.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        env = production_env(tmp, args.database_url)
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo")
        manage(env, "shell", "-c", LARGE_ARTICLE)
        manage(env, "collectstatic", "--noinput")
        copies = Path(tmp, "static", "copies")
        copies.mkdir()
        with gunicorn(env, args.workers) as base:
            for path in PAGES:
                with urllib.request.urlopen(base + path, timeout=10) as response:
                    (copies / copy_name(path)).write_bytes(response.read())
        with gunicorn(env, args.workers) as base:  # WhiteNoise finds static files when it starts
            rows = []
            for path in PAGES:
                page = measure(base, path, args.requests, args.concurrency)
                copy = measure(base, f"/static/copies/{copy_name(path)}", args.requests, args.concurrency)
                rows.append({**page, "copy": copy, "ratio": page["median"] / copy["median"]})

    database = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"{database}, gunicorn {args.workers} sync workers, {args.requests} requests per page, "
        f"{args.concurrency} concurrent clients\n"
    )
    print("| page | size | median | p95 | requests/s | static copy median | p95 | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        copy = row["copy"]
        print(
            f"| `{row['page']}` | {row['bytes'] / 1024:.0f} KiB | {row['median']:.1f} ms "
            f"| {row['p95']:.1f} ms | {row['rps']:.0f} | {copy['median']:.1f} ms | {copy['p95']:.1f} ms "
            f"| {row['ratio']:.1f}× |"
        )


if __name__ == "__main__":
    main()

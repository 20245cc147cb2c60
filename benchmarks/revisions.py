"""Revisions: what saving a draft revision and publishing cost, and what the public page costs.

    .venv/bin/python benchmarks/revisions.py [--repeat 50] [--database-url postgres://…]

Builds a throwaway database (SQLite in a temporary folder; with --database-url, a fresh
``test_<name>`` database beside the one named, dropped at the end) holding a large article
(30 sections, 100 citations) and a 9-section one (30 citations), the size of the Wagtail
figures in the issue. Then, in this process, times each operation with time.perf_counter over
--repeat runs after a few untimed ones, and prints a Markdown table of median, p95 and queries:

- save draft revision: ``Revision.objects.record(article, user)`` after a one-section edit,
  i.e. what a save costs on top of writing the rows;
- admin save: the admin change form posted through the test client (no HTTP), one section
  edited: all inline forms validated, rows written, revision recorded, redirect;
- publish: ``article.publish(revision, user)`` of a revision with a reviewer's sign-off:
  the publish checks, the live pointer, the audit entry.

Last it counts the public article page's queries, which must not depend on the article's size
or on how many revisions it has.
"""

import argparse
import contextlib
import os
import platform
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = 40


def configure(database_url, tmp):
    os.environ.update(
        DJANGO_SETTINGS_MODULE="clonus.settings",
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_STATIC_ROOT=f"{tmp}/static",
        DATABASE_URL=database_url or f"sqlite:///{tmp}/bench.sqlite3",
    )
    sys.path.insert(0, str(ROOT))
    Path(tmp, "static").mkdir()
    import django
    from django.conf import settings

    django.setup()
    # The hashed-name manifest exists only after collectstatic; pages here need plain names.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = None if database_url else f"{tmp}/bench-test.sqlite3"


@contextlib.contextmanager
def throwaway_database(database_url):
    """Django configured (``configure()``) on a fresh, migrated database, dropped afterwards:
    SQLite in a temporary folder, or ``test_<name>`` beside the database ``database_url`` names."""
    with tempfile.TemporaryDirectory() as tmp:
        configure(database_url, tmp)
        from django.db import connection

        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            yield
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def build(sections, hand_made, editor):
    """An article of ``sections`` sections, each citing three sources in its text, and the first
    ``hand_made`` sections citing one more as a whole; recorded once."""
    from articles.models import Article, Revision, Section
    from references.models import Author, Citation, Source

    sources = []
    for n in range(SOURCES):
        source, created = Source.objects.get_or_create(
            key=f"bench{n}",
            defaults={
                "title": f"Benchmark source {n}",
                "container_title": "J Bench",
                "year": 2000 + n % 25,
                "volume": "12",
                "issue": "3",
                "pages": "100-9",
                "doi": f"10.5555/bench.{n}",
            },
        )
        if created:
            Author.objects.bulk_create(
                Author(source=source, position=i, family=f"Author{i}", given="AB") for i in range(4)
            )
        sources.append(source)
    article = Article.objects.create(
        title=f"A {sections}-section article", slug=f"bench-{sections}", summary="For the benchmark."
    )
    for p in range(sections):
        body = "\n\n".join(
            f"Paragraph {k} makes a claim about clonus [@{sources[(p + k) % 30].key}]. " * 3 for k in range(3)
        )
        section = Section.objects.create(article=article, position=p, heading=f"Question {p}?", body=body)
        if p < hand_made:
            Citation.objects.create(section=section, source=sources[30 + p])
    Revision.objects.record(article, editor)
    return article


def edit_one_section(article, n):
    """Change the text of one section, as a save in the admin would write it."""
    article.refresh_from_db(fields=["version"])  # the admin save bumps it through its own copy
    sections = list(article.sections.all())
    section = sections[len(sections) // 2]
    section.body = section.body.split(" Edit ")[0] + f" Edit {n}."
    section.save()


def timed(operation, repeat, warm_up=3):
    """Median and p95 milliseconds of ``run(prepare(n))``, timing ``run`` only; then the
    queries of one more run. ``operation`` is the pair ``(prepare, run)``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    prepare, run = operation
    timings = []
    for n in range(warm_up + repeat + 1):
        state = prepare(n)
        if n == warm_up + repeat:  # one more run, to count its queries
            with CaptureQueriesContext(connection) as queries:
                run(state)
            break
        started = time.perf_counter()
        run(state)
        if n >= warm_up:
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "median": statistics.median(timings),
        "p95": timings[max(int(len(timings) * 0.95) - 1, 0)],
        "queries": len(queries),
    }


def save_draft_revision(article, editor):
    from articles.models import Revision

    def prepare(n):
        edit_one_section(article, n)

    return prepare, lambda state: Revision.objects.record(article, editor)


def admin_save(article, editor):
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    sections = list(article.sections.all())
    data = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "topic": "",
        "byline": article.byline,
        "revision_message": "",
        "sections-TOTAL_FORMS": len(sections),
        "sections-INITIAL_FORMS": len(sections),
        "sections-MIN_NUM_FORMS": 0,
        "sections-MAX_NUM_FORMS": 1000,
    }
    for i, s in enumerate(sections):
        data.update(
            {
                f"sections-{i}-{name}": value
                for name, value in [
                    ("id", s.pk),
                    ("article", article.pk),
                    ("position", i + 1),  # as the sortable form numbers them
                    ("heading", s.heading),
                    ("anchor", s.anchor),
                    ("body", s.body),
                ]
            }
        )
    edited = f"sections-{len(sections) // 2}-body"
    original = data[edited]

    def prepare(n):
        article.refresh_from_db(fields=["version"])
        return {**data, "base_version": article.version, edited: f"{original} Edit {n}."}

    def run(form):
        response = client.post(url, form)
        assert response.status_code == 302, response.content.decode()[:2000]

    return prepare, run


def publish(article, editor, reviewer, site_admin):
    from articles.models import Review, Revision

    def prepare(n):
        edit_one_section(article, n)
        revision = Revision.objects.record(article, editor)
        Review.objects.record(revision, reviewer, Review.Outcome.SIGNED_OFF)
        return revision

    return prepare, lambda revision: article.publish(revision, site_admin)


def page_queries(article):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get(article.get_absolute_url())  # the first view of a process fills caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200 and article.title in response.content.decode()
    return len(queries)


def make_users():
    from django.contrib.auth.models import Group, User

    def user(name, group):
        person = User.objects.create_user(name, is_staff=True)
        person.groups.add(Group.objects.get(name=group))
        return person

    return user("editor", "Editors"), user("reviewer", "Medical reviewers"), user("admin", "Site admins")


def machine():
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            database = f"SQLite {cursor.fetchone()[0]}"
    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        if Path("/proc/cpuinfo").exists()
        else platform.processor()
    )
    return (
        f"{database}; {cpu}, {os.cpu_count()} CPUs; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, Django {django.get_version()}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    load = os.getloadavg()  # other work on the machine shows in the figures
    with throwaway_database(args.database_url):
        editor, reviewer, site_admin = make_users()
        rows, pages = [], []
        for article in (build(30, 10, editor), build(9, 3, editor)):
            citations = sum(s.citations.count() for s in article.sections.all())
            label = f"{article.sections.count()} sections, {citations} citations"
            prepare, run = publish(article, editor, reviewer, site_admin)
            run(prepare(0))
            page = {"article": label, "before": (page_queries(article), article.revisions.count())}
            for name, operation in [
                ("save draft revision", save_draft_revision(article, editor)),
                ("admin save, one section edited", admin_save(article, editor)),
                ("publish a signed-off revision", publish(article, editor, reviewer, site_admin)),
            ]:
                rows.append({"operation": name, "article": label, **timed(operation, args.repeat)})
            pages.append({**page, "after": (page_queries(article), article.revisions.count())})
        described = machine()

    print(
        f"{described}\n{args.repeat} timed runs per operation, after 3 untimed ones; "
        f"load average {load[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end\n"
    )
    print("| operation | article | median | p95 | queries |")
    print("|---|---|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['operation']} | {row['article']} | {row['median']:.1f} ms | {row['p95']:.1f} ms "
            f"| {row['queries']} |"
        )
    print("\n| public article page | queries | with revisions |")
    print("|---|---:|---:|")
    for page in pages:
        for when in ("before", "after"):
            print(f"| {page['article']} | {page[when][0]} | {page[when][1]} |")
    counts = {page[when][0] for page in pages for when in ("before", "after")}
    assert len(counts) == 1, "the public page's query count depends on the article's size or history"


if __name__ == "__main__":
    main()

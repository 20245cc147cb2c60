"""Kept pages (clonus/pagecache.py): served again to anonymous readers through the project's own
WSGI application, never to anyone else, and never once what they show has changed."""

import io
import logging
import socket
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.core.signals import request_started
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone

from articles.models import Revision
from clonus import pagecache, purging
from clonus.wsgi import application
from tests.factories import make_section, make_source, make_user, ready_article, save_draft, sign_off

# Invalidations wait for the commit, as in production: each test's actions really commit.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def empty_cache(settings, tmp_path):
    """Each test starts with no kept page and a tag clock of its own."""
    settings.CLONUS_CACHE_TAGS_FILE = tmp_path / "page-tags"
    cache.clear()
    application.down_until = 0.0  # no cache failure remembered from another test
    # As Django's test client does: the test's transaction holds the connection.
    request_started.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)


class Response:
    def __init__(self, status, headers, body):
        self.status, self.body = status, body
        self.headers = {name.lower(): value for name, value in headers}

    @property
    def cache(self):
        return self.headers.get("x-cache")

    @property
    def text(self):
        return self.body.decode()


def get(url, method="GET", **headers):
    """``url`` asked of the project's WSGI application, as gunicorn would ask it."""
    parts = urlsplit(url)
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
        **{f"HTTP_{name.upper()}": value for name, value in headers.items()},
    }
    seen = {}

    def start_response(status, response_headers, exc_info=None):
        seen["status"], seen["headers"] = int(status.split()[0]), response_headers

    chunks = application(environ, start_response)
    body = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    return Response(seen["status"], seen["headers"], body)


def live(title="Clonus", **fields):
    """An article published as an editor publishes one, signed off."""
    article = ready_article(title=title, **fields)
    article.publish(article.latest_revision, make_user("Site admins"))
    return article


def republish(article, **fields):
    revision = save_draft(article, **fields)
    sign_off(revision)
    article.publish(revision, make_user("Site admins"))


# Served again


def test_the_second_anonymous_request_is_served_from_the_cache():
    article = live()
    first, second = get(article.get_absolute_url()), get(article.get_absolute_url())
    assert (first.status, first.cache, second.status, second.cache) == (200, "miss", 200, "hit")
    assert second.body == first.body and "Clonus" in second.text
    assert second.headers["surrogate-key"] == first.headers["surrogate-key"]


def test_a_page_carries_the_tags_of_what_it_shows():
    article = live()
    source = article.live_revision.sources.get()
    tags = get(article.get_absolute_url()).headers["surrogate-key"].split()
    assert {article.cache_tag, source.cache_tag, f"source-{source.pk}-citers"} <= set(tags)
    assert "articles" in get(reverse("articles:article-list")).headers["surrogate-key"].split()


def test_head_is_answered_from_the_cache_without_a_body():
    article = live()
    get(article.get_absolute_url())
    head = get(article.get_absolute_url(), method="HEAD")
    assert (head.status, head.cache, head.body) == (200, "hit", b"")


def test_cacheable_pages_say_so_to_shared_caches_and_browsers(settings):
    settings.CLONUS_CACHE_SECONDS, settings.CLONUS_BROWSER_CACHE_SECONDS = 600, 30
    settings.CLONUS_CACHE_STALE_SECONDS = 20
    response = get(live().get_absolute_url())
    control = {part.strip() for part in response.headers["cache-control"].split(",")}
    assert control == {"public", "max-age=30", "s-maxage=600", "stale-while-revalidate=20"}
    assert "vary" not in response.headers and "set-cookie" not in response.headers
    assert response.headers["etag"] and response.headers["last-modified"]


# Conditional requests


def test_a_conditional_request_with_the_same_etag_is_answered_not_modified():
    url = live().get_absolute_url()
    etag = get(url).headers["etag"]
    cached = get(url, if_none_match=etag)
    assert (cached.status, cached.cache, cached.body) == (304, "hit", b"")
    assert get(url, if_none_match='"something-else"').status == 200


def test_a_page_rendered_afresh_answers_its_etag_not_modified_too():
    url = live().get_absolute_url()
    etag = get(url).headers["etag"]
    cache.clear()
    fresh = get(url, if_none_match=etag)
    assert (fresh.status, fresh.cache, fresh.body) == (304, "miss", b"")


def test_if_modified_since_is_answered_from_last_modified():
    url = live().get_absolute_url()
    modified = get(url).headers["last-modified"]
    assert get(url, if_modified_since=modified).status == 304
    assert get(url, if_modified_since="Mon, 01 Jan 2001 00:00:00 GMT").status == 200


# Never a stale page after an action returns


def test_publishing_a_change_is_shown_on_the_next_request():
    article = live(title="Before")
    get(article.get_absolute_url()), get(reverse("articles:article-list"))
    republish(article, title="After")
    page, home = get(article.get_absolute_url()), get(reverse("articles:article-list"))
    assert (page.cache, home.cache) == ("miss", "miss")
    assert "After" in page.text and "After" in home.text and "Before" not in home.text


def test_publishing_one_article_keeps_the_pages_of_unrelated_articles():
    unrelated, article = live("Unrelated"), live("Changing")
    get(unrelated.get_absolute_url())
    republish(article, title="Changed")
    assert get(unrelated.get_absolute_url()).cache == "hit"


def test_unpublishing_takes_the_page_and_the_list_entry_down_at_once():
    article = live("Going away")
    get(article.get_absolute_url()), get(reverse("articles:article-list"))
    article.unpublish(make_user("Site admins"))
    assert get(article.get_absolute_url()).status == 404
    assert "Going away" not in get(reverse("articles:article-list")).text


def test_a_scheduled_publish_carried_out_by_cron_is_shown_at_once():
    article = live("Before")
    get(article.get_absolute_url())
    revision = save_draft(article, title="Scheduled")
    sign_off(revision)
    article.schedule(revision, None, publish_at=timezone.now() + timezone.timedelta(minutes=1))
    assert "Before" in get(article.get_absolute_url()).text
    article.carry_out_schedule(timezone.now() + timezone.timedelta(minutes=2))
    assert "Scheduled" in get(article.get_absolute_url()).text


def test_a_page_is_never_served_past_a_scheduled_expiry_even_before_cron_runs():
    article = live("Expiring")
    article.schedule(None, None, expire_at=timezone.now() + timezone.timedelta(seconds=2))
    assert get(article.get_absolute_url()).status == 200
    assert get(article.get_absolute_url()).cache == "hit"
    time.sleep(2.1)
    assert get(article.get_absolute_url()).status == 404
    assert "Expiring" not in get(reverse("articles:article-list")).text


def test_signing_off_the_live_revision_shows_the_review_at_once():
    article = ready_article()
    article.publish(article.latest_revision, make_user("Site admins"))
    revision = save_draft(article, title="Published before review")
    article.publish(revision, make_user("Site admins"), override_reason="urgent safety update")
    get(article.get_absolute_url())
    sign_off(revision, make_user("Medical reviewers", first_name="Ada", last_name="Lovelace"))
    assert "Ada Lovelace" in get(article.get_absolute_url()).text


def test_editing_a_cited_source_drops_the_pages_that_show_it_and_no_other():
    source = make_source("shared2020")
    citing = [live(f"Citing {n}") for n in range(2)]
    for article in citing:
        make_section(article, "Also [@shared2020].", heading="More?")
        republish(article)
    other = live("Not citing")
    for article in [*citing, other]:
        get(article.get_absolute_url())
    source.title = "A corrected title"
    source.save()
    assert [get(article.get_absolute_url()).cache for article in citing] == ["miss", "miss"]
    assert get(other.get_absolute_url()).cache == "hit"


def test_a_kept_404_is_dropped_when_an_article_goes_live_at_that_address():
    assert [get("/articles/coming-soon/").status for _ in range(2)] == [404, 404]
    assert get("/articles/coming-soon/").cache == "hit"
    article = ready_article(slug="coming-soon")
    article.publish(article.latest_revision, make_user("Site admins"))
    assert get("/articles/coming-soon/").status == 200


def test_a_drafts_address_is_not_kept_for_it_varies_on_who_asks():
    """Staff are shown a preview there, so the 404 readers get varies on the session cookie."""
    ready_article(slug="draft")
    responses = [get("/articles/draft/") for _ in range(2)]
    assert [(r.status, r.cache) for r in responses] == [(404, "miss"), (404, "miss")]
    assert "cookie" in responses[0].headers["vary"].lower()


def test_an_invalidation_in_another_process_is_seen_at_once(settings):
    """gunicorn's workers and cron share the tag clock: a tag touched by another process makes
    this one's kept pages stale."""
    article = live()
    get(article.get_absolute_url())
    touch = "from pathlib import Path; from clonus.pagecache import FileTagClock; FileTagClock(Path(__import__('sys').argv[1])).touch([__import__('sys').argv[2]])"
    subprocess.run([sys.executable, "-c", touch, str(settings.CLONUS_CACHE_TAGS_FILE), article.cache_tag], check=True)
    assert get(article.get_absolute_url()).cache == "miss"


# Never kept


def test_logged_in_readers_are_never_served_or_given_kept_pages(client):
    article = live()
    client.force_login(make_user("Editors"))
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    assert get(article.get_absolute_url(), cookie=cookie).cache is None
    assert get(article.get_absolute_url()).cache == "miss"
    assert get(article.get_absolute_url(), cookie=cookie).cache is None


def test_previews_and_the_admin_are_never_kept():
    article = ready_article()
    assert get(f"/articles/{article.slug}/preview/").cache == "miss"
    assert get(f"/articles/{article.slug}/preview/").cache == "miss"
    assert get("/admin/").cache is None


def test_responses_that_set_or_vary_on_a_cookie_or_are_private_are_not_kept():
    shared = [("Surrogate-Key", "articles"), ("Cache-Control", "public, s-maxage=60")]
    assert pagecache.keepable(200, shared)
    assert not pagecache.keepable(200, [*shared, ("Set-Cookie", "csrftoken=x")])
    assert not pagecache.keepable(200, [*shared, ("Vary", "Cookie")])
    assert not pagecache.keepable(200, [("Surrogate-Key", "articles"), ("Cache-Control", "private")])
    assert not pagecache.keepable(302, shared) and not pagecache.keepable(500, shared)
    assert not pagecache.keepable(200, [("Cache-Control", "public, s-maxage=60")])  # not shared by its view


# Keys that cannot be poisoned


def test_tracking_parameters_are_served_the_page_and_never_make_an_entry():
    url = live().get_absolute_url()
    assert get(f"{url}?utm_source=newsletter").cache == "miss"
    assert get(url).cache == "miss"  # the request with utm_source was not kept
    assert get(f"{url}?utm_source=newsletter&fbclid=1").cache == "hit"


def test_a_host_outside_allowed_hosts_is_refused_and_cannot_fill_the_cache():
    url = live().get_absolute_url()
    assert get(url, host="evil.example").status == 400
    assert get(url, host="evil.example").cache == "miss"
    page = get(url)
    assert page.cache == "miss" and "evil.example" not in page.text


def test_pages_read_their_own_query_parameters():
    for n in range(25):
        live(f"Article {n:02d}")
    first, second = get("/"), get("/?page=2")
    assert first.body != second.body and get("/?page=2").cache == "hit"


# A cache that is down


@pytest.fixture
def redis_server(tmp_path):
    """A Redis of the test's own on a free port, stopped by its PID."""
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    yield process, f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def redis_settings(settings):
    """Pages and tag times in Redis, as with REDIS_URL; clocks taken to agree."""

    def use(url):
        settings.CACHES, settings.CLONUS_CACHE_TAGS_FILE = redis_caches(url), None
        settings.CLONUS_CACHE_CLOCK_SKEW = 0

    return use


def redis_caches(url):
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }


def test_redis_keeps_pages_and_tag_times_for_every_machine(redis_settings, redis_server):
    redis_settings(redis_server[1])
    article = live("Before")
    assert [get(article.get_absolute_url()).cache for _ in range(2)] == ["miss", "hit"]
    republish(article, title="After")
    page = get(article.get_absolute_url())
    assert page.cache == "miss" and "After" in page.text


def test_a_redis_that_goes_down_leaves_pages_rendered_uncached_with_a_warning(
    settings, redis_settings, redis_server, caplog
):
    process, url = redis_server
    redis_settings(url)
    article = live()
    get(article.get_absolute_url())
    process.terminate()
    process.wait(timeout=10)
    with caplog.at_level(logging.WARNING, logger="clonus.pagecache"):
        responses = [get(article.get_absolute_url()) for _ in range(3)]
    assert [response.status for response in responses] == [200, 200, 200]
    assert "Clonus" in responses[0].text
    assert [r.message for r in caplog.records].count(
        f"The page cache failed to read; pages are rendered uncached for {settings.CLONUS_CACHE_RETRY_SECONDS} s."
    ) == 1  # said once, not on every request


def test_the_real_redis_on_the_machine_serves_as_the_page_cache(settings, redis_settings):
    """The Redis every machine of the project runs on 127.0.0.1:6379, as REDIS_URL names it."""
    redis_settings("redis://127.0.0.1:6379/9")
    settings.CACHES["default"]["KEY_PREFIX"] = f"clonus-test-{time.time_ns()}"
    article = live()
    assert [get(article.get_absolute_url()).cache for _ in range(2)] == ["miss", "hit"]


def test_machines_whose_clocks_disagree_never_keep_a_page_rendered_around_an_invalidation(
    settings, redis_settings, redis_server
):
    redis_settings(redis_server[1])
    settings.CLONUS_CACHE_CLOCK_SKEW = 0.5
    article = live()
    # Rendered within the skew after the publish: possibly before it, by another machine's clock.
    assert [get(article.get_absolute_url()).cache for _ in range(2)] == ["miss", "miss"]
    time.sleep(0.6)
    assert [get(article.get_absolute_url()).cache for _ in range(2)] == ["miss", "hit"]


# Purging the caches in front


class PurgeLog(BaseHTTPRequestHandler):
    """Answers PURGE with the statuses it is given in turn, and notes each request's tags."""

    def do_PURGE(self):
        self.server.seen.append(self.headers["xkey-purge"])
        status = self.server.statuses.pop(0) if self.server.statuses else 200
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def purge_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), PurgeLog)
    server.seen, server.statuses = [], []
    Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_publishing_purges_the_caches_in_front_by_tag(settings, purge_server):
    settings.CLONUS_PURGE_URLS = [f"http://127.0.0.1:{purge_server.server_port}/"]
    article = live()
    assert any(article.cache_tag in tags.split() and "articles" in tags.split() for tags in purge_server.seen)


def test_a_failed_purge_is_logged_and_retried_and_never_fails_the_action(settings, purge_server, caplog, monkeypatch):
    monkeypatch.setattr(purging, "RETRY_DELAYS", (0.1, 0.1, 0.1))
    settings.CLONUS_PURGE_URLS = [f"http://127.0.0.1:{purge_server.server_port}/"]
    article = ready_article()
    purge_server.seen, purge_server.statuses = [], [503]
    with caplog.at_level(logging.WARNING, logger="clonus.purging"):
        article.publish(article.latest_revision, make_user("Site admins"))  # returns though the purge failed
    deadline = time.monotonic() + 5
    while len(purge_server.seen) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert purge_server.seen[0] == purge_server.seen[1] and article.cache_tag in purge_server.seen[1].split()
    assert any("failed (503" in record.message for record in caplog.records)


def test_a_cache_in_front_that_is_down_never_fails_the_action(settings, caplog, monkeypatch):
    monkeypatch.setattr(purging, "RETRY_DELAYS", ())
    settings.CLONUS_PURGE_URLS = [f"http://127.0.0.1:{free_port()}/"]
    with caplog.at_level(logging.WARNING, logger="clonus.purging"):
        article = live()
    assert article.is_live and Revision.objects.filter(article=article).exists()
    assert any("giving up" in record.message for record in caplog.records)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

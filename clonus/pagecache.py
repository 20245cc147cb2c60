"""Whole pages for anonymous readers, kept in front of Django and dropped by tag.

A view shares a page by calling ``share(response, tags)``: the response gets a
``Surrogate-Key`` header naming what it shows (``article-3 source-12 articles``) and a public
``Cache-Control``. ``PageCache``, a WSGI middleware around Django (``clonus/wsgi.py``), keeps
such responses and serves them again to anonymous GET and HEAD requests without entering
Django at all; a cache in front (Varnish, a CDN) keeps them by the same headers.

Whatever changes what readers see calls ``invalidate(tags)`` once its transaction has
committed. Nothing is deleted: the ``TagClock`` records when each tag was last invalidated,
and a kept page is served only if it began rendering after every one of its tags was last
invalidated. A render that read the database before a commit therefore never outlives it, and
every process sharing the clock (gunicorn's workers, a cron job, a management command) agrees
at once. The same call purges the caches in front (``clonus.purging``).

Never kept: requests with a session cookie or credentials, anything a view did not share,
responses that set a cookie or vary on one, and statuses other than 200 and 404.
"""

import fcntl
import hashlib
import logging
import math
import mmap
import os
import secrets
import struct
import threading
import time
import zlib
from http import HTTPStatus
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from django.utils.module_loading import import_string

from .purging import Purger

logger = logging.getLogger(__name__)

#: The header naming a response's tags, as Fastly and Varnish's xkey read it.
TAGS_HEADER = "Surrogate-Key"
#: Said on every response the page cache looked at: whether it came from the cache.
STATUS_HEADER = "X-Cache"
CACHEABLE_STATUSES = {200, 404}


def share(response, tags, expires=None):
    """Let shared caches keep ``response`` until one of ``tags`` is invalidated, or until
    ``expires`` (a timestamp) at the latest; until the site's next scheduled expiry in any case."""
    deadline = min(filter(None, [expires, deadline_or_none()]), default=None)
    if response.status_code == 200:
        seconds, stale = settings.CLONUS_CACHE_SECONDS, settings.CLONUS_CACHE_STALE_SECONDS
    else:  # a 404 may become a page at the next publish: never served stale
        seconds, stale = settings.CLONUS_CACHE_404_SECONDS, 0
    if deadline is not None and deadline - time.time() < seconds:
        # Something shown expires first: no cache may keep the page, stale or not, past then.
        seconds, stale = max(0, math.ceil(deadline - time.time())), 0
    response[TAGS_HEADER] = " ".join(sorted(set(tags)))
    control = {"public": True, "max_age": min(seconds, settings.CLONUS_BROWSER_CACHE_SECONDS), "s_maxage": seconds}
    if stale:
        control["stale_while_revalidate"] = min(seconds, stale)
    patch_cache_control(response, **control)
    return response


def invalidate(tags):
    """Drop every kept page carrying one of ``tags``, here and in the caches in front, once the
    current transaction commits (at once outside one). The tag clock is also moved at once:
    a page made from what the transaction has written so far is then not kept either."""
    tags = sorted(set(tags))
    try:
        clock().touch(tags)
    except Exception:  # tried again, with retries, after the commit
        pass
    transaction.on_commit(lambda: _invalidate(tags))


def fresh(tags, made_at, epoch):
    """Whether something made at ``made_at`` (``now()``) showing ``tags`` is still current, as
    ``unchanged_since()`` says, under the same tag clock (``epoch``)."""
    try:
        return epoch is not None and epoch == clock().epoch() and unchanged_since(tags, made_at)
    except Exception:
        logger.warning("The tag clock could not be read; pages are made again.", exc_info=True)
        return False


def unchanged_since(tags, since):
    """Whether no tag of ``tags`` was invalidated, and nothing live expired, at or after
    ``since`` (``now()``); raises if the tag clock cannot be read."""
    current = clock()
    if not current.fresh(tags, since):
        return False
    deadline = current.deadline()
    return deadline is None or not (since < deadline * 1e6 <= now())


#: What ``remembered()`` keeps: ``{key: (value, made_at, epoch)}``.
_remembered = {}


def remembered(key, tags, work_out):
    """``work_out()``, kept in this process under ``key`` and worked out again only once the
    tag clock says something that ``tags`` name has changed since (or cannot be read): for
    small things many pages need, such as how many articles a list has."""
    kept = _remembered.get(key)
    if kept is not None and fresh(tags, kept[1], kept[2]):
        return kept[0]
    made_at, made_under = now(), epoch()  # before anything is read, as for pages
    value = work_out()
    _remembered[key] = (value, made_at, made_under)
    return value


def epoch():
    """Which tag clock this is: a stored page made under another one (a file made anew, a
    Redis emptied) knows nothing of the invalidations since. None if it cannot be read."""
    try:
        return clock().epoch()
    except Exception:
        return None


def _invalidate(tags):
    for purger in [TagClockPurge("the tag clock"), *purgers()]:
        purger.purge(tags)


class TagClockPurge(Purger):
    """The tag clock as one more cache to purge: a clock that cannot be written (a Redis that
    is down) is tried again, as a Varnish that is down is, and never fails the action."""

    def send(self, tags):
        clock().touch(tags)


def deadline_or_none():
    try:
        return clock().deadline()
    except Exception:
        logger.warning("The tag clock could not be read; the next expiry is not known.", exc_info=True)
        return None


def set_deadline(moment):
    """The next time (a datetime) something live is due to expire, or None: no page is kept
    past it, once the current transaction commits."""
    timestamp = moment.timestamp() if moment else None
    transaction.on_commit(lambda: clock().set_deadline(timestamp))


# When each tag was last invalidated.


class FileTagClock:
    """Tag times in a small memory-mapped file that every process on this machine shares.

    Each tag hashes to one of ``SLOTS`` eight-byte slots holding the last time (in
    microseconds) that a tag of that slot was invalidated; two tags sharing a slot only drop
    each other's pages more often. Reading is a memory read, no system call; a write takes an
    exclusive lock on the file. The first slot holds the deadline; the second a random
    number, drawn when the file is made, that tells this clock from one made after it.
    """

    SLOTS = 1 << 16
    SLOT = struct.Struct("<q")

    def __init__(self, path):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if os.fstat(fd).st_size < self.SLOTS * self.SLOT.size:
                os.ftruncate(fd, self.SLOTS * self.SLOT.size)
            self.map = mmap.mmap(fd, self.SLOTS * self.SLOT.size)
        finally:
            os.close(fd)
        self.lock = threading.Lock()
        self.path = path
        if not self.read(1):
            self._write({1}, secrets.randbits(62) + 1, keep_latest=False, only_if_unset=True)

    def slot(self, tag):
        return 2 + zlib.crc32(tag.encode()) % (self.SLOTS - 2)

    def epoch(self):
        return self.read(1)

    def read(self, slot):
        return self.SLOT.unpack_from(self.map, slot * self.SLOT.size)[0]

    def fresh(self, tags, since):
        """Whether none of ``tags`` was invalidated at or after ``since`` (microseconds)."""
        return all(self.read(self.slot(tag)) < since for tag in tags)

    def touch(self, tags):
        self._write({self.slot(tag) for tag in tags}, now())

    def deadline(self):
        value = self.read(0)
        return value / 1e6 if value else None

    def set_deadline(self, timestamp):
        self._write({0}, int(timestamp * 1e6) if timestamp else 0, keep_latest=False)

    def _write(self, slots, value, keep_latest=True, only_if_unset=False):
        with self.lock, open(self.path, "rb") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            for slot in slots:
                if only_if_unset and self.read(slot):
                    continue
                # Never backwards: a clock stepped back must not revive pages.
                written = max(value, self.read(slot)) if keep_latest else value
                self.SLOT.pack_into(self.map, slot * self.SLOT.size, written)
            self.map.flush()


class CacheTagClock:
    """Tag times kept in the page cache itself, for a cache several machines share (Redis).

    A tag with no time (never invalidated, or evicted by the cache) makes its pages stale: a
    page stored gets a time of zero for each of its tags that has none. Times are moved forward
    by ``CLONUS_CACHE_CLOCK_SKEW`` seconds, so machines whose clocks disagree by less never
    keep a page rendered before an invalidation on another.
    """

    def __init__(self, cache):
        self.cache = cache

    @staticmethod
    def key(tag):
        return f"tag:{tag}"

    def fresh(self, tags, since):
        times = self.cache.get_many([self.key(tag) for tag in tags])
        return len(times) == len(tags) and all(t < since for t in times.values())

    def prepare(self, tags):
        for tag in tags:
            self.cache.add(self.key(tag), 0, timeout=None)

    def touch(self, tags):
        at = now() + int(settings.CLONUS_CACHE_CLOCK_SKEW * 1e6)
        self.cache.set_many({self.key(tag): at for tag in tags}, timeout=None)

    def deadline(self):
        return self.cache.get("deadline")

    def set_deadline(self, timestamp):
        self.cache.set("deadline", timestamp, timeout=None)

    def epoch(self):
        self.cache.add("epoch", secrets.randbits(62) + 1, timeout=None)
        return self.cache.get("epoch")


def now():
    return time.time_ns() // 1000


_clock = None


def clock():
    global _clock
    if _clock is None:
        if settings.CLONUS_CACHE_TAGS_FILE:
            _clock = FileTagClock(settings.CLONUS_CACHE_TAGS_FILE)
        else:
            _clock = CacheTagClock(caches[settings.CLONUS_PAGE_CACHE])
    return _clock


@receiver(setting_changed)
def _forget_clock(setting, **kwargs):
    global _clock
    if setting in {"CLONUS_CACHE_TAGS_FILE", "CLONUS_PAGE_CACHE", "CACHES"}:
        _clock = None


def purgers():
    backend = import_string(settings.CLONUS_PURGE_BACKEND)
    return [backend(url) for url in settings.CLONUS_PURGE_URLS]


# The WSGI middleware.


class PageCache:
    """Serves kept pages to anonymous readers before Django starts on the request."""

    def __init__(self, application):
        self.application = application
        self.skip = tuple(f"/{prefix.strip('/')}/" for prefix in settings.CLONUS_CACHE_SKIP_PREFIXES)
        self.session_cookie = f"{settings.SESSION_COOKIE_NAME}="
        self.down_until = 0.0

    def __call__(self, environ, start_response):
        if not self.may_use(environ):
            return self.application(environ, start_response)
        key, exact = self.key(environ)
        entry = self.get(key)
        if entry is not None:
            return self.serve(entry, environ, start_response)
        return self.render(environ, start_response, key if exact else None)

    def may_use(self, environ):
        return (
            environ["REQUEST_METHOD"] in ("GET", "HEAD")
            and not environ.get("PATH_INFO", "/").startswith(self.skip)
            and "HTTP_AUTHORIZATION" not in environ
            and self.session_cookie not in environ.get("HTTP_COOKIE", "")
            and time.monotonic() >= self.down_until
        )

    def key(self, environ):
        """The cache key of a request, and whether the request is exactly what the key says.

        Only query parameters that pages read are part of the key (``CLONUS_CACHE_QUERY_PARAMS``):
        ``?utm_source=…`` is served the page without it, and a page is only ever kept when
        rendered for a request with nothing else in its query string.
        """
        query = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        kept = sorted((name, value) for name, value in query if name in settings.CLONUS_CACHE_QUERY_PARAMS)
        scheme = environ.get("wsgi.url_scheme", "http")
        if settings.SECURE_PROXY_SSL_HEADER:
            header, secure = settings.SECURE_PROXY_SSL_HEADER
            scheme = "https" if environ.get(header) == secure else scheme
        host = environ.get("HTTP_HOST", environ.get("SERVER_NAME", "")).lower()
        address = f"{scheme}://{host}{environ.get('PATH_INFO', '/')}?{urlencode(kept)}"
        return "page:" + hashlib.md5(address.encode(), usedforsecurity=False).hexdigest(), len(kept) == len(query)

    # The cache may be down; then pages are rendered as if there were none, and said so once.

    def get(self, key):
        try:
            entry = self.store().get(key)
            return entry if entry is not None and unchanged_since(entry["tags"], entry["started"]) else None
        except Exception:
            self.cache_failed("read")
            return None

    def put(self, key, entry, seconds):
        try:
            if isinstance(clock(), CacheTagClock):
                clock().prepare(entry["tags"])
            self.store().set(key, entry, seconds)
        except Exception:
            self.cache_failed("write")

    def cache_failed(self, doing):
        self.down_until = time.monotonic() + settings.CLONUS_CACHE_RETRY_SECONDS
        logger.warning(
            "The page cache failed to %s; pages are rendered uncached for %s s.",
            doing,
            settings.CLONUS_CACHE_RETRY_SECONDS,
            exc_info=True,
        )

    @staticmethod
    def store():
        return caches[settings.CLONUS_PAGE_CACHE]

    def serve(self, entry, environ, start_response):
        headers = [*entry["headers"], (STATUS_HEADER, "hit")]
        if entry["status"] == 200 and not_modified(environ, entry):
            keep = {"etag", "last-modified", "cache-control", "vary", TAGS_HEADER.lower(), STATUS_HEADER.lower()}
            start_response("304 Not Modified", [(k, v) for k, v in headers if k.lower() in keep])
            return []
        start_response(status_line(entry["status"]), headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [entry["body"]]

    def render(self, environ, start_response, key):
        started = now()
        seen = {}

        def capture(status, headers, exc_info=None):
            seen["status"], seen["headers"] = int(status.split(" ", 1)[0]), headers
            if keepable(seen["status"], headers) and not header(headers, "Last-Modified"):
                # Kept pages are known unchanged since they began rendering.
                headers.append(("Last-Modified", http_date(started // 10**6)))
            headers.append((STATUS_HEADER, "miss"))
            return start_response(status, headers, exc_info)

        response = self.application(environ, capture)
        if (
            key is None
            or environ["REQUEST_METHOD"] != "GET"
            or not keepable(seen.get("status"), seen.get("headers", []))
        ):
            return response
        try:
            body = b"".join(response)
        finally:
            if hasattr(response, "close"):
                response.close()
        headers = [(k, v) for k, v in seen["headers"] if k != STATUS_HEADER]
        tags = header(headers, TAGS_HEADER).split()
        entry = {"status": seen["status"], "headers": headers, "body": body, "tags": tags, "started": started}
        self.put(key, entry, shared_seconds(header(headers, "Cache-Control")))
        return [body]


def keepable(status, headers):
    names = {name.lower() for name, _ in headers}
    control = header(headers, "Cache-Control").lower()
    return (
        status in CACHEABLE_STATUSES
        and TAGS_HEADER.lower() in names
        and "set-cookie" not in names
        and "cookie" not in header(headers, "Vary").lower()
        and "public" in control
        and "private" not in control
        and "no-store" not in control
        and shared_seconds(control) > 0
    )


def header(headers, name):
    name = name.lower()
    return ", ".join(value for key, value in headers if key.lower() == name)


def shared_seconds(control):
    """How long a shared cache may keep a response, by its Cache-Control (s-maxage first)."""
    found = {}
    for directive in control.lower().split(","):
        name, _, value = directive.strip().partition("=")
        if value.isdigit():
            found[name] = int(value)
    return found.get("s-maxage", found.get("max-age", 0))


def not_modified(environ, entry):
    """Whether a conditional GET or HEAD may be answered 304, as RFC 9110 says (and Django's
    ConditionalGetMiddleware does for pages rendered): If-None-Match first."""
    etag = header(entry["headers"], "ETag")
    if "HTTP_IF_NONE_MATCH" in environ:
        wanted = parse_etags(environ["HTTP_IF_NONE_MATCH"])
        return bool(etag) and ("*" in wanted or etag.removeprefix("W/") in [e.removeprefix("W/") for e in wanted])
    since = parse_http_date_safe(environ.get("HTTP_IF_MODIFIED_SINCE", ""))
    modified = parse_http_date_safe(header(entry["headers"], "Last-Modified"))
    return since is not None and modified is not None and modified <= since


def status_line(status):
    return f"{status} {HTTPStatus(status).phrase}"

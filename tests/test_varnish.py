"""Varnish in front of the live server, with deploy/varnish/clonus.vcl: readers' pages come from
Varnish until a change that shows on them commits, and then never again.

A real ``varnishd`` (Debian's varnish and varnish-modules, for vmod-xkey) runs on loopback for
each test, its backend the live server. Without it the tests skip with the reason, except where
they are required (``CLONUS_REQUIRE_BROWSER=1``, as .ci/run sets, or ``CI=true``): a missing
Varnish there is a failure, as a missing Chromium is for the browser tests.
"""

import logging
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import urllib3

from articles.models import Revision
from clonus import purging
from tests.factories import (
    make_article,
    make_section,
    make_source,
    make_user,
    publish,
    ready_article,
    save_draft,
    sign_off,
)

VCL = Path(__file__).resolve().parent.parent / "deploy" / "varnish" / "clonus.vcl"
BACKEND_PORT = re.compile(r'(\.port\s*=\s*")8000(";)')
#: Debian installs varnishd in /usr/sbin, which is not on every user's PATH.
VARNISHD = shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin:/usr/local/sbin")

http = urllib3.PoolManager(timeout=urllib3.Timeout(connect=2, read=10), retries=False)


def varnish_required():
    required = os.environ.get("CLONUS_REQUIRE_BROWSER") == "1"
    return required or os.environ.get("CI", "").lower() == "true"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Varnish:
    """One ``varnishd`` in the foreground (``-F``), a child of this process, stopped by its PID."""

    def __init__(self, workdir, backend_port):
        self.workdir = workdir
        self.port, self.admin_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        vcl, replaced = BACKEND_PORT.subn(rf"\g<1>{backend_port}\g<2>", VCL.read_text())
        assert replaced == 1, f"no backend port 8000 to replace in {VCL}"
        self.vcl = workdir / "clonus.vcl"
        self.vcl.write_text(vcl)
        self.log = workdir / "varnishd.log"
        self.process = None

    def start(self):
        command = [
            VARNISHD,
            "-F",
            "-n", str(self.workdir / "instance"),
            "-a", f"127.0.0.1:{self.port}",
            "-T", f"127.0.0.1:{self.admin_port}",
            "-f", str(self.vcl),
            "-s", "malloc,32m",
            # No separate users: the test may run as root or not.
            "-j", "none",
            # Room for long tag headers, as deploy/varnish/clonus.vcl says production needs.
            "-p", "http_resp_hdr_len=64k",
            "-p", "http_resp_size=128k",
            "-p", "workspace_backend=256k",
            "-p", "http_req_hdr_len=64k",
            "-p", "http_req_size=128k",
            "-p", "workspace_client=256k",
            # A handful of threads is plenty for one test's requests, and starts faster.
            "-p", "thread_pools=1",
            "-p", "thread_pool_min=10",
            "-p", "thread_pool_max=50",
        ]  # fmt: skip
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"varnishd exited with {self.process.returncode}:\n{self.log.read_text()}")
            try:
                # Answered by Varnish itself (vcl_recv), whatever the backend.
                if self.purge("nothing").status == 200:
                    return self
            except urllib3.exceptions.HTTPError:
                time.sleep(0.1)
        self.stop()
        pytest.fail(f"varnishd did not answer within 20 s:\n{self.log.read_text()}")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # its own PID: the manager stops its child, the cache
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    def get(self, path, **headers):
        return http.request("GET", self.url + path, headers=headers, redirect=False)

    def purge(self, tags, **headers):
        return http.request("PURGE", self.url + "/", headers={"xkey-purge": tags, **headers})


def cache_status(response):
    return response.headers.get("X-Varnish-Cache")


@pytest.fixture
def varnish(live_server, settings, tmp_path):
    """A Varnish in front of the live server; this process purges it, as production would."""
    if VARNISHD is None:
        message = "varnishd not found; install Debian's varnish and varnish-modules"
        if varnish_required():
            pytest.fail(f"{message} (required here: CLONUS_REQUIRE_BROWSER=1 or CI=true)")
        pytest.skip(message)
    backend_port = int(live_server.url.rsplit(":", 1)[1])
    cache = Varnish(tmp_path, backend_port).start()
    settings.CLONUS_PURGE_URLS = [cache.url + "/"]
    yield cache
    cache.stop()


@pytest.fixture
def editor(live_server):
    return make_user("Editors")


def live(article):
    """``article`` made live as test data (no page is cached yet, so nothing to purge)."""
    publish(article)
    return article.get_absolute_url()


def article_citing(*sources, title=None):
    article = make_article(title=title)
    make_section(article, " ".join(f"Brisk jerks [@{source.key}]." for source in sources))
    return article


def publish_change(article, editor, **fields):
    """An editor's save of ``fields``, signed off and published, as the editor's view does."""
    revision = save_draft(article, editor, **fields)
    sign_off(revision)
    article.publish(revision, editor)
    return revision


def test_the_second_anonymous_request_for_an_article_is_a_hit_with_the_same_page(varnish):
    path = live(article_citing(make_source(), title="Ankle clonus"))

    first = varnish.get(path)
    second = varnish.get(path)

    assert first.status == second.status == 200
    assert cache_status(first) == "MISS"
    assert cache_status(second) == "HIT"
    assert second.data == first.data
    assert b"Ankle clonus" in second.data
    assert "xkey" not in second.headers  # Varnish's own index, not for readers


def test_readers_cookies_other_than_the_session_do_not_split_the_cache(varnish):
    path = live(article_citing(make_source()))
    varnish.get(path)

    assert cache_status(varnish.get(path, Cookie="csrftoken=abc; _ga=GA1.2.3")) == "HIT"


def test_a_published_change_is_shown_by_the_very_next_request(varnish, editor):
    article = ready_article(title="Ankle clonus", editor=editor)
    article.publish(article.latest_revision, editor)
    path = article.get_absolute_url()
    varnish.get(path)
    assert cache_status(varnish.get(path)) == "HIT"

    revision = save_draft(article, editor, title="Ankle clonus, revised")
    assert cache_status(varnish.get(path)) == "HIT"  # a draft is not what readers see
    sign_off(revision)
    article.publish(revision, editor)

    after = varnish.get(path)
    assert cache_status(after) == "MISS"
    assert b"Ankle clonus, revised" in after.data
    assert cache_status(varnish.get(path)) == "HIT"


def test_a_published_section_edit_is_shown_by_the_very_next_request(varnish, editor):
    article = ready_article(editor=editor)
    article.publish(article.latest_revision, editor)
    path = article.get_absolute_url()
    varnish.get(path)
    assert cache_status(varnish.get(path)) == "HIT"

    section = article.sections.get()
    section.body = section.body.replace("Brisk jerks", "Rhythmic beats at five hertz")
    section.save()
    revision = Revision.objects.record(article, editor)
    sign_off(revision)
    article.publish(revision, editor)

    after = varnish.get(path)
    assert cache_status(after) == "MISS"
    assert b"Rhythmic beats at five hertz" in after.data


def test_editing_a_source_purges_every_live_article_citing_it_and_no_other(varnish):
    edited, other = make_source(), make_source()
    citing = [live(article_citing(edited)), live(article_citing(edited, other))]
    not_citing = live(article_citing(other))
    for path in [*citing, not_citing]:
        varnish.get(path)
        assert cache_status(varnish.get(path)) == "HIT"

    edited.title = "A corrected title"
    edited.save()

    assert [cache_status(varnish.get(path)) for path in citing] == ["MISS", "MISS"]
    assert cache_status(varnish.get(not_citing)) == "HIT"


def test_a_request_with_a_session_cookie_is_never_a_hit(varnish):
    path = live(article_citing(make_source()))
    varnish.get(path)
    assert cache_status(varnish.get(path)) == "HIT"

    for _ in range(2):
        response = varnish.get(path, Cookie="csrftoken=abc; sessionid=not-a-real-session")
        assert response.status == 200
        assert cache_status(response) == "MISS"


def test_the_admin_is_never_cached(varnish):
    for _ in range(2):
        response = varnish.get("/admin/login/")
        assert response.status == 200
        assert cache_status(response) == "MISS"


def test_purging_needs_tags(varnish):
    response = http.request("PURGE", varnish.url + "/")

    assert response.status == 405


@pytest.fixture
def retries(monkeypatch):
    """The purges' retries, scheduled as usual but cancelled when the test ends: one firing
    during a later test would log there (and purge a Varnish long gone)."""
    scheduled = []

    class Timer(threading.Timer):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            scheduled.append(self)

    monkeypatch.setattr(purging, "threading", SimpleNamespace(Timer=Timer))
    yield scheduled
    for timer in scheduled:
        timer.cancel()


def test_publishing_succeeds_and_warns_when_varnish_is_down(varnish, editor, retries, caplog):
    article = ready_article(title="Ankle clonus", editor=editor)
    article.publish(article.latest_revision, editor)
    varnish.stop()

    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="clonus.purging"):
        publish_change(article, editor, title="Ankle clonus, revised")

    assert time.monotonic() - started < 3  # one attempt's timeout at most, not the retries
    article.refresh_from_db()
    assert article.live_revision.title == "Ankle clonus, revised"
    warnings = [r.getMessage() for r in caplog.records if r.name == "clonus.purging" and r.levelno == logging.WARNING]
    assert any(f"article-{article.pk}" in message and varnish.url in message for message in warnings), warnings
    # Each failed purge (the sign-off's, the publish's) is tried again in the background.
    assert [timer.interval for timer in retries] == [purging.RETRY_DELAYS[0]] * len(warnings)

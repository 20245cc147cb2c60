"""Chromium for the browser tests: Debian's, driven by Playwright, against the live server.

Playwright never downloads a browser here; it starts the one at ``CLONUS_CHROMIUM``
(default /usr/bin/chromium). Without it the tests skip with the reason, except where the
browser is required (``CLONUS_REQUIRE_BROWSER=1``, as .ci/run sets, or ``CI=true``): a missing
browser there is a failure, so CI can never pass by skipping the browser tests.
"""

import os
import shutil
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect, sync_playwright

from tests.conftest import ensure_roles
from tests.factories import PASSWORD

CHROMIUM = os.environ.get("CLONUS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # tests run as root in containers, where the sandbox cannot start
    "--disable-gpu",
    "--disable-dev-shm-usage",  # containers give /dev/shm 64 MB, too little for Chromium
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def browser_required():
    required = os.environ.get("CLONUS_REQUIRE_BROWSER") == "1"
    return required or os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="package")
def browser():
    """One Chromium for every test in this package.

    Package scope, not session scope: while Playwright's sync API is running it marks an
    asyncio loop as running in the main thread. Django then refuses ORM calls there (a test
    loading data, the database flush after it), and would refuse ``async_to_sync`` in any later
    test of the session. So the browser, and the permission below, end with this package.
    """
    executable = shutil.which(CHROMIUM)
    if executable is None:
        message = f"Chromium not found at {CHROMIUM}; install Debian's chromium"
        if browser_required():
            pytest.fail(f"{message} (required here: CLONUS_REQUIRE_BROWSER=1 or CI=true)")
        pytest.skip(message)

    with pytest.MonkeyPatch.context() as patch:
        # Only the event loop is "running", not async code: the test and Playwright take turns
        # in one thread, so synchronous ORM calls from the test are safe.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


@pytest.fixture
def expected_errors():
    """(status, path) answers the test expects, such as a 403 for a forbidden page: add them
    before the request, and they do not fail the test as other error answers do."""
    return set()


@pytest.fixture
def new_page(browser, live_server, expected_errors):
    """Open pages in fresh browser contexts: each ``new_page()`` is another person, no cookies.

    Every page fails its test on a JavaScript error or on a request the site answers with an
    error (a missing stylesheet or script included), unless the test said it expects it.
    """
    contexts, problems = [], []

    def open_page():
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
        page.on("response", note_error_response)
        return page

    def note_error_response(response):
        if response.status >= 400 and (response.status, urlsplit(response.url).path) not in expected_errors:
            problems.append(f"{response.status} for {response.request.method} {response.url}")

    yield open_page
    for context in contexts:
        for open_one in context.pages:
            settle(open_one)  # a request still being answered would meet the flush after the test
        context.close()
    if problems:
        pytest.fail("The browser met problems:\n" + "\n".join(problems))


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def log_in(new_page):
    """``log_in(user)``: a new browser in which ``user`` has logged in through the admin's form."""

    def log_in_as(user):
        page = new_page()
        page.goto(reverse("admin:login"))
        page.get_by_label("Username").fill(user.get_username())
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Articles, sources and citations")).to_be_visible()
        return page

    return log_in_as


@pytest.fixture
def roles(transactional_db):
    """The editorial groups, back if an earlier live-server test flushed them (tests/conftest.py)."""
    ensure_roles()


def settle(page):
    """Wait until ``page`` has no request in flight, before the test itself writes to the database
    (and before the database is flushed after the test).

    The article editor asks for its preview as soon as it loads. On SQLite the live server and
    the test share one in-memory database whose tables are locked during a write, so a write
    from the test while a preview is being read fails that request (a 500), or the flush,
    instead of waiting.
    """
    page.wait_for_load_state("networkidle")

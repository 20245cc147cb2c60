"""Every public page is valid HTML, as the Nu HTML Checker (vnu.jar, pinned in package.json)
reads it: the pages are fetched with the test client and checked in one run of the checker.

Without Java or the jar the test is skipped with the reason, except where checks are required
(``CLONUS_REQUIRE_BROWSER=1``, as .ci/run sets, or ``CI=true``): there it fails, as a missing
browser does in tests/browser/conftest.py.
"""

import json
import os
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template.loader import render_to_string
from django.utils.text import slugify

from tests.browser.test_accessibility import PUBLIC_PAGES

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def checks_required():
    required = os.environ.get("CLONUS_REQUIRE_BROWSER") == "1"
    return required or os.environ.get("CI", "").lower() == "true"


@pytest.fixture
def vnu():
    """The command that runs the checker."""
    java = shutil.which("java")
    if java is None:
        missing = "Java not found: the Nu HTML Checker needs a Java runtime (Debian: default-jre-headless)"
    elif not VNU.exists():
        missing = f"{VNU} not found: run `make test`, which installs vnu-jar with npm"
    else:
        return [java, "-Xss4m", "-jar", str(VNU)]  # its schema needs a deep stack (at least 512k)
    if checks_required():
        pytest.fail(f"{missing} (required here: CLONUS_REQUIRE_BROWSER=1 or CI=true)")
    pytest.skip(missing)


def html_errors(command, files):
    """(file name, line, message, extract) for each error the checker reports in ``files``."""
    run = subprocess.run(
        [*command, "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        report = json.loads(run.stderr or run.stdout)  # the checker reports on stderr
    except ValueError:
        pytest.fail(f"The Nu HTML Checker did not report (exit status {run.returncode}):\n{run.stderr}{run.stdout}")
    return [
        (message.get("url", "").rsplit("/", 1)[-1], message.get("lastLine"), message["message"], message.get("extract"))
        for message in report["messages"]
        if message["type"] in ("error", "non-document-error", "fatal")
    ]


def test_every_public_page_is_valid_html(client, db, vnu, tmp_path):
    call_command("load_demo", stdout=StringIO())
    files = []
    for name, address in PUBLIC_PAGES.items():
        response = client.get(address())
        assert response.status_code == (404 if name == "not found" else 200), name
        files.append(tmp_path / f"{slugify(name)}.html")
        files[-1].write_bytes(response.content)
    files.append(tmp_path / "server-error.html")  # as Django renders it: no context at all
    files[-1].write_text(render_to_string("500.html"))

    errors = html_errors(vnu, files)

    if errors:
        pytest.fail(
            f"{len(errors)} HTML errors:\n"
            + "\n".join(f"{file}, line {line}: {message}\n    {extract!r}" for file, line, message, extract in errors)
        )

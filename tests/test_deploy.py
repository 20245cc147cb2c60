"""Production settings, checked in fresh processes: settings are read once, at start-up."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_SECRET_KEY": "k3y-" + "x7Qp9" * 12,
    "DJANGO_ALLOWED_HOSTS": "clonus.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://clonus.example.org",
}


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("key", [None, "django-insecure-clonus-development-only"])
def test_production_refuses_to_start_without_a_real_secret_key(key):
    env = {**PRODUCTION}
    env.pop("DJANGO_SECRET_KEY")
    if key:
        env["DJANGO_SECRET_KEY"] = key
    result = manage("check", **env)
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_postgres_url_uses_a_health_checked_connection_pool():
    code = (
        "from django.conf import settings; d = settings.DATABASES['default'];"
        "print(json.dumps([d['ENGINE'], d['NAME'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'],"
        " sorted(d['OPTIONS']['pool'])]))"
    )
    result = manage(
        "shell",
        "-c",
        "import json;" + code,
        DATABASE_URL="postgres://clonus@db.internal:5432/clonus",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [
        "clonus.postgresql",  # Django's, with a pool that recovers from a restart at once
        "clonus",
        0,
        True,
        ["max_size", "min_size"],
    ]


def test_collectstatic_builds_a_compressed_manifest(tmp_path):
    result = manage("collectstatic", "--noinput", DJANGO_STATIC_ROOT=str(tmp_path), **PRODUCTION)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    hashed = manifest["css/site.css"]
    assert hashed != "css/site.css"
    assert (tmp_path / (hashed + ".gz")).exists()

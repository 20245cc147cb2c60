"""The settings that docs/deployment.md says turn on each part of serving many readers."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

READ = """
import json
from django.conf import settings
print(json.dumps({
    "cache": settings.CACHES["default"]["BACKEND"],
    "location": settings.CACHES["default"].get("LOCATION", ""),
    "tags_file": str(settings.CLONUS_CACHE_TAGS_FILE) if settings.CLONUS_CACHE_TAGS_FILE else None,
    "purge_urls": settings.CLONUS_PURGE_URLS,
    "cache_seconds": settings.CLONUS_CACHE_SECONDS,
    "browser_seconds": settings.CLONUS_BROWSER_CACHE_SECONDS,
    "engine": settings.DATABASES["default"]["ENGINE"],
    "pool": settings.DATABASES["default"].get("OPTIONS", {}).get("pool"),
    "options": settings.DATABASES["default"].get("OPTIONS", {}).get("options"),
    "proxy_ssl": settings.SECURE_PROXY_SSL_HEADER,
}))
"""


def configured(**env):
    """The settings as a fresh process reads them from ``env`` (and production's musts)."""
    base = {key: value for key, value in os.environ.items() if not key.startswith(("CLONUS_", "REDIS_", "DATABASE_"))}
    base.update(DJANGO_SECRET_KEY="a-secret-for-this-test-only", DJANGO_SETTINGS_MODULE="clonus.settings", **env)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup();" + READ],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_by_default_pages_are_kept_in_memory_with_tag_times_in_a_shared_file():
    found = configured()
    assert found["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert found["tags_file"] == str(ROOT / ".page-tags")
    assert found["purge_urls"] == []


def test_redis_url_puts_pages_and_tag_times_in_redis():
    found = configured(REDIS_URL="redis://cache.internal:6379/2")
    assert found["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert found["location"] == "redis://cache.internal:6379/2" and found["tags_file"] is None


def test_purge_urls_name_every_cache_in_front():
    found = configured(CLONUS_PURGE_URLS="http://varnish-1:6081/, http://varnish-2:6081/")
    assert found["purge_urls"] == ["http://varnish-1:6081/", "http://varnish-2:6081/"]


def test_how_long_pages_are_kept_is_set_by_the_environment():
    found = configured(CLONUS_CACHE_SECONDS="900", CLONUS_BROWSER_CACHE_SECONDS="0")
    assert (found["cache_seconds"], found["browser_seconds"]) == (900, 0)


def test_postgresql_is_pooled_without_jit_unless_a_pooler_in_front_takes_over():
    pooled = configured(DATABASE_URL="postgres://clonus@db.internal:5432/clonus", DATABASE_POOL_MAX_SIZE="20")
    assert pooled["engine"] == "clonus.postgresql" and pooled["pool"]["max_size"] == 20
    assert pooled["options"] == "-c jit=off"
    behind_pgbouncer = configured(DATABASE_URL="postgres://clonus@pgbouncer:6432/clonus", DATABASE_POOL="0")
    assert behind_pgbouncer["engine"] == "django.db.backends.postgresql" and behind_pgbouncer["pool"] is None


def test_behind_a_proxy_that_terminates_tls_the_forwarded_scheme_is_trusted():
    assert configured(DJANGO_SECURE_PROXY_SSL_HEADER="1")["proxy_ssl"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert configured()["proxy_ssl"] is None

"""
Settings for Clonus: one module, driven by the environment.

A laptop needs no variables at all: it gets SQLite and, with DJANGO_DEBUG=1 (as `make run`
sets), the development secret key. Production sets DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS,
and usually DATABASE_URL; start-up is refused when the secret is missing, so a forgotten
variable cannot quietly ship a guessable key.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

DEVELOPMENT_SECRET_KEY = "django-insecure-clonus-development-only"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY or SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY to a long random value (or DJANGO_DEBUG=1 for development).")
    SECRET_KEY = DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.postgres",  # full-text and trigram search on PostgreSQL; inert on SQLite
    "django.contrib.sitemaps",
    # Before staticfiles, so that runserver serves static files the way production does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "markdownx",
    "adminsortable2",
    "articles",
    "references",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # ETags on every page and 304s for rendered ones; clonus.pagecache answers them for kept ones.
    "django.middleware.http.ConditionalGetMiddleware",
]

ROOT_URLCONF = "clonus.urls"

# `references` is a leaf app and knows nothing of pages that show its records; a source's
# public page lists the articles citing it, so it is served by `articles`.
ABSOLUTE_URL_OVERRIDES = {
    "references.source": lambda source: reverse("articles:source-detail", args=[source.key]),
}
WSGI_APPLICATION = "clonus.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


# Database: DATABASE_URL, SQLite in the project folder by default.
# PostgreSQL goes through psycopg's connection pool, in Django's backend with a pool that checks
# each connection before handing it out and, on finding one dead, all the others at once
# (clonus/postgresql), so a restarted server costs no failed request once it is back. Django
# refuses persistent connections together with a pool, hence CONN_MAX_AGE=0 there; SQLite
# keeps its connection, health-checked, instead.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=600,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DATABASE_POOL", default=True):
    DATABASES["default"]["ENGINE"] = "clonus.postgresql"
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": int(os.environ.get("DATABASE_POOL_MAX_SIZE", "10")),
    }
if DATABASES["default"]["ENGINE"] in ("django.db.backends.postgresql", "clonus.postgresql"):
    # A page's queries each take about a millisecond; JIT compiling one that the planner
    # expects to be large took 15 ms more (the related articles, with 10,000 articles).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True


# Static files are hashed and compressed at collectstatic time and served by WhiteNoise.
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Widgets render with TEMPLATES, so that templates/ can hold the citing editor's widget.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# An upload larger than this never reaches the image checks: Django refuses the request body.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024


# django-markdownx: the preview goes through our renderer (sanitized, citation-aware), and
# both editor endpoints are our own staff-only views (see articles/editor.py).
MARKDOWNX_MARKDOWNIFY_FUNCTION = "articles.markdown.to_html"
MARKDOWNX_URLS_PATH = "/editor/preview/"
MARKDOWNX_UPLOAD_URLS_PATH = "/editor/upload/"
MARKDOWNX_MEDIA_PATH = "uploads/"
MARKDOWNX_UPLOAD_MAX_SIZE = 2 * 1024 * 1024
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"]
MARKDOWNX_IMAGE_MAX_SIZE = {"size": (1600, 1600), "quality": 85}


# HTTPS hardening is on whenever DEBUG is off; DJANGO_HTTPS=0 turns it off for a plain-HTTP
# test server. Behind a proxy that terminates TLS, set DJANGO_SECURE_PROXY_SSL_HEADER=1.
HTTPS = env_bool("DJANGO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 31536000)) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True


# Readers' pages are kept whole and served before Django starts on a request
# (clonus/pagecache.py, docs/deployment.md). In each process's memory by default, with tag times
# in a file every process on the machine shares (CLONUS_CACHE_TAGS_FILE), so a publish in one
# worker or in cron is seen by all; in Redis when REDIS_URL is set, tag times included, so that
# several machines share both. The short socket timeouts make a Redis that is down cost
# milliseconds: pages are then rendered uncached for CLONUS_CACHE_RETRY_SECONDS, and said so.
REDIS_URL = os.environ.get("REDIS_URL", "")
# Off only to measure rendering (benchmarks/http_speed.py): pages are then all rendered afresh.
CLONUS_KEEP_PAGES = env_bool("CLONUS_KEEP_PAGES", default=True)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CLONUS_CACHE_KEY_PREFIX", "clonus"),
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
else:
    # Each worker keeps its own copies: a thousand pages of about 50 KB is 50 MB a worker.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CLONUS_CACHE_MAX_ENTRIES", 1000))},
        }
    }
CLONUS_PAGE_CACHE = "default"
CLONUS_CACHE_TAGS_FILE = None if REDIS_URL else Path(os.environ.get("CLONUS_CACHE_TAGS_FILE", BASE_DIR / ".page-tags"))
# How long shared caches (ours, Varnish, a CDN) keep a page: they are purged when it changes.
CLONUS_CACHE_SECONDS = int(os.environ.get("CLONUS_CACHE_SECONDS", 3600))
# How long a reader's own browser may reuse a page without asking: it cannot be purged, so by
# default it asks every time, and a page that has not changed is answered 304 from the cache.
CLONUS_BROWSER_CACHE_SECONDS = int(os.environ.get("CLONUS_BROWSER_CACHE_SECONDS", 0))
CLONUS_CACHE_STALE_SECONDS = int(os.environ.get("CLONUS_CACHE_STALE_SECONDS", 60))
CLONUS_CACHE_404_SECONDS = int(os.environ.get("CLONUS_CACHE_404_SECONDS", 60))
# Machines sharing Redis may disagree on the time by up to this much (seconds).
CLONUS_CACHE_CLOCK_SKEW = float(os.environ.get("CLONUS_CACHE_CLOCK_SKEW", 1))
CLONUS_CACHE_RETRY_SECONDS = 5
# The query parameters pages read; any other (?utm_source=…) is no part of a page's key.
CLONUS_CACHE_QUERY_PARAMS = {"page", "q", "p"}
# Never looked up: static files (WhiteNoise answers them), uploads, the admin, the editor.
CLONUS_CACHE_SKIP_PREFIXES = [STATIC_URL, MEDIA_URL, "admin", "editor"]
# Caches in front to purge by tag after each change, e.g. http://127.0.0.1:6081/ for Varnish
# with deploy/varnish/clonus.vcl.
CLONUS_PURGE_URLS = env_list("CLONUS_PURGE_URLS")
CLONUS_PURGE_BACKEND = os.environ.get("CLONUS_PURGE_BACKEND", "clonus.purging.XkeyPurge")


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}


# Clonus
ARTICLES_PER_PAGE = 20
# Search results carry snippets: ten to a page, as most sites' search (and Wagtail's) shows.
SEARCH_RESULTS_PER_PAGE = 10
SOURCES_PER_PAGE = 50
# How long a medical review stays current: readers see "next review due" this long after it.
CLONUS_REVIEW_INTERVAL = timedelta(days=int(os.environ.get("CLONUS_REVIEW_INTERVAL_DAYS", 365)))

# The reference library (references/). The citation style is one of the CSL styles shipped in
# references/styles/: nlm-citation-sequence (Vancouver), american-medical-association or apa.
# Changing it takes effect for each source when it is next formatted: `manage.py format_sources`.
CLONUS_CITATION_STYLE = os.environ.get("CLONUS_CITATION_STYLE", "nlm-citation-sequence")
# Where "Fill from DOI/PMID" asks; tests point these at a local server replaying recordings.
CLONUS_CROSSREF_API = os.environ.get("CLONUS_CROSSREF_API", "https://api.crossref.org")
CLONUS_PUBMED_API = os.environ.get("CLONUS_PUBMED_API", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils")
# Named in the look-ups' User-Agent, as Crossref and NCBI ask of API clients.
CLONUS_CONTACT_EMAIL = os.environ.get("CLONUS_CONTACT_EMAIL", "")
# The largest file the source import reads (bytes).
CLONUS_IMPORT_MAX_BYTES = int(os.environ.get("CLONUS_IMPORT_MAX_BYTES", 20 * 1024 * 1024))

"""The pages readers see when something is wrong: branded, with a way home and to search, and
nothing about the error (no path, no exception, no traceback, no setting)."""

import pytest
from django.template.loader import render_to_string
from django.urls import include, path, reverse


def broken(request):
    raise RuntimeError("boom in /srv/clonus/articles/views.py with SECRET_KEY")


#: The site's own routes and one that fails, for the 500 test (``pytest.mark.urls``).
urlpatterns = [path("broken/", broken), path("", include("clonus.urls"))]

LEAKS = ("RuntimeError", "boom", "Traceback", "/srv/", ".py", "SECRET_KEY", "DATABASES")


def assert_leaks_nothing(html, settings, *more):
    for leak in (*LEAKS, settings.SECRET_KEY, str(settings.BASE_DIR), *more):
        assert leak not in html


def assert_ways_on(html):
    assert f'href="{reverse("articles:article-list")}"' in html
    assert f'href="{reverse("articles:search")}"' in html or f'action="{reverse("articles:search")}"' in html


@pytest.mark.urls(__name__)
def test_a_server_error_shows_the_branded_page_and_nothing_of_the_error(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False

    response = client.get("/broken/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>Sorry, something went wrong</h1>" in html
    assert_ways_on(html)
    assert_leaks_nothing(html, settings)


def test_the_server_error_page_needs_no_context_request_or_database(settings):
    # As Django renders it: no context, no request, so no context processors; and no database
    # here (this test has none).
    html = render_to_string("500.html")

    assert "<h1>Sorry, something went wrong</h1>" in html and 'id="site-search-q"' in html
    assert_ways_on(html)


def test_a_missing_page_shows_the_branded_page_and_not_the_address(client, settings, db):
    settings.DEBUG = False

    response = client.get("/no-such-page-7f3a/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html and "<title>Page not found · Clonus</title>" in html
    assert_ways_on(html)
    assert_leaks_nothing(html, settings, "no-such-page-7f3a")


def test_a_missing_article_does_not_say_why(client, settings, db):
    settings.DEBUG = False

    response = client.get(reverse("articles:article-detail", args=["no-such-article"]))

    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html
    assert_leaks_nothing(html, settings, "no-such-article", "No article here", "Article matching")

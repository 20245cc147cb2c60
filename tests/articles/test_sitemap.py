"""sitemap.xml lists every page readers can reach and when it last changed; robots.txt points
crawlers at it and away from the editors' pages."""

import pytest
from defusedxml import ElementTree
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Topic
from tests.factories import make_article, make_section, make_source, publish

pytestmark = pytest.mark.django_db

SITE = "http://testserver"
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap(client):
    """``{location: lastmod}`` of every URL in sitemap.xml."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    urls = ElementTree.fromstring(response.content).findall(f"{NS}url")
    return {url.findtext(f"{NS}loc"): url.findtext(f"{NS}lastmod") for url in urls}


def live_article(days_ago=0, cites=(), **fields):
    article = make_article(**fields)
    make_section(article, " ".join(f"[@{source.key}]" for source in cites))
    publish(article)
    moment = timezone.now() - timezone.timedelta(days=days_ago)
    Article.objects.filter(pk=article.pk).update(live_since=moment)
    article.refresh_from_db()
    return article


def day(moment):
    return f"{timezone.localtime(moment):%Y-%m-%d}"


def test_sitemap_lists_every_live_article_with_when_its_live_revision_went_live(client):
    recent, older = live_article(), live_article(days_ago=40)
    urls = sitemap(client)
    assert urls[f"{SITE}{recent.get_absolute_url()}"] == day(recent.live_since)
    assert urls[f"{SITE}{older.get_absolute_url()}"] == day(older.live_since)


def test_sitemap_lists_topics_with_live_articles_with_the_latest_of_them(client):
    neurology = Topic.objects.create(name="Neurology", slug="neurology")
    Topic.objects.create(name="Empty", slug="empty")
    drafted = Topic.objects.create(name="Drafted", slug="drafted")
    latest = live_article(days_ago=2, topic=neurology)
    live_article(days_ago=9, topic=neurology)
    make_article(topic=drafted)
    urls = sitemap(client)
    assert urls[f"{SITE}/topics/neurology/"] == day(latest.live_since)
    assert f"{SITE}/topics/empty/" not in urls and f"{SITE}/topics/drafted/" not in urls


def test_sitemap_lists_the_home_page_and_the_lists_changed_when_an_article_last_went_live(client):
    live_article(days_ago=5)
    latest = live_article(days_ago=1)
    urls = sitemap(client)
    for path in ("/", "/topics/", "/sources/"):
        assert urls[f"{SITE}{path}"] == day(latest.live_since)


def test_sitemap_lists_sources_live_articles_cite_with_when_the_latest_citing_one_went_live(client):
    cited, drafted, uncited = make_source("elwes1985"), make_source("drafted2020"), make_source("uncited2001")
    latest = live_article(days_ago=3, cites=[cited])
    live_article(days_ago=8, cites=[cited])
    draft = make_article()
    make_section(draft, "[@drafted2020]")
    urls = sitemap(client)
    assert urls[f"{SITE}/sources/elwes1985/"] == day(latest.live_since)
    assert f"{SITE}/sources/{drafted.key}/" not in urls and f"{SITE}/sources/{uncited.key}/" not in urls


def test_sitemap_never_lists_drafts_expired_or_unpublished_articles_or_what_only_they_cite(client):
    live = live_article()
    source = make_source("expired2019")
    draft = make_article()
    expired = live_article(cites=[source], topic=Topic.objects.create(name="Expired", slug="expired"))
    Article.objects.filter(pk=expired.pk).update(expire_at=timezone.now())
    unpublished = live_article()
    unpublished.unpublish(None)
    urls = sitemap(client)
    assert f"{SITE}{live.get_absolute_url()}" in urls
    for gone in (draft.get_absolute_url(), expired.get_absolute_url(), unpublished.get_absolute_url()):
        assert f"{SITE}{gone}" not in urls
    assert f"{SITE}/sources/expired2019/" not in urls and f"{SITE}/topics/expired/" not in urls


def test_sitemap_of_an_empty_site_lists_its_lists(client):
    assert sitemap(client) == {f"{SITE}/": None, f"{SITE}/topics/": None, f"{SITE}/sources/": None}


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_editing(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert {line for line in lines if line.startswith("Disallow:")} == {
        "Disallow: /admin/",
        "Disallow: /editor/",
        "Disallow: /articles/*/preview/",
    }
    assert f"Sitemap: {SITE}{reverse('sitemap')}" in lines

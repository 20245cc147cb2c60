"""The RSS and Atom feeds: the articles most recently published or updated, as they are live."""

from datetime import datetime
from email.utils import parsedate_to_datetime

import pytest
from defusedxml import ElementTree
from django.urls import reverse
from django.utils import timezone

from articles.feeds import ITEMS
from articles.models import Article, Topic
from tests.articles.test_metadata import Document
from tests.factories import make_article, make_section, make_source, publish

pytestmark = pytest.mark.django_db

SITE = "http://testserver"
ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"


def live_article(title, days_ago=0, **fields):
    article = make_article(title=title, **fields)
    publish(article)
    if days_ago:
        Article.objects.filter(pk=article.pk).update(live_since=timezone.now() - timezone.timedelta(days=days_ago))
    article.refresh_from_db()
    return article


def rss(client):
    response = client.get(reverse("articles:feed-rss"))
    assert response["Content-Type"].startswith("application/rss+xml")
    return ElementTree.fromstring(response.content).find("channel")


def atom(client):
    response = client.get(reverse("articles:feed-atom"))
    assert response["Content-Type"].startswith("application/atom+xml")
    return ElementTree.fromstring(response.content)


def test_rss_items_are_live_articles_as_their_live_revisions_show_them(client):
    topic = Topic.objects.create(name="Neurology", slug="neurology")
    article = live_article("Clonus explained", summary="Rhythmic beats.", byline="Clonus editorial team", topic=topic)
    Article.objects.filter(pk=article.pk).update(title="Draft title", summary="Draft summary", byline="Draft byline")
    [item] = rss(client).findall("item")
    assert item.findtext("title") == "Clonus explained"
    assert item.findtext("description") == "Rhythmic beats."
    assert item.findtext("link") == f"{SITE}/articles/{article.slug}/"
    assert item.findtext("guid") == f"{SITE}/articles/{article.slug}/"
    assert item.findtext(f"{DC}creator") == "Clonus editorial team"
    assert [c.text for c in item.findall("category")] == ["Neurology"]
    assert parsedate_to_datetime(item.findtext("pubDate")) == article.published_at.replace(microsecond=0)


def test_rss_channel_links_the_site_and_itself_absolutely(client):
    channel = rss(client)
    assert channel.findtext("title") == "Clonus: new and updated articles"
    assert channel.findtext("link") == f"{SITE}/"
    assert channel.find(f"{ATOM}link").get("href") == f"{SITE}/feeds/rss/"


def test_atom_entries_are_live_articles_as_their_live_revisions_show_them(client):
    topic = Topic.objects.create(name="Neurology", slug="neurology")
    article = live_article("Clonus explained", summary="Rhythmic beats.", byline="Clonus editorial team", topic=topic)
    Article.objects.filter(pk=article.pk).update(title="Draft title", summary="Draft summary")
    [entry] = atom(client).findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Clonus explained"
    assert entry.findtext(f"{ATOM}summary") == "Rhythmic beats."
    assert entry.find(f"{ATOM}link").get("href") == f"{SITE}/articles/{article.slug}/"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Clonus editorial team"
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == ["Neurology"]
    assert datetime.fromisoformat(entry.findtext(f"{ATOM}published")) == article.published_at
    assert datetime.fromisoformat(entry.findtext(f"{ATOM}updated")) == article.live_since


def test_atom_feed_links_the_site_and_itself_absolutely_and_has_an_author(client):
    live_article("Clonus explained")
    feed = atom(client)
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {"alternate": f"{SITE}/", "self": f"{SITE}/feeds/atom/"}
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Clonus"


def test_an_article_without_byline_or_topic_has_neither_in_the_feeds(client):
    live_article("Plain")
    [item] = rss(client).findall("item")
    assert item.find(f"{DC}creator") is None and item.findall("category") == []
    [entry] = atom(client).findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}author") is None and entry.findall(f"{ATOM}category") == []


def test_feeds_hold_the_twenty_most_recently_updated_articles_latest_first(client):
    for n in range(ITEMS + 1):
        live_article(f"Article {n}", days_ago=n)
    newest_first = [f"Article {n}" for n in range(ITEMS)]
    assert [item.findtext("title") for item in rss(client).findall("item")] == newest_first
    assert [entry.findtext(f"{ATOM}title") for entry in atom(client).findall(f"{ATOM}entry")] == newest_first


def test_an_update_brings_an_older_article_to_the_top(client):
    older = live_article("Older", days_ago=3)
    live_article("Newer", days_ago=1)
    publish(older)
    assert [item.findtext("title") for item in rss(client).findall("item")] == ["Older", "Newer"]


def test_feeds_never_hold_drafts_expired_or_unpublished_articles(client):
    live_article("Live")
    make_article(title="Draft")
    expired = live_article("Expired")
    Article.objects.filter(pk=expired.pk).update(expire_at=timezone.now())
    live_article("Unpublished").unpublish(None)
    assert [item.findtext("title") for item in rss(client).findall("item")] == ["Live"]
    assert [entry.findtext(f"{ATOM}title") for entry in atom(client).findall(f"{ATOM}entry")] == ["Live"]


def test_feeds_cost_one_query_for_their_items(client, django_assert_num_queries):
    for n in range(5):
        live_article(f"Article {n}", topic=Topic.objects.create(name=f"Topic {n}", slug=f"topic-{n}"))
    with django_assert_num_queries(1):
        client.get(reverse("articles:feed-atom"))


def public_pages(topic, article, source):
    return [
        reverse("articles:article-list"),
        article.get_absolute_url(),
        reverse("articles:topic-list"),
        topic.get_absolute_url(),
        reverse("articles:source-list"),
        source.get_absolute_url(),
        reverse("articles:search"),
    ]


def test_every_public_page_links_both_feeds_in_its_head(client):
    topic = Topic.objects.create(name="Neurology", slug="neurology")
    source = make_source("elwes1985")
    article = make_article(topic=topic)
    make_section(article, "[@elwes1985]")
    publish(article)
    pages = [client.get(url) for url in public_pages(topic, article, source)]
    pages.append(client.get("/no/such/page/"))
    assert [response.status_code for response in pages] == [200] * 7 + [404]
    for response in pages:
        page = Document(response.content.decode())
        assert page.hrefs("alternate", "application/atom+xml") == ["/feeds/atom/"]
        assert page.hrefs("alternate", "application/rss+xml") == ["/feeds/rss/"]

"""What every public page tells browsers, search engines and link previews about itself: title,
description, canonical address and Open Graph tags, all from the records it shows."""

from datetime import UTC
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from articles.models import Article, Topic
from tests.factories import make_article, make_section, make_source, publish

pytestmark = pytest.mark.django_db

SITE = "http://testserver"
SITE_DESCRIPTION = "Medical articles in which every claim shows its evidence."


class Document(HTMLParser):
    """A served page as the tests read it: its title, meta and link tags, scripts, and links
    with the classes of the elements around them."""

    VOID = {"meta", "link", "br", "img", "input", "hr", "source", "wbr"}

    def __init__(self, html):
        super().__init__()
        self.open, self.title, self.meta, self.head_links, self.scripts, self.links = [], "", {}, [], [], []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("name" in attrs or "property" in attrs):
            self.meta.setdefault(attrs.get("name") or attrs["property"], []).append(attrs.get("content"))
        elif tag == "link":
            self.head_links.append(attrs)
        elif tag == "script":
            self.scripts.append({"type": attrs.get("type"), "text": ""})
        elif tag == "a":
            within = {cls for _, a in self.open for cls in (a.get("class") or "").split()}
            self.links.append({"href": attrs.get("href"), "text": "", "within": within})
        if tag not in self.VOID:
            self.open.append((tag, attrs))

    def handle_endtag(self, tag):
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        innermost = self.open[-1][0] if self.open else None
        if innermost == "title":
            self.title += data
        elif innermost == "script":
            self.scripts[-1]["text"] += data
        if any(tag == "a" for tag, _ in self.open):
            self.links[-1]["text"] += data

    def content(self, key):
        """The content of the one meta tag named ``key`` (by name or property), or None."""
        values = self.meta.get(key, [])
        assert len(values) <= 1, f"{len(values)} meta tags {key}"
        return values[0] if values else None

    def hrefs(self, rel, type=None):
        return [link["href"] for link in self.head_links if link.get("rel") == rel and type in (None, link.get("type"))]

    @property
    def canonical(self):
        hrefs = self.hrefs("canonical")
        assert len(hrefs) <= 1
        return hrefs[0] if hrefs else None

    def within(self, cls):
        return [(link["text"].strip(), link["href"]) for link in self.links if cls in link["within"]]


def read(client, url, status=200, **params):
    response = client.get(url, params)
    assert response.status_code == status
    return Document(response.content.decode())


def live_article(title="Clonus explained", summary="Rhythmic beats of a muscle, and what they mean.", **fields):
    make_source(
        "elwes1985", title="Prognosis after a first untreated tonic-clonic seizure", container_title="Lancet", year=1985
    )
    article = make_article(title=title, summary=summary, **fields)
    make_section(article, "A claim [@elwes1985].")
    publish(article)
    return article


def assert_tags(page, title, description, url, type="website"):
    """The title, description and canonical address, and the same in Open Graph."""
    assert page.title == f"{title} · Clonus"
    assert page.content("description") == description
    assert page.canonical == url
    assert page.content("og:url") == url
    assert page.content("og:title") == title
    assert page.content("og:description") == description
    assert page.content("og:type") == type
    assert page.content("og:site_name") == "Clonus"


def test_home_page(client):
    live_article()
    page = read(client, reverse("articles:article-list"))
    assert_tags(page, "Articles", SITE_DESCRIPTION, f"{SITE}/")


def test_a_later_page_of_a_list_is_its_own_canonical_page_and_says_which(client):
    for _ in range(21):
        publish(make_article())
    page = read(client, reverse("articles:article-list"), page=2, utm_source="newsletter")
    assert page.canonical == page.content("og:url") == f"{SITE}/?page=2"
    assert page.title == "Articles, page 2 · Clonus"


def test_query_strings_other_than_a_later_page_are_left_out_of_the_canonical_address(client):
    live_article()
    assert read(client, "/", utm_source="newsletter").canonical == f"{SITE}/"
    assert read(client, "/", page=1).canonical == f"{SITE}/"


def test_article_page_describes_the_live_revision(client):
    topic = Topic.objects.create(name="Neurology", slug="neurology")
    article = live_article(topic=topic)
    Article.objects.filter(pk=article.pk).update(title="Draft title", summary="Draft summary", topic=None)
    article.refresh_from_db()
    page = read(client, article.get_absolute_url())
    assert_tags(
        page,
        "Clonus explained",
        "Rhythmic beats of a muscle, and what they mean.",
        f"{SITE}/articles/{article.slug}/",
        type="article",
    )
    assert page.content("article:published_time") == article.published_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert page.content("article:modified_time") == article.live_since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert page.content("article:section") == "Neurology"
    assert page.content("robots") is None


def test_article_without_a_topic_has_no_section(client):
    assert read(client, live_article().get_absolute_url()).content("article:section") is None


def test_article_without_a_summary_is_described_by_its_title(client):
    page = read(client, live_article(summary="").get_absolute_url())
    assert page.content("description") == page.content("og:description") == "Clonus explained"


def test_quotes_and_brackets_in_a_title_or_summary_stay_inside_their_attributes(client):
    article = live_article(title='The "jerk" <test> & more', summary='Say "ah" <b>now</b> & then.')
    page = read(client, article.get_absolute_url())
    assert page.title == 'The "jerk" <test> & more · Clonus'
    assert page.content("og:title") == 'The "jerk" <test> & more'
    assert page.content("description") == 'Say "ah" <b>now</b> & then.'


@pytest.mark.parametrize("preview", ["article-detail", "article-preview"])
def test_previews_are_noindex_with_no_canonical_address(staff_client, preview):
    draft = make_article(title="Work in progress", summary="Not yet.")
    page = read(staff_client, reverse(f"articles:{preview}", args=[draft.slug]))
    assert page.content("robots") == "noindex"
    assert page.canonical is None and page.content("og:url") is None
    assert page.title == "Work in progress · Clonus"
    assert [s for s in page.scripts if s["type"] == "application/ld+json"] == []


def test_preview_of_a_live_articles_draft_is_noindex_with_no_canonical_address(staff_client):
    article = live_article()
    page = read(staff_client, reverse("articles:article-preview", args=[article.slug]))
    assert page.content("robots") == "noindex" and page.canonical is None


def test_revision_preview_in_the_admin_is_noindex_with_no_canonical_address(superuser_client):
    article = live_article()
    revision = article.live_revision
    page = read(superuser_client, reverse("admin:articles_article_revision_preview", args=[article.pk, revision.pk]))
    assert page.content("robots") == "noindex"
    assert page.canonical is None and page.content("og:url") is None
    assert page.content("article:published_time") is None
    assert [s for s in page.scripts if s["type"] == "application/ld+json"] == []


def test_topic_list(client):
    for name in ("Neurology", "Medicines"):
        publish(make_article(topic=Topic.objects.create(name=name, slug=name.lower())))
    Topic.objects.create(name="Unpublished topic", slug="unpublished")
    page = read(client, reverse("articles:topic-list"))
    assert_tags(page, "Topics", "Clonus articles by topic: Medicines, Neurology.", f"{SITE}/topics/")


def test_topic_page(client):
    topic = Topic.objects.create(name="Neurology", slug="neurology", description="The brain, spinal cord and nerves.")
    publish(make_article(topic=topic))
    page = read(client, topic.get_absolute_url())
    assert_tags(page, "Neurology", "The brain, spinal cord and nerves.", f"{SITE}/topics/neurology/")


def test_topic_without_a_description_is_described_by_its_name(client):
    topic = Topic.objects.create(name="Neurology", slug="neurology")
    publish(make_article(topic=topic))
    page = read(client, topic.get_absolute_url())
    assert page.content("description") == "Clonus articles about Neurology, every claim linked to its evidence."


def test_later_page_of_a_topic(client):
    topic = Topic.objects.create(name="Neurology", slug="neurology")
    for _ in range(21):
        publish(make_article(topic=topic))
    page = read(client, topic.get_absolute_url(), page=2)
    assert page.canonical == f"{SITE}/topics/neurology/?page=2"
    assert page.title == "Neurology, page 2 · Clonus"


def test_sources_index(client):
    live_article()
    page = read(client, reverse("articles:source-list"))
    assert_tags(page, "Sources", "Every source that Clonus articles cite, as they cite it.", f"{SITE}/sources/")


def test_source_page_describes_the_source_as_published(client):
    live_article()
    page = read(client, "/sources/elwes1985/")
    assert_tags(
        page,
        "Prognosis after a first untreated tonic-clonic seizure",
        "Journal article in Lancet, 1985, and the Clonus articles that cite it.",
        f"{SITE}/sources/elwes1985/",
    )


def test_source_page_asked_for_in_another_case_names_its_canonical_address(client):
    live_article()
    assert read(client, "/sources/ELWES1985/").canonical == f"{SITE}/sources/elwes1985/"


def test_search_page_canonical_address_leaves_out_the_query(client):
    page = read(client, reverse("articles:search"), q="clonus")
    assert page.canonical == page.content("og:url") == f"{SITE}/search/"
    assert page.title == f"{page.content('og:title')} · Clonus"
    assert page.content("description") == page.content("og:description") != SITE_DESCRIPTION
    assert page.content("og:type") == "website"


def test_not_found_page_has_a_title_and_is_noindex_with_no_canonical_address(client):
    page = read(client, "/articles/no-such-article/", status=404)
    assert page.title == "Page not found · Clonus"
    assert page.content("description") == page.content("og:description")
    assert page.content("robots") == "noindex"
    assert page.canonical is None and page.content("og:url") is None

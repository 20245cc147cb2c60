"""Topics as readers browse them, and the related articles under an article: live content only,
filed as the live revision files it."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Topic
from tests.articles.test_metadata import Document
from tests.factories import make_article, make_section, make_source, publish

pytestmark = pytest.mark.django_db


def make_topic(name="Neurology", **fields):
    fields.setdefault("slug", name.lower().replace(" ", "-"))
    return Topic.objects.create(name=name, **fields)


def live_article(title=None, topic=None, cites=(), days_ago=0, **fields):
    """An article published ``days_ago``, citing ``cites`` (sources)."""
    article = make_article(title=title, topic=topic, **fields)
    make_section(article, " ".join(f"Claim [@{source.key}]." for source in cites) or "A claim.")
    publish(article)
    if days_ago:
        moment = timezone.now() - timezone.timedelta(days=days_ago)
        Article.objects.filter(pk=article.pk).update(published_at=moment, live_since=moment)
        article.pages_changed(article.live_revision)  # as if it had been published then
    return article


def expire(article):
    Article.objects.filter(pk=article.pk).update(expire_at=timezone.now())
    article.pages_changed(article.live_revision)  # as its expiry does, once it has passed


def titles(response, key="article_list"):
    return [article.live_revision.title for article in response.context[key]]


# The list of topics


def test_topics_list_those_with_live_articles_with_counts_and_descriptions(client):
    neurology = make_topic("Neurology", description="The brain, spinal cord and nerves.")
    medicines = make_topic("Medicines")
    make_topic("Empty")
    live_article(topic=neurology)
    live_article(topic=neurology)
    live_article(topic=medicines)
    response = client.get(reverse("articles:topic-list"))
    assert [(t.name, t.live_count) for t in response.context["topic_list"]] == [("Medicines", 1), ("Neurology", 2)]
    assert Document(response.content.decode()).within("topic-list") == [
        ("Medicines", medicines.get_absolute_url()),
        ("Neurology", neurology.get_absolute_url()),
    ]
    html = response.content.decode()
    assert "The brain, spinal cord and nerves." in html
    assert "2 articles" in html and "1 article<" in html
    assert "Empty" not in html


def test_topics_count_only_live_articles(client):
    topic = make_topic()
    live_article(topic=topic)
    make_article(topic=topic)  # a draft
    expire(live_article(topic=topic))
    unpublished = live_article(topic=topic)
    unpublished.unpublish(None)
    [listed] = client.get(reverse("articles:topic-list")).context["topic_list"]
    assert listed.live_count == 1


def test_a_topic_with_only_drafts_and_expired_articles_is_not_listed(client):
    topic = make_topic()
    make_article(topic=topic)
    expire(live_article(topic=topic))
    response = client.get(reverse("articles:topic-list"))
    assert list(response.context["topic_list"]) == []
    assert "No articles have been published yet." in response.content.decode()


def test_articles_are_filed_under_their_live_topic_until_a_new_topic_is_published(client):
    neurology, medicines = make_topic("Neurology"), make_topic("Medicines")
    article = live_article(topic=neurology)
    article.topic = medicines
    article.save()  # the draft moves; readers still see it under Neurology
    assert [t.name for t in client.get(reverse("articles:topic-list")).context["topic_list"]] == ["Neurology"]
    assert client.get(medicines.get_absolute_url()).status_code == 404
    publish(article)
    assert [t.name for t in client.get(reverse("articles:topic-list")).context["topic_list"]] == ["Medicines"]
    assert client.get(neurology.get_absolute_url()).status_code == 404


# A topic's page


def test_topic_page_lists_its_live_articles_a_to_z_with_live_titles_summaries_and_dates(client):
    topic = make_topic(description="The brain, spinal cord and nerves.")
    zebra = live_article("Zebra", topic=topic, summary="Stripes.")
    live_article("aardvark", topic=topic, days_ago=3)
    Article.objects.filter(pk=zebra.pk).update(title="Draft title", summary="Draft summary")
    response = client.get(topic.get_absolute_url())
    assert titles(response) == ["aardvark", "Zebra"]
    html = response.content.decode()
    assert "<h1>Neurology</h1>" in html and "The brain, spinal cord and nerves." in html
    assert "Stripes." in html and "Draft" not in html
    published = timezone.localtime(zebra.published_at)
    assert f'<time datetime="{published:%Y-%m-%dT%H:%M:%S}' in html
    assert ("Zebra", zebra.get_absolute_url()) in Document(html).within("article-list")


def test_topic_page_never_lists_drafts_expired_unpublished_or_other_topics_articles(client):
    topic, other = make_topic("Neurology"), make_topic("Medicines")
    live_article("Live", topic=topic)
    make_article(title="Draft", topic=topic)
    expire(live_article("Expired", topic=topic))
    live_article("Unpublished", topic=topic).unpublish(None)
    live_article("Elsewhere", topic=other)
    assert titles(client.get(topic.get_absolute_url())) == ["Live"]


def test_unknown_topic_is_404(client):
    assert client.get(reverse("articles:topic-detail", args=["nosuch"])).status_code == 404


def test_topic_with_no_live_article_is_404(client):
    topic = make_topic()
    make_article(topic=topic)
    expire(live_article(topic=topic))
    assert client.get(topic.get_absolute_url()).status_code == 404


def test_topic_page_is_paginated(client):
    topic = make_topic()
    for n in range(settings.ARTICLES_PER_PAGE + 1):
        live_article(f"Article {n:02d}", topic=topic)
    first = client.get(topic.get_absolute_url())
    second = client.get(topic.get_absolute_url(), {"page": 2})
    assert len(first.context["article_list"]) == settings.ARTICLES_PER_PAGE
    assert titles(second) == [f"Article {settings.ARTICLES_PER_PAGE:02d}"]
    assert 'rel="next" href="?page=2"' in first.content.decode()
    assert client.get(topic.get_absolute_url(), {"page": 3}).status_code == 404


# Query budgets: the same however many articles there are


@pytest.mark.parametrize("count", [3, 30])
def test_topic_page_costs_two_queries_however_many_articles_once_its_entries_are_made(
    client, django_assert_num_queries, count
):
    topic = make_topic()
    for _ in range(count):
        live_article(topic=topic)
    # First the topic, the count, the page's articles, and their revisions to make the entries
    # from, which are stored; then the topic and the page's stored entries alone.
    with django_assert_num_queries(5):
        client.get(topic.get_absolute_url())
    with django_assert_num_queries(2):
        response = client.get(topic.get_absolute_url())
    assert len(response.context["entries"]) == min(count, settings.ARTICLES_PER_PAGE)


@pytest.mark.parametrize("count", [3, 30])
def test_home_page_costs_one_query_however_many_articles_once_its_entries_are_made(
    client, django_assert_num_queries, count
):
    topic = make_topic()
    for _ in range(count):
        live_article(topic=topic)
    with django_assert_num_queries(4):  # the count, the page, its revisions, its entries stored
        client.get(reverse("articles:article-list"))
    with django_assert_num_queries(1):  # the page's stored entries, the count remembered
        response = client.get(reverse("articles:article-list"))
    assert len(response.context["entries"]) == min(count, settings.ARTICLES_PER_PAGE)


@pytest.mark.parametrize(("count", "making"), [(1, 6), (8, 5), (30, 5)])
def test_article_page_is_read_with_one_query_once_made_however_many_related_articles(
    client, django_assert_num_queries, count, making
):
    topic, source = make_topic(), make_source()
    article = live_article(topic=topic, cites=[source])
    for _ in range(count):
        live_article(topic=topic, cites=[source])
    # Made at its first view: its stored page, the article with its live revision and topic,
    # its latest sign-off, the articles sharing its sources, (only while fewer than five do)
    # the newest on its topic, and the page stored.
    with django_assert_num_queries(making):
        made = client.get(article.get_absolute_url())
    with django_assert_num_queries(1):  # then the stored page alone
        response = client.get(article.get_absolute_url())
    assert response.content == made.content
    assert len(Document(response.content.decode()).within("related")) == min(count, 5)


# The article page's topic


def test_article_page_links_the_topic_of_its_live_revision(client):
    neurology, medicines = make_topic("Neurology"), make_topic("Medicines")
    article = live_article(topic=neurology)
    article.topic = medicines
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert Document(html).within("article-meta") == [("Neurology", neurology.get_absolute_url())]
    assert "Medicines" not in html


def test_article_page_follows_a_renamed_topic_slug(client):
    topic = make_topic("Neurology")
    article = live_article(topic=topic)
    Topic.objects.filter(pk=topic.pk).update(slug="nervous-system")
    links = Document(client.get(article.get_absolute_url()).content.decode())
    assert ("Neurology", "/topics/nervous-system/") in links.within("article-meta")


def test_article_page_names_a_deleted_topic_without_a_link(client):
    topic = make_topic("Neurology")
    article = live_article(topic=topic)
    topic.delete()
    response = client.get(article.get_absolute_url())
    assert "<dd>Neurology</dd>" in response.content.decode()
    assert Document(response.content.decode()).within("article-meta") == []


# Related articles


def test_related_articles_rank_shared_sources_then_topic_then_recency(client):
    neurology, medicines = make_topic("Neurology"), make_topic("Medicines")
    a, b, c = make_source(), make_source(), make_source()
    article = live_article("Clonus", topic=neurology, cites=[a, b, c])
    live_article("Shares one, other topic", topic=medicines, cites=[a])
    live_article("Shares two, other topic", topic=medicines, cites=[a, b], days_ago=5)
    live_article("Shares one, same topic", topic=neurology, cites=[c], days_ago=9)
    live_article("Same topic, older", topic=neurology, days_ago=4)
    live_article("Same topic, newer", topic=neurology, days_ago=1)
    live_article("Unrelated", topic=medicines, cites=[make_source()])
    response = client.get(article.get_absolute_url())
    assert [text for text, _ in Document(response.content.decode()).within("related")] == [
        "Shares two, other topic",
        "Shares one, same topic",
        "Shares one, other topic",
        "Same topic, newer",
        "Same topic, older",
    ]
    assert '<h2 id="related-heading">Related articles</h2>' in response.content.decode()


def test_related_articles_are_at_most_five_and_never_the_article_itself(client):
    topic = make_topic()
    article = live_article("Clonus", topic=topic)
    for n in range(7):
        live_article(f"Neighbour {n}", topic=topic)
    related = list(Article.objects.related_to(article)[:5])
    assert len(related) == 5 and article not in related
    assert len(Document(client.get(article.get_absolute_url()).content.decode()).within("related")) == 5


def test_related_articles_are_only_live_and_shown_with_live_titles(client):
    topic, source = make_topic(), make_source()
    article = live_article(topic=topic, cites=[source])
    shown = live_article("Live title", topic=topic)
    Article.objects.filter(pk=shown.pk).update(title="Draft title")
    make_article(title="Draft", topic=topic)
    expire(live_article("Expired", topic=topic, cites=[source]))
    live_article("Unpublished", topic=topic, cites=[source]).unpublish(None)
    links = Document(client.get(article.get_absolute_url()).content.decode())
    assert links.within("related") == [("Live title", shown.get_absolute_url())]


def test_related_articles_follow_live_sources_and_topics_not_drafts(client):
    topic, source = make_topic(), make_source()
    article = live_article(topic=topic, cites=[source])
    other = live_article("Other", cites=[make_source()])
    make_section(other, f"Added in the draft [@{source.key}].")  # not live: not shared
    other.topic = topic
    other.save()
    assert list(Article.objects.related_to(article)) == []
    publish(other)
    assert list(Article.objects.related_to(article)) == [other]


def test_articles_without_a_topic_are_not_related_by_that(client):
    article = live_article()
    live_article()
    assert list(Article.objects.related_to(article)) == []
    assert b'class="related"' not in client.get(article.get_absolute_url()).content


def test_a_draft_has_no_related_articles():
    topic = make_topic()
    live_article(topic=topic)
    assert list(Article.objects.related_to(make_article(topic=topic))) == []

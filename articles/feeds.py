"""Feeds of recently published or updated live articles (django.contrib.syndication).

Each item is the article as its live revision shows it; titles and summaries come from the
revision's own columns (copies of its snapshot's), so that twenty items cost one query however
long the articles are.
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from clonus import pagecache

from .models import Article

#: How many articles a feed holds.
ITEMS = 20


class RssFeed(Feed):
    title = "Clonus: new and updated articles"
    link = reverse_lazy("articles:article-list")
    feed_url = reverse_lazy("articles:feed-rss")
    description = "Medical articles in which every claim shows its evidence, as they are published or updated."
    author_name = "Clonus"

    def __call__(self, request, *args, **kwargs):
        return pagecache.share(super().__call__(request, *args, **kwargs), ["articles"])

    def items(self):
        return (
            Article.objects.published()
            .with_live_columns()
            .select_related("live_revision__topic")
            .order_by("-live_since", "-pk")[:ITEMS]
        )

    def item_title(self, article):
        return article.live_revision.title

    def item_description(self, article):
        return article.live_revision.summary

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.live_since

    def item_author_name(self, article):
        return article.live_revision.byline or None

    def item_categories(self, article):
        topic = article.live_revision.topic
        return [topic.name] if topic else []


class AtomFeed(RssFeed):
    feed_type = Atom1Feed
    feed_url = reverse_lazy("articles:feed-atom")
    subtitle = RssFeed.description

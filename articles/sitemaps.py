"""sitemap.xml: every page readers can reach, as live revisions make them (django.contrib.sitemaps).

A page's ``lastmod`` is when what it shows last changed: when its article's live revision went
live, or the latest of those among the articles it lists.
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.db.models import Max
from django.urls import reverse
from django.utils.functional import cached_property

from clonus import pagecache
from references.models import Source

from .models import Article, Revision, Topic


class ArticleSitemap(Sitemap):
    def items(self):
        return Article.objects.published().only("slug", "live_since")

    def lastmod(self, article):
        return article.live_since


class TopicSitemap(Sitemap):
    def items(self):
        return Topic.objects.with_live_articles()

    def lastmod(self, topic):
        return topic.last_live_since


class SourceSitemap(Sitemap):
    """The sources live articles cite: their pages show them as the newest citing revision does."""

    def items(self):
        # One grouped join: the latest live_since among the live revisions citing each source.
        return (
            Source.objects.filter(revisions__in=Revision.objects.live())
            .annotate(last_cited=Max("revisions__article__live_since"))
            .only("key")
            .order_by("key")
        )

    def lastmod(self, source):
        return source.last_cited


class ListSitemap(Sitemap):
    """The lists of articles, topics and sources: they change whenever any article goes live."""

    def items(self):
        return ["articles:article-list", "articles:topic-list", "articles:source-list"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return self.last_live_since

    @cached_property
    def last_live_since(self):
        return Article.objects.published().aggregate(latest=Max("live_since"))["latest"]


SITEMAPS = {"lists": ListSitemap, "articles": ArticleSitemap, "topics": TopicSitemap, "sources": SourceSitemap}


def view(request):
    """``sitemap.xml``, kept until an article goes live or comes down, or a topic changes."""
    return pagecache.share(sitemap(request, SITEMAPS), ["articles", "sources", "topics"])

"""Feeds of recently published or updated live articles (django.contrib.syndication)."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed


class RssFeed(Feed):
    title = "Clonus"
    link = "/"
    description = "Medical articles, newly published or updated."

    def items(self):
        return []


class AtomFeed(RssFeed):
    feed_type = Atom1Feed
    subtitle = RssFeed.description

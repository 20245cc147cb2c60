"""sitemap.xml: every live article, topic and cited source (django.contrib.sitemaps)."""

from django.contrib.sitemaps import Sitemap

from .models import Article


class ArticleSitemap(Sitemap):
    def items(self):
        return Article.objects.published()


SITEMAPS = {"articles": ArticleSitemap}

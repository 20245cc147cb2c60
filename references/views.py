from django.views.generic import DetailView

from articles.models import Article, Revision

from .models import Source


class SourceDetailView(DetailView):
    slug_field = slug_url_kwarg = "key"
    queryset = Source.objects.prefetch_related("authors")

    def get_context_data(self, **kwargs):
        return super().get_context_data(cited_in=self.cited_in_live_articles(), **kwargs)

    def cited_in_live_articles(self):
        """(article, sections) for every live article whose live revision cites the source."""
        revisions = Revision.objects.filter(
            pk__in=Article.objects.published().values("live_revision"), sources=self.object
        ).select_related("article")
        found = []
        for revision in sorted(revisions, key=lambda r: r.title):
            sections = [
                section
                for section in revision.page().sections
                if any(c.source.id == self.object.pk for c in section.citations)
            ]
            found.append((revision.article, revision.title, sections))
        return found

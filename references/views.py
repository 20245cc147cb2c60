from django.views.generic import DetailView

from articles.models import Article

from .models import Citation, Source


class SourceDetailView(DetailView):
    slug_field = slug_url_kwarg = "key"
    queryset = Source.objects.prefetch_related("authors")

    def get_context_data(self, **kwargs):
        citations = (
            Citation.objects.filter(
                source=self.object, section__article__in=Article.objects.published()
            )
            .select_related("section__article")
            .order_by("section__article__title", "section__position", "section__id")
        )
        return super().get_context_data(citations=citations, **kwargs)

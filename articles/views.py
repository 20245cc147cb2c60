from django.conf import settings
from django.views.generic import DetailView, ListView

from .models import Article


class ArticleListView(ListView):
    paginate_by = settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        return Article.objects.published().select_related("topic")


class ArticleDetailView(DetailView):
    def get_queryset(self):
        # Staff see drafts here too: that is the preview.
        return Article.objects.visible_to(self.request.user).select_related(
            "topic", "medical_reviewer"
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(references=self.object.reference_list(), **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if not self.object.is_public:
            response["Cache-Control"] = "private, no-store"
            response["X-Robots-Tag"] = "noindex"
        return response

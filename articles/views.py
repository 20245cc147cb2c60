from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView

from references.models import Source

from .models import Article, Revision


class ArticleListView(ListView):
    paginate_by = settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        return Article.objects.published().select_related("live_revision").defer("live_revision__data")


class ArticleDetailView(DetailView):
    """The live revision for everyone; an article that is not live is previewed by editorial
    staff (those who may view articles in the admin) and is a 404 for everyone else."""

    def get_queryset(self):
        return Article.objects.select_related("live_revision")

    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        if not article.is_live and not may_preview(self.request.user):
            raise Http404("No article here.")
        return article

    def get_context_data(self, **kwargs):
        article = self.object
        if article.is_live:
            revision = article.live_revision
            context = {"page": revision.page(), "review": article.last_review(up_to=revision)}
        else:
            context = {"page": article.draft_page(), "review": None, "preview": "draft"}
        return super().get_context_data(**context, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context.get("preview"):
            mark_private(response)
        return response


@method_decorator(staff_member_required, name="dispatch")
class DraftPreviewView(ArticleDetailView):
    """The working copy exactly as readers would see it once published."""

    def get_object(self, queryset=None):
        if not may_preview(self.request.user):
            raise PermissionDenied
        return get_object_or_404(Article, slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        return DetailView.get_context_data(self, page=self.object.draft_page(), review=None, preview="draft", **kwargs)


class SourceDetailView(DetailView):
    """A source, and the live articles whose live revision cites it."""

    slug_field = slug_url_kwarg = "key"
    queryset = Source.objects.prefetch_related("authors")

    def get_context_data(self, **kwargs):
        revisions = Revision.objects.live().filter(sources=self.object).select_related("article")
        cited_in = [
            (revision.article, revision.title, revision.page().sections_citing(self.object.pk))
            for revision in revisions.order_by("title")
        ]
        return super().get_context_data(cited_in=cited_in, **kwargs)


def may_preview(user):
    return user.is_active and user.is_staff and user.has_perm("articles.view_article")


def mark_private(response):
    """Previews are for staff: never cached by a shared cache, never indexed."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response

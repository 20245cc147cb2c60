from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models.functions import Lower
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.views import View, defaults
from django.views.generic import DetailView, ListView, TemplateView

from clonus import pagecache
from references.exporting import FILES, download
from references.models import Source

from .models import Article, Revision, SearchEntry, Topic
from .search import Query, ResultPages


class IdsFirst(Paginator):
    """Reads a page's rows by a subquery of their ids alone, which walks the list's index:
    page 300 costs what page 1 does, where OFFSET over the joined rows read and dropped 6,000.

    The rows are counted once and remembered under ``key`` until the tag clock says something
    the ``tags`` name has changed (``pagecache.remembered()``): counting ten thousand live
    articles took longer than the rest of the page."""

    def __init__(self, *args, counted, **kwargs):
        super().__init__(*args, **kwargs)
        self.key, self.tags = counted

    @cached_property
    def count(self):
        return pagecache.remembered(self.key, self.tags, self.object_list.count)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = self.object_list.values("pk")[bottom : bottom + self.per_page]
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)


class SharedPage:
    """A page every reader is shown alike, kept whole for them (``clonus.pagecache``) until
    something it shows changes: ``cache_tags`` names what it shows."""

    cache_tags = ["articles"]

    def get_cache_tags(self, context):
        return self.cache_tags

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        return pagecache.share(response, self.get_cache_tags(context))


class ListedArticles(SharedPage, ListView):
    """A page of live articles, each shown by its stored entry (``Article.list_entries()``)."""

    paginate_by = settings.ARTICLES_PER_PAGE
    paginator_class = IdsFirst

    def get_paginator(self, *args, **kwargs):
        tags = self.get_cache_tags(None)
        return super().get_paginator(*args, counted=((type(self).__name__, *tags), tags), **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {**context, "entries": Article.list_entries(context["object_list"])}


class ArticleListView(ListedArticles):
    def get_queryset(self):
        return Article.objects.published().listed()


class ArticleDetailView(DetailView):
    """The live revision for everyone; an article that is not live is previewed by editorial
    staff (those who may view articles in the admin) and is a 404 for everyone else.

    A live article's page is stored whole (``Revision.make_page()``) and read with one query
    until something it shows changes; then it is made again."""

    def get(self, request, *args, **kwargs):
        stored = Revision.objects.readers_page(self.kwargs["slug"])
        if stored is None:  # not live: a preview for the editors, or not found
            return super().get(request, *args, **kwargs)
        html, meta = stored
        if not Revision.page_is_current(html, meta):
            article = get_object_or_404(self.get_queryset(), slug=self.kwargs["slug"])
            if not article.is_live:  # taken down a moment ago
                return super().get(request, *args, **kwargs)
            html, meta = article.live_revision.make_page(article)
        response = HttpResponse(html.replace(meta["marker"], f"{request.scheme}://{request.get_host()}"))
        return pagecache.share(response, meta["tags"])

    def get_queryset(self):
        return Article.objects.select_related("live_revision__topic").defer("live_revision__data")

    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        if not article.is_live and not may_preview(self.request.user):
            raise Http404("No article here.")
        return article

    def get_context_data(self, **kwargs):
        page = self.object.draft_page()
        context = {"page": page, "topic_name": page.topic, "review": None, "preview": "draft"}
        return super().get_context_data(**context, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        return mark_private(super().render_to_response(context, **response_kwargs))


@method_decorator(staff_member_required, name="dispatch")
class DraftPreviewView(ArticleDetailView):
    """The working copy exactly as readers would see it once published."""

    def get(self, request, *args, **kwargs):
        return DetailView.get(self, request, *args, **kwargs)  # the draft, even of a live article

    def get_object(self, queryset=None):
        if not may_preview(self.request.user):
            raise PermissionDenied
        return get_object_or_404(Article, slug=self.kwargs["slug"])


class ArticleReferencesView(View):
    """The references of a live article, as published, in a file for a reference manager."""

    def get(self, request, slug, format):
        article = get_object_or_404(Article.objects.select_related("live_revision"), slug=slug)
        if not article.is_live or format not in FILES:
            raise Http404("No article here.")
        return download(article.live_revision.page().cited_records(), format, f"{slug}-references")


class SearchView(SharedPage, ListView):
    """Live articles matching the reader's query, best first; a suggestion when none do."""

    template_name = "articles/search.html"
    context_object_name = "results"
    paginator_class = ResultPages

    @cached_property
    def query(self):
        return Query.parse(self.request.GET.get("q", ""))

    def get_paginate_by(self, queryset):
        return settings.SEARCH_RESULTS_PER_PAGE

    def get_queryset(self):
        return SearchEntry.objects.search(self.query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        found = context["paginator"].count
        suggestion = SearchEntry.objects.suggest(self.query) if self.query and not found else None
        return {**context, "query": self.query, "search_query": self.query.text, "suggestion": suggestion}


class TopicListView(SharedPage, ListView):
    """The topics live articles are filed under, with how many each has."""

    cache_tags = ["articles", "topics"]

    def get_queryset(self):
        return Topic.objects.with_live_articles()


class TopicDetailView(ListedArticles):
    """A topic's live articles, A to Z; a topic with none is not found."""

    template_name = "articles/topic_detail.html"

    def get_queryset(self):
        self.topic = get_object_or_404(Topic, slug=self.kwargs["slug"])
        articles = Article.objects.filed_under(self.topic.pk).listed()
        return articles.order_by(Lower("live_revision__title"), "live_revision__article_pk")  # its index

    def get_context_data(self, **kwargs):
        context = super().get_context_data(topic=self.topic, **kwargs)
        if not context["paginator"].count:  # counted for the page anyway, unlike allow_empty's check
            raise Http404("No live article is filed under this topic.")
        return context

    def get_cache_tags(self, context):
        return [self.topic.cache_tag, f"{self.topic.cache_tag}-articles"]


def robots_txt(request):
    """Where the sitemap is, and the editors' pages crawlers should leave alone."""
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    response = render(request, "robots.txt", {"sitemap_url": sitemap_url}, content_type="text/plain; charset=utf-8")
    return pagecache.share(response, ["site"])


def page_not_found(request, exception):
    """Django's 404 page, kept a short while (``CLONUS_CACHE_404_SECONDS``) for anonymous readers
    and dropped whenever anything goes live, comes down, or is renamed."""
    return pagecache.share(defaults.page_not_found(request, exception), ["articles", "topics", "sources"])


class SourceListView(SharedPage, ListView):
    """The sources that live articles cite, as the newest of those revisions recorded them."""

    template_name = "references/source_list.html"

    def get_paginate_by(self, queryset):
        return settings.SOURCES_PER_PAGE

    def get_queryset(self):
        return Source.objects.filter(pk__in=Revision.objects.live().values("sources")).order_by("key")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        published = Revision.objects.live().published_sources([source.pk for source in context["object_list"]])
        context["sources"] = [published[source.pk][0] for source in context["object_list"]]
        return context

    def get_cache_tags(self, context):
        return ["sources", *(source.cache_tag for source in context["object_list"])]


class SourceDetailView(SharedPage, TemplateView):
    """A source as live articles cite it, with those articles and sections. A source no live
    article cites is not found, unless it was merged into another: its key leads there."""

    template_name = "references/source_detail.html"

    def get(self, request, key):
        source = get_object_or_404(Source.objects.select_related("merged_into"), key=key.lower())
        published = Revision.objects.live().published_sources([source.pk]).get(source.pk)
        if published is None:
            if source.merged_into:
                return redirect("articles:source-detail", source.merged_into.key, permanent=True)
            raise Http404("No published article cites this source.")
        record, revisions = published
        cited_in = [
            (revision.article, revision.title, revision.page().sections_citing(source.pk))
            for revision in sorted(revisions, key=lambda revision: revision.title)
        ]
        return self.render_to_response(self.get_context_data(source=record, cited_in=cited_in))

    def get_cache_tags(self, context):
        source = context["source"]
        citing = [article.cache_tag for article, _, _ in context["cited_in"]]
        return [f"source-{source.id}", f"source-{source.id}-citers", *citing]


def may_preview(user):
    return user.is_active and user.is_staff and user.has_perm("articles.view_article")


def mark_private(response):
    """Previews are for staff: never cached by a shared cache, never indexed."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response

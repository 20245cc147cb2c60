"""An article's revisions: history, compare, preview, export, restore, and recovering deleted articles.

Every screen checks permission on the server, for the article it is asked about: a staff user
who may not view an article sees neither its history nor any of its revisions (Wagtail leaked
both: CVE-2026-44197, CVE-2026-44198). The work is done by ``Revision``, ``Article``,
``articles.snapshots`` and ``articles.compare``; the screens only look up, check and hand over.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from references.exporting import FILES, download

from ..compare import Comparison
from ..export import pandoc_markdown
from ..models import Article, Revision
from ..snapshots import take
from ..views import mark_private
from .base import chosen_revision

REVISIONS_PER_PAGE = 50


class HistoryMixin:
    def history_urls(self):
        return [
            self.route("<int:object_id>/compare/", self.compare_view, "compare"),
            self.route(
                "<int:object_id>/revisions/<int:revision_id>/preview/", self.revision_preview_view, "revision_preview"
            ),
            self.route("<int:object_id>/revisions/<int:revision_id>/restore/", self.restore_view, "restore"),
            self.route("<int:object_id>/export/", self.export_view, "export"),
            self.route("recover/", self.recover_list_view, "recover_list"),
            self.route("recover/<int:revision_id>/", self.recover_view, "recover"),
        ]

    def may_restore(self, request, article):
        return request.user.has_perm("articles.restore_revision") and self.has_change_permission(request, article)

    def history_view(self, request, object_id, extra_context=None):
        """Replaces Django's history of admin log entries: every revision is listed here."""
        article = self.get_article(request, object_id)
        revisions = Paginator(article.revisions.for_history(), REVISIONS_PER_PAGE)
        return self.render_screen(
            request,
            "history.html",
            f"History of “{article}”",
            article,
            revisions=revisions.get_page(request.GET.get("page")),
            numbers=article.revisions.values_list("pk", "number"),
            may_restore=self.may_restore(request, article),
            **(extra_context or {}),
        )

    def compare_view(self, request, object_id):
        article = self.get_article(request, object_id)
        (old_label, old), (new_label, new) = (compared_version(article, request.GET.get(side)) for side in "ab")
        return self.render_screen(
            request,
            "compare.html",
            f"Changes to “{article}” from {old_label} to {new_label}",
            article,
            comparison=Comparison(old, new),
            old_label=old_label,
            new_label=new_label,
        )

    def revision_preview_view(self, request, object_id, revision_id):
        """One revision exactly as readers would see it if it were live."""
        article = self.get_article(request, object_id)
        revision = get_object_or_404(article.revisions, pk=revision_id)
        page = revision.page()
        context = {
            "article": article,
            "page": page,
            "topic_name": page.topic,
            "review": article.last_review(up_to=revision),
            "preview": f"revision {revision.number}",
        }
        return mark_private(render(request, "articles/article_detail.html", context))

    def export_view(self, request, object_id):
        """A revision (``?revision=``, else the latest) as Pandoc Markdown with its sources as CSL,
        or its references alone (``?format=bibtex|ris|csljson``) for a reference manager."""
        article = self.get_article(request, object_id)
        revision = chosen_revision(request, article)
        name = f"{article.slug}-revision-{revision.number}"
        format = request.GET.get("format", "markdown")
        if format in FILES:
            return mark_private(download(revision.page().cited_records(), format, f"{name}-references"))
        if format != "markdown":
            raise Http404("No such format.")
        response = HttpResponse(pandoc_markdown(revision.data), content_type="text/markdown; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.md"'
        return mark_private(response)

    @method_decorator(require_POST)
    def restore_view(self, request, object_id, revision_id):
        article = self.get_article(request, object_id, "restore_revision")
        if not self.may_restore(request, article):
            raise PermissionDenied
        revision = get_object_or_404(article.revisions, pk=revision_id)
        restored, notices = article.restore(revision, request.user)
        live = " Readers see the published version until this draft is published." if article.is_live else ""
        messages.success(
            request, f"The draft is revision {revision.number} again, saved as revision {restored.number}.{live}"
        )
        for notice in notices:
            messages.warning(request, notice)
        return self.back_to(article)

    def recover_list_view(self, request):
        if not request.user.has_perm("articles.recover_article"):
            raise PermissionDenied
        revisions = Revision.objects.of_deleted_articles().for_recovery()
        return self.render_screen(request, "recover_list.html", "Recover deleted articles", revisions=revisions)

    @method_decorator(require_POST)
    @method_decorator(transaction.atomic)
    def recover_view(self, request, revision_id):
        if not request.user.has_perm("articles.recover_article"):
            raise PermissionDenied
        # Locked, so that of two recoveries at once the second finds the article back and stops.
        deleted = Revision.objects.select_for_update().filter(article__isnull=True)
        revision = get_object_or_404(deleted, pk=revision_id)
        article, notices = Article.objects.recover(revision, request.user)
        messages.success(request, f"“{article}” is back, as a draft (revision {article.version}).")
        for notice in notices:
            messages.warning(request, notice)
        return self.back_to(article)


def compared_version(article, choice):
    """(label, snapshot) for a compare parameter: a revision's pk, "live" or "draft"."""
    if choice == "draft":
        return "the current draft", take(article)
    if choice == "live":
        if not article.is_live:
            raise Http404("This article is not live.")
        return f"the live version (revision {article.live_revision.number})", article.live_revision.data
    if not (choice or "").isdigit():
        raise Http404("Choose two revisions to compare.")
    revision = get_object_or_404(article.revisions, pk=choice)
    return f"revision {revision.number}", revision.data

"""An article's revisions in the admin: history, compare, preview, restore, and recovering
deleted articles. ``ArticleAdmin.get_urls()`` adds these routes.

Every view checks permission on the server, for the article it is asked about: a staff user who
may not view an article sees neither its history nor any of its revisions (Wagtail leaked both:
CVE-2026-44197, CVE-2026-44198). The work is done by ``Revision``, ``articles.snapshots`` and
``articles.compare``; the views only look up, check and hand over.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from .compare import Comparison
from .models import Article, AuditEntry, Revision
from .snapshots import take
from .views import mark_private

REVISIONS_PER_PAGE = 50


def urls(model_admin):
    def route(pattern, view, name):
        def bound(request, **kwargs):
            return view(request, model_admin, **kwargs)

        return path(pattern, model_admin.admin_site.admin_view(bound), name=f"articles_article_{name}")

    return [
        route("<int:object_id>/history/", history, "history"),
        route("<int:object_id>/compare/", compare, "compare"),
        route("<int:object_id>/revisions/<int:revision_id>/preview/", revision_preview, "revision_preview"),
        route("<int:object_id>/revisions/<int:revision_id>/restore/", restore, "restore"),
        route("recover/", recover_list, "recover_list"),
        route("recover/<int:revision_id>/", recover, "recover"),
    ]


def admin_context(request, model_admin, title, **context):
    return {**model_admin.admin_site.each_context(request), "opts": Article._meta, "title": title, **context}


def viewable_article(request, model_admin, object_id):
    article = get_object_or_404(Article, pk=object_id)
    if not model_admin.has_view_permission(request, article):
        raise PermissionDenied
    return article


def may_restore(request, model_admin, article):
    return request.user.has_perm("articles.restore_revision") and model_admin.has_change_permission(
        request, article
    )


def history(request, model_admin, object_id):
    article = viewable_article(request, model_admin, object_id)
    revisions = Paginator(article.revisions.for_history(), REVISIONS_PER_PAGE)
    context = admin_context(
        request,
        model_admin,
        f"History of “{article}”",
        article=article,
        revisions=revisions.get_page(request.GET.get("page")),
        numbers=article.revisions.values_list("pk", "number"),
        may_restore=may_restore(request, model_admin, article),
    )
    return render(request, "admin/articles/article/history.html", context)


def compare(request, model_admin, object_id):
    article = viewable_article(request, model_admin, object_id)
    (old_label, old), (new_label, new) = (compared_version(article, request.GET.get(side)) for side in "ab")
    context = admin_context(
        request,
        model_admin,
        f"Changes to “{article}” from {old_label} to {new_label}",
        article=article,
        comparison=Comparison(old, new),
        old_label=old_label,
        new_label=new_label,
    )
    return render(request, "admin/articles/article/compare.html", context)


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


def revision_preview(request, model_admin, object_id, revision_id):
    """One revision exactly as readers would see it if it were live."""
    article = viewable_article(request, model_admin, object_id)
    revision = get_object_or_404(article.revisions, pk=revision_id)
    context = {
        "article": article,
        "page": revision.page(),
        "review": article.last_review(up_to=revision),
        "preview": f"revision {revision.number}",
    }
    return mark_private(render(request, "articles/article_detail.html", context))


@require_POST
def restore(request, model_admin, object_id, revision_id):
    article = get_object_or_404(Article, pk=object_id)
    if not may_restore(request, model_admin, article):
        raise PermissionDenied
    revision = get_object_or_404(article.revisions, pk=revision_id)
    restored, notices = revision.restore(request.user)
    live = " Readers see the published version until this draft is published." if article.is_live else ""
    messages.success(
        request, f"The draft is revision {revision.number} again, saved as revision {restored.number}.{live}"
    )
    for notice in notices:
        messages.warning(request, notice)
    return redirect("admin:articles_article_change", article.pk)


def recover_list(request, model_admin):
    if not request.user.has_perm("articles.recover_article"):
        raise PermissionDenied
    deletions = AuditEntry.objects.filter(
        action=AuditEntry.Action.DELETE, article_pk=models.OuterRef("article_pk")
    ).order_by("-at")
    revisions = (
        Revision.objects.of_deleted_articles()
        .defer("data")
        .select_related("created_by")
        .annotate(
            deleted_at=models.Subquery(deletions.values("at")[:1]),
            deleted_by=models.Subquery(deletions.values("user__username")[:1]),
        )
    )
    context = admin_context(request, model_admin, "Recover deleted articles", revisions=revisions)
    return render(request, "admin/articles/article/recover_list.html", context)


@require_POST
@transaction.atomic
def recover(request, model_admin, revision_id):
    if not request.user.has_perm("articles.recover_article"):
        raise PermissionDenied
    # Locked, so that of two recoveries at once the second finds the article back and stops.
    deleted = Revision.objects.select_for_update().filter(article__isnull=True)
    revision = get_object_or_404(deleted, pk=revision_id)
    article, notices = revision.recover(request.user)
    messages.success(request, f"“{article}” is back, as a draft (revision {article.version}).")
    for notice in notices:
        messages.warning(request, notice)
    return redirect("admin:articles_article_change", article.pk)

"""What every extra screen of the article admin shares: routing, permission checks, rendering.

Screens are ``*_view`` methods of ``ModelAdmin`` mixins (as in django-reversion's
``VersionAdmin``), so ``self.admin_site``, ``self.opts`` and the permission helpers are at hand.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path


class ArticleScreens:
    """Helpers for the screens of one article; mixed into ``ArticleAdmin``."""

    def route(self, pattern, view, name):
        """A URL for ``view`` behind the admin's login, named ``articles_article_<name>``."""
        name = f"{self.opts.app_label}_{self.opts.model_name}_{name}"
        return path(pattern, self.admin_site.admin_view(view), name=name)

    def get_article(self, request, object_id, permission=None):
        """The article, if the user may view it in the admin; 403 if not.

        With a ``permission`` (``"publish_article"``), a user without it is refused before the
        article is even looked up, so that its existence is not given away either.
        """
        if permission and not request.user.has_perm(f"{self.opts.app_label}.{permission}"):
            raise PermissionDenied
        article = self.get_object(request, unquote(str(object_id)))
        if article is None:
            raise Http404("No article here.")
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        return article

    def render_screen(self, request, template, title, article=None, **context):
        """Render ``admin/articles/article/<template>`` in the admin's frame."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "article": article,
            "title": title,
            **context,
        }
        return TemplateResponse(request, f"admin/{self.opts.app_label}/{self.opts.model_name}/{template}", context)

    def back_to(self, article):
        """Redirect to the article's change page."""
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", article.pk)


def chosen_revision(request, article):
    """The revision named by ``?revision=`` (or the posted form), else the latest one."""
    pk = request.POST.get("revision") or request.GET.get("revision")
    if pk:
        return get_object_or_404(article.revisions.select_related("created_by"), pk=pk if pk.isdigit() else 0)
    if article.latest_revision is None:
        raise Http404("This article has no saved revision yet.")
    return article.latest_revision

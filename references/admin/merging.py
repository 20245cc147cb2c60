"""Merging two duplicate sources, for site admins (``Source.merge_into()`` does the work)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from ..models import Source

#: The fields shown side by side, so that the admin sees what each source would bring.
COMPARED = [
    "key",
    "kind",
    "title",
    "container_title",
    "year",
    "volume",
    "issue",
    "pages",
    "publisher",
    "doi",
    "pmid",
    "pmcid",
    "isbn",
    "url",
]


def shown(source, name):
    return source.get_kind_display() if name == "kind" else getattr(source, name)


class MergeScreens:
    """Mixed into ``SourceAdmin``: "Merge two selected sources…" and its confirmation page."""

    def merge_urls(self):
        return [self.route("merge/<int:first>/<int:second>/", self.merge_view, "merge")]

    def has_merge_permission(self, request):
        return request.user.has_perm(f"{self.opts.app_label}.merge_source")

    @admin.action(description="Merge two selected sources…", permissions=["merge"])
    def merge_sources(self, request, queryset):
        pks = list(queryset.current().values_list("pk", flat=True)[:3])
        if len(pks) != 2:
            self.message_user(
                request, "Select exactly two sources (neither merged already) to merge.", messages.WARNING
            )
            return None
        return redirect("admin:references_source_merge", *sorted(pks))

    def merge_view(self, request, first, second):
        if not self.has_merge_permission(request):
            raise PermissionDenied
        sources = Source.objects.current().prefetch_related("authors").annotate(citation_count=Count("citations"))
        pair = [get_object_or_404(sources, pk=first), get_object_or_404(sources, pk=second)]
        if first == second:
            raise PermissionDenied
        if request.method == "POST" and request.POST.get("keep") in (str(first), str(second)):
            survivor, merged = pair if request.POST["keep"] == str(first) else pair[::-1]
            filled = merged.merge_into(survivor, request.user)
            message = f"Merged “{merged.key}” into “{survivor.key}”" + (
                f", filling {', '.join(filled)}" if filled else ""
            )
            self.log_change(request, survivor, [{"changed": {"fields": filled}}] if filled else message)
            self.log_change(request, merged, f"Merged into “{survivor.key}”")
            self.message_user(
                request,
                f"{message}. Articles that cited “{merged.key}” have a new draft revision citing “{survivor.key}”; "
                "their live pages change when they are published again.",
                messages.SUCCESS,
            )
            return redirect(reverse("admin:references_source_change", args=[survivor.pk]))
        rows = [(Source._meta.get_field(name).verbose_name, [shown(s, name) for s in pair]) for name in COMPARED]
        first = pair[0]
        alike = pair[1] in Source.objects.duplicates(
            first.doi, first.pmid, first.title, first.year, first.first_family()
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Merge two sources",
            "pair": pair,
            "rows": [(label, values, values[0] != values[1]) for label, values in rows],
            "authors": [", ".join(str(a) for a in s.authors.all()) for s in pair],
            "alike": alike,
        }
        return TemplateResponse(request, "admin/references/source/merge.html", context)

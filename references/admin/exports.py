"""Sources as BibTeX, RIS or CSL-JSON files: those selected in the list, or the whole library."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from ..exporting import FILES, download
from ..models import Source


class ExportScreens:
    """Mixed into ``SourceAdmin``: export actions and the library's export."""

    def export_urls(self):
        return [self.route("export/", self.export_view, "export")]

    def export_view(self, request):
        """The whole library (``?format=bibtex|ris|csljson``); merged sources are left out."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        format = request.GET.get("format", "")
        if format not in FILES:
            raise Http404("No such format.")
        sources = Source.objects.current().prefetch_related("authors")
        return download([s.record() for s in sources], format, f"clonus-library-{timezone.localdate():%Y-%m-%d}")

    def export_selected(self, queryset, format):
        return download([s.record() for s in queryset.prefetch_related("authors")], format, "clonus-sources")

    @admin.action(description="Export selected sources as BibTeX", permissions=["view"])
    def export_bibtex(self, request, queryset):
        return self.export_selected(queryset, "bibtex")

    @admin.action(description="Export selected sources as RIS", permissions=["view"])
    def export_ris(self, request, queryset):
        return self.export_selected(queryset, "ris")

    @admin.action(description="Export selected sources as CSL-JSON", permissions=["view"])
    def export_csljson(self, request, queryset):
        return self.export_selected(queryset, "csljson")

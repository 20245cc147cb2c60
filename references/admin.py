from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from .models import Author, Citation, Source


class AuthorInline(admin.TabularInline):
    model = Author
    extra = 1
    fields = ["position", "family", "given"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["key", "title", "year", "kind", "citation_count"]
    ordering = ["key"]
    list_filter = ["kind"]
    search_fields = ["key", "title", "doi", "pmid", "authors__family", "container_title"]
    readonly_fields = ["cited_in"]
    fieldsets = [
        (None, {"fields": ["key", "kind", "title", "authors_incomplete"]}),
        ("Published in", {"fields": ["container_title", "year", "volume", "issue", "pages", "publisher"]}),
        ("Identifiers and links", {"fields": ["doi", "pmid", "url", "accessed"]}),
        ("Where it is cited", {"fields": ["cited_in"]}),
    ]
    inlines = [AuthorInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_count=Count("citations"))

    @admin.display(description="citations", ordering="citation_count")
    def citation_count(self, source):
        return source.citation_count

    @admin.display(description="cited in")
    def cited_in(self, source):
        citations = source.citations.select_related("section__article")
        if not citations:
            return "Not cited yet."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> › {}</li>',
                (
                    (
                        reverse("admin:articles_section_change", args=[c.section_id]),
                        c.section.article,
                        c.section,
                    )
                    for c in citations
                ),
            ),
        )


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ["source", "section", "in_text", "locator"]
    list_filter = ["in_text"]
    list_select_related = ["source", "section__article"]
    search_fields = ["source__key", "source__title", "section__heading", "section__article__title"]
    autocomplete_fields = ["source", "section"]
    readonly_fields = ["in_text", "position", "mark_count"]

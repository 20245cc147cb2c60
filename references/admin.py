from adminsortable2.admin import CustomInlineFormSetMixin, SortableAdminBase, SortableTabularInline
from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from .models import Author, Citation, Source


class KeyboardOrderingMedia:
    """The media of a sortable inline: Move up / Move down buttons for keyboard users (docs/decisions.md)."""

    js = ["articles/admin/keyboard-ordering.js"]
    css = {"all": ["articles/admin/keyboard-ordering.css"]}


class PositionsInOrder(CustomInlineFormSetMixin):
    """django-admin-sortable2's inline formset, saving the rows' positions as 1, 2, 3… as shown.

    Sortable2 numbers the rows from 1 when one is moved and gives a new row the number after the
    highest; a save also closes the gaps that deleted rows leave, and numbers rows that were
    never moved (older rows could all be 0) in the order they were shown: by position, then id.
    """

    def save(self, commit=True):
        saved = super().save(commit)
        if commit:
            self.number_positions()
        return saved

    def number_positions(self):
        field = self.default_order_field
        rows = self.model._default_manager.filter(**{self.fk.name: self.instance}).order_by(field, "pk")
        renumbered = []
        for number, row in enumerate(rows, start=1):
            if getattr(row, field) != number:
                setattr(row, field, number)
                renumbered.append(row)
        self.model._default_manager.bulk_update(renumbered, [field])


class AuthorFormSet(PositionsInOrder, BaseInlineFormSet):
    pass


class AuthorInline(SortableTabularInline):
    model = Author
    formset = AuthorFormSet
    extra = 1
    fields = ["family", "given"]  # and the position, hidden: set by dragging or Move up / down
    Media = KeyboardOrderingMedia


@admin.register(Source)
class SourceAdmin(SortableAdminBase, admin.ModelAdmin):
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

from adminsortable2.admin import CustomInlineFormSetMixin, SortableAdminBase, SortableTabularInline
from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from .. import identifiers
from ..models import Author, Citation, Source
from .exports import ExportScreens
from .importing import ImportScreens
from .lookup import LookupScreens
from .merging import MergeScreens


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
    fields = ["family", "given", "role"]  # and the position, hidden: set by dragging or Move up / down
    verbose_name = "author or editor"
    verbose_name_plural = "authors (and editors of the book a chapter is in)"
    Media = KeyboardOrderingMedia


class SourceForm(forms.ModelForm):
    """The source form (its model and fields come from ``SourceAdmin``)."""

    def clean(self):
        """A DOI or PMID another source has is an error that names (and links to) that source."""
        cleaned = super().clean()
        for name in ("doi", "pmid"):
            value = identifiers.NORMALIZERS[name](cleaned.get(name) or "")
            other = Source.objects.current().exclude(pk=self.instance.pk).filter(**{name: value}).first()
            if value and other:
                self.add_error(name, forms.ValidationError(duplicate_message(other)))
        return cleaned


def duplicate_message(source, certain=True):
    url = reverse("admin:references_source_change", args=[source.pk])
    if certain:
        return format_html('This is the same work as <a href="{}">{}</a>, already in the library.', url, source)
    return format_html(
        'This looks like the same work as <a href="{}">{}</a> (same title, year and first author). '
        "If it is, merge the two: select both in the list of sources.",
        url,
        source,
    )


class CitedFilter(admin.SimpleListFilter):
    title = "citations"
    parameter_name = "cited"

    def lookups(self, request, model_admin):
        return [("yes", "Cited"), ("no", "Not cited anywhere")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(citations__isnull=self.value() == "no").distinct()
        return queryset


class IdentifierFilter(admin.SimpleListFilter):
    title = "identifiers"
    parameter_name = "identified"

    def lookups(self, request, model_admin):
        return [("no", "No DOI or PMID"), ("doi", "No DOI"), ("pmid", "No PMID")]

    def queryset(self, request, queryset):
        missing = {"no": models.Q(doi="", pmid=""), "doi": models.Q(doi=""), "pmid": models.Q(pmid="")}
        return queryset.filter(missing[self.value()]) if self.value() in missing else queryset


class MergedFilter(admin.SimpleListFilter):
    """Sources merged into another are hidden unless asked for: their survivor stands for them."""

    title = "status"
    parameter_name = "merged"

    def lookups(self, request, model_admin):
        return [("yes", "Merged into another")]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "In the library",
        }
        yield from list(super().choices(changelist))[1:]

    def queryset(self, request, queryset):
        return queryset.exclude(merged_into=None) if self.value() == "yes" else queryset.filter(merged_into=None)


@admin.register(Source)
class SourceAdmin(ImportScreens, ExportScreens, MergeScreens, LookupScreens, SortableAdminBase, admin.ModelAdmin):
    form = SourceForm
    list_display = ["key", "title", "authors_list", "year", "kind", "identifier_list", "citation_count"]
    list_display_links = ["key", "title"]
    ordering = ["key"]
    list_filter = [MergedFilter, CitedFilter, IdentifierFilter, "kind"]
    list_per_page = 50
    search_fields = ["key", "title", "doi", "pmid", "pmcid", "isbn", "authors__family", "container_title"]
    readonly_fields = ["merged_into", "cited_in", "reference_html"]
    fieldsets = [
        (None, {"fields": ["key", "kind", "title", "authors_incomplete"]}),
        (
            "Published in",
            {
                "fields": [
                    "container_title",
                    ("year", "month", "day"),
                    "volume",
                    "issue",
                    "pages",
                    "publisher",
                    "publisher_place",
                ]
            },
        ),
        ("Identifiers and links", {"fields": ["doi", "pmid", "pmcid", "isbn", "url", "accessed"]}),
        ("More", {"fields": ["abstract", "language"], "classes": ["collapse"]}),
        ("As readers see it", {"fields": ["reference_html", "merged_into", "cited_in"]}),
    ]
    inlines = [AuthorInline]
    actions = ["merge_sources", "export_bibtex", "export_ris", "export_csljson"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_urls(self):
        return [
            *self.import_urls(),
            *self.export_urls(),
            *self.merge_urls(),
            *self.lookup_urls(),
            *super().get_urls(),
        ]

    def route(self, pattern, view, name):
        """A URL for ``view`` behind the admin's login, named ``references_source_<name>``."""
        return path(pattern, self.admin_site.admin_view(view), name=f"references_source_{name}")

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("authors")
        return queryset.annotate(citation_count=Count("citations"))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        source = form.instance
        source.format_reference()  # now that its authors are saved
        same = Source.objects.duplicates(title=source.title, year=source.year, family=source.first_family())
        for other in same:
            if other.pk != source.pk:
                self.message_user(request, duplicate_message(other, certain=False), messages.WARNING)

    @admin.display(description="authors")
    def authors_list(self, source):
        names = [a.family for a in source.authors.all() if a.role == Author.Role.AUTHOR]
        return ", ".join(names[:3]) + (" et al" if len(names) > 3 or source.authors_incomplete else "")

    @admin.display(description="identifiers")
    def identifier_list(self, source):
        shown = [
            ("DOI", source.doi),
            ("PMID", source.pmid),
            ("PMCID", source.pmcid),
            ("ISBN", source.isbn and identifiers.format_isbn(source.isbn)),
        ]
        return format_html_join(mark_safe("<br>"), "{} {}", ((label, value) for label, value in shown if value)) or "—"

    @admin.display(description="citations", ordering="citation_count")
    def citation_count(self, source):
        return source.citation_count

    @admin.display(description="reference")
    def reference_html(self, source):
        return source.reference_html() or "Formatted when the source is saved."

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

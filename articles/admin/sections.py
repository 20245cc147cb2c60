"""Sections on their own: where a section's citations of the section as a whole are managed."""

from django.contrib import admin
from django.db import transaction

from references.models import Citation

from ..models import Article, Revision, Section
from .articles import markdown_editor
from .forms import SectionForm


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 1
    autocomplete_fields = ["source"]
    fields = ["source", "locator", "note", "in_text"]
    readonly_fields = ["in_text"]
    verbose_name_plural = "Citations (marks in the text add their own; add one here to cite the section as a whole)"


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    """Sections are edited with their article; here a section's citations of the section as a
    whole are managed. Every save is a revision of the article."""

    form = SectionForm
    list_display = ["heading", "article", "position"]
    list_select_related = ["article"]
    search_fields = ["heading", "article__title"]
    fields = ["article", "position", "heading", "anchor", "body", "revision_message", "article_version"]
    autocomplete_fields = ["article"]
    formfield_overrides = markdown_editor
    inlines = [CitationInline]

    def get_object(self, request, object_id, from_field=None):
        section = super().get_object(request, object_id, from_field)
        if section and request.method == "POST" and transaction.get_connection().in_atomic_block:
            # Queue up behind any other save of the article (see ArticleAdmin.get_object).
            section.article = Article.objects.select_for_update().get(pk=section.article_id)
        return section

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = Article.objects.select_for_update().get(pk=form.instance.article_id)
        Revision.objects.record(article, request.user, form.cleaned_data["revision_message"])

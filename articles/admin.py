from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from references.models import Citation

from .models import Article, Section, Topic

markdown_editor = {MarkdownxField: {"widget": AdminMarkdownxWidget}}


class SectionFormSet(BaseInlineFormSet):
    def clean(self):
        # The anchor constraint skips blank anchors, so Django's formset check skips it too.
        super().clean()
        seen = set()
        for form in self.forms:
            anchor = form.cleaned_data.get("anchor") if not self._should_delete_form(form) else None
            if anchor and anchor in seen:
                form.add_error("anchor", "Another section of this article has this anchor.")
            seen.add(anchor)


class SectionInline(admin.StackedInline):
    model = Section
    formset = SectionFormSet
    extra = 0
    fields = ["position", "heading", "anchor", "body"]
    formfield_overrides = markdown_editor
    show_change_link = True  # where citations of the section as a whole are managed


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "topic", "published_at", "updated"]
    list_filter = ["status", "topic"]
    search_fields = ["title", "summary", "sections__heading"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    list_select_related = ["topic"]
    raw_id_fields = ["medical_reviewer"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "topic", "byline"]}),
        ("Publishing", {"fields": ["status", "published_at"]}),
        ("Medical review", {"fields": ["medical_reviewer", "last_reviewed"]}),
    ]
    inlines = [SectionInline]

    class Media:
        js = ["articles/admin/markdownx-inlines.js"]


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 1
    autocomplete_fields = ["source"]
    fields = ["source", "locator", "note", "in_text"]
    readonly_fields = ["in_text"]
    verbose_name_plural = (
        "Citations (marks in the text add their own; add one here to cite the section as a whole)"
    )


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["heading", "article", "position"]
    list_select_related = ["article"]
    search_fields = ["heading", "article__title"]
    fields = ["article", "position", "heading", "anchor", "body"]
    autocomplete_fields = ["article"]
    formfield_overrides = markdown_editor
    inlines = [CitationInline]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

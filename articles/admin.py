from django import forms
from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html
from django.utils.timezone import localtime
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from references.models import Citation

from .filters import ReviewOverdueFilter, StateFilter
from .models import Article, AuditEntry, Revision, Section, Topic

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


class ArticleForm(forms.ModelForm):
    #: The article's version when this form was opened.
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    revision_message = forms.CharField(
        label="What changed?",
        required=False,
        max_length=300,
        help_text="Optional, shown in the article's history.",
    )

    class Meta:
        model = Article
        fields = ["title", "slug", "summary", "topic", "byline"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base_version"].initial = self.instance.version

    def clean_base_version(self):
        """Refuse to overwrite a save made after this form was opened (the row is locked)."""
        version = self.cleaned_data["base_version"] or 0
        if self.instance.pk and version != self.instance.version:
            raise forms.ValidationError(stale_copy_message(self.instance, version))
        return version


def stale_copy_message(article, version):
    newer = article.revisions.filter(number__gt=version).select_related("created_by")
    saves = "; ".join(
        f"revision {r.number} by {r.created_by or 'someone'} at {localtime(r.created_at):%H:%M}"
        + (f" (“{r.message}”)" if r.message else "")
        for r in newer
    )
    return format_html(
        "Someone else saved this article after you opened it: {}. Nothing has been saved from "
        "this page and your text is still below. Compare the changes, then reload the article "
        "and apply yours again.",
        saves or f"now at revision {article.version}",
    )


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = ["title", "state", "topic", "version", "updated"]
    list_filter = [StateFilter, ReviewOverdueFilter, "topic"]
    search_fields = ["title", "summary", "sections__heading"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["topic"]
    readonly_fields = ["state"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "topic", "byline"]}),
        ("Saving", {"fields": ["revision_message", "base_version"]}),
    ]
    inlines = [SectionInline]

    class Media:
        js = ["articles/admin/markdownx-inlines.js"]
        css = {"all": ["articles/admin/workflow.css"]}

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.fieldsets
        return [("Publication", {"fields": ["state"]}), *self.fieldsets]

    @admin.display(description="state")
    def state(self, article):
        if article.is_live and article.has_unpublished_changes:
            return "Live, with unpublished changes"
        if article.is_live:
            return "Live"
        if article.scheduled_revision_id:
            return f"Scheduled for {localtime(article.publish_at):%Y-%m-%d %H:%M}"
        return "Draft"

    def get_object(self, request, object_id, from_field=None):
        # A save locks the article row first, so that two saves of one article queue up and
        # the second sees the first's version number (ArticleForm.clean_base_version).
        if request.method == "POST":
            queryset = Article.objects.select_for_update(of=("self",))
            return queryset.filter(pk=object_id).first() if object_id.isdigit() else None
        return super().get_object(request, object_id, from_field)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        Revision.objects.record(form.instance, request.user, form.cleaned_data["revision_message"])

    def delete_model(self, request, article):
        AuditEntry.record(AuditEntry.Action.DELETE, request.user, article, article.latest_revision)
        super().delete_model(request, article)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            self.delete_model(request, article)

    def get_urls(self):
        from . import history, publishing

        return history.urls(self) + publishing.urls(self) + super().get_urls()


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 1
    autocomplete_fields = ["source"]
    fields = ["source", "locator", "note", "in_text"]
    readonly_fields = ["in_text"]
    verbose_name_plural = (
        "Citations (marks in the text add their own; add one here to cite the section as a whole)"
    )


class SectionForm(forms.ModelForm):
    article_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    revision_message = ArticleForm.base_fields["revision_message"]

    class Meta:
        model = Section
        fields = ["article", "position", "heading", "anchor", "body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["article_version"].initial = self.instance.article.version

    def clean(self):
        cleaned = super().clean()
        article = cleaned.get("article")
        version = cleaned.get("article_version") or 0
        if self.instance.pk and article and version != article.version:
            raise forms.ValidationError(stale_copy_message(article, version))
        return cleaned


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
        if section and request.method == "POST":  # queue concurrent saves of the article
            section.article = Article.objects.select_for_update().get(pk=section.article_id)
        return section

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = Article.objects.select_for_update().get(pk=form.instance.article_id)
        Revision.objects.record(article, request.user, form.cleaned_data["revision_message"])


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log: read-only, for those with permission to view it (site admins)."""

    list_display = ["at", "user", "action", "article_title", "revision", "detail"]
    list_filter = ["action", "at"]
    search_fields = ["article_title", "user__username", "detail"]
    list_select_related = ["user", "revision"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

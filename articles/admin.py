from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from references.models import Citation

from .filters import ReviewOverdueFilter, StateFilter
from .models import Article, AuditEntry, Review, Revision, Section, Topic

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

    def clean(self):
        """Refuse to overwrite a save made after this form was opened (the row is locked).

        A form-wide error, not one on ``base_version``: the admin hides the row of a hidden
        field, and with it that field's errors. A missing or altered number is stale too.
        """
        cleaned = super().clean()
        version = cleaned.get("base_version") or 0
        if self.instance.pk and version != self.instance.version:
            raise forms.ValidationError(stale_copy_message(self.instance, version), code="stale")
        return cleaned


def stale_copy_message(article, version):
    """Tell an editor whose copy of ``article`` was opened at ``version`` what was saved since."""
    revisions = list(
        article.revisions.filter(number__gte=version).select_related("created_by").order_by("number")
    )
    opened = next((r for r in revisions if r.number == version), None)
    newer = [r for r in revisions if r.number > version]
    saves = format_html_join(
        "; ",
        "revision {} by {} at {}{}",
        (
            (
                r.number,
                (r.created_by.get_full_name() or r.created_by.get_username()) if r.created_by else "someone",
                f"{localtime(r.created_at):%-d %b %H:%M}",
                f" (“{r.message}”)" if r.message else "",
            )
            for r in newer
        ),
    )
    return format_html(
        "Someone else saved this article after you opened it: {}. Nothing has been saved from "
        "this page and your text is still below.{} Reload the article and apply your changes "
        "again.",
        saves or f"it is now at revision {article.version}",
        compare_link(article, opened, newer[-1] if newer else None),
    )


def compare_link(article, old, new):
    if old is None or new is None:
        return ""
    try:
        url = reverse("admin:articles_article_compare", args=[article.pk])
    except NoReverseMatch:  # the compare view is not routed
        return ""
    return format_html(
        ' <a href="{}?{}">Compare the revision you opened (revision {}) with the latest (revision {})</a>.',
        url, urlencode({"a": old.pk, "b": new.pk}), old.number, new.number,
    )  # fmt: skip


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
        # the second sees the first's version number (ArticleForm.clean). The admin's change
        # and delete views run in a transaction; a view that is not in one reads unlocked.
        if request.method == "POST" and transaction.get_connection().in_atomic_block:
            queryset = self.get_queryset(request).select_for_update(of=("self",))
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
        # Checked against the article the section belonged to when opened, locked by
        # SectionAdmin.get_object, even if this save moves the section to another article.
        cleaned = super().clean()
        version = cleaned.get("article_version") or 0
        if self.instance.pk and version != self.instance.article.version:
            raise forms.ValidationError(stale_copy_message(self.instance.article, version), code="stale")
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
        if section and request.method == "POST" and transaction.get_connection().in_atomic_block:
            # Queue up behind any other save of the article (see ArticleAdmin.get_object).
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


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by the workflow itself: listed, never added, changed or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit log: read-only, for those with permission to view it (site admins)."""

    list_display = ["at", "user", "action", "article_title", "revision", "detail"]
    list_filter = ["action", "at"]
    search_fields = ["article_title", "user__username", "detail"]
    list_select_related = ["user", "revision"]
    date_hierarchy = "at"


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    """Medical reviews, read-only. A review is recorded from its article's Review page, which
    applies the rules and writes the audit log."""

    list_display = ["reviewed_on", "revision_title", "revision_number", "outcome", "reviewer", "comment"]
    list_filter = ["outcome", "reviewed_on"]
    search_fields = ["revision__title", "reviewer__username", "comment"]
    list_select_related = ["revision", "reviewer"]
    date_hierarchy = "reviewed_on"

    @admin.display(description="article", ordering="revision__title")
    def revision_title(self, review):
        return review.revision.title

    @admin.display(description="revision", ordering="revision__number")
    def revision_number(self, review):
        return review.revision.number

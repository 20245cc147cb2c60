"""The article editor: an article with its sections inline, and every screen of one article."""

from adminsortable2.admin import SortableAdminBase, SortableStackedInline
from django.contrib import admin
from django.db import transaction
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from markdownx.models import MarkdownxField

from references.admin import KeyboardOrderingMedia, PositionsInOrder

from ..models import Article, AuditEntry, Revision, Section, Topic
from .base import ArticleScreens
from .filters import ReviewOverdueFilter, StatusFilter
from .forms import ArticleForm, SectionFormSet
from .history import HistoryMixin
from .widgets import CitingEditor
from .workflow import WorkflowMixin

markdown_editor = {MarkdownxField: {"widget": CitingEditor}}


class SortableSectionFormSet(PositionsInOrder, SectionFormSet):
    """Sections numbered 1, 2, 3… in the order the editor left them (see references.admin)."""


class SectionInline(SortableStackedInline):
    model = Section
    formset = SortableSectionFormSet
    extra = 0
    fields = [
        "heading",
        "publish_checks",
        "anchor",
        "body",
    ]  # and the position, hidden: set by dragging or Move up / down
    readonly_fields = ["publish_checks"]
    formfield_overrides = markdown_editor
    show_change_link = True  # where citations of the section as a whole are managed
    Media = KeyboardOrderingMedia

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("citations__source")

    @admin.display(description="Publish checks")
    def publish_checks(self, section):
        """What would stop publishing, as of the last save, beside the section concerned."""
        if section.pk is None:
            return "Checked when saved."
        problems = section.problems()
        if not problems:
            return "Nothing here stops publishing."
        return format_html(
            '<ul class="section-checks" id="section-checks-{}">{}</ul>',
            section.pk,
            format_html_join("", "<li>{}</li>", ((problem,) for problem in problems)),
        )


@admin.register(Article)
class ArticleAdmin(SortableAdminBase, HistoryMixin, WorkflowMixin, ArticleScreens, admin.ModelAdmin):
    form = ArticleForm
    list_display = ["title", "status", "topic", "version", "updated"]
    list_filter = [StatusFilter, ReviewOverdueFilter, "topic"]
    search_fields = ["title", "summary", "sections__heading"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["topic", "latest_revision"]
    readonly_fields = ["status"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "topic", "byline"]}),
        ("Saving", {"fields": ["revision_message", "base_version"]}),
    ]
    inlines = [SectionInline]

    class Media:
        js = ["articles/admin/markdownx-inlines.js"]
        css = {"all": ["articles/admin/workflow.css"]}

    def get_urls(self):
        return self.history_urls() + self.workflow_urls() + super().get_urls()

    def get_queryset(self, request):
        # The list shows each article's status, which needs its latest revision, not its snapshot.
        return super().get_queryset(request).defer("latest_revision__data")

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.fieldsets
        return [("Publication", {"fields": ["status"]}), *self.fieldsets]

    @admin.display(description="status")
    def status(self, article):
        status = article.status
        if status == Article.Status.SCHEDULED:
            return f"{status.label} for {localtime(article.publish_at):%Y-%m-%d %H:%M}"
        return status.label

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.latest_revision_id:
            # What publishing the saved draft would refuse, listed before the editor submits.
            context["publish_checks"] = obj.publish_problems(obj.latest_revision)
        return super().render_change_form(request, context, add, change, form_url, obj)

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


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

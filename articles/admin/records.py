"""Records the workflow writes itself, read-only: medical reviews and the audit log."""

from django.contrib import admin

from ..models import AuditEntry, Review


class ReadOnlyAdmin(admin.ModelAdmin):
    """Listed, never added, changed or deleted here."""

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

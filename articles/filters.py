from django.contrib import admin
from django.db.models import F, Q


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("live", "Live"),
            ("changed", "Live, with unpublished changes"),
            ("draft", "Not live"),
            ("scheduled", "Scheduled"),
        ]

    def queryset(self, request, queryset):
        live = queryset.model.objects.published()
        match self.value():
            case "live":
                return queryset.filter(pk__in=live)
            case "changed":
                return queryset.filter(pk__in=live).exclude(latest_revision=F("live_revision"))
            case "draft":
                return queryset.exclude(pk__in=live)
            case "scheduled":
                return queryset.filter(Q(publish_at__isnull=False) | Q(expire_at__isnull=False))
        return queryset


class ReviewOverdueFilter(admin.SimpleListFilter):
    title = "medical review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue")]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(pk__in=queryset.model.objects.review_overdue())
        return queryset

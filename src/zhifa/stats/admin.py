from django.contrib import admin

from zhifa.stats import models


@admin.register(models.Fact)
class FactAdmin(admin.ModelAdmin):
    """Read-only: facts change only through zhifa.stats.aggregates (sync, rebuild)."""

    list_display = ("metric", "agency", "day", "key", "count", "amount")
    list_filter = ("metric",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.AssessmentScheme)
class AssessmentSchemeAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "year", "status")
    readonly_fields = ("status", "scored_at", "created_by")

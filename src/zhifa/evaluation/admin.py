from django.contrib import admin

from zhifa.evaluation import models


class ScoreItemInline(admin.TabularInline):
    model = models.ScoreItem
    extra = 0


@admin.register(models.ScoreSheet)
class ScoreSheetAdmin(admin.ModelAdmin):
    """评分表 templates are configured here (items and points)."""

    list_display = ("name", "is_default")
    inlines = [ScoreItemInline]


@admin.register(models.EvaluationPlan)
class EvaluationPlanAdmin(admin.ModelAdmin):
    list_display = ("title", "region", "year", "kind", "status")
    readonly_fields = ("status", "seed", "pool_hash", "drawn_at", "created_by")

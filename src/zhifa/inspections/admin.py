"""Admin: lists and plans are editable; draws, inspections, warnings and feedback are read-only records
(they change only through services, which write the ledger)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from zhifa.inspections.models import (
    ConflictOfInterest,
    DrawRecord,
    Inspection,
    InspectionFeedback,
    InspectionItem,
    InspectionPlan,
    InspectionTask,
    InspectionWarning,
    NoDisturbEntry,
    PartyDomainTag,
    PlanItem,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(InspectionItem)
class InspectionItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "agency", "domain", "is_active"]
    list_filter = ["domain", "is_active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["agency"]


class PlanItemInline(admin.TabularInline):
    model = PlanItem
    extra = 0
    raw_id_fields = ["item"]


@admin.register(InspectionPlan)
class InspectionPlanAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "agency", "status", "published_at", "published_late"]
    list_filter = ["year", "status", "published_late"]
    raw_id_fields = ["agency", "filed_with"]
    readonly_fields = ["status", "approved_by", "approved_at", "filed_with", "filed_at", "published_at"]
    inlines = [PlanItemInline]


@admin.register(InspectionTask)
class InspectionTaskAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "agency", "kind", "status", "starts_on", "ends_on"]
    list_filter = ["kind", "status"]
    exclude = ["secret"]


@admin.register(DrawRecord)
class DrawRecordAdmin(ReadOnlyAdmin):
    list_display = ["task", "drawn_at", "pool_size", "pool_hash", "ledger_seq"]


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["id", "party", "agency", "kind", "status", "entered_at", "outcome"]
    list_filter = ["kind", "status", "outcome", "entered_late"]


@admin.register(InspectionWarning)
class InspectionWarningAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "basis", "state", "agency", "party", "count", "threshold", "created_at"]
    list_filter = ["kind", "state"]


@admin.register(InspectionFeedback)
class InspectionFeedbackAdmin(ReadOnlyAdmin):
    list_display = ["id", "rating", "problem_reported", "created_at"]


@admin.register(PartyDomainTag)
class PartyDomainTagAdmin(admin.ModelAdmin):
    list_display = ["party", "domain"]
    raw_id_fields = ["party"]


@admin.register(NoDisturbEntry)
class NoDisturbEntryAdmin(ReadOnlyAdmin):
    list_display = ["party", "reason", "until", "added_at"]


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(ReadOnlyAdmin):
    list_display = ["officer", "party", "reason", "recorded_at"]

"""Read-only admin for cases: every change goes through the services (and so into the ledger)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from zhifa.cases.models import (
    Case,
    CaseNumberCounter,
    CollectiveDiscussion,
    DeadlineExtension,
    EnforcementDemand,
    LegalReviewOutcome,
    Seizure,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("number", "title", "agency", "procedure", "stage", "next_deadline")
    list_filter = ("procedure", "stage")
    search_fields = ("number", "title")
    show_full_result_count = False


for model in (
    CaseNumberCounter,
    DeadlineExtension,
    LegalReviewOutcome,
    CollectiveDiscussion,
    Seizure,
    EnforcementDemand,
):
    admin.site.register(model, ReadOnlyAdmin)

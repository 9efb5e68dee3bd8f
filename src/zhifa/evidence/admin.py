"""Admin for the 执法记录要求清单: administrators adjust the checklist; every change goes into the ledger."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from zhifa.evidence.models import RequiredRecordRule
from zhifa.org.models import User
from zhifa.records.services import record_append


@admin.register(RequiredRecordRule)
class RequiredRecordRuleAdmin(admin.ModelAdmin):
    list_display = [
        "act_type",
        "stage",
        "requirement",
        "mandatory",
        "description",
        "active",
        "effective_from",
    ]
    list_filter = ["act_type", "stage", "requirement", "mandatory", "active"]
    search_fields = ["code", "act_type", "description", "source"]
    ordering = ["act_type", "stage", "id"]
    fields = [
        "code",
        "act_type",
        "stage",
        "requirement",
        "mandatory",
        "description",
        "source",
        "active",
        "effective_from",
    ]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A rule that applied to past acts stays on record: switch it off or supersede it instead.
        return False

    def save_model(self, request: HttpRequest, obj: RequiredRecordRule, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            record_append(
                actor=cast(User, request.user),  # the admin site lets in only staff who logged in
                action="evidence.required_rule.change" if change else "evidence.required_rule.add",
                obj=obj,
                changes={
                    "code": obj.code,
                    "act_type": obj.act_type,
                    "stage": obj.stage,
                    "requirement": obj.requirement,
                    "mandatory": obj.mandatory,
                    "description": obj.description,
                    "active": obj.active,
                    "effective_from": obj.effective_from.isoformat(),
                    "changed_fields": sorted(form.changed_data) if change else [],
                },
            )

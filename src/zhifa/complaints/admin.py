"""Admin: the per-region handling deadline is set here; complaints themselves are read-only (services only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from zhifa.complaints.models import Complaint, ComplaintSetting


@admin.register(ComplaintSetting)
class ComplaintSettingAdmin(admin.ModelAdmin):
    list_display = ("region", "handling_working_days")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ("tracking_code", "channel", "work_order_no", "subject", "agency", "state", "due")
    list_filter = ("state", "channel")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

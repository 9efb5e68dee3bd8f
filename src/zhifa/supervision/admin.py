"""Read-only admin for supervision: every change goes through the services (and so into the ledger)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from zhifa.supervision.models import Flag, Instrument, Problem, SocialSupervisor


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Problem)
class ProblemAdmin(ReadOnlyAdmin):
    list_display = ("id", "title", "agency", "category", "state", "due")
    list_filter = ("state", "category", "source_kind")


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "key", "agency", "state", "source_open")
    list_filter = ("kind", "state", "source_open")


@admin.register(Instrument)
class InstrumentAdmin(ReadOnlyAdmin):
    list_display = ("number", "kind", "agency", "deadline", "status")
    exclude = ("pdf",)


@admin.register(SocialSupervisor)
class SocialSupervisorAdmin(ReadOnlyAdmin):
    list_display = ("name", "region", "appointed_on", "term_ends_on", "dismissed_on")

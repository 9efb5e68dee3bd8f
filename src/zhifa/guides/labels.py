"""服务指南记录的中文标签 — the app's ledger action and ``changes`` fields (zhifa.records.labels)."""

from __future__ import annotations

from django.urls import reverse

from zhifa.guides import rules
from zhifa.guides.models import EDITABLE_FIELDS, FIELD_LABELS, GuideKind, ServiceGuide
from zhifa.org import permissions as perms
from zhifa.org.models import User
from zhifa.records.labels import (
    CHOICE,
    Field,
    choices,
    register_actions,
    register_fields,
    register_references,
)


def register() -> None:
    register_actions({"guides.guide_save": "保存服务指南新版本"})
    register_fields(
        {
            "guides.guide_save:kind": Field("执法行为类别", CHOICE, choices(GuideKind)),
            "guides.guide_save:version": "版本",
            "guides.guide_save:note": "修改说明",
            **{f"guides.guide_save:{name}": FIELD_LABELS[name] for name in EDITABLE_FIELDS},
        }
    )


def _reference(guide: ServiceGuide, user: User | None) -> tuple[str, str]:
    text = f"服务指南 {guide.agency.name} · {guide.get_kind_display()} 第{guide.version}版"
    url = ""
    if user is not None and perms.can(user, rules.VIEW_GUIDE, guide):
        url = reverse("guides:edit", kwargs={"agency_id": guide.agency_id, "kind": guide.kind})
    return text, url


def register_reference() -> None:
    register_references({"guides.serviceguide": _reference})

"""证据与调阅记录的中文标签 — the ``changes`` fields of the evidence app's ledger entries (their action labels
are in zhifa.records.timeline), registered with zhifa.records.labels when the app is ready."""

from __future__ import annotations

from zhifa.evidence.models import (
    AccessPurpose,
    EvidenceKind,
    RecordRequirement,
    RequiredRecordRule,
    Stage,
)
from zhifa.records.labels import BOOL, CHOICE, COUNT, DATE, Field, choices, register_fields


def register() -> None:
    stage = Field("执法环节", CHOICE, choices(Stage))
    rule_fields = {f.name: str(f.verbose_name) for f in RequiredRecordRule._meta.fields}
    rule: dict[str, Field | str] = {
        "stage": stage,
        "requirement": Field("记录形式", CHOICE, choices(RecordRequirement)),
        "mandatory": Field("必须记录", BOOL),
        "description": "记录要求",
        "active": Field("启用", BOOL),
        "effective_from": Field("生效日期", DATE),
        "changed_fields": Field("变更内容", CHOICE, rule_fields),
    }
    register_fields(
        {
            "evidence.store:kind": Field("证据类型", CHOICE, choices(EvidenceKind)),
            "evidence.store:stage": stage,
            "evidence.store:filename": "文件名",
            "evidence.store:size_bytes": Field("文件大小", COUNT, unit="字节"),
            "record.access:purpose": Field("调阅方式", CHOICE, choices(AccessPurpose)),
            "record.access:reason": "调阅事由",
            **{
                f"evidence.required_rule.{verb}:{key}": f
                for verb in ("add", "change")
                for key, f in rule.items()
            },
        }
    )

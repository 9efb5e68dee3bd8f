"""Required records (执法记录要求) — may this stage of an enforcement act close, given what has been recorded?

The checklist is ``RequiredRecordRule`` (seeded by migration 0004, kept in the admin). Other apps call
``require_records_complete`` inside the service that closes a stage, after their own permission check; it
reads evidence without a user scope because it is a guard, not a read on someone's behalf.

How evidence of the object at the stage satisfies a rule (the same object_type/object_id/stage the evidence
was stored with):

* ``audio_video`` (音像记录): at least one **video** item. Audio alone, or audio with photos, does not
  satisfy it: 全程音像记录 means a continuous picture with sound of what happened on site.
* ``photo`` (照片): a photo or a video item.
* ``text`` (文字记录): a document item, or the caller's ``extra_satisfied`` — a set holding the rule's
  ``code`` (that one text rule is met) or ``"text"`` (every text rule of this act and stage is met, e.g. the
  caller's own app produced the written record). ``extra_satisfied`` never satisfies audio-video or photo
  rules: those need stored evidence.

Only evidence filed under the object's own agency counts (``own_evidence``): a file attached to a case from
another agency or county never satisfies its requirements.

Which rules apply on a date: active rules whose ``effective_from`` is on or before it; of several versions
with the same ``code`` only the latest such one counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import QuerySet

from zhifa.core import clock
from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.evidence.models import Evidence, EvidenceKind, RecordRequirement, RequiredRecordRule, Stage
from zhifa.evidence.targets import agency_ids

# Which evidence kinds satisfy which requirement (text can also be vouched for by the caller).
SATISFYING_KINDS: dict[str, frozenset[str]] = {
    RecordRequirement.AUDIO_VIDEO: frozenset({EvidenceKind.VIDEO}),
    RecordRequirement.PHOTO: frozenset({EvidenceKind.PHOTO, EvidenceKind.VIDEO}),
    RecordRequirement.TEXT: frozenset({EvidenceKind.DOCUMENT}),
}


@dataclass(frozen=True)
class MissingRecord:
    code: str
    requirement: str
    description: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "requirement": self.requirement, "description": self.description}


def applicable_rules(act_type: str, stage: str, *, on: dt.date | None = None) -> list[RequiredRecordRule]:
    """The rules in force for an act type and stage on a date (today by default), mandatory and recommended.

    Refuses a stage that is not one of the four and an act type no rule has ever named (a typo must not pass
    as "nothing required").
    """
    if stage not in Stage.values:
        raise InvalidInput(
            f"执法环节无效：{stage!r}（可选：{'、'.join(Stage.values)}）。",
            f"Unknown stage {stage!r}.",
            code="invalid_stage",
            field="stage",
        )
    on = on or clock.today()
    candidates = list(
        RequiredRecordRule.objects.filter(
            act_type=act_type, stage=stage, active=True, effective_from__lte=on
        ).order_by("code", "-effective_from", "-id")
    )
    if not candidates and not RequiredRecordRule.objects.filter(act_type=act_type).exists():
        raise InvalidInput(
            f"执法行为类型 {act_type!r} 没有配置记录要求清单。",
            f"No required-record rules are configured for act type {act_type!r}.",
            code="unknown_act_type",
            field="act_type",
        )
    latest: dict[str, RequiredRecordRule] = {}
    for rule in candidates:
        latest.setdefault(rule.code, rule)
    return sorted(latest.values(), key=lambda r: r.pk)


def _check_extra(extra_satisfied: Iterable[str] | None) -> frozenset[str]:
    extra = frozenset(extra_satisfied or ())
    refused = extra & {RecordRequirement.AUDIO_VIDEO.value, RecordRequirement.PHOTO.value}
    if refused:
        raise InvalidInput(
            "音像记录和照片须以证据上传，不能由调用方声明已具备。",
            f"Audio-video and photo requirements need stored evidence; {sorted(refused)} cannot be vouched for.",
            code="required_record_not_vouchable",
            field="extra_satisfied",
        )
    return extra


def _unsatisfied(
    object_type: str,
    object_id: str,
    act_type: str,
    stage: str,
    *,
    mandatory: bool,
    extra_satisfied: Iterable[str] | None,
    on: dt.date | None,
) -> list[MissingRecord]:
    extra = _check_extra(extra_satisfied)
    rules = [r for r in applicable_rules(act_type, stage, on=on) if r.mandatory == mandatory]
    if not rules:
        return []
    kinds = set(
        own_evidence(object_type, object_id).filter(stage=stage).values_list("kind", flat=True).distinct()
    )
    return _lacking(rules, kinds, extra)


def own_evidence(object_type: str, object_id: str) -> QuerySet[Evidence]:
    """The object's evidence filed under the object's own agency — the only evidence that counts for it.

    Evidence of a case attached from another agency (or county) never satisfies the case's required records
    nor enters its court bundle; :func:`foreign_evidence` lists it. Objects that belong to no agency (a
    party) count all their evidence.
    """
    qs = Evidence.objects.filter(object_type=object_type, object_id=str(object_id))
    agencies = agency_ids(object_type, [str(object_id)])
    if agencies is None:
        return qs
    return qs.filter(agency_id=agencies[str(object_id)])


def foreign_evidence(object_type: str, object_id: str) -> QuerySet[Evidence]:
    """The object's evidence filed under another agency than the object's own (none for agency-less kinds)."""
    qs = Evidence.objects.filter(object_type=object_type, object_id=str(object_id))
    agencies = agency_ids(object_type, [str(object_id)])
    if agencies is None:
        return qs.none()
    own = agencies[str(object_id)]
    return qs if own is None else qs.exclude(agency_id=own)


def _lacking(
    rules: Iterable[RequiredRecordRule], kinds: set[str], extra: frozenset[str]
) -> list[MissingRecord]:
    """The rules the stored evidence kinds and the caller's vouching leave unsatisfied (one per description)."""
    missing: list[MissingRecord] = []
    seen: set[str] = set()
    for rule in rules:
        if kinds & SATISFYING_KINDS[rule.requirement]:
            continue
        if rule.requirement == RecordRequirement.TEXT and (
            rule.code in extra or RecordRequirement.TEXT in extra
        ):
            continue
        if rule.description not in seen:
            seen.add(rule.description)
            missing.append(MissingRecord(rule.code, rule.requirement, rule.description))
    return missing


def missing_record_details(
    object_type: str,
    object_id: str,
    act_type: str,
    stage: str,
    *,
    extra_satisfied: Iterable[str] | None = None,
    on: dt.date | None = None,
) -> list[MissingRecord]:
    """The mandatory requirements not yet satisfied, with their rule code and requirement kind."""
    return _unsatisfied(
        object_type, object_id, act_type, stage, mandatory=True, extra_satisfied=extra_satisfied, on=on
    )


def required_records_missing(
    object_type: str,
    object_id: str,
    act_type: str,
    stage: str,
    *,
    extra_satisfied: Iterable[str] | None = None,
    on: dt.date | None = None,
) -> list[str]:
    """尚缺的必需记录 — the Chinese descriptions of mandatory requirements not yet satisfied."""
    return [
        m.description
        for m in missing_record_details(
            object_type, object_id, act_type, stage, extra_satisfied=extra_satisfied, on=on
        )
    ]


def required_records_missing_many(
    object_type: str,
    objects: Iterable[tuple[str, str]],
    stage: str,
    *,
    extra_satisfied: Mapping[str, Iterable[str] | None] | None = None,
    on: dt.date | None = None,
    chunk: int = 1000,
) -> dict[str, list[str]]:
    """尚缺的必需记录, for many objects at once — ``{object_id: descriptions}`` for those lacking something.

    ``objects`` are ``(object_id, act_type)`` pairs; ``extra_satisfied`` maps an act type to what its caller
    vouches for (as in :func:`required_records_missing`). The same answers as calling
    :func:`required_records_missing` per object, in a constant number of queries per act type and per
    ``chunk`` objects (the rules once, the evidence kinds of a chunk in one query) — for scans over many cases.
    """
    extra_for = {act: _check_extra(v) for act, v in (extra_satisfied or {}).items()}
    by_act: dict[str, list[str]] = {}
    for object_id, act_type in objects:
        by_act.setdefault(act_type, []).append(str(object_id))
    missing: dict[str, list[str]] = {}
    for act_type, ids in by_act.items():
        rules = [r for r in applicable_rules(act_type, stage, on=on) if r.mandatory]
        if not rules:
            continue
        extra = extra_for.get(act_type, frozenset())
        for start in range(0, len(ids), chunk):
            part = ids[start : start + chunk]
            kinds: dict[str, set[str]] = {i: set() for i in part}
            agencies = agency_ids(object_type, part)
            rows = (
                Evidence.objects.filter(object_type=object_type, object_id__in=part, stage=stage)
                .values_list("object_id", "kind", "agency_id")
                .distinct()
            )
            for object_id, kind, agency_id in rows:
                if agencies is None or agencies.get(object_id) == agency_id:
                    kinds[object_id].add(kind)
            for object_id in part:
                lacking = _lacking(rules, kinds[object_id], extra)
                if lacking:
                    missing[object_id] = [m.description for m in lacking]
    return missing


def require_records_complete(
    object_type: str,
    object_id: str,
    act_type: str,
    stage: str,
    *,
    extra_satisfied: Iterable[str] | None = None,
    on: dt.date | None = None,
) -> None:
    """环节办结前的记录检查 — raises RuleViolation listing every missing mandatory record; else returns."""
    missing = missing_record_details(
        object_type, object_id, act_type, stage, extra_satisfied=extra_satisfied, on=on
    )
    if missing:
        raise RuleViolation(
            "该环节尚缺以下必需记录：" + "；".join(m.description for m in missing) + "。",
            "Required records are missing: "
            + "; ".join(f"{m.code} ({m.description})" for m in missing)
            + ".",
            code="required_records_missing",
            details=[m.as_dict() for m in missing],
        )


def recommended_records(
    object_type: str,
    object_id: str,
    act_type: str,
    stage: str,
    *,
    extra_satisfied: Iterable[str] | None = None,
    on: dt.date | None = None,
) -> list[str]:
    """建议记录 — recommended (non-mandatory) records not yet made, for the prompt on the stage's page."""
    return [
        m.description
        for m in _unsatisfied(
            object_type, object_id, act_type, stage, mandatory=False, extra_satisfied=extra_satisfied, on=on
        )
    ]

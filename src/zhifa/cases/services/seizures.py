"""行政强制：查封、扣押 — decide, approve, extend and release a seizure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from zhifa.cases import guards, limits
from zhifa.cases.guards import refuse
from zhifa.cases.models import Case, ReleaseReason, Seizure, SeizureKind, SeizureStatus
from zhifa.cases.rules import APPROVE, COMPEL
from zhifa.cases.services._common import _begin, _commit, _locked, _require_text
from zhifa.core import clock
from zhifa.core.errors import InvalidInput
from zhifa.core.transactions import service
from zhifa.org import permissions as perms
from zhifa.org.models import User


def _locked_seizure(seizure: Seizure | int) -> Seizure:
    pk = seizure.pk if isinstance(seizure, Seizure) else seizure
    return Seizure.objects.select_for_update(of=("self",)).select_related("case__agency__region").get(pk=pk)


@service
def seizure_decide(
    *,
    actor: User,
    case: Case | int,
    kind: str,
    items: Sequence[str],
    place: str = "",
    testing_days: int = 0,
    on: dt.date | None = None,
    approved_by: Any = None,
    from_preservation: Seizure | int | None = None,
    emergency: bool = False,
    value_yuan: Any = None,
) -> Seizure:
    """查封、扣押 — decision and inventory, by two officers, on audio-video (行政强制法 第十八条、第二十四条);
    or 先行登记保存 — evidence preservation approved by the agency head (行政处罚法 第五十六条).

    ``from_preservation``: the handling decision (处理决定) on preserved evidence is to seal or seize it; the
    preservation ends (released as ``converted``) in the same transaction.

    ``value_yuan``: the estimated value of the property; from ``MAJOR_SEIZURE_YUAN`` on the measure is a major
    decision and the head approves it only after a passed legal review (``compulsion.check_major_seizure_review``).

    ``approved_by``: the agency head who approved the measure beforehand (行政强制法 第十八条第一项). Without
    one it is the actor's own approval when the actor is a head of the case's agency; otherwise the measure is
    refused unless ``emergency``: the officers act on the spot and report to the head within 24 hours
    (第十九条), who approves or refuses it with :func:`seizure_approve`.
    """
    case, on = _begin("seizure_decide", actor, case, on)
    if kind not in SeizureKind.values:
        raise InvalidInput("措施类型无效。", "Unknown measure.", field="kind")
    items = [str(i).strip()[:200] for i in items if str(i).strip()]
    if not items:
        raise InvalidInput("请填写查封、扣押清单。", "List what is sealed or seized.", field="items")
    if not 0 <= testing_days <= 365:
        raise InvalidInput("检测鉴定期间无效。", "Invalid testing period.", field="testing_days")
    if approved_by is not None and not perms.can(approved_by, APPROVE, case):
        raise InvalidInput(
            "批准人须为本机关负责人。", "The approver must be a head of the agency.", field="approved_by"
        )
    if approved_by is None and not emergency and perms.can(actor, APPROVE, case):
        approved_by = actor  # 行政强制法 第十八条: a head who decides the measure himself has approved it
    # local import: zhifa.cases.compulsion imports this package at load
    from zhifa.cases.compulsion import check_major_seizure_review, parse_value

    value = parse_value(value_yuan)
    review = None
    source: Seizure | None = None
    if kind == SeizureKind.PRESERVE:
        # 行政处罚法 第五十六条: 在证据可能灭失或者以后难以取得的情况下，经行政机关负责人批准，可以先行登记保存，
        # 并应当在七日内及时作出处理决定 (第八十五条: working days).
        if approved_by is None:
            raise refuse(
                "preservation_needs_approval",
                "先行登记保存须经行政机关负责人批准（行政处罚法第五十六条）。",
                "Evidence preservation needs the agency head's approval (Art. 56).",
            )
        if testing_days or from_preservation is not None:
            raise InvalidInput(
                "先行登记保存没有检测鉴定期间，也不能由先行登记保存转来。",
                "A preservation has no testing period and is not converted from one.",
                field="kind",
            )
        due_on = limits.preservation_due(on)
    else:
        if approved_by is None and not emergency:
            # 行政强制法 第十八条第一项: 实施前须向行政机关负责人报告并经批准.
            raise refuse(
                "seizure_needs_approval",
                "查封、扣押实施前须向行政机关负责人报告并经批准（行政强制法第十八条）；"
                "情况紧急需要当场实施的，选择“情况紧急”，并在二十四小时内报告负责人补办批准（第十九条）。",
                "A seizure needs the agency head's approval beforehand (Art. 18), "
                "or in an emergency a report within 24 hours (Art. 19).",
            )
        guards.check_required_records(case, "seizure", "查封、扣押", kind)
        if approved_by is not None:
            # 重大执法决定法制审核 (国办发〔2018〕118号): a major measure, a passed review before the approval.
            review = check_major_seizure_review(case, kind, value, on)
        # 行政强制法 第二十五条: thirty days, not counting testing or appraisal periods.
        due_on = limits.seizure_due(on, 0, testing_days)
        if from_preservation is not None:
            try:
                source = _locked_seizure(from_preservation)
            except Seizure.DoesNotExist:
                source = None
            if source is None or source.case_id != case.pk or source.kind != SeizureKind.PRESERVE:
                raise InvalidInput(
                    "所选措施不是本案的先行登记保存。",
                    "Not a preservation of this case.",
                    field="from_preservation",
                )
            if source.status != SeizureStatus.ACTIVE:
                raise refuse("seizure_not_active", "先行登记保存已解除。", "The preservation has ended.")
            if on > source.due_on:
                # 行政处罚法 第五十六条: the handling decision is due within seven (working) days; after that
                # the preservation has lapsed and the goods go back — a late "conversion" is refused.
                raise refuse(
                    "preservation_lapsed",
                    f"先行登记保存应在七个工作日内（{source.due_on:%Y-%m-%d} 前）作出处理决定（行政处罚法第五十六条、"
                    "第八十五条）；已逾期，应当解除并返还，不能再转为查封、扣押。",
                    f"The handling decision was due by {source.due_on:%Y-%m-%d} (Art. 56, 85); release it.",
                )
    seizure = Seizure.objects.create(
        case=case,
        kind=kind,
        items=items,
        value_yuan=value,
        place=place[:200],
        decided_on=on,
        testing_days=testing_days,
        due_on=due_on,
        approved_by=approved_by,
        approved_on=on if approved_by is not None else None,
        **_emergency_fields(kind, approved_by, emergency),
        created_by=actor,
    )
    extra: dict[str, Any] = {"seizure_id": seizure.pk, "kind": kind, "items": items, "due_on": seizure.due_on}
    if value is not None:
        extra["value_yuan"] = value
    if review is not None:
        review.seizure = seizure
        review.save(update_fields=["seizure"])
        extra["seizure_review_id"] = review.pk
    if approved_by is not None:
        extra["approved_by"] = approved_by.pk
    if seizure.emergency:
        extra["emergency"] = True
        extra["report_due"] = (
            f"{clock.local(seizure.report_due):%Y-%m-%d %H:%M}" if seizure.report_due else None
        )
    if source is not None:
        source.status = SeizureStatus.RELEASED
        source.released_on = on
        source.release_reason = ReleaseReason.CONVERTED
        source.save(update_fields=["status", "released_on", "release_reason"])
        extra["from_preservation"] = source.pk
    _commit(case, actor=actor, code="seizure_decide", on=on, fields={}, extra=extra)
    return seizure


def _emergency_fields(kind: str, approved_by: Any, emergency: bool) -> dict[str, Any]:
    """行政强制法 第十九条: acted on without approval in an emergency — report to the head within 24 hours."""
    if not emergency or approved_by is not None or kind == SeizureKind.PRESERVE:
        return {}
    acted_at = clock.now()
    return {"emergency": True, "acted_at": acted_at, "report_due": acted_at + dt.timedelta(hours=24)}


@service
def seizure_approve(
    *, actor: User, seizure: Seizure | int, approve: bool, reason: str = "", on: dt.date | None = None
) -> Seizure:
    """补办批准 — the head approves, or refuses, a seizure the officers made in an emergency (行政强制法 第十九条).

    Refused, the measure is released at once (``release_reason`` ``refused``). Approval after the 24 hours is
    recorded as late (the supervision flag ``seizure_unapproved`` has been raised meanwhile).
    """
    seizure = _locked_seizure(seizure)
    case = _locked(seizure.case_id)
    on = on or guards.today()
    guards.check_date(None, on)
    # 行政强制法 第十九条: 向行政机关负责人报告，并补办批准手续.
    perms.require(actor, APPROVE, case)
    if seizure.status != SeizureStatus.ACTIVE:
        raise refuse("seizure_not_active", "查封、扣押已解除。", "The seizure has been released.")
    if not seizure.emergency or seizure.approved_by_id is not None:
        raise refuse(
            "seizure_not_pending_approval",
            "该措施不是待补办批准的紧急措施。",
            "The measure is not an emergency measure waiting for approval.",
        )
    if on < seizure.decided_on:
        raise InvalidInput("日期早于查封、扣押决定。", "The date is before the seizure.", field="on")
    late = seizure.report_due is not None and clock.now() > seizure.report_due
    extra: dict[str, Any] = {"seizure_id": seizure.pk, "approve": approve, "late": late}
    if approve:
        # local import: zhifa.cases.compulsion imports this package at load
        from zhifa.cases.compulsion import check_major_seizure_review

        # 重大执法决定法制审核 (国办发〔2018〕118号): a major measure, a passed review before the approval.
        review = check_major_seizure_review(case, seizure.kind, seizure.value_yuan, on)
        if review is not None:
            review.seizure = seizure
            review.save(update_fields=["seizure"])
            extra["seizure_review_id"] = review.pk
        seizure.approved_by = actor
        seizure.approved_on = on
        seizure.save(update_fields=["approved_by", "approved_on"])
    else:
        # 行政强制法 第十九条: 行政机关负责人认为不应当采取行政强制措施的，应当立即解除.
        extra["reason"] = _require_text(reason, "reason", "不予批准的理由")
        seizure.status = SeizureStatus.RELEASED
        seizure.released_on = on
        seizure.release_reason = ReleaseReason.REFUSED
        seizure.save(update_fields=["status", "released_on", "release_reason"])
    _commit(
        case,
        actor=actor,
        code="seizure_approve" if approve else "seizure_refuse",
        on=max(on, case.stage_entered_on or on),
        fields={},
        extra=extra,
    )
    return seizure


@service
def seizure_extend(
    *, actor: User, seizure: Seizure | int, days: int, reason: str, on: dt.date | None = None
) -> Seizure:
    """延长查封、扣押 — once, at most thirty days, approved by the agency head (行政强制法 第二十五条)."""
    seizure = _locked_seizure(seizure)
    case = _locked(seizure.case_id)
    on = on or guards.today()
    guards.check_date(None, on)
    perms.require(actor, APPROVE, case)
    if seizure.status != SeizureStatus.ACTIVE:
        raise refuse("seizure_not_active", "查封、扣押已解除。", "The seizure has been released.")
    if seizure.kind == SeizureKind.PRESERVE:
        # 行政处罚法 第五十六条 gives seven days and no extension.
        raise refuse(
            "preservation_not_extendable",
            "先行登记保存应在七日内作出处理决定，不能延长（行政处罚法第五十六条）。",
            "A preservation cannot be extended (Art. 56).",
        )
    if seizure.extension_days:
        raise refuse(
            "seizure_already_extended",
            "查封、扣押期限只能延长一次（行政强制法第二十五条）。",
            "A seizure may be extended once (Art. 25).",
        )
    if not 1 <= days <= limits.SEIZURE_EXTENSION_MAX_DAYS:
        raise refuse(
            "seizure_extension_too_long",
            "延长期限不得超过三十日（行政强制法第二十五条）。",
            "An extension is at most thirty days (Art. 25).",
        )
    if on > seizure.due_on:
        raise refuse(
            "seizure_expired",
            f"查封、扣押期限已于 {seizure.due_on:%Y-%m-%d} 届满，应当解除，不能事后延长（行政强制法第二十五条、第二十八条）。",
            f"The seizure expired on {seizure.due_on:%Y-%m-%d}; release it (Art. 25, 28).",
        )
    if on < seizure.decided_on:
        raise InvalidInput("日期早于查封、扣押决定。", "The date is before the seizure.", field="on")
    seizure.extension_days = days
    seizure.extension_reason = _require_text(reason, "reason", "延长理由")
    seizure.extension_approved_by = actor
    seizure.extended_on = on
    seizure.due_on = limits.seizure_due(seizure.decided_on, days, seizure.testing_days)
    seizure.save(
        update_fields=["extension_days", "extension_reason", "extension_approved_by", "extended_on", "due_on"]
    )
    _commit(
        case,
        actor=actor,
        code="seizure_extend",
        on=max(on, case.stage_entered_on or on),
        fields={},
        extra={"seizure_id": seizure.pk, "days": days, "due_on": seizure.due_on},
    )
    return seizure


@service
def seizure_release(
    *, actor: User, seizure: Seizure | int, reason: str, on: dt.date | None = None
) -> Seizure:
    """解除查封、扣押 — on one of the grounds of 行政强制法 第二十八条; the property goes back at once."""
    seizure = _locked_seizure(seizure)
    case = _locked(seizure.case_id)
    on = on or guards.today()
    guards.check_date(None, on)
    perms.require(actor, COMPEL, case)
    if seizure.status != SeizureStatus.ACTIVE:
        raise refuse("seizure_not_active", "查封、扣押已解除。", "The seizure has been released.")
    if reason not in ReleaseReason.values or reason in {ReleaseReason.CONVERTED, ReleaseReason.REFUSED}:
        # CONVERTED only through seizure_decide(from_preservation=...), which creates the seizure.
        raise InvalidInput("解除理由无效。", "Unknown release reason.", field="reason")
    if on < seizure.decided_on:
        raise InvalidInput("日期早于查封、扣押决定。", "The date is before the seizure.", field="on")
    seizure.status = SeizureStatus.RELEASED
    seizure.released_on = on
    seizure.release_reason = reason
    seizure.save(update_fields=["status", "released_on", "release_reason"])
    _commit(
        case,
        actor=actor,
        code="seizure_release",
        on=max(on, case.stage_entered_on or on),
        fields={},
        extra={"seizure_id": seizure.pk, "reason": reason, "late": on > seizure.due_on},
    )
    return seizure

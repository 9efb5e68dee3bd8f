"""行政复议、行政诉讼: the remedies recorded against a decision, by hand or from an import."""

from __future__ import annotations

import datetime as dt

from zhifa.cases.corrections import remedy_correction_fields
from zhifa.cases.guards import refuse
from zhifa.cases.models import (
    LITIGATION_OUTCOMES,
    RECONSIDERATION_OUTCOMES,
    Case,
    CaseDocument,
    CaseRemedy,
    DocumentStatus,
    DocumentType,
    RemedyKind,
    RemedyOutcome,
)
from zhifa.cases.services._common import _begin, _commit, _json
from zhifa.core import clock
from zhifa.core.errors import InvalidInput
from zhifa.core.textlimits import check_length
from zhifa.core.transactions import service
from zhifa.org.models import Agency, User
from zhifa.records.services import record_append


def remedy_periods(case: Case) -> list[tuple[dt.date, dt.date]]:
    """The 复议/诉讼 periods of the case as ``(applied_on, decided_on)`` pairs, a pending one open-ended."""
    return [r.period for r in CaseRemedy.objects.filter(case=case)]


@service
def case_record_remedy(
    *,
    actor: User,
    case: Case | int,
    kind: str,
    applied_on: dt.date,
    decided_on: dt.date | None = None,
    outcome: str = "",
    number: str = "",
    on: dt.date | None = None,
) -> CaseRemedy:
    """登记行政复议、行政诉讼 — the party's 复议 or 诉讼 against the decision: applied on, decided on, outcome.

    Entering the same kind and application date again completes that record (its decision and outcome).
    While it is pending the late-payment surcharge does not run (行政处罚法 第七十三条第三款).
    """
    case, on = _begin("record_remedy", actor, case, on)
    if kind not in RemedyKind.values:
        raise InvalidInput(
            "请选择行政复议或行政诉讼。", "Choose reconsideration or litigation.", field="kind"
        )
    if applied_on > on:
        raise InvalidInput(
            "申请（起诉）日期不能晚于办理日期。", "The application date is after today.", field="applied_on"
        )
    if case.served_on and applied_on < case.served_on:
        raise InvalidInput(
            f"申请（起诉）日期不能早于决定书送达日期（{case.served_on:%Y-%m-%d}）。",
            "The application predates service of the decision.",
            field="applied_on",
        )
    outcome = (outcome or "").strip()
    if decided_on is not None:
        if decided_on < applied_on or decided_on > on:
            raise InvalidInput(
                "决定（裁判）日期须在申请日期与办理日期之间。",
                "The decision date must lie between the application and today.",
                field="decided_on",
            )
        allowed = RECONSIDERATION_OUTCOMES if kind == RemedyKind.RECONSIDERATION else LITIGATION_OUTCOMES
        if outcome not in allowed:
            names = "、".join(str(RemedyOutcome(v).label) for v in sorted(allowed))
            raise InvalidInput(f"请选择结果：{names}。", "Choose the outcome.", field="outcome")
    elif outcome:
        raise InvalidInput(
            "已有结果的，请填写决定（裁判）日期。", "An outcome needs its date.", field="decided_on"
        )
    number = check_length(number, field="number", label="案号", limit=80)
    remedy = CaseRemedy.objects.filter(case=case, kind=kind, applied_on=applied_on).first()
    if remedy is None:
        remedy = CaseRemedy(case=case, kind=kind, applied_on=applied_on, created_by=actor)
    elif remedy.decided_on is not None:
        raise refuse(
            "remedy_already_decided",
            f"该{remedy.get_kind_display()}已于 {remedy.decided_on:%Y-%m-%d} 作出决定。",
            "This remedy is already decided.",
        )
    remedy.decided_on, remedy.outcome = decided_on, outcome if decided_on else ""
    remedy.number = number or remedy.number
    remedy.save()
    _commit(
        case,
        actor=actor,
        code="record_remedy",
        on=on,
        # 行政处罚法 第四十八条第二款: an outcome that undoes the decision starts the three days to withdraw it.
        fields=remedy_correction_fields(case, remedy, on),
        extra={
            "remedy_id": remedy.pk,
            "kind": kind,
            "applied_on": applied_on,
            "decided_on": decided_on,
            "outcome": remedy.outcome,
            "number": remedy.number,
        },
    )
    return remedy


def remedies_fill_from_import(
    *,
    actor: User,
    agency: Agency,
    document_number: str,
    kind: str,
    outcome: str,
    decided_on: dt.date,
    number: str,
) -> list[CaseRemedy]:
    """An imported 复议/诉讼 outcome (``zhifa.stats`` remedy import) completes the pending record of the case
    whose issued decision carries ``document_number``; the caller checked its permission and runs inside its
    transaction. Each completed record is appended to the ledger."""
    number_ref = (document_number or "").strip()
    if not number_ref:
        return []
    case_ids = CaseDocument.objects.filter(
        agency=agency,
        number=number_ref,
        status=DocumentStatus.ISSUED,
        doc_type__in=[DocumentType.DECISION, DocumentType.NOT_PUNISH_DECISION],
    ).values_list("case_id", flat=True)
    filled = []
    for remedy in (
        CaseRemedy.objects.select_for_update()
        .filter(case_id__in=list(case_ids), kind=kind, decided_on__isnull=True, applied_on__lte=decided_on)
        .select_related("case")
        .order_by("id")
    ):
        remedy.decided_on, remedy.outcome = decided_on, outcome
        remedy.number = remedy.number or number[:80]
        remedy.save(update_fields=["decided_on", "outcome", "number"])
        # 行政处罚法 第四十八条第二款: the outcome undoes the decision (the import withdraws its publication).
        correction = remedy_correction_fields(remedy.case, remedy, clock.today())
        if correction:
            Case.objects.filter(pk=remedy.case_id).update(**correction)
        record_append(
            actor=actor,
            action="case.record_remedy",
            obj=remedy.case,
            changes={
                "remedy_id": remedy.pk,
                "kind": kind,
                "decided_on": decided_on.isoformat(),
                "outcome": outcome,
                "number": remedy.number,
                "source": "复议、诉讼结果导入",
                **{k: _json(v) for k, v in correction.items()},
            },
        )
        filled.append(remedy)
    return filled

"""撤回: withdraw a publication by hand, for a remedy's outcome or for a corrected decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from zhifa.cases.models import CaseDocument, DocumentStatus, DocumentType
from zhifa.core import clock, flags
from zhifa.core.errors import InvalidInput
from zhifa.core.transactions import service
from zhifa.disclosure import hooks
from zhifa.disclosure.models import Publication, PublicationStatus, WithdrawKind
from zhifa.disclosure.rules import WITHDRAW
from zhifa.disclosure.selectors import withdrawal_flag
from zhifa.disclosure.services._common import CASE
from zhifa.disclosure.services.workflow import _locked, _reason, _require_status
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, User
from zhifa.records.services import record_append
from zhifa.search.services import remove_document


@service
def publication_withdraw(
    *, actor: User, publication: Publication | int, kind: str, reason: str
) -> Publication:
    """撤回 — a published decision changed, revoked, confirmed unlawful/invalid or to be remade leaves the
    portal, the search index and the exports at once; the reason is kept (行政处罚法 第四十八条第二款)."""
    p = _locked(publication)
    perms.require(actor, WITHDRAW, p)
    if kind not in WithdrawKind.values:
        raise InvalidInput("撤回情形无效。", "Unknown withdrawal kind.", field="kind")
    if kind == WithdrawKind.CORRECTED:
        raise InvalidInput(
            "更正请使用“更正”操作：撤回并重新公示更正后的内容。",
            "Use the correction step to withdraw and republish.",
            field="kind",
        )
    reason = _reason(reason)
    _require_status(p, PublicationStatus.PUBLISHED)
    return _withdraw(p, actor=actor, kind=kind, reason=reason)


def _withdraw(p: Publication, *, actor: User, kind: str, reason: str, **changes: Any) -> Publication:
    before = p.status
    p.status, p.withdraw_kind, p.withdraw_reason = PublicationStatus.WITHDRAWN, kind, reason
    p.withdrawn_at, p.withdrawn_by = clock.now(), actor
    p.save(
        update_fields=[
            "status",
            "withdraw_kind",
            "withdraw_reason",
            "withdrawn_at",
            "withdrawn_by",
            "updated_at",
        ]
    )
    remove_document("disclosure.publication", p.pk)
    record_append(
        actor=actor,
        action="disclosure.withdraw",
        obj=p,
        changes={"status": [before, "withdrawn"], "kind": kind, "reason": reason, **changes},
    )
    if p.published_at is not None:  # one never public leaves no public channel to tell
        hooks.publication_event(hooks.WITHDRAWN, p)
    return p


# 复议决定 (行政复议法 第六十三条至第六十九条) and 判决 (行政诉讼法 第六十九条至第七十八条) that undo the act or
# find it unlawful or void (``stats.RemedyOutcome``) -> the withdrawal kind.
REMEDY_WITHDRAW_KINDS: dict[str, str] = {
    "revoked": WithdrawKind.REVOKED,
    "changed": WithdrawKind.CHANGED,
    "confirmed_illegal": WithdrawKind.UNLAWFUL,
    "confirmed_void": WithdrawKind.INVALID,
}


@service
def publications_withdraw_for_remedy(
    *, actor: User, agency: Agency, document_number: str, outcome: str, remedy: str
) -> list[Publication]:
    """撤回 — a reconsideration or court revoked, changed, or found unlawful or void the decision with this
    document number: the agency's publication of it leaves the portal, the index and the exports at once
    (行政处罚法 第四十八条第二款: within three days; here in the same transaction as the import of the
    outcome), with the outcome as the reason on the record. One not yet published is withdrawn before it
    ever appears (its publication deadline no longer runs). The caller (the import of remedy outcomes)
    has checked its own permission; ``remedy`` names the outcome, e.g. "行政复议 …号：撤销".
    """
    kind = REMEDY_WITHDRAW_KINDS.get(outcome)
    number = (document_number or "").strip()
    if kind is None or not number:
        return []
    # A draft takes its 文号 when it is approved: until then it is found through its case's issued 决定书.
    decided = CaseDocument.objects.filter(
        agency=agency,
        number=number,
        status=DocumentStatus.ISSUED,
        doc_type__in=[DocumentType.DECISION, DocumentType.NOT_PUNISH_DECISION],
    ).values_list("case_id", flat=True)
    found = list(
        Publication.objects.select_for_update()
        .filter(
            Q(document_number=number) | Q(source_type=CASE, source_id__in=[str(pk) for pk in decided]),
            agency=agency,
            status__in=[PublicationStatus.DRAFT, PublicationStatus.SUBMITTED, PublicationStatus.PUBLISHED],
        )
        .order_by("id")
    )
    reason = f"{remedy}（原行政行为文号 {number}）"[:500]
    return [_withdraw(p, actor=actor, kind=kind, reason=reason, remedy=remedy) for p in found]


# 行政处罚法 第四十八条第二款: the case's correction (``Case.decision_correction``) -> the withdrawal kind.
CORRECTION_WITHDRAW_KINDS: dict[str, str] = {
    "revoked": WithdrawKind.REVOKED,
    "changed": WithdrawKind.CHANGED,
    "unlawful": WithdrawKind.UNLAWFUL,
    "invalid": WithdrawKind.INVALID,
}


def on_decision_corrected(case: Any, *, code: str, actor: User, on: dt.date, changes: dict[str, Any]) -> None:
    """cases.hooks after ``revoke_decision`` / ``change_decision`` / ``record_remedy``: the decision was revoked,
    changed, or confirmed unlawful or void (行政处罚法 第四十八条第二款). A publication not yet public is
    withdrawn at once (it never appears); a public one of a *changed* decision is corrected at once (withdrawn,
    kind 更正, and the changed decision drafted in its place); any other public one must be withdrawn, with the
    reason made public, within three working days (``Case.withdrawal_due``) — supervision is told now, and the flag source
    (``selectors.withdrawal_due_flags``) keeps the flag until it is withdrawn, as overdue afterwards."""
    kind = CORRECTION_WITHDRAW_KINDS.get(changes.get("decision_correction") or "")
    if kind is None:
        return
    reason = f"行政处罚决定被{case.get_decision_correction_display()}：{case.decision_correction_reason}"[
        :500
    ]
    for p in (
        Publication.objects.select_for_update()
        .filter(source_type=CASE, source_id=str(case.pk))
        .exclude(status__in=[PublicationStatus.WITHDRAWN, PublicationStatus.REPAIRED])
    ):
        if p.status == PublicationStatus.PUBLISHED and kind == WithdrawKind.CHANGED:
            # 更正: withdrawn at once (kind 更正, the change as its public reason) and the changed decision
            # drafted in its place, for preview and approval (services.lifecycle)
            # local import: lifecycle imports this module (its ``_withdraw``)
            from zhifa.disclosure.services.lifecycle import correct_for_changed_decision

            correct_for_changed_decision(p, actor=actor, reason=reason)
        elif p.status == PublicationStatus.PUBLISHED:
            flags.notify(withdrawal_flag(p, case, clock.today()))
        elif kind != WithdrawKind.CHANGED:
            # never public: withdrawn before it ever appears (a changed decision is published as changed)
            _withdraw(p, actor=actor, kind=kind, reason=reason)

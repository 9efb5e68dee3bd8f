"""审核发布: refresh, submit, return, approve (and index), redact a publication."""

from __future__ import annotations

import datetime as dt

from zhifa.core import clock
from zhifa.core.errors import InvalidInput, NotFound, RuleViolation
from zhifa.core.transactions import service
from zhifa.disclosure import hooks
from zhifa.disclosure.models import DisclosureOverride, Publication, PublicationStatus
from zhifa.disclosure.rules import APPROVE, DRAFT
from zhifa.disclosure.services._common import index_publication
from zhifa.disclosure.services.deadlines import set_period
from zhifa.disclosure.services.drafts import _apply_redactions, _fill, _refresh_decision_number
from zhifa.disclosure.services.impact import apply_default
from zhifa.org import permissions as perms
from zhifa.org.models import User
from zhifa.records.services import record_append


def _locked(publication: Publication | int) -> Publication:
    pk = publication.pk if isinstance(publication, Publication) else publication
    p = Publication.objects.select_for_update().select_related("agency__region").filter(pk=pk).first()
    if p is None:
        raise NotFound("公示事项不存在。", "Publication not found.", code="publication_not_found")
    return p


def _refuse(code: str, message: str, message_en: str) -> RuleViolation:
    return RuleViolation(message, message_en, code=code)


def _require_disclosed(p: Publication) -> None:
    # 行政处罚法 第四十八条: only a decision with 一定社会影响 is published — or one the agency decided to publish
    if p.withheld:
        raise _refuse(
            "publication_withheld",
            f"该事项不予公开（{p.withheld_reason}）；如需公开，须由机关负责人作出公开决定并说明理由。",
            "The result is withheld from publication; the agency head may decide to publish it, with a reason.",
        )


def _require_status(p: Publication, *allowed: str) -> None:
    if p.status not in allowed:
        raise _refuse(
            "publication_wrong_status",
            f"该公示事项当前为“{p.get_status_display()}”，不能执行此操作。",
            f"The publication is {p.status}; this step is not open.",
        )


@service
def publication_refresh(*, actor: User, publication: Publication | int) -> Publication:
    """重新生成 — regenerate the desensitised draft from the current case / inspection (draft only)."""
    p = _locked(publication)
    perms.require(actor, DRAFT, p)
    _require_status(p, PublicationStatus.DRAFT)
    _fill(p)
    apply_default(p)  # the case may have changed (行政处罚法 第四十八条: the rule is read again)
    p.save()
    record_append(actor=actor, action="disclosure.refresh", obj=p, changes={"title": p.title})
    return p


@service
def publication_submit(*, actor: User, publication: Publication | int) -> Publication:
    """提交审核 — the drafter has read the preview and sends it for approval."""
    p = _locked(publication)
    perms.require(actor, DRAFT, p)
    _require_status(p, PublicationStatus.DRAFT)
    _require_disclosed(p)
    p.status, p.drafted_by, p.submitted_at = PublicationStatus.SUBMITTED, actor, clock.now()
    p.save(update_fields=["status", "drafted_by", "submitted_at", "updated_at"])
    record_append(actor=actor, action="disclosure.submit", obj=p, changes={"status": ["draft", "submitted"]})
    return p


@service
def publication_return(*, actor: User, publication: Publication | int, reason: str) -> Publication:
    """退回修改 — the approver sends the draft back, with a reason."""
    p = _locked(publication)
    perms.require(actor, APPROVE, p)
    _require_status(p, PublicationStatus.SUBMITTED)
    reason = _reason(reason)
    p.status = PublicationStatus.DRAFT
    p.save(update_fields=["status", "updated_at"])
    record_append(
        actor=actor,
        action="disclosure.return",
        obj=p,
        changes={"status": ["submitted", "draft"], "reason": reason},
    )
    return p


@service
def publication_approve(
    *, actor: User, publication: Publication | int, on: dt.date | None = None
) -> Publication:
    """审核发布 — a second person approves; the decision becomes public and searchable."""
    p = _locked(publication)
    perms.require(actor, APPROVE, p)
    _require_status(p, PublicationStatus.SUBMITTED)
    _require_disclosed(p)
    # seed 001: 采集、传递、审核、发布 each with its responsible person — the drafter does not approve alone.
    if p.drafted_by_id is not None and p.drafted_by_id == getattr(actor, "pk", None):
        raise _refuse(
            "publication_same_person",
            "公示内容须由拟稿人以外的人员审核发布。",
            "The drafter may not approve their own publication.",
        )
    now = clock.now()
    on = on or clock.business_date(now)
    _refresh_decision_number(p)
    p.status, p.approved_by, p.published_at, p.published_on = PublicationStatus.PUBLISHED, actor, now, on
    p.published_late = bool(p.due_on and on > p.due_on)
    period = set_period(p)  # 公示期限: from the decision date, fixed when it goes public
    p.save(
        update_fields=[
            *period,
            "document_number",
            "body",
            "status",
            "approved_by",
            "published_at",
            "published_on",
            "published_late",
            "updated_at",
        ]
    )
    index_publication(p)
    record_append(
        actor=actor,
        action="disclosure.publish",
        obj=p,
        changes={
            "status": ["submitted", "published"],
            "on": on.isoformat(),
            "late": p.published_late,
            "due_on": p.due_on.isoformat() if p.due_on else None,
            "expires_on": p.expires_on.isoformat() if p.expires_on else None,
            **({"corrects": p.corrects_id} if p.corrects_id else {}),
        },
    )
    hooks.publication_event(hooks.PUBLISHED, p)
    return p


def _reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请填写理由。", "A reason is required.", field=field)
    if len(reason) > 500:
        raise InvalidInput(
            "理由过长（最多 500 字）。", "The reason is longer than 500 characters.", field=field
        )
    return reason


@service
def publication_redact(*, actor: User, publication: Publication | int, text: str, reason: str) -> Publication:
    """不予公开（商业秘密）— on the party's request, a passage is excluded from every public form, with a reason.

    Before publication the drafter does it; once published only the approver, and the index is rebuilt.
    """
    p = _locked(publication)
    published = p.status == PublicationStatus.PUBLISHED
    perms.require(actor, APPROVE if published else DRAFT, p)
    _require_status(p, PublicationStatus.DRAFT, PublicationStatus.SUBMITTED, PublicationStatus.PUBLISHED)
    text = (text or "").strip()
    if len(text) < 2 or len(text) > 500:
        raise InvalidInput(
            "请填写须隐去的原文（2–500 字）。", "Give the passage to exclude (2–500 chars).", field="text"
        )
    reason = _reason(reason)
    if text not in p.body and text not in p.facts and text not in p.content and text not in p.basis:
        raise InvalidInput("公示内容中没有这段文字。", "The passage is not in the publication.", field="text")
    p.redactions = [*p.redactions, {"text": text, "reason": reason}]
    texts = ("title", "facts", "basis", "content", "licence_name", "remarks", "body")
    for name in texts:
        setattr(p, name, _apply_redactions(getattr(p, name), p.redactions))
    p.save(update_fields=["redactions", *texts, "updated_at"])
    if published:
        index_publication(p)
    # The ledger keeps that a passage was excluded and why — not the secret itself.
    record_append(
        actor=actor,
        action="disclosure.redact",
        obj=p,
        changes={"reason": reason, "chars": len(text), "count": len(p.redactions)},
    )
    return p


@service
def publication_disclosure_decide(
    *, actor: User, publication: Publication | int, publish: bool, reason: str, on: dt.date | None = None
) -> Publication:
    """机关决定公开或者不予公开 — against (or back to) the region's default, with a reason, by a holder of
    ``disclosure.approve`` (the agency head); before publication only (a published one is withdrawn)."""
    p = _locked(publication)
    perms.require(actor, APPROVE, p)
    _require_status(p, PublicationStatus.DRAFT, PublicationStatus.SUBMITTED)
    reason = _reason(reason)
    if publish != p.withheld:
        raise RuleViolation(
            "该事项已经是“公开”。" if publish else "该事项已经是“不予公开”。",
            "The publication is already " + ("to be published." if publish else "withheld."),
            code="publication_disclosure_unchanged",
        )
    on = on or clock.today()
    old_status = p.status
    p.disclosure_override = DisclosureOverride.PUBLISH if publish else DisclosureOverride.WITHHOLD
    p.override_reason, p.override_by, p.override_on = reason, actor, on
    p.withheld = not publish
    p.withheld_reason = "" if publish else f"机关决定不予公开：{reason}"
    if not publish:
        p.status = PublicationStatus.DRAFT  # a submitted one goes back: nothing is left to approve
    p.save(
        update_fields=[
            "disclosure_override",
            "override_reason",
            "override_by",
            "override_on",
            "withheld",
            "withheld_reason",
            "status",
            "updated_at",
        ]
    )
    changes: dict[str, object] = {
        "publish": publish,
        "default_withheld": p.default_withheld,
        "reason": reason,
        "on": on.isoformat(),
    }
    if old_status != p.status:
        changes["status"] = [old_status, p.status]
    record_append(actor=actor, action="disclosure.override", obj=p, changes=changes)
    return p

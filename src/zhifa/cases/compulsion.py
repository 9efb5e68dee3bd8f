"""行政强制 — the rules around a 查封/扣押 and a 催告 that issue 17 (legal correctness) adds.

* 行政强制法 第二十五条第二款: the extension of a 查封/扣押 is notified to the party in writing, with the reason
  (:func:`seizure_notify_extension`; a flag when it is not notified by the original end of the period,
  :func:`seizure_extension_notice_due`).
* 行政强制法 第二十七条: the handling decision within the period — 没收 / 销毁 (:func:`seizure_handle`), or
  解除 (``services.seizure_release``); a period over without either is flagged (``selectors.seizures_past_limit``).
* 行政强制法 第三十六条: the party's 陈述、申辩 on a 催告 is recorded and reviewed; what is established is adopted
  (:func:`demand_statement_record`, :func:`demand_statement_review`); no court application while one is not
  reviewed (``guards._c_court``).
* 国办发〔2018〕118号 重大执法决定法制审核: a major 查封/扣押 (value ≥ ``MAJOR_SEIZURE_YUAN``) needs a passed legal
  review before the head approves it (:func:`seizure_legal_review_record`, :func:`check_major_seizure_review`).
* 行政处罚法 第五十八条第二款: a first-time legal reviewer holds a 法律职业资格 (:func:`check_reviewer_qualified`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.urls import reverse

from zhifa.cases import guards, limits
from zhifa.cases.guards import refuse
from zhifa.cases.models import (
    Case,
    DemandStatement,
    LegalReviewOutcome,
    Seizure,
    SeizureHandling,
    SeizureKind,
    SeizureLegalReview,
    SeizureStatus,
    ServiceMethod,
)
from zhifa.cases.rules import APPROVE, COMPEL
from zhifa.cases.services import _begin, _commit, _locked, _locked_seizure, _officer_of, _require_text
from zhifa.core import textlimits
from zhifa.core.errors import InvalidInput
from zhifa.core.flags import FlagCandidate
from zhifa.core.textlimits import check_length
from zhifa.core.transactions import service
from zhifa.org import permissions as perms
from zhifa.org.models import LegalQualification, User

# --- 行政强制法 第二十五条第二款: the written notice of an extension ---------------------------------------------

# Written ways of telling the party (书面告知): every 送达 method but the on-the-spot handing-over of a decision
# pronounced there, which does not apply to a later extension.
NOTICE_METHODS = [c for c in ServiceMethod.choices if c[0] != ServiceMethod.ON_SITE]


def seizure_extension_notice_due(seizure: Seizure) -> dt.date | None:
    """The latest day the extension is notified "及时" (第二十五条第二款): the platform reads it as the end of the
    period as first decided — the party must know before the measure runs past the date he was given."""
    if not seizure.extension_days:
        return None
    return limits.seizure_due(seizure.decided_on, 0, seizure.testing_days)


@service
def seizure_notify_extension(
    *, actor: User, seizure: Seizure | int, method: str, on: dt.date | None = None
) -> Seizure:
    """延长查封、扣押决定书面告知当事人 — date served and method (行政强制法 第二十五条第二款); the reason told is
    the extension's recorded reason. A notice after :func:`seizure_extension_notice_due` is recorded as late."""
    seizure = _locked_seizure(seizure)
    case = _locked(seizure.case_id)
    on = on or guards.today()
    guards.check_date(None, on)
    perms.require(actor, COMPEL, case)
    if not seizure.extension_days or seizure.extended_on is None:
        raise refuse("seizure_not_extended", "该查封、扣押未延长期限。", "The measure was not extended.")
    if seizure.extension_notified_on is not None:
        raise refuse(
            "extension_already_notified",
            f"延长决定已于 {seizure.extension_notified_on:%Y-%m-%d} 书面告知当事人。",
            "The extension has already been notified.",
        )
    if method not in dict(NOTICE_METHODS):
        raise InvalidInput("请选择书面告知的方式。", "Choose a written notice method.", field="method")
    if on < seizure.extended_on:
        raise InvalidInput(
            f"告知日期不能早于延长决定日期（{seizure.extended_on:%Y-%m-%d}）。",
            "The notice predates the extension.",
            field="on",
        )
    due = seizure_extension_notice_due(seizure)
    seizure.extension_notified_on = on
    seizure.extension_notice_method = method
    seizure.save(update_fields=["extension_notified_on", "extension_notice_method"])
    _commit(
        case,
        actor=actor,
        code="seizure_notify_extension",
        on=max(on, case.stage_entered_on or on),
        fields={},
        extra={
            "seizure_id": seizure.pk,
            "method": method,
            "notified_on": on,
            "reason": seizure.extension_reason,
            "late": bool(due and on > due),
        },
    )
    return seizure


# --- 行政强制法 第二十七条: the handling decision within the period ----------------------------------------------

_CONFISCATION_KINDS = {"confiscate_property", "confiscate_income"}


@service
def seizure_handle(
    *, actor: User, seizure: Seizure | int, handling: str, note: str, on: dt.date | None = None
) -> Seizure:
    """处理决定 — 没收 or 销毁 the sealed or seized property, within the period (行政强制法 第二十七条); 解除 is
    ``services.seizure_release``. Approved by the agency head; the measure ends (status 已作出处理决定)."""
    seizure = _locked_seizure(seizure)
    case = _locked(seizure.case_id)
    on = on or guards.today()
    guards.check_date(None, on)
    perms.require(actor, APPROVE, case)
    if seizure.status != SeizureStatus.ACTIVE:
        raise refuse("seizure_not_active", "查封、扣押已解除或已处理。", "The measure has ended.")
    if seizure.kind == SeizureKind.PRESERVE:
        raise refuse(
            "preservation_not_handled_here",
            "先行登记保存的处理决定为转为查封、扣押或者解除（行政处罚法第五十六条）。",
            "A preservation is converted or released (Art. 56).",
        )
    if handling not in SeizureHandling.values:
        raise InvalidInput("请选择处理决定。", "Choose the handling decision.", field="handling")
    note = _require_text(note, "note", "处理决定说明（文号、依据）")
    if on < seizure.decided_on:
        raise InvalidInput("日期早于查封、扣押决定。", "The date is before the seizure.", field="on")
    # 行政强制法 第二十七条: 在本法第二十五条规定的期限内作出处理决定; after it, 第二十八条第四项: release.
    if on > seizure.due_on:
        raise refuse(
            "seizure_expired",
            f"查封、扣押期限已于 {seizure.due_on:%Y-%m-%d} 届满，应当在期限内作出处理决定；期满应当解除"
            "（行政强制法第二十七条、第二十八条）。",
            f"The period ended on {seizure.due_on:%Y-%m-%d}; release the property (Art. 27, 28).",
        )
    if handling == SeizureHandling.CONFISCATE and not (
        case.decided_on and set(case.penalty_kinds or []) & _CONFISCATION_KINDS
    ):
        # 没收 is a penalty (行政处罚法 第九条): it comes with a decision that confiscates.
        raise refuse(
            "confiscation_not_decided",
            "没收须有作出没收决定的行政处罚决定（违法事实清楚，依法应当没收的非法财物予以没收，行政强制法第二十七条）。",
            "Confiscation needs a penalty decision that confiscates (Art. 27).",
        )
    seizure.status = SeizureStatus.HANDLED
    seizure.handling = handling
    seizure.handled_on = on
    seizure.handling_note = note
    seizure.save(update_fields=["status", "handling", "handled_on", "handling_note"])
    _commit(
        case,
        actor=actor,
        code="seizure_handle",
        on=max(on, case.stage_entered_on or on),
        fields={},
        extra={"seizure_id": seizure.pk, "handling": handling, "note": note},
    )
    return seizure


# --- 行政强制法 第三十六条: the party's statement on a 催告 ----------------------------------------------------------


@service
def demand_statement_record(
    *, actor: User, case: Case | int, text: str, on: dt.date | None = None
) -> DemandStatement:
    """记录催告后的陈述、申辩 — the facts, reasons and evidence the party gave (行政强制法 第三十六条)."""
    case, on = _begin("demand_statement", actor, case, on)
    demand = case.enforcement
    text = check_length(text, field="text", label="陈述、申辩内容", limit=textlimits.PARAGRAPH).strip()
    if not text:
        raise InvalidInput("请填写陈述、申辩内容。", "text is required.", code="required", field="text")
    if on < demand.demand_served_on:
        raise InvalidInput(
            f"收到日期不能早于催告书送达日期（{demand.demand_served_on:%Y-%m-%d}）。",
            "The statement predates the demand.",
            field="on",
        )
    statement = DemandStatement.objects.create(demand=demand, received_on=on, text=text, recorded_by=actor)
    _commit(
        case,
        actor=actor,
        code="demand_statement",
        on=on,
        fields={},
        extra={"statement_id": statement.pk, "text": text},
    )
    return statement


@service
def demand_statement_review(
    *, actor: User, case: Case | int, established: bool, note: str, on: dt.date | None = None
) -> DemandStatement:
    """复核 the earliest statement not yet reviewed (行政强制法 第三十六条): established or not, with the opinion —
    established, the opinion says how it is adopted (当事人提出的事实、理由或者证据成立的，行政机关应当采纳)."""
    case, on = _begin("demand_statement_review", actor, case, on)
    statement = (
        DemandStatement.objects.select_for_update()
        .filter(demand__case=case, reviewed_on__isnull=True)
        .order_by("received_on", "id")
        .first()
    )
    assert statement is not None  # the transition's guard
    label = "采纳情况（成立的事实、理由如何采纳）" if established else "复核意见（不成立的理由）"
    note = _require_text(note, "note", label, textlimits.PARAGRAPH)
    if on < statement.received_on:
        raise InvalidInput(
            "复核日期不能早于收到陈述、申辩的日期。", "The review predates the statement.", field="on"
        )
    statement.reviewed_on, statement.reviewed_by = on, actor
    statement.established, statement.review_note = established, note
    statement.save(update_fields=["reviewed_on", "reviewed_by", "established", "review_note"])
    _commit(
        case,
        actor=actor,
        code="demand_statement_review",
        on=on,
        fields={},
        extra={"statement_id": statement.pk, "established": established, "note": note},
    )
    return statement


# --- 法制审核: major 查封/扣押, and the reviewer's qualification -------------------------------------------------


def major_seizure_threshold() -> Decimal:
    return limits.setting_yuan("MAJOR_SEIZURE_YUAN")


def is_major_seizure(kind: str, value_yuan: Any) -> bool:
    """A 查封/扣押 whose property is worth at least ``MAJOR_SEIZURE_YUAN`` (先行登记保存 is evidence-taking, not a
    compulsory measure, and never major here)."""
    if kind == SeizureKind.PRESERVE or value_yuan is None:
        return False
    return Decimal(value_yuan) >= major_seizure_threshold()


def parse_value(value_yuan: Any) -> Decimal | None:
    if value_yuan in (None, ""):
        return None
    try:
        value = Decimal(str(value_yuan))
    except InvalidOperation:
        raise InvalidInput("估值须为金额。", "The value must be an amount.", field="value_yuan") from None
    if value < 0 or value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise InvalidInput(
            "估值须为不小于零的金额（元，至多两位小数）。", "Invalid value.", field="value_yuan"
        )
    return value


def check_reviewer_qualified(user: User) -> None:
    """行政处罚法 第五十八条第二款: 行政机关中初次从事行政处罚决定法制审核的人员，应当通过国家统一法律职业资格考试
    取得法律职业资格. "First-time" = no legal review recorded by the user before (of a case or a measure)."""
    if LegalQualification.objects.filter(user=user).exists():
        return
    if LegalReviewOutcome.objects.filter(reviewer=user).exists():
        return
    if SeizureLegalReview.objects.filter(reviewer=user).exists():
        return
    raise refuse(
        "reviewer_not_qualified",
        "初次从事法制审核的人员应当通过国家统一法律职业资格考试取得法律职业资格（行政处罚法第五十八条第二款）；"
        "请系统管理员先登记审核人员的法律职业资格证书。",
        "A first-time legal reviewer must hold the national legal professional qualification (Art. 58(2)).",
    )


@service
def seizure_legal_review_record(
    *,
    actor: User,
    case: Case | int,
    kind: str,
    value_yuan: Any,
    agreed: bool,
    opinion: str,
    on: dt.date | None = None,
) -> SeizureLegalReview:
    """重大查封、扣押的法制审核意见 — before the head approves a major measure (国办发〔2018〕118号)."""
    case, on = _begin("seizure_legal_review", actor, case, on)
    if kind not in {SeizureKind.SEAL, SeizureKind.DETAIN}:
        raise InvalidInput("请选择查封或者扣押。", "Choose seal or detain.", field="kind")
    value = parse_value(value_yuan)
    if value is None:
        raise InvalidInput(
            "请填写涉案财物估值。", "value_yuan is required.", code="required", field="value_yuan"
        )
    opinion = _require_text(opinion, "opinion", "审核意见", textlimits.PARAGRAPH)
    officer = _officer_of(actor)
    if officer is not None and case.officer_links.filter(officer=officer).exists():
        raise refuse(
            "reviewer_is_handler",
            "法制审核人员不得审核本人承办的案件。",
            "A legal reviewer may not review a case they handle.",
        )
    check_reviewer_qualified(actor)
    review = SeizureLegalReview.objects.create(
        case=case, kind=kind, value_yuan=value, agreed=agreed, opinion=opinion, reviewer=actor, reviewed_on=on
    )
    _commit(
        case,
        actor=actor,
        code="seizure_legal_review",
        on=on,
        fields={},
        extra={"seizure_review_id": review.pk, "kind": kind, "value_yuan": value, "agreed": agreed},
    )
    return review


def check_major_seizure_review(
    case: Case, kind: str, value_yuan: Any, on: dt.date
) -> SeizureLegalReview | None:
    """The passed legal review a major 查封/扣押 needs before the head approves it, or a refusal; ``None`` for a
    measure that is not major. The review must be of the case, of that measure, valued at least as high, not
    used by another measure, and its latest opinion on such a measure must have agreed."""
    if not is_major_seizure(kind, value_yuan):
        return None
    latest = (
        SeizureLegalReview.objects.select_for_update()
        .filter(case=case, kind=kind, seizure__isnull=True, reviewed_on__lte=on, value_yuan__gte=value_yuan)
        .order_by("-reviewed_on", "-id")
        .first()
    )
    if latest is None or not latest.agreed:
        threshold = major_seizure_threshold()
        raise refuse(
            "seizure_legal_review_required",
            f"涉案财物估值 {value_yuan} 元，达到重大执法决定标准（{threshold} 元），机关负责人批准前须经法制审核并通过"
            "（重大执法决定法制审核制度，国办发〔2018〕118号）。",
            f"A measure worth {value_yuan} yuan (threshold {threshold}) needs a passed legal review first.",
        )
    return latest


# --- flags (supervision reads them) ------------------------------------------------------------------------------


def unnotified_extension_flags(since: dt.datetime | None) -> Any:
    """Flag source: an extended 查封/扣押 whose extension was not notified to the party in writing by the end of
    the period as first decided (行政强制法 第二十五条第二款, :func:`seizure_extension_notice_due`)."""
    today = guards.today()
    pending = (
        Seizure.objects.select_related("case")
        .filter(extension_days__gt=0, extension_notified_on__isnull=True)
        .exclude(kind=SeizureKind.PRESERVE)
        .order_by("decided_on", "id")
    )
    # every pending one, streamed: a [:1000] cap let the first 1000 not-yet-due rows hide the rest on every run
    for seizure in pending.iterator(chunk_size=500):
        due = seizure_extension_notice_due(seizure)
        if due is None or today <= due:
            continue
        case = seizure.case
        yield FlagCandidate(
            kind="seizure_extension_unnotified",
            key=f"seizure:{seizure.pk}",
            agency_id=case.agency_id,
            title=f"延长查封扣押未书面告知：{case.number or case.title}",
            detail=(
                f"{seizure.extended_on:%Y-%m-%d} 延长 {seizure.extension_days} 日，原期限 {due:%Y-%m-%d} 届满前未书面告知"
                "当事人并说明理由（行政强制法 第二十五条第二款）。"
            ),
            object_type="cases.seizure",
            object_id=str(seizure.pk),
            url=reverse("cases:detail", args=[case.pk]),
            due=due,
            severity="warning",
        )

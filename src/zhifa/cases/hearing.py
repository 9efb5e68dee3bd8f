"""Hearing the party (听取陈述、申辩和听证): service of the rights notice, the review of a statement and the
end of a hearing the party stayed away from.

行政处罚法 (2021) 第四十五条第一款, 第六十四条第一项、第六项. Each service follows ``zhifa.cases.services``:
one transaction, the case row locked, permission, stage and guards checked before anything is written, one
ledger entry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhifa.cases import limits
from zhifa.cases.guards import refuse
from zhifa.cases.models import Case, HearingEndReason, ServiceMethod
from zhifa.cases.services import _begin, _commit, _due_or_pending, _require_text
from zhifa.core.errors import InvalidInput
from zhifa.core.transactions import service
from zhifa.org.models import User


@service
def case_serve_notice(
    *,
    actor: User,
    case: Case | int,
    method: str,
    on: dt.date | None = None,
    consent_confirmed: bool = False,
) -> Case:
    """送达事先告知书 — the day the party received the notice starts its periods.

    行政处罚法 第六十四条第一项: 当事人要求听证的，应当在行政机关告知后五日内提出 (working days, 第八十五条),
    counted from service; the statement period (a setting) counts from the same day.
    """
    case, on = _begin("serve_notice", actor, case, on)
    if method not in ServiceMethod.values:
        raise InvalidInput("送达方式无效。", "Unknown service method.", field="method")
    assert case.notified_on is not None
    if method == ServiceMethod.ON_SITE and on != case.notified_on:
        raise refuse(
            "on_site_same_day",
            "当场交付应在告知的当日。",
            "On-site hand-over happens on the day of the notice.",
        )
    # 行政处罚法 第六十一条第二款 (the rule for decisions, applied to the notice alike): consent first.
    if method == ServiceMethod.ELECTRONIC and not consent_confirmed:
        raise refuse(
            "electronic_needs_consent",
            "电子送达须当事人同意并签订确认书（行政处罚法第六十一条第二款）。",
            "Electronic service needs the party's signed consent (Art. 61).",
        )
    fields: dict[str, Any] = {
        "notice_served_on": on,
        "notice_service_method": method,
        "statement_due": _due_or_pending(case, "陈述申辩期限", lambda: limits.statement_due(on)),
        # 行政处罚法 第六十四条第一项、第八十五条: five working days from service to ask for a hearing.
        "hearing_request_due": _due_or_pending(case, "听证申请期限", lambda: limits.hearing_request_due(on))
        if case.hearing_right
        else None,
    }
    return _commit(case, actor=actor, code="serve_notice", on=on, fields=fields)


@service
def case_review_statement(
    *, actor: User, case: Case | int, adopted: bool, opinion: str, on: dt.date | None = None
) -> Case:
    """陈述申辩复核 — the agency reviews the facts, reasons and evidence the party gave and adopts what holds.

    行政处罚法 第四十五条第一款: 对当事人提出的事实、理由和证据，应当进行复核；当事人提出的事实、理由或者证据
    成立的，行政机关应当采纳. Not adopting states the reasons; the decision waits for the review.
    """
    case, on = _begin("review_statement", actor, case, on)
    opinion = _require_text(opinion, "opinion", "复核意见（不予采纳的，写明理由）", 5000)
    return _commit(
        case,
        actor=actor,
        code="review_statement",
        on=on,
        fields={
            "statement_reviewed_on": on,
            "statement_adopted": bool(adopted),
            "statement_review_opinion": opinion,
        },
    )


@service
def case_end_hearing_absent(
    *, actor: User, case: Case | int, reason: str, note: str = "", on: dt.date | None = None
) -> Case:
    """终止听证 — the party did not come without a proper reason, or left without leave.

    行政处罚法 第六十四条第六项: 当事人及其代理人无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃
    听证权利，行政机关终止听证. The case then goes on to the decision as after a hearing.
    """
    case, on = _begin("end_hearing_absent", actor, case, on)
    if reason not in HearingEndReason.values:
        raise InvalidInput(
            "请选择终止听证的情形（无正当理由拒不出席，或未经许可中途退出）。",
            "Choose why the hearing ended.",
            field="reason",
        )
    note = (note or "").strip()
    if len(note) > 2000:
        raise InvalidInput("说明过长（最多 2000 字）。", "note is too long.", field="note")
    return _commit(
        case,
        actor=actor,
        code="end_hearing_absent",
        on=on,
        fields={"hearing_ended_on": on, "hearing_end_reason": reason},
        extra={"note": note} if note else None,
    )

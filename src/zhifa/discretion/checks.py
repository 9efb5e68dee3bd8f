"""How discretion takes part in a case (through ``zhifa.cases.hooks``) and in supervision (``core.flags``).

- ``check_deviation`` runs before "notify_rights" and "decide": a proposed or decided penalty outside the
  recommended range is refused (409 ``discretion_deviation_unexplained``) until a written reason was recorded
  with ``services.deviation_explain``.
- ``record_outcome`` runs after "decide" and keeps the decided penalty against the recommendation.
- ``case_panel`` is the section of the case page; ``open_deviation_flags`` the supervision flag source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from zhifa.cases.models import Case
from zhifa.core import flags
from zhifa.core.errors import RuleViolation
from zhifa.discretion import logic, rules, services
from zhifa.discretion.forms import DeviationForm, FactsForm
from zhifa.discretion.models import Deviation
from zhifa.org import permissions as perms
from zhifa.org.models import User

_FIELDS = {
    "notify_rights": ("proposed_fine_yuan", "proposed_kinds", "拟处罚"),
    "decide": ("fine_yuan", "penalty_kinds", "处罚决定"),
}


def check_deviation(
    case: Case, *, code: str, actor: User, on: dt.date, changes: dict[str, Any] | None
) -> None:
    if changes is None or code not in _FIELDS:
        return  # the case page only asks whether the action is open: the penalty is not known yet
    fine_field, kinds_field, what = _FIELDS[code]
    rec = services.recommend(case, decision_date=on)
    if not rec.found:
        return
    reasons = logic.deviations(rec, fine_yuan=changes.get(fine_field), kinds=changes.get(kinds_field) or ())
    if not reasons or Deviation.objects.filter(case=case).exists():
        return
    raise RuleViolation(
        f"{what}偏离裁量基准：{'；'.join(reasons)}（推荐“{rec.tier_name}”档：{rec.range_text}）。"
        "须先书面说明偏离理由。",
        f"The penalty leaves the recommended range ({rec.min_yuan}–{rec.max_yuan} yuan); "
        "record a written deviation reason first.",
        code="discretion_deviation_unexplained",
    )


def record_outcome(case: Case, *, code: str, actor: User, on: dt.date, changes: dict[str, Any]) -> None:
    services.record_outcome(
        case, on=on, fine_yuan=case.fine_yuan, kinds=list(case.penalty_kinds or ()), actor=actor
    )


def open_deviation_flags(since: dt.datetime | None) -> Iterable[flags.FlagCandidate]:
    """One flag per case with an explained deviation (the latest reason)."""
    rows = Deviation.objects.select_related("case").order_by("case_id", "-id")
    if since is not None:
        rows = rows.filter(recorded_at__gte=since)
    seen: set[int] = set()
    for row in rows.iterator(chunk_size=500):
        if row.case_id in seen:
            continue
        seen.add(row.case_id)
        yield services.deviation_flag(row)


def panel_context(user: User | None, case: Case) -> dict[str, Any]:
    facts = services.facts_for(case)
    rec = services.recommend(case, recorded=facts)
    can_record = perms.can(user, rules.RECORD, case) and case.decided_on is None and not case.is_finished
    proposed_reasons: list[str] = []
    if rec.found and case.notified_on:
        proposed_reasons = logic.deviations(
            rec, fine_yuan=case.proposed_fine_yuan, kinds=case.proposed_kinds or ()
        )
    return {
        "case": case,
        "facts": facts,
        "rec": rec,
        "can_record": can_record,
        "facts_form": FactsForm.for_case(facts) if can_record else None,
        "deviation_form": DeviationForm() if can_record else None,
        # every recorded deviation of the case (a few at most; a [:5] would hide the later explanations)
        "deviations": list(Deviation.objects.filter(case=case).select_related("recorded_by").order_by("id")),
        "proposed_reasons": proposed_reasons,
        "circumstances": logic.CIRCUMSTANCES,
    }


def case_panel(request: Any, case: Case) -> dict[str, Any] | None:
    user: User | None = getattr(request, "user", None)
    if not perms.can(user, rules.VIEW):
        return None
    return {
        "title": "行政裁量基准",
        "template": "discretion/panel.html",
        "context": panel_context(user, case),
    }

"""一定社会影响: which results are published at all, and the agency's decision against the default.

行政处罚法 第四十八条第一款: "具有一定社会影响的行政处罚决定应当依法公开" — not every decision is. What a region
counts as having no such impact is its ``DisclosureRule``:

* ``person_unpublished_kinds`` (default 警告): a decision to a natural person whose every penalty kind is in
  the list is not published by default;
* ``person_fine_threshold_yuan`` (default 0, off): a fine to a natural person below the amount counts like
  those kinds;
* ``person_compulsion_published`` (default yes): whether a 行政强制 decision on a natural person is published.

Organisations and individual businesses (市场主体) are always published by default. The agency decides
otherwise case by case (``workflow.publication_disclosure_decide``), with a reason, on the ledger both ways. A
result not published keeps its ``Publication`` (``withheld`` and its reason): supervisors see it in the queue,
it is never silently dropped.
"""

from __future__ import annotations

from decimal import Decimal

from zhifa.cases.models import PenaltyKind
from zhifa.disclosure.models import Publication, ResultKind
from zhifa.disclosure.services.deadlines import rule_for
from zhifa.org.models import PartyKind

LAW = "行政处罚法第四十八条"


def _yuan(value: Decimal) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def default_withheld_reason(p: Publication) -> str:
    """Why the region's rule does not publish ``p`` by default, or '' when it does (行政处罚法 第四十八条)."""
    if p.party_kind != PartyKind.NATURAL_PERSON:
        return ""
    rule = rule_for(p.agency)
    if p.kind == ResultKind.COMPULSION:
        if rule.person_compulsion_published:
            return ""
        return "对自然人的行政强制决定，按本地区公示规则默认不予公开。"
    if p.kind != ResultKind.PENALTY or not p.penalty_kinds:
        return ""
    kinds = set(p.penalty_kinds)
    light = set(rule.person_unpublished_kinds or [])
    threshold = Decimal(rule.person_fine_threshold_yuan or 0)
    small_fine = threshold > 0 and "fine" in kinds and Decimal(p.fine_yuan or 0) < threshold
    if kinds - light - ({"fine"} if small_fine else set()):
        return ""
    labels = dict(PenaltyKind.choices)
    named = "、".join(labels.get(k, k) for k in p.penalty_kinds)
    if small_fine:
        named += f"（罚款 {_yuan(Decimal(p.fine_yuan or 0))} 元，低于本地区公开起点 {_yuan(threshold)} 元）"
    return f"对自然人的{named}，不具有一定社会影响，按本地区公示规则默认不予公开（{LAW}）。"


def apply_default(p: Publication) -> None:
    """Set what the rule says; an agency's recorded decision stays as it was."""
    reason = default_withheld_reason(p)
    p.default_withheld = bool(reason)
    if p.disclosure_override:
        return
    p.withheld, p.withheld_reason = bool(reason), reason

"""How the catalog takes part in a case's procedure (through ``zhifa.cases.hooks``) and in supervision.

- Every case names its item: on 案源登记, 立案 and 当场处罚 the case's ``catalog_item_code`` must be a 行政处罚
  item of its agency in force on the date, once the agency has a catalog in force (职权法定: an agency
  enforces only the powers on its 权责清单). An agency without a catalog is not blocked; its cases are flagged.
- The four lists: while a matching list entry has no recorded decision, 事先告知, 决定 and 不予处罚 are refused;
  after a 不予处罚 entry was recorded as applying, a penalty decision must say why it still punishes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhifa.cases import hooks
from zhifa.cases.models import Stage
from zhifa.catalog import rules, selectors
from zhifa.catalog.models import ItemKind, LenientKind
from zhifa.core import flags
from zhifa.core.errors import RuleViolation
from zhifa.org import permissions as perms
from zhifa.org.models import User

ITEM_CODES = ("register_source", "open", "simple_decide")
LENIENT_CODES = ("notify_rights", "decide", "not_punish")


def check_catalog_item(
    case: Any, *, code: str, actor: User, on: dt.date, changes: dict[str, Any] | None
) -> None:
    """执法事项 — the case's item must be a penalty item of its agency in force on the date."""
    if changes is None and code != "register_source":
        return  # the case page asking whether 立案 is open: the code may still come with the input
    item_code = (changes or {}).get("catalog_item_code", case.catalog_item_code) or ""
    if not selectors.agency_has_catalog(case.agency_id, on):
        return  # no catalog yet: not blocked, flagged (selectors.cases_without_catalog_item)
    if code == "register_source" and not item_code:
        return  # a case source (案源) may not know its item yet; 立案 must name it
    if not item_code:
        raise RuleViolation(
            "本机关已公布执法事项目录，案件须填写对应的行政处罚事项编码。",
            "The agency has a catalog: the case must name a penalty item of it.",
            code="catalog_item_unknown",
            field="catalog_item_code",
        )
    item = selectors.catalog_item_in_force(case.agency_id, item_code, on)
    if item is None or item.kind != ItemKind.PENALTY:
        what = "不是行政处罚事项" if item is not None else "不在本机关该日有效的执法事项目录中"
        raise RuleViolation(
            f"执法事项编码“{item_code}”{what}（{on.isoformat()}），请核对权责清单。",
            f"Catalog item {item_code!r} is not a penalty item of the agency in force on {on.isoformat()}.",
            code="catalog_item_unknown",
            field="catalog_item_code",
            details={"code": item_code, "on": on.isoformat()},
        )


def check_lenient_lists(
    case: Any, *, code: str, actor: User, on: dt.date, changes: dict[str, Any] | None
) -> None:
    """四张清单 — every matching entry needs a recorded decision before notice or decision."""
    statuses = selectors.lenient_status_for_case(case, on)
    undecided = [s.entry for s in statuses if s.decision is None]
    if undecided:
        names = "；".join(f"{e.get_kind_display()}清单第{e.number}项“{e.title}”" for e in undecided)
        raise RuleViolation(
            f"本案执法事项对应以下清单事项，尚未记录是否适用：{names}。请先在案件页“四张清单”中逐项记录。",
            "A matching lenient-list entry has no recorded decision.",
            code="lenient_list_undecided",
            details={"entry_ids": [e.pk for e in undecided]},
        )
    if code != "decide" or changes is None:
        return
    applying = [
        s.entry
        for s in statuses
        if s.decision is not None and s.decision.applies and s.entry.kind == LenientKind.NO_PENALTY
    ]
    # 行政处罚法 第三十三条第一款、第五十七条第一款第二项: a violation on the 不予处罚 list (轻微并及时改正，没有造成
    # 危害后果) is not punished; a penalty after recording that it applies must state its reason in the decision.
    if applying and not str(changes.get("decision_text") or "").strip():
        names = "；".join(f"第{e.number}项“{e.title}”" for e in applying)
        raise RuleViolation(
            f"已记录本案适用不予处罚清单（{names}），依行政处罚法第三十三条应不予处罚；"
            "如仍作出处罚决定，须在决定内容中说明理由，或重新记录该清单事项不适用。",
            "A no-penalty entry was recorded as applying: give the reason for a penalty in the decision text.",
            code="lenient_no_penalty_applies",
            field="text",
        )


def lenient_panel(request: Any, case: Any) -> dict[str, Any] | None:
    """案件页“执法事项与四张清单” — the item in force, the matching entries and the decision forms."""
    if not case.catalog_item_code:
        return None
    day = case.opened_on or case.source_received_on
    item = selectors.catalog_item_in_force(case.agency_id, case.catalog_item_code, day) if day else None
    statuses = selectors.lenient_status_for_case(case)
    if item is None and not statuses:
        return None
    open_stage = case.stage in (Stage.REVIEW, Stage.NOTIFIED, Stage.INVESTIGATION, Stage.HEARING)
    can_record = open_stage and perms.can(request.user, rules.LENIENT_DECIDE, case)
    return {
        "title": "执法事项与四张清单",
        "template": "catalog/_case_panel.html",
        "context": {
            "case": case,
            "item": item,
            "statuses": statuses,
            "can_record": can_record,
            "prompt": open_stage and any(s.decision is None for s in statuses),
        },
    }


def item_choices(agency: Any, on: dt.date) -> list[tuple[str, str]]:
    """The 执法事项 picker's options: the agency's 行政处罚 items in force on ``on``."""
    return [
        (item.code, f"{item.code} {item.name}")
        for item in selectors.catalog_for_agency(agency, on).filter(kind=ItemKind.PENALTY)
    ]


def item_basis(agency_id: int, code: str, on: dt.date) -> str | None:
    """The basis (law and article) of the item in force on ``on``; ``None`` when the agency has no such item."""
    item = selectors.catalog_item_in_force(agency_id, code, on)
    return item.basis if item is not None else None


def register() -> None:
    for code in ITEM_CODES:
        hooks.register_check(code, check_catalog_item)
    for code in LENIENT_CODES:
        hooks.register_check(code, check_lenient_lists)
    hooks.register_panel(lenient_panel)
    hooks.register_item_choices(item_choices)
    hooks.register_item_basis(item_basis)
    flags.register_source(
        "case_without_catalog_item", "案件未对应执法事项目录", selectors.cases_without_catalog_item
    )
    flags.register_source("confirmation_late", "主体资格确认逾期", selectors.late_confirmation_flags)

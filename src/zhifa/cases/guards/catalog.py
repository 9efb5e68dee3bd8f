"""The legal basis of a decision: the catalogue's basis for the case's matter, and the one stated."""

from __future__ import annotations

import datetime as dt

from zhifa.cases import hooks
from zhifa.cases.guards._common import today
from zhifa.cases.models import Case
from zhifa.core.errors import InvalidInput


def catalog_basis(case: Case, on: dt.date | None = None) -> str:
    """The legal basis of the case's 执法事项 in force on ``on`` (law and article), or '' without one."""
    if not case.catalog_item_code:
        return ""
    return hooks.item_basis(case.agency_id, case.catalog_item_code, on or today())


def legal_basis(case: Case, basis: str | None, on: dt.date | None = None) -> str:
    """The basis a notice or a decision states: the one given, else the case's, else its 执法事项's.

    行政处罚法 第三十八条: a penalty without a basis is void. 第四十四条 (告知), 第五十二条 (当场处罚决定书) and
    第五十九条 (决定书) state the provisions violated and the basis of the penalty — refused without one.
    """
    text = (basis if basis is not None else (case.legal_basis or catalog_basis(case, on))).strip()
    if not text:
        # 行政处罚法 第三十八条、第四十四条、第五十九条
        raise InvalidInput(
            "请写明违法和处罚的法律依据（法律名称、条、款、项）；没有依据的行政处罚无效"
            "（行政处罚法第三十八条、第四十四条、第五十九条）。",
            "State the legal basis (law, article, clause); a penalty without a basis is void (Art. 38, 44, 59).",
            field="basis",
        )
    return text[:2000]

"""专项说明: an agency's statement for a year without enforcement acts (零执法说明)."""

from __future__ import annotations

from zhifa.core import clock
from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.core.transactions import service
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, User
from zhifa.records.services import record_append
from zhifa.supervision.models import Flag, FlagState, NoActStatement
from zhifa.supervision.rules import RECTIFY
from zhifa.supervision.services._common import _agency, _text, today


@service
def noact_statement_file(*, actor: User, agency: Agency | int, year: int, explanation: str) -> NoActStatement:
    """报送专项说明 — an agency that made no penalty/licensing decision in ``year`` explains why (《洛阳市行政执法协调监督工作体系建设试点方案》 第10项,
    item 10: “于当年度末向本级人民政府说明情况”); it closes the agency's 无执法行为 flag."""
    agency = _agency(agency)
    perms.require(actor, RECTIFY, NoActStatement(agency=agency))
    if not 2000 <= year <= today().year:
        raise InvalidInput("年度无效。", "Invalid year.", field="year")
    if NoActStatement.objects.filter(agency=agency, year=year).exists():
        raise RuleViolation(
            f"{year} 年度专项说明已报送。", "Already filed for this year.", code="statement_already_filed"
        )
    statement = NoActStatement.objects.create(
        agency=agency,
        year=year,
        explanation=_text(explanation, "explanation", "情况说明", 5000),
        filed_by=actor,
    )
    now = clock.now()
    Flag.objects.filter(kind="no_enforcement_act", key=f"agency:{agency.pk}:{year}").update(
        source_open=False,
        source_closed_at=now,
        state=FlagState.HANDLED,
        note="已报送专项说明",
        handled_at=now,
    )
    record_append(
        actor=actor,
        action="supervision.noact_file",
        obj=statement,
        changes={"agency_id": agency.pk, "year": year},
    )
    return statement

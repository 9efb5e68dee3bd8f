"""Flag sources supervision registers for what already exists: cases past their limit, seizures past theirs,
required records missing before closure, inspection warnings, certificates lapsed or expiring, agencies with
no penalty decision in a year (专项说明), and supervision's own: instrument replies overdue, problems overdue,
enterprise liaison points not visited for a year, complaints past their handling deadline.

Sources read other apps through their selectors with a system caller (every row; the queue scopes later).
Each yields the flags open *now*; the scan closes what a source stops yielding.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, Max, OuterRef
from django.urls import NoReverseMatch, reverse

from zhifa.cases import selectors as case_selectors
from zhifa.cases.guards import record_act_type
from zhifa.cases.models import Case, Stage
from zhifa.core import clock, flags
from zhifa.core.flags import FlagCandidate
from zhifa.disclosure.models import Publication, ResultKind
from zhifa.evidence.required import required_records_missing_many
from zhifa.inspections import selectors as inspection_selectors
from zhifa.org.models import Agency
from zhifa.org.selectors import certificates_expiring, certificates_lapsed
from zhifa.supervision.models import (
    Instrument,
    InstrumentStatus,
    LiaisonPoint,
    NoActStatement,
    Problem,
    ProblemState,
)

# 专项说明: the current year's flag is raised from this month on (the year-end duty of 《洛阳市行政执法协调监督工作体系建设试点方案》 第10项), and
# the previous year's stays until the statement is filed.
NO_ACT_WARN_FROM_MONTH = 10
LIAISON_VISIT_INTERVAL_DAYS = 365  # 每年走访 1–2 次 (《洛阳市行政执法协调监督工作体系建设试点方案》 第9项)
SCAN_ROW_CAP = 20_000  # per source and scan: a queue of more is not read by anyone; the rest follows next run


class _System:
    """The scan's caller: sees every row (the queue is scoped when read, not when gathered)."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    pk = None


SYSTEM: Any = _System()


def _url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _today() -> dt.date:
    return clock.today()


def cases_past_limit(since: dt.datetime | None) -> Iterator[FlagCandidate]:
    for case in case_selectors.cases_past_limit(SYSTEM).only(
        "id", "number", "title", "agency_id", "next_deadline", "stage"
    )[:SCAN_ROW_CAP]:
        yield FlagCandidate(
            kind="case_past_limit",
            key=f"case:{case.pk}",
            agency_id=case.agency_id,
            title=f"案件超期：{case.number or case.title}",
            detail=f"{case.title}（{case.get_stage_display()}）期限 {case.next_deadline} 已过。",
            object_type="cases.case",
            object_id=str(case.pk),
            url=_url("cases:detail", case.pk),
            due=case.next_deadline,
            severity="serious",
        )


def seizures_past_limit(since: dt.datetime | None) -> Iterator[FlagCandidate]:
    for seizure in case_selectors.seizures_past_limit(SYSTEM)[:SCAN_ROW_CAP]:
        case = seizure.case
        yield FlagCandidate(
            kind="seizure_past_limit",
            key=f"seizure:{seizure.pk}",
            agency_id=case.agency_id,
            title=f"查封扣押超期未解除：{case.number or case.title}",
            detail=(
                f"期限 {seizure.due_on} 已过，未在期限内作出处理决定或者解除"
                "（行政强制法 第二十五条、第二十七条、第二十八条）。"
            ),
            object_type="cases.seizure",
            object_id=str(seizure.pk),
            url=_url("cases:detail", case.pk),
            due=seizure.due_on,
            severity="serious",
        )


def required_records_missing(since: dt.datetime | None) -> Iterator[FlagCandidate]:
    """Served or executing cases whose full-process record still lacks what closing needs (执法全过程记录)."""

    cases = list(
        Case.objects.filter(stage__in=[Stage.SERVED, Stage.EXECUTING])
        .order_by("id")
        .only("id", "agency_id", "number", "title", "procedure")[:SCAN_ROW_CAP]
    )
    # one query for the rules per act type and one for the evidence per 1,000 cases (not a query per case)
    missing = required_records_missing_many(
        "cases.case",
        [(str(c.pk), record_act_type(c, "service_execution")) for c in cases],
        "service_execution",
        extra_satisfied={"penalty.simple": {"text"}},  # the on-the-spot decision is written by the service
    )
    for case in cases:
        lacking = missing.get(str(case.pk))
        if lacking:
            yield FlagCandidate(
                kind="required_records_missing",
                key=f"case:{case.pk}",
                agency_id=case.agency_id,
                title=f"缺必备执法记录：{case.number or case.title}",
                detail="尚缺：" + "、".join(lacking),
                object_type="cases.case",
                object_id=str(case.pk),
                url=_url("cases:detail", case.pk),
                data={"missing": lacking},
            )


def inspection_warnings(since: dt.datetime | None) -> Iterator[FlagCandidate]:
    for w in inspection_selectors.warnings(SYSTEM, state="new").order_by("id")[:SCAN_ROW_CAP]:
        yield FlagCandidate(
            kind="inspection_warning",
            key=f"warning:{w.pk}",
            agency_id=w.agency_id,
            title=f"检查预警（{w.get_kind_display()}）：{w.party.name if w.party else w.agency.name}",
            detail=w.suggestion,
            object_type="inspections.inspectionwarning",
            object_id=str(w.pk),
            url=_url("inspections:warning_list"),
            data={"warning_kind": w.kind, "count": w.count, "threshold": w.threshold},
        )


def certificates(since: dt.datetime | None) -> Iterator[FlagCandidate]:
    for cert in certificates_lapsed(SYSTEM)[:SCAN_ROW_CAP]:
        yield FlagCandidate(
            kind="certificate",
            key=f"certificate:{cert.pk}",
            agency_id=cert.officer.agency_id,
            title=f"执法证件失效：{cert.officer.name}（{cert.number}）",
            detail=f"状态：{cert.effective_status_label(_today())}；持证人员不得从事执法活动。",
            object_type="org.certificate",
            object_id=str(cert.pk),
            severity="serious",
        )
    for cert in certificates_expiring(SYSTEM)[:SCAN_ROW_CAP]:
        yield FlagCandidate(
            kind="certificate",
            key=f"certificate:{cert.pk}",
            agency_id=cert.officer.agency_id,
            title=f"执法证件即将到期：{cert.officer.name}（{cert.number}）",
            detail=f"有效期至 {cert.expires_on}。",
            object_type="org.certificate",
            object_id=str(cert.pk),
            due=cert.expires_on,
            severity="info",
        )


def no_enforcement_act(since: dt.datetime | None) -> Iterator[FlagCandidate]:
    """Agencies with enforcement duties (a 领域) and neither a penalty decision nor a licensing decision
    (received from 政务服务 for publication) in a year, with no 专项说明 filed."""

    today = _today()
    years = [today.year - 1] + ([today.year] if today.month >= NO_ACT_WARN_FROM_MONTH else [])
    for year in years:
        acted = Case.objects.filter(agency=OuterRef("pk"), decided_on__year=year)
        licensed = Publication.objects.filter(
            agency=OuterRef("pk"), kind=ResultKind.LICENSING, decided_on__year=year
        )
        filed = NoActStatement.objects.filter(agency=OuterRef("pk"), year=year)
        agencies = (
            Agency.objects.filter(is_active=True, is_supervision_organ=False, domains__isnull=False)
            .distinct()
            .filter(~Exists(acted), ~Exists(licensed), ~Exists(filed))
            .only("id", "name")[:SCAN_ROW_CAP]
        )
        for agency in agencies:
            yield FlagCandidate(
                kind="no_enforcement_act",
                key=f"agency:{agency.pk}:{year}",
                agency_id=agency.pk,
                title=f"{year} 年度无行政处罚、行政许可决定：{agency.name}",
                detail="依法负有行政处罚、行政许可等执法职责但一年内未作出执法决定的，应于年度末报送专项说明。",
                object_type="org.agency",
                object_id=str(agency.pk),
                url=_url("supervision:noact_file"),
                due=dt.date(year, 12, 31),
                severity="info",
                data={"year": year},
            )


def instrument_overdue(since: dt.datetime | None) -> Iterator[FlagCandidate]:
    rows = Instrument.objects.filter(
        status__in=[InstrumentStatus.ISSUED, InstrumentStatus.RETURNED], deadline__lt=_today()
    ).select_related("agency")[:SCAN_ROW_CAP]
    for ins in rows:
        yield FlagCandidate(
            kind="instrument_overdue",
            key=f"instrument:{ins.pk}",
            agency_id=ins.agency_id,
            title=f"监督文书逾期未答复：{ins.number}",
            detail=f"{ins.get_kind_display()}，答复期限 {ins.deadline}。",
            object_type="supervision.instrument",
            object_id=str(ins.pk),
            url=_url("supervision:instrument", ins.pk),
            due=ins.deadline,
            severity="serious",
        )


def problem_overdue(since: dt.datetime | None) -> Iterator[FlagCandidate]:
    rows = Problem.objects.exclude(state=ProblemState.CLOSED).filter(due__lt=_today())[:SCAN_ROW_CAP]
    for p in rows:
        yield FlagCandidate(
            kind="problem_overdue",
            key=f"problem:{p.pk}",
            agency_id=p.agency_id,
            title=f"问题整改逾期：{p.title}",
            detail=f"整改期限 {p.due}，状态：{p.get_state_display()}。",
            object_type="supervision.problem",
            object_id=str(p.pk),
            url=_url("supervision:problem", p.pk),
            due=p.due,
        )


def liaison_not_visited(since: dt.datetime | None) -> Iterator[FlagCandidate]:
    limit = _today() - dt.timedelta(days=LIAISON_VISIT_INTERVAL_DAYS)
    rows = (
        LiaisonPoint.objects.filter(active=True, designated_on__lt=limit)
        .annotate(last=Max("visits__visited_on"))
        .select_related("party")[:SCAN_ROW_CAP]
    )
    for point in rows:
        if point.last and point.last >= limit:
            continue
        yield FlagCandidate(
            kind="liaison_not_visited",
            key=f"liaison:{point.pk}",
            agency_id=None,
            region_id=point.region_id,
            title=f"企业联系点一年未走访：{point.party.name}",
            detail=f"最近走访：{point.last or '从未'}（每年走访 1–2 次）。",
            object_type="supervision.liaisonpoint",
            object_id=str(point.pk),
            url=_url("supervision:people"),
            severity="info",
        )


SOURCES: tuple[tuple[str, str, Any], ...] = (
    ("case_past_limit", "案件超期", cases_past_limit),
    ("seizure_past_limit", "查封扣押超期", seizures_past_limit),
    ("required_records_missing", "缺必备执法记录", required_records_missing),
    ("inspection_warning", "涉企检查预警", inspection_warnings),
    ("certificate", "执法证件失效/到期", certificates),
    ("no_enforcement_act", "年度无执法行为（专项说明）", no_enforcement_act),
    ("instrument_overdue", "监督文书逾期未答复", instrument_overdue),
    ("problem_overdue", "问题整改逾期", problem_overdue),
    ("liaison_not_visited", "企业联系点未走访", liaison_not_visited),
)


def register_sources() -> None:
    for kind, label, fn in SOURCES:
        flags.register_source(kind, label, fn)

"""State changes of 报送事项; each in one transaction (``@service``) and on the ledger.

* ``kind_create`` / ``kind_set_active`` — the bureau of a region sets what its agencies (or the bureaus
  below it) file, how often and by when;
* ``report_draft`` — the filer starts the report of an ended period: figures from the platform's data for the
  filer's scope and period, sections from the kind's template (the first one pre-written from the figures);
* ``report_edit`` — the filer writes the text sections (figures refreshed) while drafting or after a return;
* ``report_submit`` — the filer files it (late if after the due date);
* ``report_accept`` / ``report_return`` — the receiving bureau; a kind that must go to the people's
  government (seed 004: “涉及重大问题……报请县政府制发行政执法监督决定书”) waits for
  ``report_government_record`` before it counts as accepted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from zhifa.core import clock
from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.core.transactions import service
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Region, RegionLevel, ScopeKind, User
from zhifa.records.services import record_append
from zhifa.reporting import rules, selectors
from zhifa.reporting.models import FilerLevel, Period, Report, ReportKind, ReportStatus
from zhifa.reporting.periods import period_of

MAX_SECTIONS = 12
SECTION_TEXT_MAX = 20_000
EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)


def _not_filer() -> PermissionDenied:
    return PermissionDenied(
        "只有报送单位本身可以起草、修改和报送此报告。",
        "Only the filer itself may draft, edit and submit this report.",
        code="not_the_filer",
    )


def _may_file(actor: User, agency: Agency | None, region: Region) -> bool:
    """The filer itself: the agency's own staff (an agency grant with ``reporting.file`` covering it) for an
    agency's report; the region's own bureau (a REGION grant on exactly that region) for a summary."""
    if getattr(actor, "is_superuser", False):
        return True
    for g in perms.grants(actor):
        if rules.FILE not in perms.ROLE_ACTIONS.get(g.role, frozenset()):
            continue
        if agency is not None and g.scope == ScopeKind.OWN_AGENCY and g.agency_path == agency.path:
            return True
        if (
            agency is not None
            and g.scope == ScopeKind.AGENCY_TREE
            and agency.path.startswith(g.agency_path or "\0")
        ):
            return True
        if agency is None and g.scope == ScopeKind.REGION and g.region_path == region.path:
            return True
    return False


def _may_receive(actor: User, kind: ReportKind) -> bool:
    """The bureau of the kind's region itself (a REGION grant with ``reporting.receive`` on exactly it)."""
    if getattr(actor, "is_superuser", False):
        return True
    return any(
        g.scope == ScopeKind.REGION
        and g.region_path == kind.region.path
        and rules.RECEIVE in perms.ROLE_ACTIONS.get(g.role, frozenset())
        for g in perms.grants(actor)
    )


def _locked(report: Report | int) -> Report:
    pk = report.pk if isinstance(report, Report) else report
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("kind__region", "filer_agency__region", "filer_region")
        .get(pk=pk)
    )


def _clean_sections(sections: Sequence[str]) -> list[str]:
    titles = [str(t).strip()[:100] for t in sections if str(t).strip()]
    if not titles:
        raise InvalidInput(
            "报告模板至少要有一个章节。",
            "The template needs at least one section.",
            field="sections",
            code="sections_required",
        )
    if len(titles) > MAX_SECTIONS:
        raise InvalidInput(
            f"报告模板最多 {MAX_SECTIONS} 个章节。",
            f"At most {MAX_SECTIONS} sections.",
            field="sections",
            code="too_many_sections",
        )
    if len(set(titles)) != len(titles):
        raise InvalidInput(
            "章节标题不能重复。", "Section titles must differ.", field="sections", code="duplicate_section"
        )
    return titles


# --- kinds ----------------------------------------------------------------------------------------------------


@service
def kind_create(
    *,
    actor: User,
    region: Region,
    name: str,
    period: str,
    due_days: int,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    filers: str = FilerLevel.AGENCIES,
    agencies: Sequence[Agency] = (),
    sections: Sequence[str] = (),
    needs_government_approval: bool = False,
    basis: str = "",
) -> ReportKind:
    """设置报送事项 — by the region's own bureau (司法局: “司法行政部门要发挥牵头抓总作用”, seed 002)."""
    perms.require(actor, rules.CONFIGURE, region)
    if region not in selectors.configurable_regions(actor):
        raise PermissionDenied(
            "只有本级司法行政机关可以设置本区域的报送事项。",
            "Only the region's own bureau sets its report kinds.",
            code="not_the_bureau",
        )
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise InvalidInput(
            "请填写报送事项名称（100 字以内）。", "Name is required.", field="name", code="name_required"
        )
    if period not in Period.values:
        raise InvalidInput("报送周期无效。", "Unknown period.", field="period", code="unknown_period")
    if not 0 <= due_days <= 365:
        raise InvalidInput(
            "报送期限应为 0–365 日。", "Due days must be 0-365.", field="due_days", code="bad_due_days"
        )
    if period == Period.ONCE and ends_on is None:
        raise InvalidInput(
            "一次性事项须填写报告期截止日。",
            "A one-off kind needs an end date.",
            field="ends_on",
            code="ends_on_required",
        )
    if ends_on is not None and ends_on < starts_on:
        raise InvalidInput(
            "截止日期不能早于起始日期。", "End before start.", field="ends_on", code="ends_before_start"
        )
    if filers not in FilerLevel.values:
        raise InvalidInput("报送单位无效。", "Unknown filer level.", field="filers", code="unknown_filers")
    if filers == FilerLevel.BUREAUS and region.level not in (RegionLevel.PROVINCE, RegionLevel.CITY):
        # seed 002: counties report to the city (“每季度向市政府汇报”); a county has no bureaus below it
        raise InvalidInput(
            "只有市级以上可以要求下一级司法行政机关报送汇总报告。",
            "Only a city or province asks the bureaus below it for summaries.",
            field="filers",
            code="no_bureaus_below",
        )
    agencies = list(agencies)
    outside = [a for a in agencies if not a.region.path.startswith(region.path)]
    if outside:
        raise InvalidInput(
            f"{outside[0].name}不在本区域内。",
            "An agency is outside the region.",
            field="agencies",
            code="agency_outside",
        )
    titles = _clean_sections(sections)
    kind = ReportKind.objects.create(
        region=region,
        name=name,
        period=period,
        due_days=due_days,
        starts_on=starts_on,
        ends_on=ends_on,
        filers=filers,
        sections=titles,
        needs_government_approval=needs_government_approval,
        basis=(basis or "").strip()[:300],
        created_by=actor,
    )
    if agencies and filers == FilerLevel.AGENCIES:
        kind.agencies.set(agencies)
    record_append(
        actor=actor,
        action="reporting.kind_create",
        obj=kind,
        changes={
            "name": name,
            "period": period,
            "due_days": due_days,
            "filers": filers,
            "needs_government_approval": needs_government_approval,
        },
    )
    return kind


@service
def kind_set_active(*, actor: User, kind: ReportKind | int, active: bool) -> ReportKind:
    """停用/启用报送事项 — a stopped kind asks for no more reports; those filed stay."""
    pk = kind.pk if isinstance(kind, ReportKind) else kind
    kind = ReportKind.objects.select_for_update(of=("self",)).select_related("region").get(pk=pk)
    perms.require(actor, rules.CONFIGURE, kind)
    if kind.region not in selectors.configurable_regions(actor):
        raise PermissionDenied(
            "只有本级司法行政机关可以设置本区域的报送事项。",
            "Only the region's own bureau sets its report kinds.",
            code="not_the_bureau",
        )
    if kind.active == active:
        return kind
    kind.active = active
    kind.save(update_fields=["active"])
    record_append(actor=actor, action="reporting.kind_set_active", obj=kind, changes={"active": active})
    return kind


# --- reports --------------------------------------------------------------------------------------------------


@service
def report_draft(
    *, actor: User, kind: ReportKind, agency: Agency | None, region: Region, period_start: dt.date
) -> Report:
    """起草报告 — for an ended period of the kind, by the filer itself; figures from the platform's data."""
    perms.require(actor, rules.FILE)
    kind = ReportKind.objects.select_for_update(of=("self",)).select_related("region").get(pk=kind.pk)
    if not kind.active:
        raise RuleViolation("该报送事项已停用。", "The report kind is stopped.", code="kind_inactive")
    if kind.filers == FilerLevel.AGENCIES:
        if agency is None or not agency.region.path.startswith(kind.region.path):
            raise PermissionDenied(
                "该机关不是此事项的报送单位。", "Not a filer of this kind.", code="not_a_filer"
            )
        chosen = set(kind.agencies.values_list("pk", flat=True))
        if chosen and agency.pk not in chosen:
            raise PermissionDenied(
                "该机关不是此事项的报送单位。", "Not a filer of this kind.", code="not_a_filer"
            )
        region = agency.region
    else:
        if agency is not None or region.parent_id != kind.region_id:
            raise PermissionDenied(
                "该区划不是此事项的报送单位。", "Not a filer of this kind.", code="not_a_filer"
            )
    if not _may_file(actor, agency, region):
        raise _not_filer()
    today = clock.today()
    period = period_of(kind.period, kind.due_days, kind.starts_on, kind.ends_on, period_start, today)
    if period is None:
        raise InvalidInput(
            "报告期无效或尚未结束。",
            "No such period, or it has not ended.",
            field="period_start",
            code="bad_period",
        )
    existing = Report.objects.filter(kind=kind, filer_region=region, period_start=period.start)
    existing = existing.filter(filer_agency=agency) if agency else existing.filter(filer_agency__isnull=True)
    if existing.exists():
        raise RuleViolation("本期报告已起草。", "This period's report already exists.", code="report_exists")
    rows = selectors.figures(actor, agency=agency, region=region, start=period.start, end=period.end)
    titles = kind.sections or ["工作情况"]
    sections = [
        {"title": t, "text": selectors.figure_text(rows) if i == 0 else ""} for i, t in enumerate(titles)
    ]
    report = Report.objects.create(
        kind=kind,
        filer_agency=agency,
        filer_region=region,
        period_start=period.start,
        period_end=period.end,
        due_on=period.due_on,
        figures=rows,
        sections=sections,
        drafted_by=actor,
    )
    record_append(
        actor=actor,
        action="reporting.report_draft",
        obj=report,
        changes={"kind": kind.name, "period": report.period_label, "due_on": period.due_on.isoformat()},
    )
    return report


@service
def report_edit(*, actor: User, report: Report | int, texts: Mapping[str, str]) -> Report:
    """修改报告正文 — the filer writes the sections (by title); the figures are read again as of today."""
    report = _locked(report)
    perms.require(actor, rules.FILE, report)
    if not _may_file(actor, report.filer_agency, report.filer_region):
        raise _not_filer()
    if report.status not in EDITABLE:
        raise RuleViolation("报告已报送，不能修改。", "The report is filed.", code="report_not_editable")
    titles = [s["title"] for s in report.sections]
    unknown = [t for t in texts if t not in titles]
    if unknown:
        raise InvalidInput(
            f"没有章节“{unknown[0]}”。", "Unknown section.", field="sections", code="unknown_section"
        )
    for title, text in texts.items():
        if len(text) > SECTION_TEXT_MAX:
            raise InvalidInput(
                f"章节“{title}”超过 {SECTION_TEXT_MAX} 字。",
                "A section is too long.",
                field="sections",
                code="section_too_long",
            )
    report.sections = [
        {"title": s["title"], "text": texts[s["title"]].strip() if s["title"] in texts else s["text"]}
        for s in report.sections
    ]
    report.figures = selectors.figures(
        actor,
        agency=report.filer_agency,
        region=report.filer_region,
        start=report.period_start,
        end=report.period_end,
    )
    report.save(update_fields=["sections", "figures"])
    record_append(
        actor=actor, action="reporting.report_edit", obj=report, changes={"sections": sorted(texts)}
    )
    return report


@service
def report_submit(*, actor: User, report: Report | int) -> Report:
    """报送 — every section written; after the due date it is filed but marked late."""
    report = _locked(report)
    perms.require(actor, rules.FILE, report)
    if not _may_file(actor, report.filer_agency, report.filer_region):
        raise _not_filer()
    if report.status not in EDITABLE:
        raise RuleViolation("报告已报送。", "The report is already filed.", code="report_not_editable")
    empty = [s["title"] for s in report.sections if not str(s.get("text", "")).strip()]
    if empty:
        raise InvalidInput(
            f"章节“{empty[0]}”尚未填写。", "A section is empty.", field="sections", code="section_empty"
        )
    report.status = ReportStatus.SUBMITTED
    report.submitted_by = actor
    report.submitted_at = clock.now()
    report.submitted_late = clock.today() > report.due_on
    report.return_reason = ""
    report.save(update_fields=["status", "submitted_by", "submitted_at", "submitted_late", "return_reason"])
    record_append(
        actor=actor, action="reporting.report_submit", obj=report, changes={"late": report.submitted_late}
    )
    return report


def _receivable(actor: User, report: Report | int) -> Report:
    report = _locked(report)
    perms.require(actor, rules.RECEIVE, report)
    if not _may_receive(actor, report.kind):
        raise PermissionDenied(
            "只有接收单位（本级司法行政机关）可以处理此报告。",
            "Only the receiving bureau may handle this report.",
            code="not_the_receiver",
        )
    return report


@service
def report_accept(*, actor: User, report: Report | int) -> Report:
    """接收 — by the receiving bureau; a kind that needs the government's approval waits for it."""
    report = _receivable(actor, report)
    if report.status != ReportStatus.SUBMITTED:
        raise RuleViolation("报告不在待接收状态。", "The report is not waiting.", code="report_not_submitted")
    report.status = (
        ReportStatus.GOVERNMENT if report.kind.needs_government_approval else ReportStatus.ACCEPTED
    )
    report.received_by = actor
    report.received_at = clock.now()
    report.save(update_fields=["status", "received_by", "received_at"])
    record_append(
        actor=actor, action="reporting.report_accept", obj=report, changes={"status": report.status}
    )
    return report


@service
def report_return(*, actor: User, report: Report | int, reason: str) -> Report:
    """退回 — with the reason; the filer edits and submits again."""
    report = _receivable(actor, report)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            "请填写退回理由。", "A reason is required.", field="reason", code="reason_required"
        )
    if len(reason) > 2000:
        raise InvalidInput(
            "退回理由过长（2000 字以内）。", "Reason too long.", field="reason", code="reason_too_long"
        )
    if report.status not in (ReportStatus.SUBMITTED, ReportStatus.GOVERNMENT):
        raise RuleViolation("报告不在待接收状态。", "The report is not waiting.", code="report_not_submitted")
    report.status = ReportStatus.RETURNED
    report.return_reason = reason
    report.received_by = actor
    report.received_at = clock.now()
    report.save(update_fields=["status", "return_reason", "received_by", "received_at"])
    record_append(actor=actor, action="reporting.report_return", obj=report, changes={"reason": reason})
    return report


@service
def report_government_record(
    *, actor: User, report: Report | int, reference: str, approved_on: dt.date
) -> Report:
    """登记人民政府审定 — the bureau records the government's approval (文号, date) of a report it sent up
    (seed 004: “报请县政府制发”); then the report counts as accepted."""
    report = _receivable(actor, report)
    if report.status != ReportStatus.GOVERNMENT:
        raise RuleViolation(
            "报告不在待人民政府审定状态。",
            "The report is not awaiting approval.",
            code="not_awaiting_government",
        )
    reference = (reference or "").strip()
    if not reference or len(reference) > 100:
        raise InvalidInput(
            "请填写审定文号（100 字以内）。",
            "A reference is required.",
            field="reference",
            code="reference_required",
        )
    today = clock.today()
    if approved_on > today or (
        report.submitted_at and approved_on < clock.business_date(report.submitted_at)
    ):
        raise InvalidInput(
            "审定日期应在报送之后、今天以前。",
            "Approval date out of range.",
            field="approved_on",
            code="bad_approval_date",
        )
    report.status = ReportStatus.ACCEPTED
    report.government_reference = reference
    report.government_approved_on = approved_on
    report.save(update_fields=["status", "government_reference", "government_approved_on"])
    record_append(
        actor=actor,
        action="reporting.report_government",
        obj=report,
        changes={"reference": reference, "approved_on": approved_on.isoformat()},
    )
    return report


def sections_from_text(text: str) -> list[str]:
    """The template as a bureau types it: one section title a line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]

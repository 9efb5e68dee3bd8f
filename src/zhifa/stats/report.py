"""行政执法统计年报 — the annual enforcement statistics of a region or agency, as data, xlsx and PDF.

Counts come from the pre-aggregated facts (the same numbers as the dashboard); reconsideration and litigation
outcomes from the imported ``RemedyCase`` rows. Licensing decisions (行政许可) are made in the government
services system (政务服务) and received here for publication (``disclosure.licensing_decisions_import``), so
their section counts those received publications by decision date.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from zhifa.cases.models import PenaltyKind, Procedure
from zhifa.core import clock
from zhifa.core.pdf import new_document
from zhifa.disclosure import rules as disclosure_rules
from zhifa.disclosure.models import LicenceCategory, Publication, PublicationStatus, ResultKind
from zhifa.inspections.models import Outcome, TaskKind
from zhifa.org import permissions as perms
from zhifa.stats import rules
from zhifa.stats.models import CORRECTED_OUTCOMES, RemedyCase, RemedyKind, RemedyOutcome
from zhifa.stats.selectors import Scope


@dataclass
class Section:
    title: str
    rows: list[tuple[str, Any]] = field(default_factory=list)


@dataclass
class AnnualReport:
    year: int
    scope_label: str
    sections: list[Section]
    agencies: list[dict[str, Any]]
    generated_on: dt.date

    def value(self, section: str, label: str) -> Any:
        for s in self.sections:
            if s.title == section:
                for row_label, value in s.rows:
                    if row_label == label:
                        return value
        raise KeyError((section, label))


def _pct(part: int, whole: int) -> str:
    return f"{Decimal(100) * part / whole:.2f}%" if whole else "—"


def _narrowed(qs: Any, scope: Scope) -> Any:
    """Rows of the agency or region the caller asked for (the caller's own scope is already applied)."""
    if scope.agency is not None:
        return qs.filter(agency=scope.agency)
    if scope.region is not None:
        return qs.filter(agency__region__path__startswith=scope.region.path)
    return qs


def remedy_cases(scope: Scope) -> Any:
    return _narrowed(perms.scoped(scope.user, rules.VIEW, RemedyCase).filter(year=scope.year), scope)


def licensing_publications(scope: Scope) -> Any:
    """The licensing decisions of the year in scope, as received for publication (any status)."""

    qs = perms.scoped(scope.user, disclosure_rules.VIEW, Publication).filter(
        kind=ResultKind.LICENSING, decided_on__year=scope.year
    )
    return _narrowed(qs, scope)


def _licensing_section(scope: Scope) -> Section:
    qs = licensing_publications(scope)
    totals = qs.aggregate(
        total=Count("id"),
        published=Count("id", filter=Q(published_at__isnull=False)),
        late=Count("id", filter=Q(published_late=True)),
        withdrawn=Count("id", filter=Q(status=PublicationStatus.WITHDRAWN)),
    )
    section = Section("行政许可", [("许可决定数（政务服务推送）", totals["total"])])
    by_category = dict(qs.values_list("licence_category").annotate(c=Count("id")).order_by())
    for value, label in LicenceCategory.choices:
        if by_category.get(value):
            section.rows.append((f"许可类别：{label}", by_category[value]))
    section.rows += [
        ("已公示", totals["published"]),
        ("其中：逾期公示", totals["late"]),
        ("撤回公示", totals["withdrawn"]),
    ]
    return section


def annual_report(scope: Scope, today: dt.date | None = None) -> AnnualReport:
    facts = scope.of_year()
    cells: dict[tuple[str, str], tuple[int, Decimal]] = {}
    for r in facts.values("metric", "key").annotate(n=Sum("count"), amt=Sum("amount")).order_by():
        cells[(r["metric"], r["key"])] = (r["n"] or 0, r["amt"] or Decimal(0))

    def n(metric: str, key: str | None = None) -> int:
        return sum(v[0] for (m, k), v in cells.items() if m == metric and (key is None or k == key))

    def amount(metric: str) -> Decimal:
        return sum((v[1] for (m, _), v in cells.items() if m == metric), Decimal(0)).quantize(Decimal("0.01"))

    penalty = Section(
        "行政处罚",
        [
            ("立案数", n("case.opened")),
            ("作出处罚决定数", n("case.decided")),
            ("其中：普通程序", n("case.decided", Procedure.GENERAL)),
            ("其中：简易程序（当场处罚）", n("case.decided", Procedure.SIMPLE)),
        ],
    )
    for value, label in PenaltyKind.choices:
        if n("case.penalty", value):
            penalty.rows.append((f"处罚种类：{label}", n("case.penalty", value)))
    penalty.rows += [
        ("罚款金额（元）", amount("case.fine")),
        ("没收违法所得/非法财物金额（元）", amount("case.confiscation")),
        ("不予处罚", n("case.ended", "not_punished")),
        ("移送", n("case.ended", "transferred")),
        ("超过办案期限作出决定", n("case.decided_late")),
    ]
    compulsion = Section(
        "行政强制",
        [
            ("查封", n("case.compulsion", "seal")),
            ("扣押", n("case.compulsion", "detain")),
        ],
    )
    inspection = Section("行政检查", [("涉企检查次数", n("inspection.done"))])
    for value, label in TaskKind.choices:
        if n("inspection.done", value):
            inspection.rows.append((f"其中：{label}", n("inspection.done", value)))
    for value, label in Outcome.choices:
        inspection.rows.append((f"检查结果：{label}", n("inspection.outcome", value)))
    inspection.rows += [("检查预警", n("warning.raised")), ("预警已处理或排除", n("warning.closed"))]
    licensing = _licensing_section(scope)
    review = Section(
        "法制审核与听证",
        [
            ("法制审核", n("case.legal_review")),
            ("其中：同意", n("case.legal_review", "agreed")),
            ("其中：未通过", n("case.legal_review", "not_agreed")),
            ("举行听证", n("case.hearing")),
        ],
    )
    remedy_rows = dict(
        ((k, o), c)
        for k, o, c in remedy_cases(scope).values_list("kind", "outcome").annotate(c=Count("id")).order_by()
    )
    reconsideration = Section("行政复议")
    litigation = Section("行政诉讼")
    for section, kind in ((reconsideration, RemedyKind.RECONSIDERATION), (litigation, RemedyKind.LITIGATION)):
        total = sum(c for (k, _), c in remedy_rows.items() if k == kind)
        corrected = sum(c for (k, o), c in remedy_rows.items() if k == kind and o in CORRECTED_OUTCOMES)
        section.rows.append(("案件数", total))
        for value, label in RemedyOutcome.choices:
            if remedy_rows.get((kind, value)):
                section.rows.append((f"结果：{label}", remedy_rows[(kind, value)]))
        if kind == RemedyKind.RECONSIDERATION:
            section.rows += [("被纠错数", corrected), ("纠错率", _pct(corrected, total))]
        else:
            section.rows += [("败诉数", corrected), ("败诉率", _pct(corrected, total))]
    per_agency: dict[int, dict[str, Any]] = {}
    agency_rows = (
        facts.filter(metric__in=["case.decided", "case.fine", "inspection.done", "case.compulsion"])
        .values("agency_id", "agency__name", "metric")
        .annotate(n=Sum("count"), amt=Sum("amount"))
        .order_by()
    )
    for fact in agency_rows:
        if fact["agency_id"] is None:
            continue
        entry = per_agency.setdefault(
            fact["agency_id"],
            {
                "name": fact["agency__name"],
                "decided": 0,
                "fines": Decimal(0),
                "inspections": 0,
                "compulsion": 0,
            },
        )
        if fact["metric"] == "case.decided":
            entry["decided"] += fact["n"]
        elif fact["metric"] == "case.fine":
            entry["fines"] += fact["amt"]
        elif fact["metric"] == "inspection.done":
            entry["inspections"] += fact["n"]
        else:
            entry["compulsion"] += fact["n"]

    return AnnualReport(
        year=scope.year,
        scope_label=scope.label,
        sections=[penalty, compulsion, inspection, licensing, review, reconsideration, litigation],
        agencies=sorted(per_agency.values(), key=lambda e: (-e["decided"], e["name"])),
        generated_on=today or clock.today(),
    )


# --- files -----------------------------------------------------------------------------------------------------


def report_xlsx(report: AnnualReport) -> bytes:
    # local import: openpyxl is heavy and only the spreadsheet export needs it
    from openpyxl import Workbook
    from openpyxl.styles import Font  # local import: openpyxl, as above

    wb = Workbook()
    ws = wb.active
    ws.title = "统计年报"
    ws.append([f"{report.year} 年度行政执法统计年报 — {report.scope_label}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"生成日期：{report.generated_on.isoformat()}"])
    for section in report.sections:
        ws.append([])
        ws.append([section.title])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        for label, value in section.rows:
            ws.append([label, float(value) if isinstance(value, Decimal) else value])
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 22
    per = wb.create_sheet("分执法主体")
    per.append(["执法主体", "处罚决定", "罚款（元）", "行政强制措施", "涉企检查"])
    for e in report.agencies:
        per.append([e["name"], e["decided"], float(e["fines"]), e["compulsion"], e["inspections"]])
    per.column_dimensions["A"].width = 36
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def report_pdf(report: AnnualReport) -> bytes:
    pdf = new_document(f"{report.year} 年度行政执法统计年报", margins=(20, 18, 20))
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font("cjk", size=17)
    pdf.multi_cell(width, 10, f"{report.year} 年度行政执法统计年报", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=11)
    pdf.multi_cell(
        width,
        7,
        f"统计范围：{report.scope_label}    生成日期：{report.generated_on:%Y年%m月%d日}",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    for section in report.sections:
        pdf.ln(3)
        pdf.set_font("cjk", size=13)
        pdf.cell(width, 8, section.title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", size=10.5)
        for label, value in section.rows:
            text = f"{value:,.2f}" if isinstance(value, Decimal) else str(value)
            pdf.cell(width * 0.65, 6.5, label, border="B")
            pdf.cell(width * 0.35, 6.5, text, border="B", align="R", new_x="LMARGIN", new_y="NEXT")
    if report.agencies:
        pdf.ln(4)
        pdf.set_font("cjk", size=13)
        pdf.cell(width, 8, "分执法主体", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", size=9.5)
        cols = (
            ("执法主体", 0.46),
            ("处罚决定", 0.13),
            ("罚款（元）", 0.17),
            ("强制措施", 0.12),
            ("检查", 0.12),
        )
        for label, share in cols:
            pdf.cell(width * share, 6.5, label, border=1, align="C")
        pdf.ln()
        for e in report.agencies:
            values = (e["name"], e["decided"], f"{e['fines']:,.2f}", e["compulsion"], e["inspections"])
            for (_, share), value in zip(cols, values, strict=True):
                pdf.cell(width * share, 6.5, str(value)[:24], border=1, align="L" if share > 0.4 else "R")
            pdf.ln()
    return bytes(pdf.output())

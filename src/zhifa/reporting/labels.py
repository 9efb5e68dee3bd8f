"""报送事项记录的中文标签 — the reporting app's action codes, ``changes`` fields and object references,
registered with zhifa.records.labels when the app is ready."""

from __future__ import annotations

from django.urls import reverse

from zhifa.org import permissions as perms
from zhifa.org.models import User
from zhifa.records.labels import (
    BOOL,
    CHOICE,
    COUNT,
    DATE,
    Field,
    choices,
    register_actions,
    register_fields,
    register_references,
)
from zhifa.reporting import rules
from zhifa.reporting.models import FilerLevel, Period, Report, ReportKind, ReportStatus


def register() -> None:
    register_actions(
        {
            "reporting.kind_create": "设置报送事项",
            "reporting.kind_set_active": "启用或停用报送事项",
            "reporting.report_draft": "起草报告",
            "reporting.report_edit": "修改报告",
            "reporting.report_submit": "报送报告",
            "reporting.report_accept": "接收报告",
            "reporting.report_return": "退回报告",
            "reporting.report_government": "登记人民政府审定",
        }
    )
    register_fields(
        {
            "reporting.kind_create:name": "报送事项",
            "reporting.kind_create:period": Field("报送周期", CHOICE, choices(Period)),
            "reporting.kind_create:due_days": Field("期满后报送期限", COUNT, unit="日"),
            "reporting.kind_create:filers": Field("报送单位", CHOICE, choices(FilerLevel)),
            "reporting.kind_create:needs_government_approval": Field("须报请人民政府审定", BOOL),
            "reporting.kind_set_active:active": Field("启用", BOOL),
            "reporting.report_draft:kind": "报送事项",
            "reporting.report_draft:period": "报告期",
            "reporting.report_draft:due_on": Field("报送期限", DATE),
            "reporting.report_edit:sections": "修改的章节",
            "reporting.report_submit:late": Field("逾期报送", BOOL),
            "reporting.report_accept:status": Field("状态", CHOICE, choices(ReportStatus)),
            "reporting.report_return:reason": "退回理由",
            "reporting.report_government:reference": "审定文号",
            "reporting.report_government:approved_on": Field("审定日期", DATE),
        }
    )
    register_references({"reporting.report": _report_reference, "reporting.reportkind": _kind_reference})


def _report_reference(report: Report, user: User | None) -> tuple[str, str]:
    text = f"报告 {report.filer_name} · {report.kind.name}（{report.period_label}）"
    url = (
        reverse("reporting:report", args=[report.pk]) if user and perms.can(user, rules.VIEW, report) else ""
    )
    return text, url


def _kind_reference(kind: ReportKind, user: User | None) -> tuple[str, str]:
    url = reverse("reporting:kinds") if user and perms.can(user, rules.CONFIGURE, kind) else ""
    return f"报送事项 {kind.name}", url

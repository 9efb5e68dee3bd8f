"""审批表: 立案审批表, 延长办案期限审批表, 结案审批表 — a bordered grid of the case's data with boxes for the
opinions of the officers, the unit's head and the agency's head."""

from __future__ import annotations

from zhifa.cases.documents.common import (
    Body,
    _d,
    _facts,
    _officers,
    _party_rows,
    _penalty_text,
)
from zhifa.cases.documents.readiness import _enforcement
from zhifa.cases.models import (
    Case,
    Seizure,
)


def _filing_approval(case: Case, s: Seizure | None) -> Body:
    return Body(
        rows=[
            ("案件编号", case.number or "（批准立案后编号）"),
            ("案由", case.title),
            ("案件来源", f"{case.get_source_kind_display()}（{_d(case.source_received_on)}登记）"),
            *_party_rows(case),
            ("违法行为发生（终了）日", _d(case.act_date) if case.act_date else "（待核实）"),
            ("简要案情", _facts(case)),
            ("承办人员", _officers(case) or "（立案时指定两名以上执法人员）"),
            ("立案日期", _d(case.opened_on) if case.opened_on else "（待批准）"),
            (
                "办案期限",
                f"{_d(case.decision_due)}前作出决定（行政处罚法第六十条）"
                if case.decision_due
                else "自立案之日起九十日内作出决定（行政处罚法第六十条）",
            ),
        ],
        grid=True,
        opinions=[
            "承办人员意见：经初步核实，有违法事实，属于本机关管辖，建议立案（行政处罚法第五十四条）。",
            "承办机构负责人意见：",
            "行政机关负责人审批意见：",
        ],
        sealed=False,
    )


def _extension_approval(case: Case, s: Seizure | None) -> Body:
    extension = case.extensions.order_by("-id").first()
    assert extension is not None
    return Body(
        rows=[
            ("案件编号", case.number or "—"),
            ("案由", case.title),
            *_party_rows(case),
            ("承办人员", _officers(case)),
            ("立案日期", _d(case.opened_on)),
            ("原办案期限", _d(extension.previous_due)),
            ("申请延长", f"{extension.days} 日，至{_d(extension.new_due)}"),
            ("延长理由", extension.reason),
            ("依据", f"{extension.basis}（行政处罚法第六十条）"),
        ],
        grid=True,
        opinions=[
            "承办人员意见：",
            f"行政机关负责人审批意见：同意延长。（{_d(extension.approved_on)}批准）",
        ],
        sealed=False,
    )


def _closing_approval(case: Case, s: Seizure | None) -> Body:
    paid = f"已缴纳 {case.paid_yuan} 元（{_d(case.paid_on)}）" if case.paid_on else "—"
    e = _enforcement(case)
    return Body(
        rows=[
            ("案件编号", case.number or "—"),
            ("案由", case.title),
            *_party_rows(case),
            ("承办人员", _officers(case)),
            ("立案日期", _d(case.opened_on)),
            (
                "处理结果",
                _penalty_text(case.penalty_kinds, case.fine_yuan, case.confiscation_yuan)
                if case.decided_on
                else (case.end_reason or "—"),
            ),
            ("决定日期", _d(case.decided_on)),
            ("送达日期", _d(case.served_on)),
            (
                "执行情况",
                paid if not (e and e.court_applied_on) else f"已于{_d(e.court_applied_on)}申请法院强制执行",
            ),
            ("结案日期", _d(case.closed_on)),
        ],
        grid=True,
        opinions=[
            "承办人员意见：处罚决定已执行完毕（或已依法申请强制执行），建议结案。",
            "行政机关负责人审批意见：",
        ],
        sealed=False,
    )

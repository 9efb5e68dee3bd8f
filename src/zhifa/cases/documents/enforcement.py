"""After an unpaid decision (行政强制法 第五十四条、第五十五条): 催告书 and 强制执行申请书."""

from __future__ import annotations

from typing import Any

from zhifa.cases.documents.common import (
    Body,
    _d,
    _money,
    _party_names,
    _party_rows,
    _penalty_text,
)
from zhifa.cases.documents.readiness import _enforcement
from zhifa.cases.models import (
    Case,
    DocumentType,
    Seizure,
)


def _demand(case: Case, s: Seizure | None) -> Body:
    e = _enforcement(case)
    decision = case.documents.filter(doc_type=DocumentType.DECISION, status="issued").order_by("-id").first()
    return Body(
        addressee=f"{_party_names(case)}：",
        paragraphs=[
            f"本机关于{_d(case.decided_on)}对你（单位）作出行政处罚决定"
            f"{'（' + decision.number + '）' if decision else ''}，于{_d(case.served_on)}送达，"
            f"缴款期限至{_d(case.payment_due)}届满，你（单位）至今未履行。",
            f"依据《中华人民共和国行政强制法》第三十五条、第五十四条的规定，现催告你（单位）在收到本催告书之日起"
            f"十个工作日内（{_d(e.demand_due if e else None)}前）履行：缴纳罚款及加处罚款共计{_money(e.amount_yuan if e else None)}"
            "（加处罚款按行政处罚法第七十二条计算，不超出罚款数额）。",
            # 行政强制法 第三十五条第二项、第三项: the manner of performance and of payment.
            "履行方式：持行政处罚决定书到指定银行缴纳或者通过电子支付系统缴纳（行政处罚法第六十七条），"
            "不得向执法人员当场交纳（依法当场收缴的除外）。",
            # 行政强制法 第三十五条第四项、第三十六条: the right to state and argue, and what the agency does with it.
            "你（单位）有权进行陈述和申辩，可在履行期限内向本机关书面或者口头提出；本机关将记录、复核，"
            "你（单位）提出的事实、理由或者证据成立的，本机关将予以采纳（行政强制法第三十五条、第三十六条）。"
            "逾期仍不履行的，本机关将依法申请人民法院强制执行（行政强制法第五十三条、第五十四条）。",
        ],
    )


def _demand_opinions(e: Any) -> str:
    """当事人的意见 on the demand and the agency's 复核 (行政强制法 第三十六条、第五十五条第三项)."""
    statements = list(e.statements.all()) if e is not None else []
    if not statements:
        return "当事人的意见：收到催告书后未提出陈述、申辩。"
    parts = []
    for st in statements:
        outcome = "尚未复核" if st.reviewed_on is None else "成立，已采纳" if st.established else "不成立"
        parts.append(
            f"{_d(st.received_on)}提出：{st.text}（{_d(st.reviewed_on)}复核：{outcome}；{st.review_note}）"
        )
    return "当事人的意见及复核情况：" + "；".join(parts) + "。"


def _court_application(case: Case, s: Seizure | None) -> Body:
    e = _enforcement(case)
    decision = case.documents.filter(doc_type=DocumentType.DECISION, status="issued").order_by("-id").first()
    return Body(
        addressee=f"{(e.court_name if e else '') or '人民法院'}：",
        rows=[
            ("申请人", case.agency.name),
            ("住所", case.agency.address or "—"),
            ("被申请人", _party_names(case)),
            *_party_rows(case)[1:],
        ],
        paragraphs=[
            f"申请事项：请求强制执行本机关作出的行政处罚决定"
            f"{'（' + decision.number + '）' if decision else ''}：{_penalty_text(case.penalty_kinds, case.fine_yuan, case.confiscation_yuan)}，"
            f"连同加处罚款共计{_money(e.amount_yuan if e else None)}。",
            f"事实和理由：该决定于{_d(case.served_on)}送达被申请人。被申请人在法定期限内未申请行政复议或者提起行政诉讼，"
            f"又不履行；本机关于{_d(e.demand_served_on if e else None)}送达催告书，催告期满（{_d(e.demand_due if e else None)}）"
            "仍未履行。依据《中华人民共和国行政强制法》第五十三条、第五十四条、第五十五条的规定，特申请强制执行。",
            # 行政强制法 第五十五条第三项: 当事人的意见及行政机关催告情况.
            _demand_opinions(e),
            "附：行政处罚决定书及送达回证、催告书及送达回证、当事人的意见、财产状况及其他材料。",
            f"申请日期：{_d(e.court_applied_on if e else None)}。",
        ],
    )

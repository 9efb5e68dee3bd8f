"""笔录: 询问笔录 and 现场检查（勘验）笔录 — the known fields, the identity and recusal notice read out at the
start, ruled lines for handwriting and the signature lines."""

from __future__ import annotations

from zhifa.cases.documents.common import (
    Body,
    _facts,
    _officers,
    _party_rows,
)
from zhifa.cases.models import (
    Case,
    Seizure,
)


def _record_header(case: Case, place_label: str) -> list[tuple[str, str]]:
    return [
        ("案件编号", case.number or "（案源）"),
        ("案由", case.title),
        ("时间", "　　年　　月　　日　　时　　分至　　时　　分"),
        (place_label, case.place or ""),
        ("执法人员及执法证号", _officers(case)),
        ("记录人", ""),
        *_party_rows(case),
    ]


_IDENTITY_NOTICE = (
    "我们是{agency}的执法人员，已向你出示执法证件。现依法进行{what}，请如实回答问题、协助调查，不得阻挠。"
    "你有权进行陈述和申辩；执法人员与本案有直接利害关系或者有其他关系可能影响公正执法的，你有权申请回避"
    "（行政处罚法第四十三条、第五十五条）。你是否申请回避？"
)


def _inquiry_record(case: Case, s: Seizure | None) -> Body:
    return Body(
        rows=[*_record_header(case, "询问地点"), ("被询问人（与当事人关系）", "")],
        grid=True,
        paragraphs=[_IDENTITY_NOTICE.format(agency=case.agency.name, what="询问")],
        lined_heading="问答记录：",
        lined_blanks=18,
        signatures=[
            "以上笔录我已看过（或已向我宣读），与我所说的相符。被询问人签名：",
            "执法人员签名：",
            "记录人签名：",
        ],
        sealed=False,
    )


def _inspection_record(case: Case, s: Seizure | None) -> Body:
    return Body(
        rows=[*_record_header(case, "检查（勘验）地点"), ("现场负责人（见证人）", "")],
        grid=True,
        paragraphs=[
            _IDENTITY_NOTICE.format(agency=case.agency.name, what="现场检查（勘验）"),
            f"检查事项：{case.title}。已知情况：{_facts(case)}",
        ],
        lined_heading="现场检查（勘验）情况：",
        lined_blanks=16,
        signatures=[
            "当事人（现场负责人）意见及签名：",
            "执法人员签名：",
            "见证人签名（当事人拒绝签名时）：",
        ],
        sealed=False,
    )

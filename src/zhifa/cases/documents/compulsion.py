"""Measures on property (行政强制措施): 先行登记保存通知书, 查封（扣押）决定书, 财物清单, 延长查封（扣押）期限
决定书, 解除查封（扣押）决定书 — each about one measure, with its inventory."""

from __future__ import annotations

from zhifa.cases.documents.common import (
    Body,
    _d,
    _officers,
    _party_names,
    _party_rows,
    remedies,
)
from zhifa.cases.limits import seizure_due
from zhifa.cases.models import (
    Case,
    ReleaseReason,
    Seizure,
)


def _inventory_rows(s: Seizure) -> list[str]:
    return [str(i) for i in s.items]


def _preservation_notice(case: Case, s: Seizure | None) -> Body:
    assert s is not None
    return Body(
        addressee=f"{_party_names(case)}：",
        paragraphs=[
            f"本机关在调查{case.title}一案中，因证据可能灭失或者以后难以取得，经本机关负责人批准，"
            f"依据《中华人民共和国行政处罚法》第五十六条的规定，决定自{_d(s.decided_on)}起对下列物品"
            f"先行登记保存（保存地点：{s.place or '—'}）。",
            f"本机关将在七个工作日内（{_d(s.due_on)}前）作出处理决定（行政处罚法第五十六条、第八十五条）。"
            "在此期间，你（单位）或者有关人员不得销毁或者转移证据。",
            f"执法人员：{_officers(case)}。",
        ],
        inventory=_inventory_rows(s),
        signatures=["当事人签名（盖章）：", "执法人员签名："],
    )


def _seizure_decision(case: Case, s: Seizure | None) -> Body:
    assert s is not None
    measure = s.get_kind_display()

    # The period as decided (an extension is its own document).
    period = (
        f"{measure}期限为三十日，自{_d(s.decided_on)}起至{_d(seizure_due(s.decided_on, 0, s.testing_days))}止"
    )
    if s.testing_days:
        period += f"（含检测、检验、检疫或者技术鉴定期间 {s.testing_days} 日，该期间不计入查封、扣押期限）"
    return Body(
        addressee=f"{_party_names(case)}：",
        paragraphs=[
            f"因你（单位）涉嫌{case.title}，为制止违法行为、防止证据损毁，本机关依据"
            f"《中华人民共和国行政强制法》第九条、第二十二条、第二十三条{('及' + case.legal_basis) if case.legal_basis else ''}"
            f"的规定，决定对下列场所、设施或者财物予以{measure}（地点：{s.place or '—'}），清单附后。",
            f"{period}（行政强制法第二十五条）。情况复杂的，经本机关负责人批准，可以延长一次，延长期限不超过三十日。",
            "查封的场所、设施或者财物，你（单位）应妥善保管，不得使用或者损毁；"
            "在查封、扣押期间，本机关将依法作出处理决定（行政强制法第二十六条、第二十七条）。",
            "你（单位）有陈述、申辩的权利（行政强制法第十八条第六项）。" + remedies("决定"),
            f"执法人员：{_officers(case)}。",
        ],
        inventory=_inventory_rows(s),
        signatures=["当事人签名（盖章）：", "执法人员签名："],
    )


def _seizure_inventory(case: Case, s: Seizure | None) -> Body:
    assert s is not None
    return Body(
        rows=[
            ("案件编号", case.number or "—"),
            ("措施", s.get_kind_display()),
            ("决定日期", _d(s.decided_on)),
            ("地点", s.place or "—"),
            *_party_rows(case),
        ],
        inventory=_inventory_rows(s),
        paragraphs=["以上物品经当事人和执法人员当场清点核对无误。本清单一式两份，当事人和本机关各执一份。"],
        signatures=["当事人签名（盖章）：", "执法人员签名：", "见证人签名："],
        sealed=False,
    )


def _seizure_extension(case: Case, s: Seizure | None) -> Body:
    assert s is not None
    return Body(
        addressee=f"{_party_names(case)}：",
        paragraphs=[
            f"本机关于{_d(s.decided_on)}对你（单位）的下列财物实施了{s.get_kind_display()}。"
            f"因{s.extension_reason or '情况复杂'}，经本机关负责人批准，依据《中华人民共和国行政强制法》第二十五条"
            f"的规定，决定将{s.get_kind_display()}期限延长 {s.extension_days} 日，至{_d(s.due_on)}止。",
            remedies("决定"),
        ],
        inventory=_inventory_rows(s),
    )


def _seizure_release(case: Case, s: Seizure | None) -> Body:
    assert s is not None
    reason = ReleaseReason(s.release_reason).label if s.release_reason else "—"
    return Body(
        addressee=f"{_party_names(case)}：",
        paragraphs=[
            f"本机关于{_d(s.decided_on)}对你（单位）的下列财物实施了{s.get_kind_display()}。因{reason}，"
            f"依据《中华人民共和国行政强制法》第二十八条的规定，决定自{_d(s.released_on)}起解除"
            f"{s.get_kind_display()}，财物立即退还。",
            "请你（单位）持本决定书及清单到本机关办理财物退还手续。",
        ],
        inventory=_inventory_rows(s),
        signatures=["当事人签收："],
    )

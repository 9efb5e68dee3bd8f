"""执法文书 rendering: the agency header, the number, the body of each type, and a QR code to the public
verification page — as a PDF with an embedded Chinese font (Noto Serif CJK SC, subset by fpdf2).

Pure rendering: takes a case (and, for the measures on property, one seizure / preservation) and a number,
returns bytes. The service (``services.document_issue``) checks readiness, numbers, hashes, signs and stores.

Each type has a builder that fills a :class:`Body` from the case's data — parties, officers with their
certificate numbers, facts, legal basis, penalty, dates, inventory, the rights notices with their periods —
and one layout (:func:`render_pdf`) draws every body: approval forms (审批表) as a bordered grid with opinion
boxes, records (笔录) as the known fields plus lined blanks for handwriting and signature lines, decisions and
notices as indented paragraphs, inventories as a numbered table. Long Chinese text wraps by character.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from zhifa.cases.limits import HEARING_REQUEST_WORKING_DAYS, setting_int
from zhifa.cases.models import (
    Case,
    DocumentType,
    NotPunishReason,
    PenaltyKind,
    ReleaseReason,
    Seizure,
    SeizureKind,
    SeizureStatus,
    Stage,
    TransferTarget,
)
from zhifa.core.env import env_str
from zhifa.core.fonts import font_file
from zhifa.core.paging import capped

# The number's word per type, e.g. 示县市监罚〔2026〕12号 (行政处罚决定书).
NUMBER_WORD = {
    DocumentType.FILING_APPROVAL: "立审",
    DocumentType.INQUIRY_RECORD: "询",
    DocumentType.INSPECTION_RECORD: "检",
    DocumentType.PRESERVATION_NOTICE: "先保",
    DocumentType.SEIZURE_DECISION: "封扣",
    DocumentType.SEIZURE_INVENTORY: "物清",
    DocumentType.SEIZURE_EXTENSION: "延封扣",
    DocumentType.SEIZURE_RELEASE: "解封扣",
    DocumentType.EXTENSION_APPROVAL: "延审",
    DocumentType.PRIOR_NOTICE: "告",
    DocumentType.HEARING_NOTICE: "听通",
    DocumentType.HEARING_RECORD: "听录",
    DocumentType.DECISION: "罚",
    DocumentType.NOT_PUNISH_DECISION: "不罚",
    DocumentType.SERVICE_RECEIPT: "送",
    DocumentType.DEMAND: "催",
    DocumentType.COURT_APPLICATION: "强申",
    DocumentType.CLOSING_APPROVAL: "结审",
}

# The types that concern one measure on property (which one is stored on the document).
SEIZURE_TYPES = frozenset(
    {
        DocumentType.PRESERVATION_NOTICE,
        DocumentType.SEIZURE_DECISION,
        DocumentType.SEIZURE_INVENTORY,
        DocumentType.SEIZURE_EXTENSION,
        DocumentType.SEIZURE_RELEASE,
    }
)

# The remedies every adverse decision states, with their periods:
# 行政复议法（2023 修订）第二十条: 自知道或者应当知道该行政行为之日起六十日内提出行政复议申请;
# 行政诉讼法 第四十六条: 自知道或者应当知道作出行政行为之日起六个月内提出 (直接起诉).
REMEDY_DAYS_RECONSIDERATION = 60
REMEDY_MONTHS_LITIGATION = 6


def remedies(what: str) -> str:
    return (
        f"如不服本{what}，可以自收到本{what}之日起{_cn(REMEDY_DAYS_RECONSIDERATION)}日内依法申请行政复议，"
        f"或者自收到之日起{_cn(REMEDY_MONTHS_LITIGATION)}个月内依法向人民法院提起行政诉讼"
        "（《中华人民共和国行政复议法》第二十条、《中华人民共和国行政诉讼法》第四十六条）。"
    )


_DIGITS = "零一二三四五六七八九"


def _cn(n: int) -> str:
    """Small numbers in Chinese numerals as statutes write them (六十, 十五, 七)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + ("" if ones == 0 else _DIGITS[ones])


def verify_url(number: str) -> str:
    """The public verification page's address, absolute with ``ZHIFA_PUBLIC_BASE_URL`` (for the QR code)."""
    base = env_str("ZHIFA_PUBLIC_BASE_URL") or "http://localhost:8000"
    return base.rstrip("/") + reverse("document_verify", args=[number])


# --- readiness ----------------------------------------------------------------------------------------------------


def draw_verification_qr(
    pdf: Any,
    url: str,
    caption: str,
    *,
    size_mm: float,
    bottom_mm: float,
    font_size: float = 9,
    line_mm: float = 5,
    caption_dy: float = 6,
    char_wrap: bool = False,
) -> None:
    """A QR code to ``url`` (the public verification page), drawn as vector squares at the foot of the first
    page with ``caption`` beside it; every sealed document of the platform (case documents, legal-review
    opinions, supervision instruments) carries one. Leaves the PDF on the page it was on."""
    import qrcode
    from fpdf.enums import WrapMode

    qr = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(url)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    cell = size_mm / len(matrix)
    last_page = pdf.page
    pdf.page = 1
    pdf.set_auto_page_break(False)
    x0, y0 = pdf.l_margin, pdf.h - bottom_mm - size_mm
    pdf.set_fill_color(0, 0, 0)
    for r, row_cells in enumerate(matrix):
        for c, dark in enumerate(row_cells):
            if dark:
                pdf.rect(x0 + c * cell, y0 + r * cell, cell, cell, style="F")
    pdf.set_font("cjk", size=font_size)
    pdf.set_xy(x0 + size_mm + 4, y0 + caption_dy)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    extra: dict[str, Any] = {"align": "L", "wrapmode": WrapMode.CHAR} if char_wrap else {}
    pdf.multi_cell(width - size_mm - 4, line_mm, caption, **extra)
    pdf.page = last_page


def seizure_for(case: Case, doc_type: str, seizure: Seizure | None = None) -> Seizure | None:
    """The measure a seizure-type document is about: the one given, else the latest that fits the type."""
    if doc_type not in SEIZURE_TYPES:
        return None
    candidates = [seizure] if seizure is not None else list(case.seizures.order_by("-id"))
    for s in candidates:
        if s.case_id != case.pk:
            continue
        if doc_type == DocumentType.PRESERVATION_NOTICE and s.kind != SeizureKind.PRESERVE:
            continue
        measure_types = (DocumentType.PRESERVATION_NOTICE, DocumentType.SEIZURE_INVENTORY)
        if doc_type not in measure_types and s.kind == SeizureKind.PRESERVE:
            continue
        if doc_type == DocumentType.SEIZURE_EXTENSION and not s.extension_days:
            continue
        if doc_type == DocumentType.SEIZURE_RELEASE and s.status != SeizureStatus.RELEASED:
            continue
        return s
    return None


def _enforcement(case: Case) -> Any:
    from zhifa.cases.models import EnforcementDemand

    return EnforcementDemand.objects.filter(case=case).first()


# doc type -> (the step the document records, a test whether the case has reached it)
READY: dict[str, tuple[str, Callable[[Case, Seizure | None], bool]]] = {
    # 立案审批表 is what asks the head to approve 立案: it is filled while the case is a registered source
    # awaiting 立案 (市场监督管理行政处罚程序规定 第十八条、第二十条: 核查后由负责人决定是否立案; 市场监管总局
    # 行政处罚文书格式范本（2021）“立案/不予立案审批表”), and stays on file once the case is opened.
    DocumentType.FILING_APPROVAL: (
        "登记案源",
        lambda c, s: c.opened_on is not None or c.stage == Stage.SOURCE,
    ),
    DocumentType.INQUIRY_RECORD: ("立案", lambda c, s: c.opened_on is not None),
    DocumentType.INSPECTION_RECORD: ("登记案源", lambda c, s: True),
    DocumentType.PRESERVATION_NOTICE: ("先行登记保存", lambda c, s: s is not None),
    DocumentType.SEIZURE_DECISION: ("查封、扣押", lambda c, s: s is not None),
    DocumentType.SEIZURE_INVENTORY: ("查封、扣押或先行登记保存", lambda c, s: s is not None),
    DocumentType.SEIZURE_EXTENSION: ("延长查封、扣押期限", lambda c, s: s is not None),
    DocumentType.SEIZURE_RELEASE: ("解除查封、扣押", lambda c, s: s is not None),
    DocumentType.EXTENSION_APPROVAL: ("批准延长办案期限", lambda c, s: c.extensions.exists()),
    DocumentType.PRIOR_NOTICE: ("事先告知", lambda c, s: c.notified_on is not None),
    DocumentType.HEARING_NOTICE: ("通知听证", lambda c, s: c.hearing_notice_on is not None),
    DocumentType.HEARING_RECORD: ("举行听证", lambda c, s: c.hearing_held_on is not None),
    DocumentType.DECISION: ("作出处罚决定", lambda c, s: c.decided_on is not None),
    DocumentType.NOT_PUNISH_DECISION: ("决定不予行政处罚", lambda c, s: bool(c.not_punish_reason)),
    DocumentType.SERVICE_RECEIPT: ("送达", lambda c, s: c.served_on is not None),
    DocumentType.DEMAND: ("催告", lambda c, s: _enforcement(c) is not None),
    DocumentType.COURT_APPLICATION: (
        "申请法院强制执行",
        lambda c, s: (e := _enforcement(c)) is not None and e.court_applied_on is not None,
    ),
    DocumentType.CLOSING_APPROVAL: ("结案", lambda c, s: c.closed_on is not None),
}


# --- the data a body is filled from -------------------------------------------------------------------------------


def _d(value: dt.date | None) -> str:
    return f"{value:%Y年%m月%d日}" if value else "—"


def _money(value: Any) -> str:
    return f"人民币 {value} 元" if value else "—"


def _kinds(kinds: Iterable[str]) -> str:
    return "、".join(str(PenaltyKind(k).label) for k in kinds if k in PenaltyKind.values) or "—"


def _penalty_text(kinds: Iterable[str], fine: Any, confiscation: Any) -> str:
    kinds = list(kinds)
    parts = []
    for k in kinds:
        if k not in PenaltyKind.values:
            continue
        label = str(PenaltyKind(k).label)
        if k == PenaltyKind.FINE and fine:
            label += f"人民币 {fine} 元"
        elif k in (PenaltyKind.CONFISCATE_INCOME, PenaltyKind.CONFISCATE_PROPERTY) and confiscation:
            label += f"（金额/价值人民币 {confiscation} 元）"
        parts.append(label)
    return "；".join(parts) or "—"


def _parties(case: Case) -> list[Any]:
    return [link.party for link in case.party_links.select_related("party").order_by("id")]


def _party_rows(case: Case) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for p in _parties(case):
        rows.append(("当事人", p.name))
        if p.uscc:
            rows.append(("统一社会信用代码", p.uscc))
        if p.legal_representative:
            rows.append(("法定代表人（负责人）", p.legal_representative))
        if p.id_number:
            rows.append(("身份证件号码", p.id_number))
        if p.address:
            rows.append(("住所（地址）", p.address))
        if p.phone:
            rows.append(("联系电话", p.phone))
    return rows or [("当事人", "—")]


def _party_names(case: Case) -> str:
    return "、".join(p.name for p in _parties(case)) or "—"


def _officers(case: Case) -> str:
    """承办人员 with their enforcement certificate numbers (执法证号), lead first."""
    parts = []
    for link in case.officer_links.select_related("officer").order_by("-is_lead", "id"):
        officer = link.officer
        cert = officer.certificates.filter(status="valid").order_by("-expires_on").first()
        parts.append(f"{officer.name}（执法证号 {cert.number}）" if cert else officer.name)
    return "、".join(parts) or "—"


def _evidence(case: Case) -> str:
    try:
        from zhifa.evidence.required import own_evidence
    except ImportError:  # pragma: no cover - the evidence app is part of the platform
        return ""
    # only evidence filed under the case's own agency (issue 18: none attached from another county)
    items = capped(own_evidence("cases.case", str(case.pk)).order_by("id"), 20)
    listed = "；".join(f"{e.get_kind_display()}《{e.original_filename}》" for e in items)
    # a document names the first 20 and says how many there are (never a silent cut of the evidence)
    return f"{listed}等，共 {items.total} 件" if items.more else listed


def _facts(case: Case) -> str:
    return case.facts or case.source_summary or case.title


def _basis(case: Case) -> str:
    return case.legal_basis or "（承办人员填写违反的法律条款和处罚依据）"


# --- bodies -------------------------------------------------------------------------------------------------------


@dataclass
class Body:
    """What one document shows; the layout (``render_pdf``) draws it."""

    rows: list[tuple[str, str]] = field(default_factory=list)
    grid: bool = False  # rows as a bordered grid (审批表、笔录首部) instead of "label：value" lines
    paragraphs: list[str] = field(default_factory=list)
    opinions: list[str] = field(default_factory=list)  # boxes for handwritten opinions and signatures
    inventory: list[str] | None = None
    lined_blanks: int = 0  # ruled lines for handwriting (笔录)
    lined_heading: str = ""
    signatures: list[str] = field(default_factory=list)
    sealed: bool = True  # the agency's name, （印章）and the date at the foot
    addressee: str = ""  # "XXX：" above the paragraphs of a notice or decision


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
    from zhifa.cases.limits import seizure_due

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


def _prior_notice(case: Case, s: Seizure | None) -> Body:
    proposed = _penalty_text(case.proposed_kinds, case.proposed_fine_yuan, case.proposed_confiscation_yuan)
    paragraphs = [
        f"经查，你（单位）{_facts(case)}。",
        f"以上事实有下列证据证明：{_evidence(case) or '（见案卷证据目录）'}。",
        f"你（单位）的上述行为违反了{_basis(case)}的规定。",
        f"本机关拟作出如下行政处罚：{proposed}。",
        "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你（单位）享有陈述、申辩的权利，"
        f"可在{_notice_period(case.statement_due, setting_int('STATEMENT_WORKING_DAYS'))}向本机关提出；"
        "逾期未提出的，视为放弃此权利。",
    ]
    if case.hearing_right:
        # 行政处罚法 第六十四条第一项: five working days from receipt of this notice.
        paragraphs.append(
            "根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，你（单位）有权要求听证；"
            f"要求听证的，应当在{_notice_period(case.hearing_request_due, HEARING_REQUEST_WORKING_DAYS)}提出，"
            "逾期视为放弃。"
        )
    paragraphs.append(
        f"联系人：{_officers(case)}；本机关地址：{case.agency.address or '—'}，电话：{case.agency.phone or '—'}。"
    )
    return Body(addressee=f"{_party_names(case)}：", paragraphs=paragraphs)


def _notice_period(due: dt.date | None, working_days: int) -> str:
    """A period of the rights notice: from its receipt, with the last day once it has been served."""
    count = "一二三四五六七八九十"[working_days - 1] if 1 <= working_days <= 10 else str(working_days)
    period = f"收到本告知书之日起{count}个工作日内"
    return f"{period}（{_d(due)}前）" if due else period


def _hearing_notice(case: Case, s: Seizure | None) -> Body:
    return Body(
        addressee=f"{_party_names(case)}：",
        paragraphs=[
            f"根据你（单位）{_d(case.hearing_requested_on)}提出的听证申请，本机关决定于{_d(case.hearing_on)}"
            f"在{case.agency.address or '本机关'}就{case.title}一案举行听证。",
            "本通知于听证七个工作日前送达（《中华人民共和国行政处罚法》第六十四条第二项、第八十五条）。"
            + (
                f"因本案{case.get_hearing_closed_reason_display()}，听证不公开举行（第六十四条第三项）；"
                if case.hearing_closed_reason
                else "听证公开举行（第六十四条第三项）；"
            )
            + "你（单位）可以亲自参加，也可以委托一至二人代理；"
            "认为主持人与本案有直接利害关系的，有权申请回避；无正当理由拒不出席或者未经许可中途退出的，"
            "视为放弃听证权利（第六十四条）。",
            f"本案调查人员：{_officers(case)}。听证主持人由本机关指定的非本案调查人员担任（第六十四条第四项）。",
        ],
    )


def _hearing_record(case: Case, s: Seizure | None) -> Body:
    return Body(
        rows=[
            ("案件编号", case.number or "—"),
            ("案由", case.title),
            ("听证时间", _d(case.hearing_held_on)),
            ("听证地点", case.agency.address or ""),
            ("主持人", ""),
            ("记录人", ""),
            ("调查人员", _officers(case)),
            *_party_rows(case),
            ("委托代理人", ""),
            (
                "拟处罚",
                _penalty_text(case.proposed_kinds, case.proposed_fine_yuan, case.proposed_confiscation_yuan),
            ),
        ],
        grid=True,
        paragraphs=[
            "主持人宣布听证纪律、当事人的权利义务，询问当事人是否申请回避（行政处罚法第六十四条）。"
            "调查人员提出当事人违法的事实、证据和行政处罚建议；当事人进行申辩和质证。"
        ],
        lined_heading="听证记录：",
        lined_blanks=16,
        signatures=[
            "以上笔录已交当事人核对无误（第六十四条第八项）。当事人签名：",
            "主持人签名：",
            "记录人签名：",
        ],
        sealed=False,
    )


def _decision(case: Case, s: Seizure | None) -> Body:
    penalty = _penalty_text(case.penalty_kinds, case.fine_yuan, case.confiscation_yuan)
    paragraphs = [
        f"经查，你（单位）{_facts(case)}。",
        f"以上事实有下列证据证明：{_evidence(case) or '（见案卷证据目录）'}。",
    ]
    if case.notified_on:
        paragraphs.append(
            f"本机关于{_d(case.notified_on)}告知你（单位）拟作出行政处罚的内容及事实、理由、依据和陈述、申辩"
            + ("、听证" if case.hearing_right else "")
            + "的权利"
            + (f"；你（单位）提出了陈述、申辩：{case.statement_text}" if case.statement_text else "")
            + (f"；本机关于{_d(case.hearing_held_on)}举行了听证" if case.hearing_held_on else "")
            + (
                f"；{case.get_hearing_end_reason_display()}，视为放弃听证权利，本机关于"
                f"{_d(case.hearing_ended_on)}终止听证"
                if case.hearing_ended_on
                else ""
            )
            + "。"
        )
    paragraphs += [
        f"你（单位）的上述行为违反了{_basis(case)}的规定。",
        f"本机关决定给予如下行政处罚：{penalty}。{case.decision_text or ''}",
    ]
    if case.fine_yuan:
        paragraphs.append(
            "罚款应当自收到本决定书之日起十五日内缴纳（《中华人民共和国行政处罚法》第六十七条第三款）"
            + (f"，即{_d(case.payment_due)}前" if case.payment_due else "")
            + "；到期不缴纳的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额（第七十二条）。"
        )
    paragraphs += [
        remedies("决定书"),
        "申请行政复议或者提起行政诉讼的，行政处罚不停止执行，法律另有规定的除外（行政处罚法第七十三条）。",
    ]
    return Body(addressee=f"{_party_names(case)}：", rows=_party_rows(case), paragraphs=paragraphs)


def _not_punish_decision(case: Case, s: Seizure | None) -> Body:
    reason = NotPunishReason(case.not_punish_reason).label if case.not_punish_reason else "—"
    return Body(
        addressee=f"{_party_names(case)}：",
        rows=_party_rows(case),
        paragraphs=[
            f"本机关于{_d(case.opened_on)}对你（单位）{case.title}一案立案调查。经查，{_facts(case)}。",
            f"鉴于{reason}，依据《中华人民共和国行政处罚法》第三十三条、第五十七条第一款的规定，"
            f"本机关决定不予行政处罚。{case.end_reason}",
            "对当事人的违法行为依法不予行政处罚的，本机关已对当事人进行教育（行政处罚法第三十三条第三款）。",
            remedies("决定书"),
            f"决定日期：{_d(case.ended_on)}。",
        ],
    )


def _service_receipt(case: Case, s: Seizure | None) -> Body:
    served = case.documents.filter(doc_type=DocumentType.DECISION, status="issued").order_by("-id").first()
    return Body(
        rows=[
            ("案件编号", case.number or "—"),
            ("送达文书", f"行政处罚决定书（{served.number}）" if served else "行政处罚决定书"),
            ("受送达人", _party_names(case)),
            ("送达地点", (_parties(case)[0].address if _parties(case) else "") or "—"),
            ("送达方式", case.get_service_method_display() or "—"),
            ("送达日期", _d(case.served_on)),
            ("送达人", _officers(case)),
            ("备注", case.served_late_reason or ""),
        ],
        grid=True,
        opinions=[
            "受送达人签名或者盖章：",
            "受送达人拒绝签收的，送达人注明拒收事由和日期，由见证人签名（留置送达）：",
        ],
        sealed=False,
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


BUILDERS: dict[str, Callable[[Case, Seizure | None], Body]] = {
    DocumentType.FILING_APPROVAL: _filing_approval,
    DocumentType.INQUIRY_RECORD: _inquiry_record,
    DocumentType.INSPECTION_RECORD: _inspection_record,
    DocumentType.PRESERVATION_NOTICE: _preservation_notice,
    DocumentType.SEIZURE_DECISION: _seizure_decision,
    DocumentType.SEIZURE_INVENTORY: _seizure_inventory,
    DocumentType.SEIZURE_EXTENSION: _seizure_extension,
    DocumentType.SEIZURE_RELEASE: _seizure_release,
    DocumentType.EXTENSION_APPROVAL: _extension_approval,
    DocumentType.PRIOR_NOTICE: _prior_notice,
    DocumentType.HEARING_NOTICE: _hearing_notice,
    DocumentType.HEARING_RECORD: _hearing_record,
    DocumentType.DECISION: _decision,
    DocumentType.NOT_PUNISH_DECISION: _not_punish_decision,
    DocumentType.SERVICE_RECEIPT: _service_receipt,
    DocumentType.DEMAND: _demand,
    DocumentType.COURT_APPLICATION: _court_application,
    DocumentType.CLOSING_APPROVAL: _closing_approval,
}
assert set(BUILDERS) == set(DocumentType.values) == set(NUMBER_WORD) == set(READY)
_ = TransferTarget  # documents of transfer (移送函) are not rendered yet; see docs/cases.md


def body_of(case: Case, doc_type: str, seizure: Seizure | None = None) -> Body:
    return BUILDERS[DocumentType(doc_type)](case, seizure)


def body_text(body: Body) -> str:
    """All the text a body puts on paper (tests read it; the PDF's text is subset-encoded)."""
    parts = [body.addressee, *(f"{k}：{v}" for k, v in body.rows), *body.paragraphs, *body.opinions]
    parts += [*(body.inventory or []), body.lined_heading, *body.signatures]
    return "\n".join(p for p in parts if p)


# --- layout -------------------------------------------------------------------------------------------------------

LINE = 7.0  # mm, body line height
QR_MM = 20.0
FOOT_MM = 38.0  # the bottom margin of page 1: the page number and the QR code live below it
FOOT_LATER_MM = 22.0  # of later pages: the page number only


def render_pdf(
    case: Case, doc_type: str, number: str, issued_on: dt.date, seizure: Seizure | None = None
) -> bytes:
    """The document as a PDF (A4), with the agency header, the number and the QR code to its verification."""
    from fpdf import FPDF, FontFace
    from fpdf.enums import WrapMode

    path, index = font_file()
    title = str(DocumentType(doc_type).label)
    if doc_type in SEIZURE_TYPES and seizure is not None and doc_type != DocumentType.PRESERVATION_NOTICE:
        measure = str(seizure.get_kind_display())
        title = title.replace("查封（扣押）", measure).replace("查封（扣押）/先行登记保存", measure)
        if doc_type == DocumentType.SEIZURE_INVENTORY:
            title = f"{measure}财物清单"

    class Document(FPDF):
        def header(self) -> None:
            # only the first page keeps room for the QR code at its foot
            if self.page_no() > 1:
                self.set_auto_page_break(True, margin=FOOT_LATER_MM)

        def footer(self) -> None:
            self.set_y(-14)
            self.set_font("cjk", size=9)
            self.set_text_color(90, 90, 90)
            self.cell(0, 5, f"{number}　第 {self.page_no()} 页 共 {{nb}} 页", align="C")
            self.set_text_color(0, 0, 0)

    pdf = Document(format="A4")
    pdf.set_creation_date(dt.datetime.combine(issued_on, dt.time(), tzinfo=dt.UTC))
    pdf.set_title(f"{title} {number}")
    pdf.set_creator("zhifa")
    pdf.set_margins(22, 20, 22)
    pdf.add_font("cjk", fname=path, collection_font_number=index)
    pdf.set_auto_page_break(True, margin=FOOT_MM)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def para(text: str, size: float = 12, indent: bool = True) -> None:
        pdf.set_font("cjk", size=size)
        pdf.set_x(pdf.l_margin)
        pdf.multi_cell(
            width,
            LINE,
            ("\u3000\u3000" if indent else "") + text,
            align="J",
            wrapmode=WrapMode.CHAR,
            new_x="LMARGIN",
            new_y="NEXT",
        )

    # Header: the agency in red over a red rule, the title, the number.
    pdf.set_font("cjk", size=20)
    pdf.set_text_color(180, 0, 0)
    pdf.multi_cell(
        width, 11, case.agency.name, align="C", wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_draw_color(180, 0, 0)
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, pdf.get_y() + 2, pdf.w - pdf.r_margin, pdf.get_y() + 2)
    pdf.ln(7)
    pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    pdf.set_font("cjk", size=18)
    pdf.multi_cell(width, 10, title, align="C", wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=11)
    pdf.cell(width, 8, number, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)

    body = body_of(case, doc_type, seizure)
    plain = FontFace(emphasis=None)

    if body.rows and body.grid:
        pdf.set_font("cjk", size=11)
        with pdf.table(
            col_widths=(42, width - 42),
            width=width,
            first_row_as_headings=False,
            headings_style=plain,
            line_height=6.5,
            text_align=("CENTER", "LEFT"),
            wrapmode=WrapMode.CHAR,
            padding=1.5,
        ) as table:
            for label, value in body.rows:
                row = table.row()
                row.cell(label)
                row.cell(value or " ")
        pdf.ln(3)
    elif body.rows:
        pdf.set_font("cjk", size=12)
        for label, value in body.rows:
            pdf.set_x(pdf.l_margin)
            pdf.multi_cell(
                width,
                LINE,
                f"{label}：{value}",
                align="L",
                wrapmode=WrapMode.CHAR,
                new_x="LMARGIN",
                new_y="NEXT",
            )
        pdf.ln(2)

    if body.addressee:
        para(body.addressee, indent=False)
    for paragraph in body.paragraphs:
        if paragraph:
            para(paragraph)

    if body.inventory is not None:
        pdf.ln(2)
        para("附：财物清单", indent=False)
        pdf.set_font("cjk", size=11)
        with pdf.table(
            col_widths=(14, width - 14 - 30, 30),
            width=width,
            headings_style=plain,
            line_height=6.5,
            text_align=("CENTER", "LEFT", "LEFT"),
            wrapmode=WrapMode.CHAR,
            padding=1.5,
        ) as table:
            heading = table.row()
            for text in ("序号", "名称、规格、数量", "备注"):
                heading.cell(text)
            for i, item in enumerate(body.inventory, start=1):
                row = table.row()
                row.cell(str(i))
                row.cell(item)
                row.cell(" ")
        pdf.ln(3)

    if body.opinions:
        pdf.set_font("cjk", size=11)
        for opinion in body.opinions:
            if pdf.get_y() + 28 > pdf.page_break_trigger:
                pdf.add_page()
            top = pdf.get_y()
            pdf.set_x(pdf.l_margin)
            pdf.multi_cell(
                width,
                6.5,
                opinion,
                align="L",
                wrapmode=WrapMode.CHAR,
                padding=1.5,
                new_x="LMARGIN",
                new_y="NEXT",
            )
            pdf.set_xy(pdf.l_margin, top + 21)
            pdf.cell(width - 4, 6, "签名：　　　　　　　　　年　　月　　日", align="R")
            pdf.rect(pdf.l_margin, top, width, 28)
            pdf.set_xy(pdf.l_margin, top + 28)
        pdf.ln(3)

    if body.lined_blanks:
        para(body.lined_heading, indent=False)
        for _ in range(body.lined_blanks):
            if pdf.get_y() + 9 > pdf.page_break_trigger:
                pdf.add_page()
            y = pdf.get_y() + 9
            pdf.set_draw_color(150, 150, 150)
            pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
            pdf.set_y(y)
        pdf.set_draw_color(0, 0, 0)
        pdf.ln(4)

    if body.signatures:
        pdf.set_font("cjk", size=11)
        date_w = 42
        for label in body.signatures:
            if pdf.get_y() + 12 > pdf.page_break_trigger:
                pdf.add_page()
            pdf.set_x(pdf.l_margin)
            if pdf.get_string_width(label) > width - date_w - 30:
                # a long label on its own line(s), the blank and the date below it
                pdf.multi_cell(
                    width, 7, label, align="L", wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT"
                )
                label = ""
            pdf.cell(width - date_w, 10, label)
            pdf.cell(date_w, 10, "年　　月　　日", align="R", new_x="LMARGIN", new_y="NEXT")

    if body.sealed:
        if pdf.get_y() + 20 > pdf.page_break_trigger:
            pdf.add_page()
        pdf.ln(4)
        pdf.set_font("cjk", size=12)
        pdf.cell(width, 8, f"{case.agency.name}（印章）", align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.cell(width, 8, _d(issued_on), align="R", new_x="LMARGIN", new_y="NEXT")

    draw_verification_qr(
        pdf,
        verify_url(number),
        f"扫码核验本文书（{number}）：\n{verify_url(number).split('/verify/')[0]}/verify/document/{number}/\n"
        "核验页显示本文书 PDF 的 SHA-256 摘要、平台签章与状态。",
        size_mm=QR_MM,
        bottom_mm=16,
        font_size=8.5,
        line_mm=4.5,
        caption_dy=3,
        char_wrap=True,
    )
    return bytes(pdf.output())

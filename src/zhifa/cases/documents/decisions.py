"""The way to a decision and the decision: 行政处罚事先告知书, 听证通知书, 听证笔录, 行政处罚决定书, 不予行政处罚
决定书, 送达回证."""

from __future__ import annotations

import datetime as dt

from zhifa.cases.documents.common import (
    Body,
    _basis,
    _d,
    _evidence,
    _facts,
    _officers,
    _parties,
    _party_names,
    _party_rows,
    _penalty_text,
    remedies,
)
from zhifa.cases.limits import HEARING_REQUEST_WORKING_DAYS, setting_int
from zhifa.cases.models import (
    Case,
    DocumentType,
    NotPunishReason,
    Seizure,
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

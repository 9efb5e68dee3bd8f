"""案件记录的中文标签 — the words of the cases app's ledger entries (fields of ``changes``), registered with
zhifa.records.labels when the app is ready. Action labels of cases are in zhifa.records.timeline."""

from __future__ import annotations

from zhifa.records.labels import BOOL, CHOICE, COUNT, DATE, MONEY, NAMES, Field, choices, names_of, user_names


def register() -> None:
    from zhifa.cases import models as m
    from zhifa.records.labels import register_actions, register_fields

    kinds = Field("处罚种类", CHOICE, choices(m.PenaltyKind))
    register_fields(
        {
            "stage": Field("环节", CHOICE, choices(m.Stage), transition=True),
            "title": "案由",
            "number": "编号",
            "source_kind": Field("案源", CHOICE, choices(m.SourceKind)),
            "received_on": Field("收到日期", DATE),
            "party_ids": Field("当事人", NAMES, resolver=names_of("org.Party")),
            "party_id": Field("当事人", NAMES, resolver=names_of("org.Party")),
            "agency_id": Field("执法主体", NAMES, resolver=names_of("org.Agency")),
            "officer_ids": Field("执法人员", NAMES, resolver=names_of("org.Officer")),
            "domain": Field("执法领域", NAMES, resolver=names_of("org.Domain", key="code")),
            "facts": "违法事实",
            "act_date": Field("违法行为发生日", DATE),
            "opened_on": Field("立案日期", DATE),
            "decision_due": Field("办案期限", DATE),
            "limitation_ends": Field("追责时效届满", DATE),
            "is_complex": Field("复杂案件", BOOL),
            "serious_harm": Field("危害后果严重", BOOL),
            "procedure": Field("程序", CHOICE, choices(m.Procedure)),
            "investigation_started_on": Field("调查开始日期", DATE),
            "investigation_ended_on": Field("调查终结日期", DATE),
            "notified_on": Field("告知日期", DATE),
            "statement_due": Field("陈述申辩期限", DATE),
            "proposed_kinds": Field("拟处罚种类", CHOICE, choices(m.PenaltyKind)),
            "proposed_fine_yuan": Field("拟罚款", MONEY),
            "proposed_confiscation_yuan": Field("拟没收", MONEY),
            "hearing_right": Field("告知听证权利", BOOL),
            "hearing_request_due": Field("听证申请期限", DATE),
            "hearing_requested_on": Field("申请听证日期", DATE),
            "hearing_notice_on": Field("听证通知日期", DATE),
            "hearing_on": Field("听证日期", DATE),
            "hearing_held_on": Field("举行听证日期", DATE),
            "rights_waived_on": Field("放弃陈述申辩日期", DATE),
            "statement_received_on": Field("收到陈述申辩日期", DATE),
            "legal_basis": "法律依据",
            "penalty_kinds": kinds,
            "kinds": kinds,
            "fine_yuan": Field("罚款", MONEY),
            "confiscation_yuan": Field("没收", MONEY),
            "decided_on": Field("决定日期", DATE),
            "decided_by": Field("决定人", NAMES, resolver=user_names),
            "service_due": Field("送达期限", DATE),
            "served_on": Field("送达日期", DATE),
            "service_method": Field("送达方式", CHOICE, choices(m.ServiceMethod)),
            "payment_due": Field("缴款期限", DATE),
            "paid_on": Field("缴款日期", DATE),
            "paid_yuan": Field("缴纳金额", MONEY),
            "surcharge_yuan": Field("加处罚款", MONEY),
            "amount_yuan": Field("催告金额", MONEY),
            "demand_due": Field("催告期限", DATE),
            "days": Field("延长天数", COUNT, unit="天"),
            "previous_due": Field("原期限", DATE),
            "basis": "依据",
            "closed_on": Field("结案日期", DATE),
            "archived_on": Field("归档日期", DATE),
            "end_reason": "理由",
            "ended_on": Field("办结日期", DATE),
            "not_opened_reason": "不予立案理由",
            "not_punish_reason": Field("不予处罚情形", CHOICE, choices(m.NotPunishReason)),
            "transfer_target": Field("移送去向", CHOICE, choices(m.TransferTarget)),
            "transfer_target_name": "移送机关",
            "filed_on": Field("备案日期", DATE),
            "filing_due": Field("备案期限", DATE),
            "place": "地点",
            "items": "物品",
            "due_on": Field("期限", DATE),
            "approved_by": Field("批准人", NAMES, resolver=user_names),
            "doc_type": Field("文书", CHOICE, choices(m.DocumentType)),
            "case.seizure_decide:kind": Field("措施", CHOICE, choices(m.SeizureKind)),
            "reason": "理由",
            "note": "说明",
            "until": Field("截至", DATE),
            "limitation_expired": Field("超过追责时效", BOOL),
            "overdue": Field("超期", BOOL),
            "served_late_reason": "逾期送达理由",
            "filed_late_reason": "逾期备案理由",
            "archived_from": Field("归档前环节", CHOICE, choices(m.Stage)),
            "statement": "陈述、申辩",
            "emergency": Field("情况紧急，当场实施", BOOL),
            "report_due": "报告负责人期限",
            "approve": Field("批准", BOOL),
            "late": Field("逾期", BOOL),
            # 登记行政复议、行政诉讼 (行政处罚法 第七十三条第三款)
            "case.record_remedy:kind": Field("类型", CHOICE, choices(m.RemedyKind)),
            "case.record_remedy:applied_on": Field("申请（起诉）日期", DATE),
            "case.record_remedy:decided_on": Field("决定（裁判）日期", DATE),
            "case.record_remedy:outcome": Field("结果", CHOICE, dict(m._remedy_outcomes())),
            "case.record_remedy:number": "案号",
            "case.record_remedy:source": "来源",
            # 行政处罚法 第六十四条第一项: the notice's service starts the party's periods.
            "notice_served_on": Field("告知书送达日期", DATE),
            "notice_service_method": Field("告知书送达方式", CHOICE, choices(m.ServiceMethod)),
            # 行政处罚法 第四十五条第一款: 复核
            "statement_reviewed_on": Field("复核日期", DATE),
            "statement_adopted": Field("采纳陈述申辩", BOOL),
            "statement_review_opinion": "复核意见",
            # 行政处罚法 第六十四条第三项、第六项
            "hearing_closed_reason": Field("不公开举行听证的理由", CHOICE, choices(m.HearingClosedReason)),
            "hearing_ended_on": Field("终止听证日期", DATE),
            "hearing_end_reason": Field("终止听证的情形", CHOICE, choices(m.HearingEndReason)),
            # 行政处罚法 第四十三条: 回避
            "initiator": Field("提出方式", CHOICE, choices(m.RecusalInitiator)),
            "grounds": "回避理由",
            "granted": Field("决定回避", BOOL),
            "replacement_id": Field("另行指定执法人员", NAMES, resolver=names_of("org.Officer")),
        }
    )

    # 行政强制法 第十九条: the head's 补办批准 of an emergency seizure.
    register_actions({"case.seizure_approve": "批准查封扣押", "case.seizure_refuse": "不予批准查封扣押"})
    register_actions({"case.record_remedy": "登记行政复议、行政诉讼"})
    # 行政处罚法 第四十三条、第四十五条第一款、第六十四条第一项、第六项 (services in cases.hearing, cases.recusal)
    register_actions(
        {
            "case.serve_notice": "送达事先告知书",
            "case.review_statement": "陈述申辩复核",
            "case.end_hearing_absent": "终止听证",
            "case.apply_recusal": "申请回避",
            "case.decide_recusal": "回避决定",
        }
    )

"""案件记录的中文标签 — the words of the cases app's ledger entries (fields of ``changes``), registered with
zhifa.records.labels when the app is ready. Action labels of cases are in zhifa.records.timeline."""

from __future__ import annotations

from zhifa.cases import models as m
from zhifa.records.labels import (
    BOOL,
    CHOICE,
    COUNT,
    DATE,
    MONEY,
    NAMES,
    Field,
    choices,
    names_of,
    register_actions,
    register_fields,
    user_names,
)


def register() -> None:
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

    # 行政处罚法 第六十条; 市场监督管理行政处罚程序规定 第六十四条: periods left out of the decision period
    period_kind = Field("期间类型", CHOICE, choices(m.ExcludedPeriodKind))
    register_fields(
        {
            "case.record_excluded_period:kind": period_kind,
            "case.end_excluded_period:kind": period_kind,
            "first_day": Field("起始日", DATE),
            "last_day": Field("结束日", DATE),
        }
    )
    register_actions(
        {
            "case.record_excluded_period": "登记不计入办案期限的期间",
            "case.end_excluded_period": "结束不计入期间",
        }
    )

    # 市场监督管理行政处罚程序规定 第十八条、第十九条: the check period of a lead; the head approves 立案
    register_fields(
        {
            "source_check_due": Field("案源核查期限", DATE),
            "source_check_extended_days": Field("核查期限延长", COUNT, unit="个工作日"),
            "open_approved_by": Field("批准立案", NAMES, resolver=user_names),
        }
    )
    register_actions({"case.extend_source_check": "延长案源核查期限"})

    # 行政处罚法 第四十八条第二款: the decision revoked, changed, confirmed unlawful or void
    register_fields(
        {
            "decision_correction": Field("决定被纠正", CHOICE, choices(m.DecisionCorrection)),
            "decision_corrected_on": Field("纠正日期", DATE),
            "decision_correction_reason": "纠正理由",
            "withdrawal_due": Field("撤回公示期限", DATE),
            "previous_kinds": Field("原处罚种类", CHOICE, choices(m.PenaltyKind)),
            "previous_fine_yuan": Field("原罚款", MONEY),
        }
    )
    register_actions({"case.revoke_decision": "撤销行政处罚决定", "case.change_decision": "变更行政处罚决定"})

    # 行政强制法 第十九条: the head's 补办批准 of an emergency seizure.
    register_actions({"case.seizure_approve": "批准查封扣押", "case.seizure_refuse": "不予批准查封扣押"})
    register_actions({"case.record_remedy": "登记行政复议、行政诉讼"})
    # issue 17: 行政强制法 第二十五条第二款、第二十七条、第三十六条; 重大查封扣押法制审核
    register_actions(
        {
            "case.seizure_notify_extension": "书面告知延长查封扣押",
            "case.seizure_handle": "查封扣押处理决定",
            "case.demand_statement": "记录催告后陈述申辩",
            "case.demand_statement_review": "复核催告后陈述申辩",
            "case.seizure_legal_review": "查封扣押法制审核",
        }
    )

    # 行政处罚法 第二十九条、第三十五条、第六十六条、第六十八条至第七十一条 (zhifa.cases.payments, fines)
    register_actions(
        {
            "case.record_criminal_judgment": "登记刑事判决（罚金折抵）",
            "case.payment_plan_apply": "登记暂缓、分期缴纳申请",
            "case.payment_plan_approve": "批准暂缓、分期缴纳",
            "case.payment_plan_refuse": "不予批准暂缓、分期缴纳",
            "case.instalment_pay": "登记分期（暂缓）缴款",
            "case.collect_on_spot": "当场收缴罚款",
            "case.collection_hand_in": "当场收缴的罚款交至机关",
            "case.collection_bank": "当场收缴的罚款缴付银行",
        }
    )
    register_fields(
        {
            "case.seizure_notify_extension:method": Field("告知方式", CHOICE, choices(m.ServiceMethod)),
            "case.seizure_notify_extension:notified_on": Field("告知日期", DATE),
            "case.seizure_notify_extension:reason": "延长理由",
            "case.seizure_handle:handling": Field("处理决定", CHOICE, choices(m.SeizureHandling)),
            "case.seizure_handle:note": "处理决定说明",
            "case.demand_statement:text": "陈述、申辩内容",
            "case.demand_statement_review:established": Field("成立", BOOL),
            "case.demand_statement_review:note": "复核意见",
            "case.seizure_legal_review:kind": Field("措施", CHOICE, choices(m.SeizureKind)),
            "case.seizure_legal_review:value_yuan": Field("涉案财物估值", MONEY),
            "case.seizure_legal_review:agreed": Field("同意", BOOL),
            "value_yuan": Field("涉案财物估值", MONEY),
            "statement_id": "陈述申辩记录",
            "seizure_review_id": "查封扣押法制审核记录",
        }
    )
    register_fields(
        {
            "different_act_reason": "确属不同违法行为的理由",
            "same_act_case_ids": Field("此前已罚款的案件", NAMES, resolver=names_of("cases.Case", "number")),
            "court": "判决法院",
            "judgment_number": "判决书案号",
            "judged_on": Field("判决日期", DATE),
            "criminal_fine_yuan": Field("判处罚金", MONEY),
            "custody": "判处拘役、有期徒刑",
            "fine_payable_before": Field("折抵前应缴罚款", MONEY),
            "fine_payable": Field("折抵后应缴罚款", MONEY),
            "plan_kind": Field("方式", CHOICE, choices(m.PaymentPlanKind)),
            "schedule": "缴纳安排",
            "instalment": Field("期次", COUNT, unit="期"),
            "case.instalment_pay:amount_yuan": Field("本期缴纳", MONEY),
            "instalment_surcharge_yuan": Field("本期加处罚款", MONEY),
            "collection_ground": Field("当场收缴情形", CHOICE, choices(m.CollectionGround)),
            "receipt_number": "专用票据号码",
            "on_water": Field("在水上收缴", BOOL),
            "hand_in_due": Field("交至机关期限", DATE),
            "bank_due": Field("缴付银行期限", DATE),
            "late_reason": "逾期原因",
        }
    )
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

    # 移送回执与反馈 (行刑衔接; seed 002: 移送行政执法案件协作机制).
    register_fields(
        {
            "case.transfer:receiver_id": Field("接收单位", NAMES, resolver=names_of("org.Agency")),
            "case.transfer_receipt:received_on": Field("接收日期", DATE),
            "case.transfer_receipt:receipt_no": "回执编号",
            "case.transfer_feedback:result": Field("反馈结果", CHOICE, choices(m.TransferFeedback)),
            "case.transfer_feedback:text": "反馈内容",
            "case.transfer_feedback:feedback_on": Field("反馈日期", DATE),
        }
    )

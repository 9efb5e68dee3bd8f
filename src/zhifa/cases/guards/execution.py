"""The input-independent checks of each transition after the decision: payment, demand, court enforcement,
closing, the simple procedure and seizures.
"""

from __future__ import annotations

import datetime as dt

from zhifa.cases import fines, limits
from zhifa.cases.guards._common import refuse
from zhifa.cases.guards.checks import check_no_active_seizure, owes_money
from zhifa.cases.guards.documents import check_required_records
from zhifa.cases.guards.officers import check_officers
from zhifa.cases.models import Case, Procedure
from zhifa.core.errors import ConfigurationMissing


def _c_payment(case: Case, on: dt.date) -> None:
    if not case.fine_yuan:
        raise refuse("no_fine", "本案没有罚款。", "This case has no fine.")
    if case.paid_on:
        raise refuse("already_paid", "罚款已缴纳。", "The fine has been paid.")

    if fines.fine_payable(case) <= 0:
        # 行政处罚法 第三十五条第二款
        raise refuse(
            "fine_offset",
            "罚款已由人民法院判处的罚金全部折抵（行政处罚法第三十五条第二款）。",
            "The fine is wholly offset by the criminal fine (Art. 35).",
        )
    if fines.approved_plan(case) is not None:
        # 行政处罚法 第六十六条: an approved plan is paid instalment by instalment.
        raise refuse(
            "payment_plan_active",
            "已批准暂缓或者分期缴纳，请按期登记分期（暂缓）缴款（行政处罚法第六十六条）。",
            "A deferral or instalment plan is approved; record the instalments (Art. 66).",
        )


def _c_demand(case: Case, on: dt.date) -> None:
    if not owes_money(case):
        raise refuse("nothing_owed", "当事人没有未履行的罚款。", "Nothing is owed.")
    if hasattr(case, "enforcement"):
        raise refuse("demand_exists", "已经催告。", "A demand was already served.")

    plan = fines.approved_plan(case)
    if plan is not None:
        # 行政处罚法 第六十六条: while an approved plan is kept, no demand — only after an instalment is missed.
        if fines.missed_instalment(plan, on) is None:
            upcoming = plan.instalments.filter(paid_on__isnull=True).order_by("seq").first()
            until = f"，下一期缴纳期限 {upcoming.due_on:%Y-%m-%d}" if upcoming is not None else ""
            raise refuse(
                "payment_plan_not_missed",
                f"已批准暂缓或者分期缴纳{until}；当事人逾期未缴纳某一期后方可催告（行政处罚法第六十六条）。",
                "An approved plan is being kept; demand only after an instalment is missed (Art. 66).",
            )
        return
    # 行政处罚法 第六十七条: the party has fifteen days to pay; 行政强制法 第三十五条 demand comes after.
    due = case.payment_due
    if due is None and case.fine_yuan and case.served_on:
        # 期限待节假日安排公布后计算: counted now if the schedule is known; else no demand yet.

        try:
            due = limits.payment_due(case.served_on)
        except ConfigurationMissing:
            raise refuse(
                "payment_due_pending",
                "缴款期限待节假日安排公布后计算，期满未缴纳方可催告（行政处罚法第六十七条，行政强制法第三十五条）。",
                "The payment period cannot be counted before the holiday schedule is entered.",
            ) from None
    if due and on <= due:
        raise refuse(
            "payment_not_due",
            f"缴款期限至 {due:%Y-%m-%d}，期满未缴纳方可催告（行政处罚法第六十七条，行政强制法第三十五条）。",
            f"Payment is due by {due:%Y-%m-%d}; demand only after that.",
        )


def _c_court(case: Case, on: dt.date) -> None:
    enforcement = getattr(case, "enforcement", None)
    if enforcement is None:
        raise refuse(
            "demand_missing",
            "申请人民法院强制执行前，应当催告当事人履行义务（行政强制法第五十四条）。",
            "Serve a written demand before applying to the court (Art. 54).",
        )
    if enforcement.court_applied_on:
        raise refuse("court_already_applied", "已申请人民法院强制执行。", "Already applied to the court.")
    if not owes_money(case):
        raise refuse("nothing_owed", "当事人已履行。", "The party has performed.")
    # 行政强制法 第三十六条: the party's statement is recorded and reviewed (复核) before the agency goes on.
    if enforcement.statements.filter(reviewed_on__isnull=True).exists():
        raise refuse(
            "demand_statement_unreviewed",
            "当事人收到催告书后提出的陈述、申辩尚未复核；应当记录、复核，成立的予以采纳后，方可申请人民法院强制执行"
            "（行政强制法第三十六条）。",
            "The party's statement on the demand has not been reviewed (Art. 36).",
        )
    # 行政强制法 第五十四条、第六十九条: ten working days after the demand is served.
    if on <= enforcement.demand_due:
        raise refuse(
            "demand_period_open",
            f"催告书送达十个工作日后（{enforcement.demand_due:%Y-%m-%d} 之后）当事人仍未履行的，方可申请"
            "人民法院强制执行（行政强制法第五十四条、第六十九条）。",
            f"Apply only after {enforcement.demand_due:%Y-%m-%d} (Art. 54, 69).",
        )
    # 行政强制法 第五十三条: after the remedy periods, within three months.
    first, last = limits.court_application_window(case.served_on or on)

    plan = fines.approved_plan(case)
    missed = fines.missed_instalment(plan, on) if plan is not None else None
    if missed is not None:
        # 行政处罚法 第六十六条: the instalment was not due before its date; the three months (行政强制法
        # 第五十三条) run no earlier than from the missed instalment.
        last = max(
            last, limits.roll_over_days_off(limits.add_months(missed.due_on, limits.COURT_APPLICATION_MONTHS))
        )
    if on < first:
        raise refuse(
            "remedy_period_open",
            f"当事人申请行政复议、提起行政诉讼的法定期限至 {first - dt.timedelta(days=1):%Y-%m-%d} 届满，"
            "期满后方可申请人民法院强制执行（行政强制法第五十三条）。",
            f"The remedy periods end on {first - dt.timedelta(days=1):%Y-%m-%d} (Art. 53).",
        )
    if on > last:
        raise refuse(
            "court_window_closed",
            f"申请人民法院强制执行的期限已于 {last:%Y-%m-%d} 届满（期限届满之日起三个月，行政强制法第五十三条）。",
            f"The three months to apply ended on {last:%Y-%m-%d} (Art. 53).",
        )


def _c_demand_statement(case: Case, on: dt.date) -> None:
    # 行政强制法 第三十六条: 当事人收到催告书后有权进行陈述和申辩.
    enforcement = getattr(case, "enforcement", None)
    if enforcement is None:
        raise refuse("demand_missing", "尚未催告。", "No demand has been served.")
    if enforcement.court_applied_on:
        raise refuse("court_already_applied", "已申请人民法院强制执行。", "Already applied to the court.")


def _c_demand_statement_review(case: Case, on: dt.date) -> None:
    enforcement = getattr(case, "enforcement", None)
    if enforcement is None or not enforcement.statements.filter(reviewed_on__isnull=True).exists():
        raise refuse(
            "no_statement_to_review",
            "没有待复核的陈述、申辩。",
            "No statement is waiting for review.",
        )


def _c_close(case: Case, on: dt.date) -> None:
    if owes_money(case) and not (hasattr(case, "enforcement") and case.enforcement.court_applied_on):
        raise refuse(
            "obligation_open",
            "罚款未缴纳，也未申请人民法院强制执行，不能结案。",
            "The fine is neither paid nor sent to the court for enforcement.",
        )
    if case.procedure == Procedure.SIMPLE and not case.filed_on:
        raise refuse(
            "not_filed",
            "当场作出的行政处罚决定尚未报所属行政机关备案（行政处罚法第五十二条第三款）。",
            "The on-the-spot decision has not been filed with the agency (Art. 52).",
        )
    check_no_active_seizure(case, "结案")
    collection = getattr(case, "collection", None)
    if collection is not None and not collection.banked_on:
        # 行政处罚法 第七十一条: money collected on the spot goes to the agency and on to the bank first.
        raise refuse(
            "collection_not_banked",
            "当场收缴的罚款尚未交至行政机关并缴付指定的银行（行政处罚法第七十一条），不能结案。",
            "The fine collected on the spot has not reached the bank (Art. 71).",
        )
    check_required_records(case, "service_execution", "结案")


def _c_finish_without_decision(case: Case, on: dt.date) -> None:
    check_no_active_seizure(case, "办结")


def _c_simple_file(case: Case, on: dt.date) -> None:
    if case.procedure != Procedure.SIMPLE:
        raise refuse("not_simple", "只有简易程序案件需要备案。", "Only on-the-spot decisions are filed.")
    if case.filed_on:
        raise refuse("already_filed", "已备案。", "Already filed.")


def _c_seizure(case: Case, on: dt.date) -> None:
    # 行政强制法 第十八条第二项: carried out by two or more officers.
    check_officers(case, on)

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zhifa.cases"
    label = "cases"
    verbose_name = "执法案件"

    def ready(self) -> None:
        from zhifa.cases.rules import register_permissions

        register_permissions()

        from zhifa.cases.rules import INVESTIGATE
        from zhifa.evidence.targets import register_target

        register_target("cases.case", [INVESTIGATE], agency="agency")  # 案件证据 (issue 18)

        from zhifa.cases.labels import register as register_record_labels

        register_record_labels()

        from zhifa.cases.rules import LIST_CASES, VIEW_CASE
        from zhifa.core.menu import register_menu_item

        register_menu_item("案件", "cases:my_cases", "briefcase", "cases.my_cases", order=20)
        register_menu_item("案源登记簿", "cases:source_list", "journal-text", VIEW_CASE, order=25)
        register_menu_item("案件列表", "cases:case_list", "list-ul", LIST_CASES, order=30)

        from zhifa.cases.selectors import unapproved_emergency_seizure_flags
        from zhifa.cases.services import PENDING_SCHEDULE_FLAG, pending_schedule_flags
        from zhifa.core import flags

        # 行政强制法 第十九条: an emergency seizure not approved by the head within 24 hours.
        flags.register_source(
            "seizure_unapproved", "紧急查封扣押未补办批准", unapproved_emergency_seizure_flags
        )

        from zhifa.cases.compulsion import unnotified_extension_flags

        # 行政强制法 第二十五条第二款: an extension not notified to the party in writing in time.
        flags.register_source(
            "seizure_extension_unnotified", "延长查封扣押未书面告知当事人", unnotified_extension_flags
        )

        # a due date that waits for a year's holiday schedule is never silently empty (issue 17 item 4)
        flags.register_source(PENDING_SCHEDULE_FLAG, "期限待节假日安排公布", pending_schedule_flags)

        from zhifa.cases.sources import SOURCE_CHECK_OVERDUE_FLAG, source_check_overdue_flags

        # 市场监督管理行政处罚程序规定 第十八条: a lead past its check period without a decision on opening
        flags.register_source(SOURCE_CHECK_OVERDUE_FLAG, "案源核查逾期", source_check_overdue_flags)
        from zhifa.cases.payments import COLLECTION_OVERDUE_FLAG, collection_overdue_flags

        # 行政处罚法 第七十一条: money collected on the spot late at the agency or at the bank.
        flags.register_source(COLLECTION_OVERDUE_FLAG, "当场收缴罚款逾期未交", collection_overdue_flags)

        from zhifa.cases.references import register as register_references

        register_references()

        from zhifa.cases.demo import (
            COUNTY2_STEP_ORDER,
            STEP_ORDER,
            build_cases_demo,
            build_county2_cases_demo,
        )
        from zhifa.org.demo import register_demo_step

        register_demo_step(STEP_ORDER, "cases", build_cases_demo)
        register_demo_step(COUNTY2_STEP_ORDER, "cases_county2", build_county2_cases_demo)

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

        register_menu_item("案源登记簿", "cases:source_list", "journal-text", VIEW_CASE, order=25)
        register_menu_item("案件列表", "cases:case_list", "list-ul", LIST_CASES, order=30)

        from zhifa.cases.selectors import unapproved_emergency_seizure_flags
        from zhifa.cases.services import PENDING_SCHEDULE_FLAG, pending_schedule_flags
        from zhifa.core import flags

        # 行政强制法 第十九条: an emergency seizure not approved by the head within 24 hours.
        flags.register_source(
            "seizure_unapproved", "紧急查封扣押未补办批准", unapproved_emergency_seizure_flags
        )

        # a due date that waits for a year's holiday schedule is never silently empty (issue 17 item 4)
        flags.register_source(PENDING_SCHEDULE_FLAG, "期限待节假日安排公布", pending_schedule_flags)

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

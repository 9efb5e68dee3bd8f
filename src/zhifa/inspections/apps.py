from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "zhifa.inspections"
    label = "inspections"
    verbose_name = "涉企行政检查"

    def ready(self) -> None:
        from zhifa.inspections.rules import register_permissions

        register_permissions()

        from zhifa.evidence.targets import register_target
        from zhifa.inspections.rules import INSPECT, MANAGE_TASK, RECTIFY, VIEW_WARNING

        register_target("inspections.inspection", [INSPECT, MANAGE_TASK], agency="agency")  # 现场检查记录
        # 整改材料: the enterprise's files of its rectification report, filed under the inspecting agency
        register_target(
            "inspections.rectification", [INSPECT], agency="inspection__agency", party_actions=[RECTIFY]
        )

        from zhifa.inspections.labels import register as register_record_labels

        register_record_labels()

        from zhifa.inspections.references import register as register_references

        register_references()

        from zhifa.core.menu import register_menu_item
        from zhifa.inspections.demo import (
            build_checklist_demo,
            build_county2_inspections_demo,
            build_inspections_demo,
        )
        from zhifa.org.demo import register_demo_step

        # two entries only (the inspection pages lead on with their own tabs): the top bar stays on one line
        register_menu_item("今日检查", "inspections:today", "qr-code", INSPECT, order=100)
        register_menu_item("涉企检查", "inspections:warning_list", "clipboard-check", VIEW_WARNING, order=101)
        register_demo_step(110, "inspections", build_inspections_demo)
        register_demo_step(112, "inspections_checklists", build_checklist_demo)
        register_demo_step(115, "inspections_county2", build_county2_inspections_demo)

        from zhifa.inspections import jobs

        jobs.register()  # its periodic work for zhifa worker (zhifa.core.jobs)

from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "zhifa.complaints"
    label = "complaints"
    verbose_name = "投诉举报"

    def ready(self) -> None:
        from zhifa.complaints.rules import VIEW, register_permissions
        from zhifa.complaints.selectors import complaints_overdue_flags
        from zhifa.core import flags
        from zhifa.core.menu import register_menu_item

        register_permissions()

        from zhifa.complaints.labels import register as register_record_labels

        register_record_labels()
        flags.register_source("complaint_overdue", "投诉举报超期", complaints_overdue_flags)
        register_menu_item("投诉举报", "complaints:list", "chat-left-text", VIEW, order=155)

        from zhifa.complaints import demo
        from zhifa.org.demo import register_demo_step

        register_demo_step(demo.COUNTY2_STEP_ORDER, "complaints_county2", demo.build_county2_complaints_demo)
        register_demo_step(demo.STEP_ORDER, "complaints", demo.build_complaints_demo)

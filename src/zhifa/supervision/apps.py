from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "zhifa.supervision"
    label = "supervision"
    verbose_name = "执法监督"

    def ready(self) -> None:
        from zhifa.core import flags
        from zhifa.supervision import sources
        from zhifa.supervision.rules import register_permissions
        from zhifa.supervision.services import flag_receive

        register_permissions()
        sources.register_sources()
        from zhifa.supervision.labels import register as register_record_labels

        register_record_labels()
        flags.listen(flag_receive)
        from zhifa.core.menu import register_menu_item
        from zhifa.supervision.rules import VIEW

        register_menu_item("执法监督", "supervision:queue", "eye", VIEW, order=150)

        from zhifa.org.demo import register_demo_step
        from zhifa.supervision.demo import build_county2_supervision_demo, build_supervision_demo

        register_demo_step(145, "supervision_county2", build_county2_supervision_demo)
        register_demo_step(150, "supervision", build_supervision_demo)

        from zhifa.supervision import jobs

        jobs.register()  # its periodic work for zhifa worker (zhifa.core.jobs)

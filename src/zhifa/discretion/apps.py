from django.apps import AppConfig


class DiscretionConfig(AppConfig):
    name = "zhifa.discretion"
    label = "discretion"
    verbose_name = "行政裁量权基准"

    def ready(self) -> None:
        from zhifa.cases import hooks
        from zhifa.core import flags
        from zhifa.core.menu import register_menu_item
        from zhifa.discretion import checks, rules
        from zhifa.org.demo import register_demo_step

        rules.register_permissions()

        from zhifa.discretion.labels import register as register_record_labels

        register_record_labels()
        hooks.register_check("notify_rights", checks.check_deviation)
        hooks.register_check("decide", checks.check_deviation)
        hooks.register_after("decide", checks.record_outcome)
        hooks.register_panel(checks.case_panel)
        flags.register_source("discretion_deviation", "裁量偏离基准", checks.open_deviation_flags)
        register_menu_item("裁量基准", "discretion:benchmarks", "sliders", rules.VIEW, order=60)

        from zhifa.discretion.demo import demo_step

        register_demo_step(60, "discretion", demo_step)

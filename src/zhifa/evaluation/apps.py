from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "zhifa.evaluation"
    label = "evaluation"
    verbose_name = "案卷评查"

    def ready(self) -> None:
        from zhifa.core.menu import register_menu_item
        from zhifa.evaluation import rules

        rules.register_permissions()

        from zhifa.evaluation.labels import register as register_record_labels

        register_record_labels()
        from zhifa.evaluation.demo import demo_step
        from zhifa.org.demo import register_demo_step

        register_demo_step(161, "evaluation_panel", demo_step)
        register_menu_item("案卷评查", "evaluation:plan_list", "clipboard-check", rules.SCORE, order=165)

from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "zhifa.stats"
    label = "stats"
    verbose_name = "统计与考评"

    def ready(self) -> None:
        from zhifa.core.menu import register_menu_item
        from zhifa.org.demo import register_demo_step
        from zhifa.stats import aggregates, rules
        from zhifa.stats.demo import demo_step

        rules.register_permissions()

        from zhifa.stats.labels import register as register_record_labels

        register_record_labels()
        aggregates.connect()
        register_menu_item("统计", "stats:dashboard", "bar-chart-line", rules.VIEW, order=160)
        register_demo_step(160, "stats", demo_step)

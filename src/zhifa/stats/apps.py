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
        from zhifa.core.tabs import register_tab

        register_tab("stats", "dashboard", "监督看板", "stats:dashboard", order=10, exact=True)
        register_tab("stats", "annual", "统计年报", "stats:annual", order=20, exact=True)
        register_tab("stats", "assessment", "考评", "stats:assessment", order=30, exact=True)
        register_tab(
            "stats",
            "remedy_import",
            "复议诉讼导入",
            "stats:remedy_import",
            rules.IMPORT_REMEDY,
            order=40,
            exact=True,
        )
        register_demo_step(160, "stats", demo_step)

        from zhifa.stats import jobs

        jobs.register()  # its periodic work for zhifa worker (zhifa.core.jobs)

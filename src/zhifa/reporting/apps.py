from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "zhifa.reporting"
    label = "reporting"
    verbose_name = "报送事项"

    def ready(self) -> None:
        from zhifa.core import flags
        from zhifa.core.menu import register_menu_item
        from zhifa.org.demo import register_demo_step
        from zhifa.reporting import demo, labels, rules, sources

        rules.register_permissions()
        labels.register()
        flags.register_source(sources.KIND, sources.LABEL, sources.report_overdue)
        register_menu_item("报送事项", "reporting:mine", "send", rules.VIEW, order=158)
        from zhifa.core.tabs import register_tab

        register_tab("reporting", "mine", "我的报送", "reporting:mine", rules.FILE, order=10, exact=True)
        register_tab("reporting", "received", "收到的报告", "reporting:received", rules.RECEIVE, order=20)
        register_tab("reporting", "kinds", "报送事项设置", "reporting:kinds", rules.CONFIGURE, order=30)
        register_demo_step(demo.STEP_ORDER, "reporting", demo.build_reporting_demo)

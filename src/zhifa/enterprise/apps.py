from django.apps import AppConfig


class EnterpriseConfig(AppConfig):
    """企业端 — the enterprise's own area: its inspections (upcoming, history), agreeing a visit time, its
    decisions and complaints. Reads the inspections, disclosure and complaints apps through their selectors and
    services; has no tables of its own."""

    name = "zhifa.enterprise"
    label = "enterprise"
    verbose_name = "企业端"

    def ready(self) -> None:
        from zhifa.core.menu import register_menu_item
        from zhifa.enterprise.demo import build_enterprise_demo
        from zhifa.enterprise.rules import USE, register_permissions
        from zhifa.org.demo import register_demo_step

        register_permissions()
        register_menu_item("我的检查", "enterprise:home", "building-check", USE, order=1)
        # after the inspections (110, 115) and before the disclosure steps (130)
        register_demo_step(117, "enterprise", build_enterprise_demo)

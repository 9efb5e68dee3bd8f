from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhifa.core"
    label = "core"
    verbose_name = "平台基础"

    def ready(self) -> None:
        from zhifa.core import clock, signals  # noqa: F401

        clock.set_from_environment()  # ZHIFA_TODAY: a whole server on another day

        from zhifa.core.menu import register_menu_item

        register_menu_item("工作台", "core:workbench", "speedometer2", None, order=0, exact=True)

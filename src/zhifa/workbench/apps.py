from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    """工作台 — the per-role workbenches and the site's layout (menu, demo ribbon): the top of the layers, it reads
    every app's selectors and no app imports it."""

    name = "zhifa.workbench"
    label = "workbench"
    verbose_name = "工作台"

    def ready(self) -> None:
        from zhifa.core.menu import register_menu_item

        register_menu_item("工作台", "core:workbench", "speedometer2", None, order=0, exact=True)

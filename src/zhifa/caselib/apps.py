from django.apps import AppConfig


class CaselibConfig(AppConfig):
    name = "zhifa.caselib"
    label = "caselib"
    verbose_name = "典型案例库"

    def ready(self) -> None:
        from zhifa.caselib import rules
        from zhifa.caselib.demo import demo_step
        from zhifa.caselib.labels import register as register_record_labels
        from zhifa.caselib.views import catalog_item_panel
        from zhifa.catalog.panels import register_item_panel
        from zhifa.core.menu import register_menu_item
        from zhifa.org.demo import register_demo_step

        rules.register_permissions()
        register_record_labels()
        register_item_panel(catalog_item_panel)
        register_menu_item("典型案例", "caselib:list", "journal-bookmark", rules.VIEW, order=166)
        register_demo_step(165, "caselib", demo_step)

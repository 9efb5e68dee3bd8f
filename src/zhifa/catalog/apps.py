from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "zhifa.catalog"
    label = "catalog"
    verbose_name = "执法事项目录与四张清单"

    def ready(self) -> None:
        from zhifa.catalog import checks
        from zhifa.catalog.demo import build_catalog_demo, build_confirmation_demo
        from zhifa.catalog.rules import VIEW_CATALOG, VIEW_CONFIRMATION, register_permissions
        from zhifa.core.menu import register_menu_item
        from zhifa.org.demo import register_demo_step

        register_permissions()

        from zhifa.catalog.labels import register as register_record_labels

        register_record_labels()
        checks.register()
        register_menu_item("执法事项", "catalog:item_list", "list-check", VIEW_CATALOG, order=40)
        register_menu_item(
            "主体资格确认", "catalog:confirmation_list", "shield-check", VIEW_CONFIRMATION, order=41
        )
        register_demo_step(50, "catalog", build_catalog_demo)
        register_demo_step(51, "confirmations", build_confirmation_demo)

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "zhifa.portal"
    label = "portal"
    verbose_name = "公示平台"

    def ready(self) -> None:
        from zhifa.core.menu import register_menu_item
        from zhifa.portal import rules

        rules.register_permissions()
        register_menu_item("公示平台", "portal:home", "globe2", None, order=900)
        register_menu_item("监控设备", "portal:device_list", "camera-video", rules.VIEW_DEVICE, order=910)

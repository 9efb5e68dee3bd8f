from django.apps import AppConfig


class GuidesConfig(AppConfig):
    name = "zhifa.guides"
    label = "guides"
    verbose_name = "服务指南"

    def ready(self) -> None:
        from zhifa.core.menu import register_menu_item
        from zhifa.guides import labels, rules
        from zhifa.guides.demo import build_guides_demo
        from zhifa.org.demo import register_demo_step

        rules.register_permissions()
        labels.register()
        labels.register_reference()
        register_menu_item("服务指南", "guides:list", "signpost-split", rules.VIEW_GUIDE, order=905)
        register_demo_step(141, "guides", build_guides_demo)

        from zhifa.core.pagecache import invalidate_on  # the cached public guide pages follow every change
        from zhifa.guides.models import ServiceGuide

        invalidate_on(ServiceGuide)

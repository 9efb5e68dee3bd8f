from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "zhifa.portal"
    label = "portal"
    verbose_name = "公示平台"

    def ready(self) -> None:
        from zhifa.core.menu import register_menu_item
        from zhifa.org.demo import register_demo_step
        from zhifa.portal import rules
        from zhifa.portal.demo import build_devices_demo, build_posts_demo

        rules.register_permissions()

        from zhifa.portal.labels import register as register_record_labels

        register_record_labels()
        register_menu_item("公示平台", "portal:home", "globe2", None, order=900)
        register_demo_step(140, "portal", build_devices_demo)
        register_demo_step(141, "portal_posts", build_posts_demo)
        register_menu_item("监控设备", "portal:device_list", "camera-video", rules.VIEW_DEVICE, order=910)
        register_menu_item("岗位公示牌", "portal:post_list", "person-badge", rules.VIEW_POST, order=920)

        # what the portal's cached public pages show (zhifa.core.pagecache): a change bumps the page version
        from zhifa.catalog.models import CatalogItem, Confirmation, LenientEntry, LenientEntryItem
        from zhifa.core.pagecache import invalidate_on
        from zhifa.discretion.models import Benchmark, Tier
        from zhifa.inspections.models import (
            ChecklistLine,
            DrawRecord,
            InspectionItem,
            InspectionPlan,
            PlanItem,
        )
        from zhifa.org.models import Agency, Certificate, Domain, Officer, Region
        from zhifa.portal.models import MonitoringDevice, ServicePost

        invalidate_on(Region, Domain, Agency, Officer, Certificate)  # officer roster, certificate check
        invalidate_on(
            CatalogItem, Confirmation, LenientEntry, LenientEntryItem, Benchmark, Tier
        )  # catalog, lists
        invalidate_on(
            InspectionItem, ChecklistLine, InspectionPlan, PlanItem, DrawRecord, MonitoringDevice, ServicePost
        )

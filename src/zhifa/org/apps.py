from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "zhifa.org"
    label = "org"
    verbose_name = "组织与人员"

    def ready(self) -> None:
        from zhifa.core.menu import register_menu_item

        register_menu_item("行政区划", "org:region_list", "diagram-3", "org.view_region", order=200)
        register_menu_item("执法主体", "org:agency_list", "building", "org.view_agency", order=201)
        register_menu_item("执法人员", "org:officer_list", "people", "org.view_officer", order=202)
        register_menu_item(
            "执法证件", "org:certificate_list", "person-vcard", "org.view_certificate", order=203
        )
        register_menu_item("行政相对人", "org:party_list", "shop", "org.view_party", order=204)
        register_menu_item("相对人导入", "org:party_import", "upload", "org.import_party", order=205)
        register_menu_item("证件核验", "org:certificate_verify", "patch-check", None, order=206)

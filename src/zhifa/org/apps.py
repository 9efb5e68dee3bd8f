from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "zhifa.org"
    label = "org"
    verbose_name = "组织与人员"

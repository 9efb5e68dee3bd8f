from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "zhifa.search"
    label = "search"
    verbose_name = "公示全文检索"

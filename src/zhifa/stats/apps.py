from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "zhifa.stats"
    label = "stats"
    verbose_name = "统计与考评"

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhifa.core"
    label = "core"
    verbose_name = "平台基础"

    def ready(self) -> None:
        from zhifa.core import clock, signals  # noqa: F401

        clock.set_from_environment()  # ZHIFA_TODAY: a whole server on another day

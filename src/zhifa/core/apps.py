from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhifa.core"
    label = "core"
    verbose_name = "平台基础"

    def ready(self) -> None:
        from zhifa.core import signals  # noqa: F401

from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "zhifa.oversight"
    label = "oversight"
    verbose_name = "督查与问责"

    def ready(self) -> None:
        # local import: models and the registries are ready only now (Django's app loading)
        from zhifa.core.menu import register_menu_item
        from zhifa.org.demo import register_demo_step
        from zhifa.oversight.demo import build_oversight_demo
        from zhifa.oversight.labels import register as register_labels
        from zhifa.oversight.rules import VIEW, register_permissions

        register_permissions()
        register_labels()
        register_menu_item("督查与问责", "oversight:home", "shield-check", VIEW, order=155)
        register_demo_step(155, "oversight", build_oversight_demo)

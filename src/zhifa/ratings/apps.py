from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "zhifa.ratings"
    label = "ratings"
    verbose_name = "季度评议与满意度调查"

    def ready(self) -> None:
        from zhifa.core.menu import register_menu_item
        from zhifa.ratings import rules

        rules.register_permissions()

        from zhifa.ratings.labels import register as register_record_labels

        register_record_labels()
        register_menu_item("季度评议", "ratings:index", "trophy", rules.MANAGE, order=167)
        register_menu_item("满意度调查", "ratings:surveys", "emoji-smile", rules.MANAGE, order=168)
        register_menu_item("本单位评议", "ratings:mine", "trophy", rules.VIEW, order=169)
        register_menu_item("满意度调查", "ratings:enterprise_surveys", "emoji-smile", rules.ANSWER, order=170)

        from zhifa.org.demo import register_demo_step
        from zhifa.ratings import demo

        register_demo_step(demo.STEP_ORDER, "ratings", demo.build_ratings_demo)

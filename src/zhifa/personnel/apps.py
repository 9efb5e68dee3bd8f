from django.apps import AppConfig


class PersonnelConfig(AppConfig):
    name = "zhifa.personnel"
    label = "personnel"
    verbose_name = "执法队伍"

    def ready(self) -> None:
        from zhifa.cases import hooks
        from zhifa.core.menu import register_menu_item
        from zhifa.core.tabs import register_tab
        from zhifa.org.demo import register_demo_step
        from zhifa.personnel import checks, rules
        from zhifa.personnel.demo import build_personnel_demo
        from zhifa.personnel.labels import register as register_record_labels
        from zhifa.personnel.views import case_panel

        rules.register_permissions()
        register_record_labels()
        checks.register()
        hooks.register_panel(case_panel)
        register_menu_item("执法队伍", "personnel:index", "people", rules.VIEW, order=170)
        register_tab("personnel", "index", "培训计划", "personnel:index", order=10, exact=True)
        register_tab("personnel", "check", "6月30日轮训检查", "personnel:training_check", order=20)
        register_tab("personnel", "auxiliary", "辅助人员", "personnel:auxiliary", order=30)
        register_tab("personnel", "assessments", "考核与表彰", "personnel:assessments", order=40)
        register_tab("personnel", "advisers", "法律顾问名册", "personnel:advisers", order=50)
        register_tab("personnel", "delegations", "行政处罚委托", "personnel:delegations", order=60)
        register_demo_step(125, "personnel", build_personnel_demo)

from django.apps import AppConfig


class SysadminConfig(AppConfig):
    name = "zhifa.sysadmin"
    label = "sysadmin"
    verbose_name = "系统管理"

    def ready(self) -> None:
        from zhifa.core.menu import register_menu_item
        from zhifa.records import timeline
        from zhifa.sysadmin import rules, signals  # noqa: F401  (signals: tokens die with the password)

        rules.register_permissions()
        from zhifa.org.token_api import register_token_management
        from zhifa.sysadmin.selectors import tokens_in_scope
        from zhifa.sysadmin.services import token_revoke

        register_token_management(managed=tokens_in_scope, revoke=token_revoke)
        timeline.ACTION_LABELS.update(rules.ACTION_LABELS)

        from zhifa.sysadmin.labels import register as register_record_labels

        register_record_labels()
        register_menu_item("用户与角色", "sysadmin:user_list", "person-gear", rules.MANAGE_USERS, order=300)
        register_menu_item("锁定账号", "sysadmin:lockout_list", "lock", rules.MANAGE_USERS, order=301)
        register_menu_item("API 令牌", "sysadmin:token_list", "key", rules.MANAGE_USERS, order=302)
        register_menu_item("节假日安排", "sysadmin:holidays", "calendar-week", rules.MANAGE_USERS, order=303)
        register_menu_item("后台任务", "sysadmin:job_list", "clock-history", rules.MANAGE_USERS, order=304)

from django.apps import AppConfig


class SysadminConfig(AppConfig):
    name = "zhifa.sysadmin"
    label = "sysadmin"
    verbose_name = "系统管理"

    def ready(self) -> None:
        from zhifa.core.menu import register_menu_item
        from zhifa.records import timeline
        from zhifa.sysadmin import rules

        rules.register_permissions()
        timeline.ACTION_LABELS.update(rules.ACTION_LABELS)
        try:  # the label registry of the readable record (issue 16), where it is present
            from zhifa.records import labels  # type: ignore[attr-defined]
        except ImportError:
            pass
        else:
            labels.register_actions(rules.ACTION_LABELS)
        register_menu_item("用户与角色", "sysadmin:user_list", "person-gear", rules.MANAGE_USERS, order=300)
        register_menu_item("锁定账号", "sysadmin:lockout_list", "lock", rules.MANAGE_USERS, order=301)
        register_menu_item("API 令牌", "sysadmin:token_list", "key", rules.MANAGE_USERS, order=302)
        register_menu_item("节假日安排", "sysadmin:holidays", "calendar-week", rules.MANAGE_USERS, order=303)

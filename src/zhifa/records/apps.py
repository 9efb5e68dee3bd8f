from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "zhifa.records"
    label = "records"
    verbose_name = "执法全过程记录"

    def ready(self) -> None:
        from zhifa.records import checks, verifications  # noqa: F401  registers the checks, LedgerVerification
        from zhifa.records.rules import register_permissions

        register_permissions()

        from zhifa.core.menu import register_menu_item

        register_menu_item(
            "账本状态", "records:status", "journal-check", "records.view_ledger_status", order=170
        )

        from zhifa.records import jobs

        jobs.register()  # its periodic work for zhifa worker (zhifa.core.jobs)

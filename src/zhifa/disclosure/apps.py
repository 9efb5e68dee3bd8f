from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "zhifa.disclosure"
    label = "disclosure"
    verbose_name = "执法信息公示"

    def ready(self) -> None:
        from zhifa.cases import hooks
        from zhifa.core import flags
        from zhifa.core.menu import register_menu_item
        from zhifa.disclosure import demo, selectors, services, views
        from zhifa.disclosure.rules import APPLY_REPAIR, VIEW, register_permissions
        from zhifa.org.demo import register_demo_step

        register_permissions()

        from zhifa.disclosure.labels import register as register_record_labels

        register_record_labels()
        hooks.register_after("decide", services.on_case_decided)
        hooks.register_after("simple_decide", services.on_case_decided)
        hooks.register_after("not_punish", services.on_case_decided)
        hooks.register_after("document_issue", services.on_decision_document_issued)
        # seed 001: 行政强制 results are published too (查封/扣押 decided or approved; 申请法院强制执行)
        hooks.register_after("seizure_decide", services.on_seizure_decided)
        hooks.register_after("seizure_approve", services.on_seizure_decided)
        hooks.register_after("court_application", services.on_court_applied)
        # 行政处罚法 第四十八条第二款: a decision changed, revoked, confirmed unlawful or void is withdrawn
        for code in ("revoke_decision", "change_decision", "record_remedy"):
            hooks.register_after(code, services.on_decision_corrected)

        from zhifa.records import labels

        labels.register_actions({"disclosure.renumber": "更正决定书文号"})
        labels.register_fields(
            {"disclosure.renumber:document_number": labels.Field("决定书文号", transition=True)}
        )
        hooks.register_panel(views.case_panel)
        flags.register_source("publication_overdue", "公示逾期", selectors.overdue_publication_flags)
        flags.register_source(
            "publication_due_pending", "公示期限待节假日安排公布", selectors.due_pending_publication_flags
        )
        flags.register_source("publication_withdrawal_due", "撤回公示待办", selectors.withdrawal_due_flags)
        flags.register_source(
            "publication_withdrawal_overdue", "撤回公示逾期", selectors.withdrawal_overdue_flags
        )
        flags.register_source("annual_stats_overdue", "年度统计逾期未公布", selectors.overdue_stats_flags)
        flags.register_source("credit_repair_pending", "信用修复待决定", selectors.repair_pending_flags)
        register_menu_item("执法公示", "disclosure:queue", "megaphone", VIEW, order=130)
        register_menu_item("我的公示决定", "disclosure:mine", "megaphone", APPLY_REPAIR, order=131)
        register_demo_step(130, "disclosure", demo.build_disclosure_demo)
        register_demo_step(131, "disclosure_licensing", demo.build_licensing_demo)
        register_demo_step(132, "disclosure_lifecycle", demo.build_lifecycle_demo)

        from zhifa.disclosure import jobs

        jobs.register()  # its periodic work for zhifa worker (zhifa.core.jobs)
        # the cached public pages (zhifa.core.pagecache) follow every publication, withdrawal and correction
        from zhifa.core.pagecache import bump, invalidate_on
        from zhifa.disclosure import hooks as publication_hooks
        from zhifa.disclosure.models import AnnualStatistics, DisclosureRule, Publication

        publication_hooks.register_publication_listener("pagecache", bump)
        invalidate_on(Publication, AnnualStatistics, DisclosureRule)

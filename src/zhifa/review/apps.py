from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "zhifa.review"
    label = "review"
    verbose_name = "法制审核"

    def ready(self) -> None:
        from zhifa.cases import hooks
        from zhifa.core import flags
        from zhifa.core.menu import register_menu_item
        from zhifa.org.demo import register_demo_step
        from zhifa.review import selectors, services
        from zhifa.review.demo import demo_step
        from zhifa.review.rules import VIEW, register_permissions
        from zhifa.review.views import case_panel

        register_permissions()
        from zhifa.review.labels import register as register_record_labels

        register_record_labels()
        hooks.register_legal_review_reasons(selectors.catalog_reasons)
        hooks.register_legal_review_status(selectors.review_status)
        hooks.register_check("record_legal_review", services.refuse_stand_in)
        hooks.register_panel(case_panel)
        flags.register_source("legal_review_overdue", "法制审核超期", selectors.overdue_flags)
        flags.register_source(
            "major_decision_unreviewed", "重大执法决定未经法制审核", selectors.unreviewed_major_decision_flags
        )
        register_menu_item("法制审核", "review:queue", "clipboard-check", VIEW, order=35)
        from zhifa.core.tabs import register_tab
        from zhifa.review.rules import ASSIGN, REPORT

        # the pages name their tab (the queue's URL is the prefix of the others)
        register_tab("review", "queue", "审核队列", "review:queue", order=10)
        register_tab("review", "workload", "工作量", "review:workload", ASSIGN, REPORT, order=20)
        register_tab("review", "report", "统计报表", "review:report", REPORT, order=30)
        register_tab("review", "catalog", "审核目录", "review:catalog", order=40)
        register_demo_step(120, "review", demo_step)

        from zhifa.review import jobs

        jobs.register()  # its periodic work for zhifa worker (zhifa.core.jobs)

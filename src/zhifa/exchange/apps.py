from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "zhifa.exchange"
    label = "exchange"
    verbose_name = "上下级平台数据交换"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from zhifa.core import flags
        from zhifa.core.menu import register_menu_item
        from zhifa.disclosure import hooks
        from zhifa.exchange import demo, jobs, outbox, selectors
        from zhifa.exchange.rules import MANAGE_UPSTREAM, VIEW, register_permissions
        from zhifa.org.demo import register_demo_step
        from zhifa.records import labels
        from zhifa.reporting.models import Report
        from zhifa.supervision import hooks as supervision_hooks
        from zhifa.supervision.models import Flag, Problem

        register_permissions()
        # the outbox is written in the transaction of the change it carries
        post_save.connect(outbox.on_flag_saved, sender=Flag, dispatch_uid="exchange.flag")
        post_save.connect(outbox.on_problem_saved, sender=Problem, dispatch_uid="exchange.problem")
        post_save.connect(outbox.on_report_saved, sender=Report, dispatch_uid="exchange.report")
        hooks.register_publication_listener("exchange", outbox.on_publication_event)
        supervision_hooks.register_flags_listener("exchange", outbox.on_flags_written)
        flags.register_source(
            selectors.WITNESS_FLAG_KIND, "下级平台账本见证失败", selectors.witness_failed_flags
        )
        register_menu_item("下级平台", "exchange:city", "diagram-3", VIEW, order=176)
        register_menu_item("上级平台", "exchange:upstream", "cloud-upload", MANAGE_UPSTREAM, order=177)
        register_demo_step(190, "exchange", demo.build_exchange_demo)
        jobs.register()  # its periodic work for zhifa worker (zhifa.core.jobs)
        labels.register_actions(
            {
                "exchange.upstream_create": "登记上级平台",
                "exchange.upstream_active": "启用/停用上级平台",
                "exchange.source_create": "登记下级平台",
                "exchange.source_active": "启用/停用下级平台",
                "exchange.batch_receive": "接收下级平台报送批次",
            }
        )
        labels.register_fields(
            {
                "exchange.upstream_create:name": "上级平台名称",
                "exchange.upstream_create:url": "上级平台地址",
                "exchange.upstream_create:source_code": "本平台编码",
                "exchange.upstream_active:is_active": labels.Field("启用", labels.BOOL, transition=True),
                "exchange.source_create:name": "下级平台名称",
                "exchange.source_create:code": "平台编码",
                "exchange.source_create:public_key_sha256": "公钥指纹",
                "exchange.source_active:is_active": labels.Field("启用", labels.BOOL, transition=True),
                "exchange.batch_receive:source": "下级平台",
                "exchange.batch_receive:sequence": labels.Field("批次序号", labels.COUNT),
                "exchange.batch_receive:items": labels.Field("事项数", labels.COUNT, unit="项"),
            }
        )

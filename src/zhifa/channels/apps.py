from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "zhifa.channels"
    label = "channels"
    verbose_name = "公示推送"

    def ready(self) -> None:
        from zhifa.channels import demo, selectors, services
        from zhifa.channels.rules import VIEW, register_permissions
        from zhifa.core import flags
        from zhifa.core.menu import register_menu_item
        from zhifa.disclosure import hooks
        from zhifa.org.demo import register_demo_step
        from zhifa.records import labels

        register_permissions()
        hooks.register_publication_listener("channels", services.on_publication_event)
        flags.register_source(selectors.FLAG_KIND, "公示推送失败", selectors.failed_delivery_flags)
        register_menu_item("公示推送", "channels:endpoint_list", "broadcast", VIEW, order=132)
        register_demo_step(135, "channels", demo.build_channels_demo)
        labels.register_actions(
            {
                "channels.endpoint_create": "登记推送地址",
                "channels.endpoint_disable": "停用推送地址",
                "channels.endpoint_enable": "启用推送地址",
                "channels.test": "发送测试推送",
                "channels.retry": "重新推送",
            }
        )
        from zhifa.channels.models import DeliveryStatus, EventType

        labels.register_fields(
            {
                "channels.endpoint_create:name": "名称",
                "channels.endpoint_create:url": "推送地址",
                "channels.endpoint_create:events": "推送事件",
                "channels.endpoint_disable:is_active": labels.Field("启用", labels.BOOL, transition=True),
                "channels.endpoint_enable:is_active": labels.Field("启用", labels.BOOL, transition=True),
                "channels.test:event_type": labels.Field(
                    "推送事件", labels.CHOICE, labels.choices(EventType)
                ),
                "channels.retry:status": labels.Field(
                    "状态", labels.CHOICE, labels.choices(DeliveryStatus), transition=True
                ),
            }
        )

        from zhifa.channels import jobs

        jobs.register()  # its periodic work for zhifa worker (zhifa.core.jobs)

"""电子技术监控设备记录的中文标签 — the portal app's action codes and ``changes`` fields, registered with
zhifa.records.labels when the app is ready."""

from __future__ import annotations

from zhifa.portal.models import DeviceKind, PostKind
from zhifa.records.labels import BOOL, CHOICE, DATE, Field, choices, register_actions, register_fields


def register() -> None:
    register_actions(
        {
            "portal.device_register": "登记电子技术监控设备",
            "portal.device_approve": "审核通过监控设备",
            "portal.device_publish": "公布监控设备设置地点",
            "portal.device_retire": "停用监控设备",
            "portal.post_create": "设置岗位/窗口",
            "portal.post_update": "修改岗位/窗口",
        }
    )
    location = "设置地点"
    in_use_from = Field("启用日期", DATE)
    register_fields(
        {
            "portal.device_register:kind": Field("设备类型", CHOICE, choices(DeviceKind)),
            "portal.device_register:location": location,
            "portal.device_register:purpose": "监控内容",
            "portal.device_register:in_use_from": in_use_from,
            "portal.device_publish:location": location,
            "portal.device_publish:in_use_from": in_use_from,
            "portal.device_retire:retired_on": Field("停用日期", DATE),
            "portal.device_retire:reason": "停用理由",
            "portal.device_retire:location": location,
            **{
                f"{action}:{name}": label
                for action in ("portal.post_create", "portal.post_update")
                for name, label in (
                    ("kind", Field("类别", CHOICE, choices(PostKind))),
                    ("name", "岗位/窗口名称"),
                    ("location", "地点"),
                    ("duties", "岗位职责与办理事项"),
                    ("service_hours", "办公时间"),
                    ("is_active", Field("启用", BOOL)),
                    ("officers", "在岗执法人员"),
                )
            },
        }
    )

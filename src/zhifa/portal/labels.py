"""电子技术监控设备记录的中文标签 — the portal app's action codes and ``changes`` fields, registered with
zhifa.records.labels when the app is ready."""

from __future__ import annotations

from zhifa.portal.models import DeviceKind
from zhifa.records.labels import CHOICE, DATE, Field, choices, register_actions, register_fields


def register() -> None:
    register_actions(
        {
            "portal.device_register": "登记电子技术监控设备",
            "portal.device_approve": "审核通过监控设备",
            "portal.device_publish": "公布监控设备设置地点",
            "portal.device_retire": "停用监控设备",
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
        }
    )

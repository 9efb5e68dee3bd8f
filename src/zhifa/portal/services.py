"""公示平台 — state changes: the electronic monitoring-device register (电子技术监控设备).

行政处罚法 第四十一条: a device used to gather evidence of violations must pass legal and technical review and
its location must be published before it is used; so a device is registered, approved (审核), then published,
each step on the ledger, and the portal lists only published ones.
"""

from __future__ import annotations

import datetime as dt

from zhifa.core import clock
from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.core.transactions import service
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, User
from zhifa.portal import rules
from zhifa.portal.models import DeviceKind, MonitoringDevice
from zhifa.records.services import record_append


@service
def device_register(
    actor: User,
    *,
    agency: Agency,
    kind: str,
    location: str,
    purpose: str,
    in_use_from: dt.date,
) -> MonitoringDevice:
    """登记电子技术监控设备 — a draft entry; not public until approved and published."""
    location, purpose = (location or "").strip(), (purpose or "").strip()
    if kind not in DeviceKind.values:
        raise InvalidInput(
            "设备类型不正确。", "Unknown device kind.", code="invalid_device_kind", field="kind"
        )
    if not location:
        raise InvalidInput(
            "请填写设置地点。", "Location is required.", code="location_required", field="location"
        )
    if len(location) > 200:
        raise InvalidInput(
            "设置地点不超过200字。", "Location too long.", code="location_too_long", field="location"
        )
    if not purpose:
        raise InvalidInput(
            "请填写监控内容。", "Purpose is required.", code="purpose_required", field="purpose"
        )
    if len(purpose) > 300:
        raise InvalidInput(
            "监控内容不超过300字。", "Purpose too long.", code="purpose_too_long", field="purpose"
        )
    device = MonitoringDevice(
        agency=agency,
        kind=kind,
        location=location,
        purpose=purpose,
        in_use_from=in_use_from,
        created_by=actor,
    )
    perms.require(actor, rules.REGISTER_DEVICE, device)
    device.save()
    record_append(
        actor=actor,
        action="portal.device_register",
        obj=device,
        changes={
            "kind": kind,
            "location": location,
            "purpose": purpose,
            "in_use_from": in_use_from.isoformat(),
        },
    )
    return device


@service
def device_approve(actor: User, device: MonitoringDevice) -> MonitoringDevice:
    """法制和技术审核通过 (行政处罚法 第四十一条) — by the agency head."""
    device = MonitoringDevice.objects.select_for_update().select_related("agency").get(pk=device.pk)
    perms.require(actor, rules.APPROVE_DEVICE, device)
    if device.approved_at is not None:
        raise RuleViolation(
            "该设备已通过审核。", "The device is already approved.", code="device_already_approved"
        )
    device.approved_by = actor
    device.approved_at = clock.now()
    device.save(update_fields=["approved_by", "approved_at"])
    record_append(actor=actor, action="portal.device_approve", obj=device, changes={})
    return device


@service
def device_publish(actor: User, device: MonitoringDevice) -> MonitoringDevice:
    """向社会公布设置地点 — only after the review (行政处罚法 第四十一条)."""
    device = MonitoringDevice.objects.select_for_update().select_related("agency").get(pk=device.pk)
    perms.require(actor, rules.REGISTER_DEVICE, device)
    # 行政处罚法 第四十一条: 应当经过法制和技术审核……设置地点应当向社会公布
    if device.approved_at is None:
        raise RuleViolation(
            "设备未经法制和技术审核，不能公布（行政处罚法第四十一条）。",
            "A device must pass legal and technical review before it is published (Administrative Penalty Law "
            "art. 41).",
            code="device_not_approved",
        )
    if device.published_at is not None:
        raise RuleViolation(
            "该设备已公布。", "The device is already published.", code="device_already_published"
        )
    device.published_at = clock.now()
    device.save(update_fields=["published_at"])
    record_append(
        actor=actor,
        action="portal.device_publish",
        obj=device,
        changes={"location": device.location, "in_use_from": device.in_use_from.isoformat()},
    )
    return device


@service
def device_retire(
    actor: User, device: MonitoringDevice, *, on: dt.date | None, reason: str
) -> MonitoringDevice:
    """停用 — the device is removed or moved (a moved one is registered anew at its new place). The portal keeps
    listing a published device with the day it stopped: what it recorded before then keeps its basis
    (行政处罚法 第四十一条), and the public sees where monitoring has ended. By the agency head, on the ledger."""
    device = MonitoringDevice.objects.select_for_update().select_related("agency").get(pk=device.pk)
    perms.require(actor, rules.APPROVE_DEVICE, device)
    if device.retired_on is not None:
        raise RuleViolation(
            f"该设备已于 {device.retired_on:%Y-%m-%d} 停用。",
            "The device is already retired.",
            code="device_already_retired",
        )
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            "请填写停用原因。", "A reason is required.", code="reason_required", field="reason"
        )
    if len(reason) > 200:
        raise InvalidInput(
            "停用原因不超过200字。", "Reason too long.", code="reason_too_long", field="reason"
        )
    if on is None:
        raise InvalidInput(
            "请填写停用日期。", "The date is required.", code="date_required", field="retired_on"
        )
    registered = clock.business_date(device.created_at)
    if on < registered:
        raise InvalidInput(
            f"停用日期不能早于登记日期（{registered:%Y-%m-%d}）。",
            "The device cannot stop before it was registered.",
            code="retired_before_registered",
            field="retired_on",
        )
    device.retired_on, device.retire_reason, device.retired_by = on, reason, actor
    device.save(update_fields=["retired_on", "retire_reason", "retired_by"])
    record_append(
        actor=actor,
        action="portal.device_retire",
        obj=device,
        changes={"retired_on": on.isoformat(), "reason": reason, "location": device.location},
    )
    return device

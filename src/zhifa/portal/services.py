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
from zhifa.org.models import Agency, Officer, User
from zhifa.portal import rules
from zhifa.portal.models import DeviceKind, MonitoringDevice, PostKind, ServicePost
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


# --- posts and windows (岗位/窗口) --------------------------------------------------------------------------------

_POST_TEXT = (
    ("name", "岗位/窗口名称", 50, True),
    ("location", "地点", 200, False),
    ("duties", "岗位职责与办理事项", 300, False),
    ("service_hours", "办公时间", 200, False),
)


def _post_fields(kind: str, texts: dict[str, str]) -> dict[str, str]:
    if kind not in PostKind.values:
        raise InvalidInput("类别不正确。", "Unknown post kind.", code="invalid_post_kind", field="kind")
    cleaned: dict[str, str] = {"kind": kind}
    for name, label, limit, required in _POST_TEXT:
        value = (texts.get(name) or "").strip()
        if required and not value:
            raise InvalidInput(
                f"请填写{label}。", f"{name} is required.", code=f"{name}_required", field=name
            )
        if len(value) > limit:
            raise InvalidInput(
                f"{label}不超过{limit}字。", f"{name} is too long.", code=f"{name}_too_long", field=name
            )
        cleaned[name] = value
    return cleaned


def _post_officers(agency: Agency, officers: list[Officer]) -> list[Officer]:
    """Seed 003: the board names the agency's own staff on the post — an officer of another agency, or one who
    has left (not 在岗), cannot be put on it."""
    ids = sorted({o.pk for o in officers})
    rows = list(
        Officer.objects.filter(pk__in=ids, agency_id=agency.pk, is_active=True).order_by("name", "id")
    )
    if len(rows) != len(ids):
        raise InvalidInput(
            "只能选择本执法主体在岗的执法人员。",
            "Only active officers of the post's own agency can be put on it.",
            code="officer_not_of_agency",
            field="officers",
        )
    return rows


def _post_changes(post: ServicePost, officers: list[Officer]) -> dict[str, object]:
    return {
        "kind": post.kind,
        "name": post.name,
        "location": post.location,
        "duties": post.duties,
        "service_hours": post.service_hours,
        "is_active": post.is_active,
        "officers": [o.name for o in officers],
    }


def _name_taken(agency: Agency, name: str, exclude: int | None = None) -> None:
    same = ServicePost.objects.filter(agency=agency, name=name)
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        raise InvalidInput(
            f"本机关已有名为“{name}”的岗位或窗口。",
            "The agency already has a post of that name.",
            code="post_name_taken",
            field="name",
        )


@service
def service_post_create(
    actor: User, *, agency: Agency, kind: str, officers: list[Officer], **texts: str
) -> ServicePost:
    """设置岗位/窗口 — by the agency head, for the agency's 岗位信息公示牌 and 窗口公示公告 (seed 003)."""
    fields = _post_fields(kind, texts)
    post = ServicePost(agency=agency, created_by=actor, **fields)
    perms.require(actor, rules.MANAGE_POST, post)
    _name_taken(agency, post.name)
    staff = _post_officers(agency, officers)
    post.save()
    post.officers.set(staff)
    record_append(actor=actor, action="portal.post_create", obj=post, changes=_post_changes(post, staff))
    return post


@service
def service_post_update(
    actor: User, post: ServicePost, *, kind: str, officers: list[Officer], is_active: bool, **texts: str
) -> ServicePost:
    """修改岗位/窗口 — who is on it, its hours; a post no longer in use is 停用 (kept, never deleted)."""
    post = ServicePost.objects.select_for_update().select_related("agency").get(pk=post.pk)
    perms.require(actor, rules.MANAGE_POST, post)
    fields = _post_fields(kind, texts)
    _name_taken(post.agency, fields["name"], exclude=post.pk)
    staff = _post_officers(post.agency, officers)
    for name, value in fields.items():
        setattr(post, name, value)
    post.is_active = bool(is_active)
    post.save(update_fields=[*fields, "is_active"])
    post.officers.set(staff)
    record_append(actor=actor, action="portal.post_update", obj=post, changes=_post_changes(post, staff))
    return post

"""行政处罚法 第四十一条: a monitoring device is reviewed (法制和技术审核) before its location is published."""

from __future__ import annotations

import datetime as dt

import pytest

from zhifa.core import clock
from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.portal import selectors, services
from zhifa.portal.models import MonitoringDevice
from zhifa.records.models import LedgerEntry


def _register(world, user=None, **kw):
    data = dict(
        agency=world.agency,
        kind="camera",
        location="测县人民路口",
        purpose="占道经营",
        in_use_from=dt.date(2026, 1, 1),
    )
    data.update(kw)
    return services.device_register(user or world.officer_user, **data)


def test_device_is_not_public_until_approved_and_published(world, client):
    device = _register(world)
    assert not selectors.published_devices().exists()
    services.device_approve(world.head, device)
    assert not selectors.published_devices().exists()
    assert "测县人民路口" not in client.get("/public/devices/").content.decode()
    services.device_publish(world.officer_user, device)
    assert list(selectors.published_devices()) == [device]
    assert "测县人民路口" in client.get("/public/devices/").content.decode()
    assert client.get("/api/portal/devices").json()["items"][0]["location"] == "测县人民路口"


def test_device_publish_refused_before_review(world):
    device = _register(world)
    with pytest.raises(RuleViolation) as exc:
        services.device_publish(world.head, device)
    assert exc.value.code == "device_not_approved"
    assert MonitoringDevice.objects.get(pk=device.pk).published_at is None


def test_device_review_is_the_heads_not_the_officers(world):
    device = _register(world)
    with pytest.raises(PermissionDenied):
        services.device_approve(world.officer_user, device)
    assert MonitoringDevice.objects.get(pk=device.pk).approved_at is None


def test_device_of_another_agency_cannot_be_approved_or_registered(world):
    device = _register(world)
    with pytest.raises(PermissionDenied):
        services.device_approve(world.outsider, device)
    with pytest.raises(PermissionDenied):
        _register(world, user=world.outsider)


def test_device_steps_are_on_the_ledger(world):
    device = _register(world)
    services.device_approve(world.head, device)
    services.device_publish(world.head, device)
    actions = list(
        LedgerEntry.objects.filter(action__startswith="portal.device")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["portal.device_register", "portal.device_approve", "portal.device_publish"]


def test_device_register_refuses_blank_location(world):
    with pytest.raises(InvalidInput) as exc:
        _register(world, location="  ")
    assert exc.value.code == "location_required"
    assert not MonitoringDevice.objects.exists()


def test_device_staff_page_scoped_and_act_outside_scope_is_404(world, client):
    device = _register(world)
    client.force_login(world.outsider)
    response = client.get("/public/staff/devices/")
    assert response.status_code == 200
    assert "测县人民路口" not in response.content.decode()
    assert client.post(f"/public/staff/devices/{device.pk}/approve/").status_code == 404
    client.force_login(world.head)
    assert "测县人民路口" in client.get("/public/staff/devices/").content.decode()
    assert client.post(f"/public/staff/devices/{device.pk}/approve/").status_code == 302
    assert MonitoringDevice.objects.get(pk=device.pk).approved_at is not None


def test_demo_step_publishes_two_devices_and_leaves_one_for_review(world):
    from zhifa.org.demo import DemoContext
    from zhifa.portal.demo import build_devices_demo

    world.head.username = "demo_head"
    world.head.save(update_fields=["username"])
    build_devices_demo(DemoContext(scale=0.05, seed=1, today=dt.date(2026, 3, 1), say=lambda _m: None))
    assert selectors.published_devices().count() == 2
    pending = MonitoringDevice.objects.get(approved_at__isnull=True)
    assert pending.agency == world.agency and pending.published_at is None


# --- 停用 (a device removed or moved) ---------------------------------------------------------------------------


def _published(world):
    device = _register(world)
    services.device_approve(world.head, device)
    return services.device_publish(world.head, device)


def test_a_retired_device_stays_on_the_portal_with_the_day_it_stopped(world, client):
    device = _published(world)
    today = clock.today()
    services.device_retire(world.head, device, on=today, reason="路口改造，设备拆除")
    assert list(selectors.published_devices()) == [device]  # still listed: what it recorded keeps its basis
    page = client.get("/public/devices/").content.decode()
    assert "测县人民路口" in page and f"{today:%Y-%m-%d} 起停用" in page
    assert client.get("/api/portal/devices").json()["items"][0]["retired_on"] == today.isoformat()
    entry = LedgerEntry.objects.get(action="portal.device_retire")
    assert "路口改造" in entry.changes and entry.object_id == str(device.pk)


def test_retiring_is_the_heads_with_a_reason_once_and_not_before_registration(world):
    device = _published(world)
    with pytest.raises(PermissionDenied):
        services.device_retire(world.officer_user, device, on=clock.today(), reason="拆除")
    with pytest.raises(PermissionDenied):
        services.device_retire(world.outsider, device, on=clock.today(), reason="拆除")
    for on, reason, code in (
        (clock.today(), "  ", "reason_required"),
        (None, "拆除", "date_required"),
        (dt.date(2000, 1, 1), "拆除", "retired_before_registered"),
    ):
        with pytest.raises(InvalidInput) as exc:
            services.device_retire(world.head, device, on=on, reason=reason)
        assert exc.value.code == code
    assert MonitoringDevice.objects.get(pk=device.pk).retired_on is None
    services.device_retire(world.head, device, on=clock.today(), reason="拆除")
    with pytest.raises(RuleViolation) as again:
        services.device_retire(world.head, device, on=clock.today(), reason="再次")
    assert again.value.code == "device_already_retired"
    assert MonitoringDevice.objects.get(pk=device.pk).retire_reason == "拆除"


def test_the_staff_page_retires_a_device_and_refuses_a_bad_date_in_chinese(world, client):
    device = _published(world)
    client.force_login(world.head)
    assert (
        f"/public/staff/devices/{device.pk}/retire/" in client.get("/public/staff/devices/").content.decode()
    )
    bad = client.post(
        f"/public/staff/devices/{device.pk}/retire/",
        {"retired_on": "2026-13-40", "reason": "拆除"},
        follow=True,
    )
    assert "日期格式应为 YYYY-MM-DD" in bad.content.decode()
    assert MonitoringDevice.objects.get(pk=device.pk).retired_on is None
    ok = client.post(
        f"/public/staff/devices/{device.pk}/retire/",
        {"retired_on": clock.today().isoformat(), "reason": "迁移至新址"},
        follow=True,
    )
    assert "已登记停用" in ok.content.decode()
    assert MonitoringDevice.objects.get(pk=device.pk).retire_reason == "迁移至新址"
    client.force_login(world.officer_user)
    assert client.post(f"/public/staff/devices/{device.pk}/retire/", {"reason": "x"}).status_code == 403

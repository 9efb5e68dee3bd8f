"""The pages of 综合查一次: create a joint task, each head approves, one check-in, a result form per own check."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from zhifa.core import clock
from zhifa.inspections import codes, services
from zhifa.inspections.models import Inspection, InspectionStatus, InspectionTask, TaskStatus
from zhifa.inspections.tests.conftest import at
from zhifa.inspections.tests.test_joint import IN_WINDOW, _oid, check_of, joint
from zhifa.org.models import User
from zhifa.org.tokens import token_create

__all__ = ["joint"]


def api_client(user: User) -> Client:
    _, key = token_create(user, "test")
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_joint_visit_through_the_pages(joint, monkeypatch) -> None:
    w = joint.w
    monkeypatch.setattr(clock, "now", lambda: IN_WINDOW)
    lead = client_for(w.officer_user)
    page = lead.get(reverse("inspections:joint_create"))
    assert page.status_code == 200 and "公共场所卫生检查" in page.content.decode()
    party = w.parties[2]
    response = lead.post(
        reverse("inspections:joint_create"),
        {
            "title": "综合查一次",
            "reason": "联合检查",
            "starts_on": "2026-03-01",
            "ends_on": "2026-03-31",
            "items": [joint.lead_item.pk, joint.emergency_item.pk, joint.health_item.pk],
            "mode": "filed",
            "party_code": party.uscc,
            "officers": [w.officers[0].pk, w.officers[1].pk],
            "inspectors_per_agency": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    task = InspectionTask.objects.get(title="综合查一次")
    url = reverse("inspections:task_detail", args=[task.pk])
    assert client_for(w.head).post(reverse("inspections:joint_approve", args=[task.pk])).status_code == 302
    other = client_for(w.other_head)
    assert "批准本部门事项" in other.get(url).content.decode()
    refused = other.post(reverse("inspections:joint_approve", args=[task.pk]), {"officers": []})
    assert refused.status_code == 422
    ok = other.post(
        reverse("inspections:joint_approve", args=[task.pk]),
        {"officers": [_oid(joint.emergency_officers[0])]},
    )
    assert ok.status_code == 302
    client_for(joint.health_head).post(
        reverse("inspections:joint_approve", args=[task.pk]), {"officers": [_oid(joint.health_officers[0])]}
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.APPROVED
    inspection = Inspection.objects.get(task=task)
    services.inspection_check_in(w.officer_user, codes.issue_code(inspection), place="现场", now=IN_WINDOW)
    health = client_for(joint.health_officers[0])
    onsite = health.get(reverse("inspections:onsite", args=[inspection.pk])).content.decode()
    assert onsite.count("提交本事项结果") == 1  # only the health check is theirs
    hc = check_of(inspection, joint.health)
    bad = health.post(reverse("inspections:check_act", args=[hc.pk, "result"]), {f"c{hc.pk}-outcome": "pass"})
    assert bad.status_code == 422
    ec = check_of(inspection, w.other_agency)
    assert health.post(
        reverse("inspections:check_act", args=[ec.pk, "result"]),
        {f"c{ec.pk}-outcome": "pass", f"c{ec.pk}-findings": "x"},
    ).status_code in (403, 422)
    for user, check in (
        (joint.health_officers[0], hc),
        (joint.emergency_officers[0], ec),
        (w.officer_user, check_of(inspection, w.agency)),
    ):
        r = client_for(user).post(
            reverse("inspections:check_act", args=[check.pk, "result"]),
            {f"c{check.pk}-outcome": "pass", f"c{check.pk}-findings": "合格"},
        )
        assert r.status_code == 302, r.content.decode()[:2000]
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.DONE
    detail = lead.get(url).content.decode()
    assert detail.count("合格") >= 3
    assert at(dt.date(2026, 3, 10))


def test_joint_visit_through_the_api(joint, monkeypatch) -> None:
    w = joint.w
    monkeypatch.setattr(clock, "now", lambda: IN_WINDOW)
    base = "/api/inspections"
    lead = api_client(w.officer_user)
    body = {
        "agency_id": w.agency.pk,
        "title": "接口联合检查",
        "reason": "联合检查",
        "starts_on": "2026-03-01",
        "ends_on": "2026-03-31",
        "parts": [
            {"agency_id": w.agency.pk, "item_id": joint.lead_item.pk},
            {"agency_id": w.other_agency.pk, "item_id": joint.emergency_item.pk},
        ],
        "party_id": w.parties[3].pk,
        "officer_ids": [w.officers[0].pk],
    }
    created = lead.post(f"{base}/joint-tasks", body, content_type="application/json")
    assert created.status_code == 201, created.content
    task_id = created.json()["id"]
    assert (
        api_client(w.head)
        .post(f"{base}/tasks/{task_id}/joint-approve", {}, content_type="application/json")
        .status_code
        == 200
    )
    partner = api_client(w.other_head)
    refused = partner.post(
        f"{base}/tasks/{task_id}/joint-approve", {"officer_ids": []}, content_type="application/json"
    )
    assert refused.status_code == 422 and refused.json()["message_en"]
    approved = partner.post(
        f"{base}/tasks/{task_id}/joint-approve",
        {"officer_ids": [_oid(joint.emergency_officers[0])]},
        content_type="application/json",
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    inspection = Inspection.objects.get(task_id=task_id)
    services.inspection_check_in(w.officer_user, codes.issue_code(inspection), place="现场", now=IN_WINDOW)
    emergency = api_client(joint.emergency_officers[0])
    checks = emergency.get(f"{base}/inspections/{inspection.pk}/checks").json()
    assert len(checks) == 2
    lead_check = next(c for c in checks if c["agency_id"] == w.agency.pk)
    own = next(c for c in checks if c["agency_id"] == w.other_agency.pk)
    result = {"outcome": "pass", "findings": "合格"}
    # the lead agency's check is out of the partner officer's scope: 404, nothing written
    assert (
        emergency.post(
            f"{base}/checks/{lead_check['id']}/result", result, content_type="application/json"
        ).status_code
        == 404
    )
    ok = emergency.post(f"{base}/checks/{own['id']}/result", result, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["outcome"] == "pass"
    again = emergency.post(f"{base}/checks/{own['id']}/result", result, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "already_recorded"

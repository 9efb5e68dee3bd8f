"""Staff pages and API: queue, preview, approve by another person, withdraw; scope answers 404 / 403."""

from __future__ import annotations

from zhifa.disclosure.models import PublicationStatus
from zhifa.disclosure.tests.helpers import publication_of


def test_queue_lists_overdue_obligations_and_the_preview_is_the_masked_text(
    client, world, simple_decision
) -> None:
    client.force_login(world.officer_user)
    page = client.get("/disclosure/").content.decode()
    assert "销售过期食品" in page and "已逾期" in page
    p = publication_of(simple_decision)
    preview = client.get(f"/disclosure/{p.pk}/").content.decode()
    assert "销售过期食品" in preview and "提交审核" in preview
    assert (
        'data-testid="number-pending"' in preview
    )  # the 决定书 is not issued yet: its 文号 is still to come


def test_submit_then_approve_by_the_head_through_the_pages(client, world, simple_decision) -> None:
    p = publication_of(simple_decision)
    client.force_login(world.officer_user)
    client.post(f"/disclosure/{p.pk}/submit/")
    client.force_login(world.head)
    client.post(f"/disclosure/{p.pk}/approve/")
    assert publication_of(simple_decision).status == PublicationStatus.PUBLISHED


def test_other_agency_gets_404_on_the_page_and_the_api(client, world, simple_decision) -> None:
    p = publication_of(simple_decision)
    client.force_login(world.outsider)
    assert client.get(f"/disclosure/{p.pk}/").status_code == 404
    assert client.get(f"/api/disclosure/publications/{p.pk}").status_code == 404
    assert client.post(f"/api/disclosure/publications/{p.pk}/submit").status_code == 404


def test_api_steps_and_declared_errors(client, world, simple_decision) -> None:
    p = publication_of(simple_decision)
    client.force_login(world.officer_user)
    assert client.post(f"/api/disclosure/publications/{p.pk}/submit").json()["status"] == "submitted"
    assert client.post(f"/api/disclosure/publications/{p.pk}/approve").status_code == 403
    client.force_login(world.head)
    assert client.post(f"/api/disclosure/publications/{p.pk}/approve").json()["status"] == "published"
    bad = client.post(
        f"/api/disclosure/publications/{p.pk}/withdraw",
        {"kind": "revoked", "reason": ""},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["field"] == "reason"
    ok = client.post(
        f"/api/disclosure/publications/{p.pk}/withdraw",
        {"kind": "revoked", "reason": "已被撤销"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["status"] == "withdrawn"
    again = client.post(
        f"/api/disclosure/publications/{p.pk}/withdraw",
        {"kind": "revoked", "reason": "已被撤销"},
        content_type="application/json",
    )
    assert again.status_code == 409
    items = client.get("/api/disclosure/publications").json()["items"]
    assert [i["id"] for i in items] == [p.pk]


def test_case_page_shows_the_publication_panel(client, world, simple_decision) -> None:
    client.force_login(world.officer_user)
    page = client.get(f"/cases/{simple_decision.pk}/").content.decode()
    assert "执法公示" in page and "查看公示" in page

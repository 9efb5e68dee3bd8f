"""离线现场检查 in Debian's chromium (Playwright) with the network switched off (``context.set_offline``):
the officer opens the today list and the on-site page online, goes offline, checks in, adds a photo, records
the result, reloads the page (served by the service worker from its cache: the server sees no request), goes
back online, and the queue syncs — the server has the check-in at the capture time, the photo, the result and
ledger entries with both times. A second walk: the head cancels the task from the task page while the officer
is offline; the officer's synced work shows as 冲突 on the page and in the supervisors' list, never lost.

The live server shares the test's connection (``zhifa.testing.browser``); ORM reads after the browser has
started run in a helper thread on that connection (Playwright's loop forbids them on the test's thread).
Screenshots: ``test-artifacts/screenshots/inspections-offline-*.png``.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.urls import reverse

from zhifa.core import clock
from zhifa.evidence.models import Evidence
from zhifa.inspections import services
from zhifa.inspections.models import ChecklistResult, Inspection, InspectionStatus, OfflineAction
from zhifa.inspections.tests.conftest import TZ_NOW, World, make_plan, make_random_task
from zhifa.org.models import User
from zhifa.records.models import LedgerEntry
from zhifa.testing import browser as browser_tools

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


class Requests:
    """The paths the server answered (static files excepted: the static handler serves them first)."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    def wrap(self, app: Any) -> Any:
        def counted(environ: dict[str, Any], start_response: Any) -> Any:
            self.paths.append(environ.get("PATH_INFO", ""))
            return app(environ, start_response)

        return counted


@pytest.fixture
def requests_seen() -> Requests:
    return Requests()


@pytest.fixture
def server(db: None, requests_seen: Requests, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A live server on this module's small world only (no demo county), counting what reaches Django."""
    plain = browser_tools.wsgi_handler
    monkeypatch.setattr(browser_tools, "wsgi_handler", lambda: requests_seen.wrap(plain()))
    with browser_tools.live_server_sharing_connection() as url:
        yield url


@pytest.fixture
def launch_browser(server: str) -> Iterator[Callable[[], Any]]:
    with browser_tools.chromium_launcher() as launch:
        yield launch


@pytest.fixture(autouse=True)
def _evidence_dirs(evidence_dirs: Path) -> Path:
    return evidence_dirs


@pytest.fixture
def visit(world: World) -> tuple[Inspection, User]:
    _, plan_item = make_plan(world)
    today = clock.today()
    task = make_random_task(
        world,
        plan_item,
        party_count=1,
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=30),
    )
    services.task_draw(world.officer_user, task, now=TZ_NOW)
    inspection = Inspection.objects.select_related("party").get(task=task)
    services.checklist_set(  # 一表通查: the item's checklist, recorded offline too
        world.head,
        inspection.item,
        lines=[
            {
                "content": "是否取得许可证",
                "method": "查验许可证原件",
                "basis": "《中华人民共和国食品安全法》第三十五条",
            }
        ],
        effective_from=dt.date(2025, 1, 1),
    )
    member = User.objects.get(officer__pk=inspection.assignments.first().officer_id)
    return inspection, member


def _cookie(user: User) -> dict[str, Any]:
    client = Client()
    client.force_login(user)
    return {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}


def _phone(
    browser: Any, server: str, user_cookie: dict[str, Any]
) -> tuple[Any, Any, browser_tools.PageProblems]:
    context = browser.new_context(viewport=browser_tools.PHONE, locale="zh-CN", reduced_motion="reduce")
    context.add_cookies([{**user_cookie, "url": server}])
    page = context.new_page()
    return context, page, browser_tools.PageProblems(page)


def in_db(connection: Any, fn: Callable[[], Any]) -> Any:
    """Run ``fn`` on the test's connection (taken before the browser started) in a helper thread, where no
    Playwright loop runs."""
    out: dict[str, Any] = {}

    def run() -> None:
        connections["default"] = connection
        out["value"] = fn()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return out["value"]


def _open_online(page: Any, server: str, inspection: Inspection) -> None:
    """The today list registers the service worker and keeps today's pages; then the on-site page."""
    page.goto(f"{server}{reverse('inspections:today')}")
    page.locator("[data-offline-root][data-kept]").wait_for()
    assert page.locator("[data-offline-status]").get_attribute("data-state") == "synced"
    page.locator(f'[data-inspection="{inspection.pk}"] a.btn[data-keep-offline]').click()
    page.locator('[data-step="check_in"]').wait_for()


def _status(page: Any) -> str:
    return page.locator("[data-offline-status] [data-offline-label]").inner_text()


def test_offline_check_in_photo_and_result_survive_a_reload_and_sync_when_back_online(
    visit: tuple[Inspection, User],
    launch_browser: Callable[[], Any],
    server: str,
    requests_seen: Requests,
    tmp_path: Path,
) -> None:
    inspection, member = visit
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(PNG)
    cookie, connection = _cookie(member), connections["default"]
    context, page, problems = _phone(launch_browser(), server, cookie)
    _open_online(page, server, inspection)

    context.set_offline(True)
    page.locator('[data-offline-status][data-state="offline"]').wait_for()
    page.fill("#id_place", "示范路 8 号 仓库")
    page.get_by_role("button", name="签到进企").click()
    page.locator('[data-pending-kind="check_in"]').wait_for()
    checklist = page.locator('form[data-offline-form="checklist"]')
    checklist.locator("label", has_text="不符合").click()
    checklist.locator("input[name^=note_]").fill("许可证已过期")
    checklist.get_by_role("button", name="保存检查表单结果").click()
    page.locator('[data-pending-kind="checklist"]').wait_for()
    page.set_input_files("#photo", str(photo))
    page.get_by_role("button", name="上传并存证").click()
    page.locator('[data-pending-kind="photo"]').wait_for()
    page.locator("label[for=outcome-pass]").click()
    page.fill("#id_findings", "证照齐全，台账完整。")
    page.get_by_role("button", name="提交检查结果").click()
    page.locator('[data-pending-kind="result"]').wait_for()
    assert _status(page) == "离线 · 待同步 4 条"
    browser_tools.shot(page, "inspections-offline-queued-phone.png")

    seen = len(requests_seen.paths)
    page.reload()  # no network: the service worker answers from its cache
    page.locator('[data-pending-kind="result"]').wait_for()
    # Only the browser's own update check of the worker script may get through (Chromium's offline emulation
    # covers pages and their workers' fetches, not that check; on a phone without network it fails and the
    # installed worker stays): the page itself came from the cache.
    reached = [p for p in requests_seen.paths[seen:] if p != reverse("inspections:service_worker")]
    assert reached == [], f"the reload reached the server while offline: {reached}"
    assert page.locator("[data-pending-kind]").count() == 4
    assert _status(page) == "离线 · 待同步 4 条"
    assert page.locator('section[data-offline-section="check_in"]').is_hidden()
    browser_tools.shot(page, "inspections-offline-reloaded-phone.png")

    context.set_offline(False)  # the queue syncs, then the page shows the server's state
    page.locator('[data-step="done"]').wait_for(timeout=20000)
    page.locator('[data-offline-status][data-state="synced"]').wait_for()
    assert _status(page) == "已同步"
    done = page.locator('[data-step="done"]').inner_text()
    assert "证照齐全" in done and "示范路 8 号 仓库" in done
    browser_tools.shot(page, "inspections-offline-synced-phone.png")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= browser_tools.PHONE["width"], f"the page scrolls sideways on a phone ({width} px)"

    def server_state() -> dict[str, Any]:
        i = Inspection.objects.get(pk=inspection.pk)
        actions = list(OfflineAction.objects.filter(inspection=i).order_by("captured_at"))
        entries = {
            e.action: e
            for e in LedgerEntry.objects.filter(object_type="inspections.inspection", object_id=str(i.pk))
        }
        return {
            "inspection": i,
            "actions": actions,
            "photos": Evidence.objects.filter(
                object_type="inspections.inspection", object_id=str(i.pk)
            ).count(),
            "checklist": list(ChecklistResult.objects.filter(inspection=i).values_list("result", "note")),
            "check_in": entries["inspection.check_in"],
            "result": entries["inspection.result"],
        }

    state = in_db(connection, server_state)
    i, actions = state["inspection"], state["actions"]
    assert i.status == InspectionStatus.DONE and i.outcome == "pass" and i.place == "示范路 8 号 仓库"
    assert [a.kind for a in actions] == ["check_in", "checklist", "photo", "result"]
    assert all(a.state == "applied" for a in actions) and state["photos"] == 1
    assert state["checklist"] == [("nonconforming", "许可证已过期")]
    check_in, result = actions[0], actions[3]
    assert i.entered_at == check_in.captured_at and i.result_at == result.captured_at
    assert check_in.synced_at > check_in.captured_at  # captured offline, synced after the reload
    assert (
        state["check_in"].occurred_at == check_in.captured_at and state["check_in"].at >= check_in.synced_at
    )
    assert state["result"].occurred_at == result.captured_at and state["result"].at > result.captured_at
    assert problems.items == [] or all("ERR_INTERNET_DISCONNECTED" in p for p in problems.items), (
        problems.items
    )


def test_work_captured_offline_for_a_task_the_head_cancelled_meanwhile_shows_as_a_conflict(
    visit: tuple[Inspection, User], world: World, launch_browser: Callable[[], Any], server: str
) -> None:
    inspection, member = visit
    officer_cookie, head_cookie, supervisor_cookie = (
        _cookie(member),
        _cookie(world.head),
        _cookie(world.supervisor),
    )
    connection = connections["default"]
    browser = launch_browser()
    context, page, _ = _phone(browser, server, officer_cookie)
    _open_online(page, server, inspection)
    context.set_offline(True)
    page.fill("#id_place", "示范路 9 号")
    page.get_by_role("button", name="签到进企").click()
    page.locator('[data-pending-kind="check_in"]').wait_for()

    # Meanwhile, at the office, the head cancels the task from its page.
    _, head_page, head_problems = _phone(browser, server, head_cookie)
    head_page.goto(f"{server}{reverse('inspections:task_detail', args=[inspection.task_id])}")
    head_page.fill("#id_cancel_reason", "企业已注销，任务撤销")
    head_page.get_by_role("button", name="撤销任务").click()
    head_page.locator('[data-task-status="cancelled"]').wait_for()
    assert head_problems.items == []

    context.set_offline(False)
    page.locator("[data-server-conflict]").wait_for(timeout=20000)
    conflict = page.locator("[data-conflicts]").inner_text()
    assert "冲突" in conflict and "签到进企" in conflict and "检查任务已撤销" in conflict
    assert page.locator('[data-step="cancelled"] [data-task-cancelled]').count() == 1  # nothing applied
    browser_tools.shot(page, "inspections-offline-conflict-phone.png")

    _, sup_page, sup_problems = _phone(browser, server, supervisor_cookie)
    sup_page.goto(f"{server}{reverse('inspections:offline_conflicts')}")
    row = sup_page.locator("[data-offline-action]").first.inner_text()
    assert inspection.party.name in row and "检查任务已撤销" in row
    browser_tools.shot(sup_page, "inspections-offline-conflicts-supervisor.png")
    assert sup_problems.items == []

    kept = in_db(connection, lambda: list(OfflineAction.objects.filter(inspection_id=inspection.pk)))
    assert len(kept) == 1 and kept[0].state == "conflict" and kept[0].payload == {"place": "示范路 9 号"}

# ruff: noqa: F811  (imported fixtures are parameters of the tests below)
"""账本状态 (issue 4 §8): supervisors and administrators see size, algorithm, key fingerprint, the last signed
head and the last verification (every ``zhifa ledger verify`` run is kept); administrators sign on demand;
and the pages in a real browser, with screenshots."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, transaction
from django.test import Client
from django.urls import reverse

from zhifa.cases.tests.helpers import CaseWorld, world  # noqa: F401  (the `world` fixture)
from zhifa.core.tests.test_browser import DESKTOP, PHONE, _log_in, _new_page, _shot, launch_browser, server  # noqa: F401
from zhifa.evidence.tests.conftest import evidence_dirs  # noqa: F401  (autouse fixture)
from zhifa.org.models import Role, User
from zhifa.org.tests.factories import UserFactory, grant
from zhifa.records import signing
from zhifa.records.models import SignedTreeHead
from zhifa.records.services import ledger_sign, record_append
from zhifa.records.tests.tamper import without_triggers
from zhifa.records.verifications import LedgerVerification

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin(world: CaseWorld) -> User:
    user = UserFactory(full_name="管理员")
    grant(user, Role.ADMIN, region=world.county)
    return User.objects.get(pk=user.pk)


def _append(count: int) -> None:
    for i in range(count):
        with transaction.atomic():
            record_append(action="case.note", object_type="cases.case", object_id=str(i), changes={"i": i})


def _verify() -> None:
    call_command("ledger", "verify", stdout=io.StringIO(), stderr=io.StringIO())


# --- verification runs are kept -------------------------------------------------------------------------------------


def test_each_verify_run_is_kept_with_its_outcome(world: CaseWorld) -> None:
    _append(3)
    _verify()
    run = LedgerVerification.objects.get()
    assert run.ok and run.size == 3 and run.entries_checked == 3 and run.failure_count == 0
    without_triggers("records_ledgerentry", "UPDATE records_ledgerentry SET changes = '{}' WHERE seq = 1")
    with pytest.raises(CommandError):
        _verify()
    failed = LedgerVerification.objects.order_by("-id").first()
    assert not failed.ok and failed.failure_count >= 1
    assert "第 1 号记录" in failed.first_failure


def test_verification_records_are_append_only(world: CaseWorld) -> None:
    _verify()
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerVerification.objects.update(ok=False)
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerVerification.objects.all().delete()


# --- the status page ------------------------------------------------------------------------------------------------


def test_status_page_shows_size_head_key_and_last_verification_to_a_supervisor(world: CaseWorld) -> None:
    _append(4)
    head = ledger_sign()
    _append(2)
    _verify()
    html = _client(world.supervisor).get(reverse("records:status")).content.decode()
    assert 'data-stat="size">6<' in html
    assert 'data-stat="signed-size">4<' in html and "2 条尚未签名" in html
    assert bytes(head.root).hex() in html
    assert signing.key_fingerprint(signing.load_signing_key().public_key_raw) in html
    assert "SM3" in html
    assert 'data-stat="verification"' in html and "通过" in html
    assert "立即签名树头" not in html  # signing is the administrators'


def test_status_page_names_the_first_problem_of_a_failed_verification(world: CaseWorld) -> None:
    _append(3)
    without_triggers("records_ledgerentry", "UPDATE records_ledgerentry SET changes = '{}' WHERE seq = 2")
    with pytest.raises(CommandError):
        _verify()
    html = _client(world.supervisor).get(reverse("records:status")).content.decode()
    assert "未通过" in html and 'data-testid="verification-failure"' in html and "第 2 号记录" in html


def test_status_page_before_any_signature_or_verification_creates_no_key(
    world: CaseWorld, ledger_key_file: Path
) -> None:
    html = _client(world.supervisor).get(reverse("records:status")).content.decode()
    assert "尚未签名" in html and "尚未校验" in html and "尚未生成签名密钥" in html
    assert not ledger_key_file.exists()


def test_status_page_is_refused_to_officers_heads_and_reviewers(world: CaseWorld) -> None:
    for user in (world.officer_user, world.head, world.reviewer):
        assert _client(user).get(reverse("records:status")).status_code == 403


def test_an_admin_signs_a_head_now(world: CaseWorld, admin: User) -> None:
    _append(3)
    client = _client(admin)
    assert "立即签名树头" in client.get(reverse("records:status")).content.decode()
    response = client.post(reverse("records:sign"))
    assert response.status_code == 302 and response["Location"] == reverse("records:status")
    assert SignedTreeHead.objects.get().tree_size == 3
    assert "已签名树头：大小 3" in client.get(reverse("records:status")).content.decode()


def test_a_supervisor_may_not_sign_and_get_does_not_sign(world: CaseWorld, admin: User) -> None:
    assert _client(world.supervisor).post(reverse("records:sign")).status_code == 403
    assert _client(admin).get(reverse("records:sign")).status_code == 405
    assert not SignedTreeHead.objects.exists()


def test_the_menu_shows_the_status_page_to_supervisors_and_admins_only(world: CaseWorld, admin: User) -> None:
    link = f'href="{reverse("records:status")}"'
    assert link in _client(world.supervisor).get(reverse("core:workbench")).content.decode()
    assert link in _client(admin).get(reverse("core:workbench")).content.decode()
    assert link not in _client(world.officer_user).get(reverse("core:workbench")).content.decode()


# --- in the browser ---------------------------------------------------------------------------------------------------


def _png(width: int, height: int, seed: int) -> bytes:
    """A real PNG (a colour gradient), so that the gallery shows a picture and not a broken image."""
    rows = b"".join(
        b"\x00" + bytes(v for x in range(width) for v in ((x * 255) // width, (y * 255) // height, seed))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def serial_server(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> str:
    """The browser tests' live server, one request at a time.

    The gallery's thumbnails load in parallel and each records a retrieval (a write); the test server shares
    the test's one SQLite connection between its threads, so the views run under a lock.
    """
    import threading

    from zhifa.testing import browser

    original = browser.wsgi_handler
    lock = threading.Lock()

    def locked_handler() -> Any:
        handler = original()

        def app(environ: Any, start_response: Any) -> Any:
            with lock:
                return handler(environ, start_response)

        return app

    monkeypatch.setattr(browser, "wsgi_handler", locked_handler)
    return request.getfixturevalue("server")


@pytest.mark.browser
def test_status_and_object_pages_in_the_browser(
    serial_server: str, launch_browser: Callable[[], Any], settings: Any
) -> None:
    # The demo county was built with the session's data directory: its key signed the draws' tree heads and
    # its evidence files lie there, so this test verifies against that directory, not the per-test one.
    import zhifa.settings as base

    settings.DATA_DIR = base.DATA_DIR
    settings.STORAGES = {**settings.STORAGES, "evidence": base.STORAGES["evidence"]}
    server = serial_server
    from zhifa.evidence import services as evidence_services
    from zhifa.evidence.tests.conftest import PDF
    from zhifa.evidence.uploads import hashed_upload_from
    from zhifa.org.demo import DEMO_LOGINS
    from zhifa.org.models import Officer, Party

    passwords = {username: password for _, username, password in DEMO_LOGINS}
    officer = Officer.objects.select_related("user", "agency__region").get(user__username="demo_officer")
    party = Party.objects.filter(region__path__startswith=officer.agency.region.path).order_by("id").first()
    with transaction.atomic():
        record_append(
            actor=officer.user,
            action="inspection.party.tag",
            obj=party,
            changes={"domains": ["market"]},
            officer=officer,
        )
    for i, (content, name, kind, stage) in enumerate(
        [
            (_png(480, 320, 90), "现场照片-门店.png", "photo", "investigation"),
            (_png(480, 320, 200), "现场照片-库房.png", "photo", "investigation"),
            (PDF, "现场检查笔录.pdf", "document", "investigation"),
            (_png(320, 480, 30), "送达回证.png", "photo", "service_execution"),
        ]
    ):
        evidence_services.evidence_store(
            actor=officer.user,
            upload=hashed_upload_from(io.BytesIO(content), name),
            kind=kind,
            stage=stage,
            object_type="org.party",
            object_id=str(party.pk),
            place="城关镇某街 1 号" if i == 0 else "",
        )
    with transaction.atomic():
        record_append(
            actor=officer.user, action="inspection.no_disturb.add", obj=party, changes={"reason": "信用良好"}
        )
    ledger_sign()
    _verify()
    object_url = f"{server}{reverse('records:object', args=['org.party', party.pk])}"
    status_url = f"{server}{reverse('records:status')}"

    from zhifa.records.models import LedgerEntry

    first_seq = (
        LedgerEntry.objects.filter(object_type="org.party", object_id=str(party.pk))
        .order_by("seq")
        .values_list("seq", flat=True)
        .first()
    )
    browser = launch_browser()  # no ORM call after this line (see test_browser.launch_browser)
    page, problems = _new_page(browser, DESKTOP)
    _log_in(page, server, "demo_supervisor", passwords["demo_supervisor"])
    page.goto(status_url)
    assert page.get_by_role("heading", name="执法全过程记录账本状态").is_visible()
    assert "通过" in page.locator('[data-stat="verification"]').inner_text()
    page.locator('[data-menu-group="监督"] > a').click()  # the page is in the 监督 menu
    assert page.get_by_role("link", name="账本状态").is_visible()
    _shot(page, "records-status.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    assert problems.items == []

    page, problems = _new_page(browser, DESKTOP)
    _log_in(page, server, "demo_officer", passwords["demo_officer"])
    page.goto(object_url)
    page.wait_for_load_state("networkidle")
    timeline = page.get_by_test_id("record-timeline")
    assert timeline.locator("li").count() == 6
    assert "标注检查领域" in timeline.inner_text() and "上传证据" in timeline.inner_text()
    images = page.locator(".evidence-gallery img")
    assert images.count() == 3
    assert all(
        page.evaluate("(img) => img.complete && img.naturalWidth > 0", images.nth(i).element_handle())
        for i in range(3)
    )
    _shot(page, "records-object.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    timeline.get_by_role("link", name=f"#{first_seq} 证明").click()
    page.wait_for_load_state("networkidle")
    assert page.locator('[data-proof="holds"]').is_visible()
    _shot(page, "records-entry.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    assert problems.items == []

    page, problems = _new_page(browser, PHONE)
    _log_in(page, server, "demo_officer", passwords["demo_officer"])
    page.goto(object_url)
    page.wait_for_load_state("networkidle")
    _shot(page, "records-object-phone.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert problems.items == []

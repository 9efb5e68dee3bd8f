"""Officers in public (seed 003): the roster of an agency, its posts and windows, the printed 岗位信息公示牌 and
窗口公示公告 — only officers with a valid certificate, never an identity number, a phone or a user name."""

from __future__ import annotations

import datetime as dt
import json
import re
import zlib
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhifa.core import clock
from zhifa.core import pdf as kit
from zhifa.core.errors import InvalidInput, PermissionDenied
from zhifa.core.paging import keyset
from zhifa.disclosure.models import Publication, PublicationStatus, ResultKind
from zhifa.org.demo import DemoContext
from zhifa.org.models import CertificateStatus, Officer
from zhifa.org.tests.factories import OfficerFactory, certificate
from zhifa.portal import boards, selectors, services
from zhifa.portal.demo import build_posts_demo
from zhifa.portal.models import PostKind, ServicePost
from zhifa.records.models import LedgerEntry

pytestmark = pytest.mark.django_db


def pdf_text(body: bytes) -> str:
    """The text drawn in a PDF of ``zhifa.core.pdf`` (a subset CJK font: 2-byte codes mapped by its ToUnicode)."""
    codes: dict[bytes, str] = {}
    for block in re.findall(rb"beginbfchar\n(.*?)endbfchar", body, re.S):
        for src, dst in re.findall(rb"<([0-9A-F]{4})> <([0-9A-F]+)>", block):
            codes[bytes.fromhex(src.decode())] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
    text = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            continue
        for raw in re.findall(rb"\(((?:[^\\)]|\\.)*)\) Tj", content, re.S):
            data = re.sub(rb"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), raw, flags=re.S)
            text.append("".join(codes.get(data[i : i + 2], "") for i in range(0, len(data), 2)))
    return "\n".join(text)


def filled_squares(body: bytes) -> int:
    """How many filled rectangles the PDF draws (a QR code of ``zhifa.core.pdf`` is drawn as squares)."""
    count = 0
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S):
        try:
            count += zlib.decompress(stream).count(b" re f")
        except zlib.error:
            continue
    return count


def _post(world: Any, *, officers: list[Officer] | None = None, name: str = "综合服务窗口") -> ServicePost:
    return services.service_post_create(
        world.head,
        agency=world.agency,
        kind=PostKind.WINDOW,
        name=name,
        location="测县政务服务中心 3 号窗口",
        duties="许可受理、投诉举报受理",
        service_hours="工作日 9:00—17:00",
        officers=world.officers[:2] if officers is None else officers,
    )


def _private(officer: Officer) -> list[str]:
    values = [officer.id_number]
    if officer.phone:
        values.append(officer.phone)
    if officer.user_id:
        values.append(officer.user.username)
    return values


# --- the roster ------------------------------------------------------------------------------------------------


def test_roster_lists_only_officers_with_a_valid_certificate_today(world: Any, client: Any) -> None:
    suspended, left = world.officers[1], world.officers[2]
    suspended.certificates.update(status=CertificateStatus.SUSPENDED)
    Officer.objects.filter(pk=left.pk).update(is_active=False)
    expired = OfficerFactory(agency=world.agency, name="过期人")
    certificate(expired, "market", issued=dt.date(2020, 1, 1), expires=dt.date(2021, 1, 1))
    html = client.get(reverse("portal:roster", args=[world.agency.pk])).content.decode()
    assert world.officers[0].certificates.get().number in html
    for gone in (suspended, left, expired):
        assert gone.certificates.get().number not in html


def test_roster_shows_post_area_and_category_and_no_private_data(world: Any, client: Any) -> None:
    officer = world.officers[0]
    Officer.objects.filter(pk=officer.pk).update(post="执法队员", phone="13912345678")
    officer.certificates.update(area="测县全域")
    _post(world)
    officer.refresh_from_db()
    html = client.get(reverse("portal:roster", args=[world.agency.pk])).content.decode()
    for shown in ("执法队员", "测县全域", "市场监管", "综合服务窗口", officer.name):
        assert shown in html
    for hidden in _private(officer):
        assert hidden not in html


def test_roster_is_searched_by_name_or_certificate_number(world: Any, client: Any) -> None:
    first, second = world.officers[0], world.officers[1]
    url = reverse("portal:roster", args=[world.agency.pk])
    number = first.certificates.get().number
    by_number = client.get(url, {"q": number.lower()}).content.decode()
    assert number in by_number and second.certificates.get().number not in by_number
    by_name = client.get(url, {"q": second.name}).content.decode()
    assert second.certificates.get().number in by_name and number not in by_name
    assert "未查到符合条件的持证人员" in client.get(url, {"q": "无此人"}).content.decode()


def test_roster_pages_by_keyset(world: Any, client: Any) -> None:
    page = selectors.roster(agency_id=world.agency.pk)
    first = keyset(page, ordering=selectors.ROSTER_ORDER, after=None, limit=2)
    rest = keyset(page, ordering=selectors.ROSTER_ORDER, after=first.next_cursor, limit=2)
    assert len(first.items) == 2 and len(rest.items) == 1 and rest.next_cursor is None
    assert {c.pk for c in first.items}.isdisjoint({c.pk for c in rest.items})


def test_roster_of_an_unknown_agency_is_404_and_a_long_query_400(world: Any, client: Any) -> None:
    assert client.get(reverse("portal:roster", args=[2**40])).status_code == 404
    response = client.get(reverse("portal:roster", args=[world.agency.pk]), {"q": "x" * 500})
    assert response.status_code == 400 and "过长" in response.content.decode()


def test_roster_api_lists_certified_officers_without_private_fields(world: Any, client: Any) -> None:
    world.officers[1].certificates.update(status=CertificateStatus.REVOKED)
    _post(world, officers=[world.officers[0]])
    response = client.get(f"/api/portal/agencies/{world.agency.pk}/officers")
    assert response.status_code == 200
    items = response.json()["items"]
    assert sorted(i["officer_name"] for i in items) == sorted(
        o.name for o in (world.officers[0], world.officers[2])
    )
    first = next(i for i in items if i["officer_name"] == world.officers[0].name)
    assert first["posts"] == ["综合服务窗口"] and first["categories"] == ["市场监管"]
    assert first["check_url"].endswith(f"/public/officers/?number={first['number']}")
    assert set(first) == {
        "id",
        "officer_name",
        "duty",
        "number",
        "categories",
        "area",
        "posts",
        "auxiliary",
        "expires_on",
        "check_url",
    }
    body = response.content.decode()
    for officer in world.officers:
        assert officer.id_number not in body
    assert client.get("/api/portal/agencies/999999/officers").status_code == 404
    searched = client.get(f"/api/portal/agencies/{world.agency.pk}/officers", {"q": world.officers[2].name})
    assert [i["officer_name"] for i in searched.json()["items"]] == [world.officers[2].name]


# --- posts: the service and its guards ---------------------------------------------------------------------------


def test_the_head_sets_up_a_post_and_it_is_on_the_ledger(world: Any) -> None:
    post = _post(world)
    entry = LedgerEntry.objects.filter(action="portal.post_create", object_id=str(post.pk)).get()
    assert sorted(json.loads(entry.changes)["officers"]) == sorted(o.name for o in world.officers[:2])
    services.service_post_update(
        world.head,
        post,
        kind=PostKind.POST,
        officers=[world.officers[2]],
        is_active=False,
        name="值班岗",
        location="",
        duties="",
        service_hours="",
    )
    post.refresh_from_db()
    assert post.name == "值班岗" and not post.is_active and list(post.officers.all()) == [world.officers[2]]
    assert LedgerEntry.objects.filter(action="portal.post_update", object_id=str(post.pk)).exists()


def test_an_officer_of_another_agency_cannot_be_put_on_the_post(world: Any) -> None:
    stranger = OfficerFactory(agency=world.other_agency)
    with pytest.raises(InvalidInput) as raised:
        _post(world, officers=[world.officers[0], stranger])
    assert raised.value.code == "officer_not_of_agency"
    assert not ServicePost.objects.exists()
    assert _post(world, officers=[world.officers[0]]).officers.count() == 1


def test_a_post_name_is_unique_in_its_agency_and_required(world: Any) -> None:
    _post(world)
    with pytest.raises(InvalidInput) as raised:
        _post(world)
    assert raised.value.code == "post_name_taken"
    with pytest.raises(InvalidInput) as raised:
        _post(world, name="  ")
    assert raised.value.code == "name_required"


def test_only_the_agency_head_of_that_agency_sets_up_its_posts(world: Any) -> None:
    for actor in (world.officer_user, world.outsider):
        with pytest.raises(PermissionDenied):
            services.service_post_create(
                actor, agency=world.agency, kind=PostKind.WINDOW, name="窗口", officers=[]
            )
    assert not ServicePost.objects.exists()


# --- the 岗位信息公示牌 --------------------------------------------------------------------------------------------


def test_the_board_names_only_officers_with_a_valid_certificate(world: Any) -> None:
    post = _post(world)
    world.officers[1].certificates.update(status=CertificateStatus.SUSPENDED)
    board = selectors.post_board(post)
    assert [o.name for o in board.officers] == [world.officers[0].name]
    assert board.officers[0].check_path == selectors.certificate_check_path(board.officers[0].number)


def test_the_board_pdf_has_cjk_text_and_a_qr_code_to_each_officers_certificate_check(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZHIFA_PUBLIC_BASE_URL", "https://zhifa.example.gov.cn")
    Officer.objects.filter(pk=world.officers[0].pk).update(post="科员", phone="13912345678")
    post = _post(world)
    drawn: list[str] = []
    real = kit.draw_qr
    monkeypatch.setattr(kit, "draw_qr", lambda pdf, url, **kw: (drawn.append(url), real(pdf, url, **kw)))
    board = selectors.post_board(post, on=dt.date(2026, 3, 2))
    body = boards.render_board_pdf(board)
    assert body.startswith(b"%PDF") and b"NotoSerifCJK" in body
    assert filled_squares(body) > 2 * 100  # two QR codes of vector squares
    text = pdf_text(body)
    for shown in (
        "岗位信息公示牌",
        world.agency.name,
        "综合服务窗口",
        "工作日 9:00—17:00",
        "科员",
        "投诉举报",
    ):
        assert shown in text, shown
    for officer in world.officers[:2]:
        number = officer.certificates.get().number
        assert officer.name in text and number in text
        assert f"https://zhifa.example.gov.cn/public/officers/?number={number}" in drawn
    assert "13912345678" not in text and world.officers[0].id_number not in text
    assert body == boards.render_board_pdf(board)  # the same board on the same day: the same bytes


def test_the_board_print_view_and_pdf_are_public(world: Any, client: Any) -> None:
    post = _post(world)
    html = client.get(reverse("portal:post_board", args=[post.pk])).content.decode()
    assert "岗位信息公示牌" in html and "<svg" in html and world.officers[0].name in html
    assert f"/public/officers/?number={world.officers[0].certificates.get().number}" in html
    pdf = client.get(reverse("portal:post_board", args=[post.pk]), {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    post.is_active = False
    post.save(update_fields=["is_active"])  # a save: the cached public page follows it (zhifa.core.pagecache)
    assert client.get(reverse("portal:post_board", args=[post.pk])).status_code == 404


# --- the 窗口公示公告 ---------------------------------------------------------------------------------------------


def _publish(world: Any, title: str, party: str) -> Any:
    return Publication.objects.create(
        source_type="cases.case",
        source_id=title,
        kind=ResultKind.PENALTY,
        agency=world.agency,
        decided_on=dt.date(2026, 2, 2),
        status=PublicationStatus.PUBLISHED,
        title=title,
        party_name=party,
        published_at=clock.now(),
        published_on=dt.date(2026, 2, 3),
        approved_by=world.head,
    )


def test_the_window_notice_lists_the_agencys_published_decisions_hours_and_channels(
    world: Any, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZHIFA_PUBLIC_BASE_URL", "https://zhifa.example.gov.cn")
    post = _post(world)
    _publish(world, "测县某超市销售过期食品案", "测县某超市")
    withdrawn = _publish(world, "已撤回的决定", "某公司")
    withdrawn.status, withdrawn.withdraw_reason = PublicationStatus.WITHDRAWN, "决定已撤销"
    withdrawn.save(update_fields=["status", "withdraw_reason"])
    notice = selectors.window_notice(post, on=dt.date(2026, 3, 2))
    assert [d.title for d in notice.decisions] == ["测县某超市销售过期食品案"]
    text = pdf_text(boards.render_notice_pdf(notice))
    for shown in ("窗口公示公告", "测县某超市销售过期食品案", "工作日 9:00—17:00", "投诉举报", "12345"):
        assert shown in text, shown
    assert "已撤回的决定" not in text
    assert f"https://zhifa.example.gov.cn/public/decisions/?agency={world.agency.pk}" in text
    html = client.get(reverse("portal:window_notice", args=[post.pk])).content.decode()
    assert "测县某超市销售过期食品案" in html and "<svg" in html and "已撤回的决定" not in html


# --- the staff page ----------------------------------------------------------------------------------------------


def test_the_staff_page_lists_only_the_posts_of_the_users_agency(world: Any, client: Any) -> None:
    mine = _post(world)
    other_officer = OfficerFactory(agency=world.other_agency)
    theirs = services.service_post_create(
        world.outsider,
        agency=world.other_agency,
        kind=PostKind.WINDOW,
        name="住建窗口",
        officers=[other_officer],
    )
    client.force_login(world.officer_user)
    html = client.get(reverse("portal:post_list")).content.decode()
    assert mine.name in html and theirs.name not in html
    assert reverse("portal:post_board", args=[mine.pk]) in html
    assert "设置岗位或窗口" not in html  # an officer prints; the head sets up
    assert client.post(reverse("portal:post_list"), {"name": "x"}).status_code == 403
    client.force_login(world.head)
    assert client.get(reverse("portal:post_edit", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("portal:post_edit", args=[mine.pk])).status_code == 200


def test_the_head_sets_up_a_window_from_the_staff_page(world: Any, client: Any) -> None:
    client.force_login(world.head)
    data = {
        "agency": world.agency.pk,
        "kind": "window",
        "name": "许可窗口",
        "service_hours": "工作日",
        "officers": [world.officers[0].pk],
    }
    response = client.post(reverse("portal:post_list"), data)
    assert response.status_code == 302
    post = ServicePost.objects.get(name="许可窗口")
    assert list(post.officers.all()) == [world.officers[0]]
    bad = client.post(reverse("portal:post_list"), {**data, "name": ""})
    assert bad.status_code == 422 and "岗位/窗口名称" in bad.content.decode()
    menu = client.get(reverse("portal:post_list")).content.decode()
    assert "岗位公示牌" in menu


def test_the_roster_costs_the_same_queries_however_many_officers(
    world: Any, client: Any, django_assert_max_num_queries: Any, settings: Any
) -> None:
    settings.PAGE_CACHE_SECONDS = 0  # the page's own cost, not the page cache's (zhifa.core.pagecache)
    _post(world)
    url = reverse("portal:roster", args=[world.agency.pk])
    client.get(url)  # warm the per-process caches (portal name, region)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(4):
        extra = OfficerFactory(agency=world.agency)
        certificate(extra, "market", issued=dt.date(2024, 1, 1), expires=dt.date(2030, 12, 31))
    _post(world, officers=list(Officer.objects.filter(agency=world.agency)), name="第二窗口")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_demo_step_sets_up_a_window_and_a_post_for_the_heads_agency(world: Any) -> None:
    world.head.username = "demo_head"
    world.head.save(update_fields=["username"])
    build_posts_demo(DemoContext(scale=0.05, seed=1, today=dt.date(2026, 3, 1), say=lambda _m: None))
    posts = {p.name: p for p in ServicePost.objects.filter(agency=world.agency)}
    assert set(posts) == {"综合服务窗口", "执法大队值班岗"}
    assert posts["综合服务窗口"].officers.count() == 2
    assert selectors.post_board(posts["执法大队值班岗"], on=dt.date(2026, 3, 1)).officers

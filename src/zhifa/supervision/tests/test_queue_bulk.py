"""Bulk handling of the warning queue (批量处理 / 排除): one note or reason for many flags, all or nothing, only
flags the supervisor may act on; and the queue page's bulk form."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client

from zhifa.core import flags
from zhifa.core.errors import InvalidInput
from zhifa.records.models import LedgerEntry
from zhifa.supervision import services as s
from zhifa.supervision.models import Flag, FlagState
from zhifa.testing.registries import flag_source
from zhifa.testing.worlds import SupWorld


@pytest.fixture
def three(sup: SupWorld) -> Iterator[list[Flag]]:
    items = [
        flags.FlagCandidate(kind="bulk_test", key=f"b:{i}", agency_id=sup.w.agency.pk, title=f"批量预警{i}")
        for i in range(3)
    ]
    with flag_source("bulk_test", "批量测试", lambda since: list(items)):
        s.flags_scan(kinds=["bulk_test"])
        yield list(Flag.objects.filter(kind="bulk_test").order_by("key"))


def _states(rows: list[Flag]) -> list[str]:
    return [Flag.objects.get(pk=f.pk).state for f in rows]


def test_bulk_handle_decides_every_flag_with_one_ledger_entry_each(sup: SupWorld, three: list[Flag]) -> None:
    entries = LedgerEntry.objects.count()
    done = s.flags_decide_many(
        actor=sup.county_sup, flag_ids=[f.pk for f in three], action="handle", text="已督促"
    )
    assert len(done) == 3 and _states(three) == [FlagState.HANDLED] * 3
    assert {Flag.objects.get(pk=f.pk).note for f in three} == {"已督促"}
    assert LedgerEntry.objects.count() == entries + 3


def test_one_flag_already_dealt_with_refuses_the_whole_batch(sup: SupWorld, three: list[Flag]) -> None:
    s.flag_handle(actor=sup.county_sup, flag=three[1])
    with pytest.raises(InvalidInput) as refused:
        s.flags_decide_many(
            actor=sup.county_sup, flag_ids=[f.pk for f in three], action="dismiss", text="误报"
        )
    assert refused.value.code == "flags_bulk_refused"
    assert refused.value.details == [
        {"id": three[1].pk, "code": "flag_not_new", "message": "该预警已处理，不能再处理。"}
    ]
    assert _states(three) == [FlagState.NEW, FlagState.HANDLED, FlagState.NEW]  # nothing half-done


def test_bulk_dismiss_needs_a_reason_and_an_allowed_action(sup: SupWorld, three: list[Flag]) -> None:
    ids = [f.pk for f in three]
    for kwargs, code in (
        ({"action": "dismiss", "text": " "}, "required"),
        ({"action": "convert", "text": "x"}, None),
        ({"action": "handle", "text": "x", "flag_ids": []}, "flags_none_selected"),
        (
            {"action": "handle", "text": "x", "flag_ids": list(range(1, s.FLAGS_BULK_MAX + 2))},
            "flags_too_many",
        ),
    ):
        with pytest.raises(InvalidInput) as refused:
            s.flags_decide_many(actor=sup.county_sup, **{"flag_ids": ids, **kwargs})
        if code:
            assert refused.value.code == code
    assert _states(three) == [FlagState.NEW] * 3


def test_flags_outside_the_region_are_not_found_and_nothing_is_changed(
    sup: SupWorld, three: list[Flag]
) -> None:
    with pytest.raises(InvalidInput) as refused:
        s.flags_decide_many(
            actor=sup.foreign_sup, flag_ids=[f.pk for f in three], action="handle", text="越权"
        )
    assert {d["code"] for d in refused.value.details} == {"not_found"}
    assert _states(three) == [FlagState.NEW] * 3


def test_the_queue_page_bulk_form_handles_the_ticked_flags_and_keeps_the_filters(
    sup: SupWorld, three: list[Flag]
) -> None:
    c = Client()
    c.force_login(sup.county_sup)
    page = c.get("/supervision/?kind=bulk_test").content.decode()
    assert 'id="bulk-form"' in page and page.count('form="bulk-form"') == 3
    r = c.post(
        "/supervision/flags/bulk/",
        {
            "ids": [three[0].pk, three[2].pk],
            "action": "dismiss",
            "text": "重复预警",
            "filters": "kind=bulk_test",
        },
    )
    assert r.status_code == 302 and r["Location"] == "/supervision/?kind=bulk_test"
    assert _states(three) == [FlagState.DISMISSED, FlagState.NEW, FlagState.DISMISSED]
    after = c.get(r["Location"]).content.decode()
    assert "已排除 2 条预警" in after and after.count('form="bulk-form"') == 1
    refused = c.post("/supervision/flags/bulk/", {"ids": [three[0].pk], "action": "handle"}, follow=True)
    assert "本次未作任何更改" in refused.content.decode()
    head = Client()
    head.force_login(sup.w.head)  # an agency may read its flags but not decide them
    assert (
        head.post("/supervision/flags/bulk/", {"ids": [three[1].pk], "action": "handle"}).status_code == 403
    )
    assert _states(three)[1] == FlagState.NEW

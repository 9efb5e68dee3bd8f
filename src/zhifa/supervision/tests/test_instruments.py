"""监督文书 — 督办函 / 意见书 / 决定书: a deadline is required, numbers are gapless per issuing organ, kind and
year (voided numbers kept), the agency replies in rounds, the supervisor accepts or returns, overdue replies
are flagged, and an instrument can open problems."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.supervision import services as s
from zhifa.supervision.models import Flag, Instrument, InstrumentKind, InstrumentStatus, ReplyDecision
from zhifa.testing.worlds import SupWorld


@pytest.fixture(autouse=True)
def signing_key(settings: Any) -> None:
    settings.ZHIFA_LEDGER_SIGNING_KEY_FILE = ""


def _issue(sup: SupWorld, kind: str = "letter", **kw: Any) -> Instrument:
    return s.instrument_issue(
        actor=kw.pop("actor", sup.county_sup),
        agency=kw.pop("agency", sup.w.agency),
        kind=kind,
        title="食品抽检不合格案件未及时立案",
        findings="2026 年第三季度 3 起抽检不合格线索超过 15 日未立案。",
        requirements="立即核查并依法立案，建立线索台账。",
        deadline=kw.pop("deadline", s.today() + dt.timedelta(days=15)),
        **kw,
    )


@pytest.mark.parametrize("kind", [InstrumentKind.LETTER, InstrumentKind.OPINION])
def test_instrument_life_cycle_with_a_returned_round(sup: SupWorld, kind: str) -> None:
    ins = _issue(sup, kind)
    assert ins.issuer == sup.justice and ins.pdf[:5] == b"%PDF-" and len(ins.sha256) == 64
    assert ins.number.endswith(f"〔{s.today().year}〕1号")
    s.instrument_reply(actor=sup.w.head, instrument=ins, text="已立案 2 起", measures="线索台账")
    with pytest.raises(RuleViolation) as exc:
        s.instrument_reply(actor=sup.w.head, instrument=ins, text="again")
    assert exc.value.code == "reply_pending"
    with pytest.raises(InvalidInput):  # sending back needs the reason
        s.instrument_review(actor=sup.county_sup, instrument=ins, accept=False)
    s.instrument_review(actor=sup.county_sup, instrument=ins, accept=False, note="尚有 1 起未立案")
    assert Instrument.objects.get(pk=ins.pk).status == InstrumentStatus.RETURNED
    s.instrument_reply(actor=sup.w.head, instrument=ins, text="3 起均已立案")
    done = s.instrument_review(actor=sup.county_sup, instrument=ins, accept=True)
    assert done.status == InstrumentStatus.ACCEPTED and done.closed_on == s.today()
    rounds = list(done.replies.values_list("round", "decision"))
    assert rounds == [(1, ReplyDecision.RETURNED), (2, ReplyDecision.ACCEPTED)]
    with pytest.raises(RuleViolation):
        s.instrument_reply(actor=sup.w.head, instrument=ins, text="after closure")


def test_decision_instrument_life_cycle_needs_grounds(sup: SupWorld) -> None:
    with pytest.raises(RuleViolation) as exc:
        _issue(sup, InstrumentKind.DECISION)
    assert exc.value.code == "decision_needs_grounds"
    # An ignored letter, past its deadline, is the ground (拒不纠正).
    _issue(
        sup,
        InstrumentKind.LETTER,
        on=s.today() - dt.timedelta(days=30),
        deadline=s.today() - dt.timedelta(days=1),
    )
    decision = _issue(sup, InstrumentKind.DECISION)
    assert "监决" in decision.number
    major = _issue(sup, InstrumentKind.DECISION, agency=sup.w.other_agency, major=True)
    s.instrument_reply(actor=sup.w.outsider, instrument=major, text="已纠正")
    assert s.instrument_review(actor=sup.county_sup, instrument=major, accept=True).status == "accepted"


def test_missing_deadline_is_refused(sup: SupWorld) -> None:
    with pytest.raises(InvalidInput) as exc:
        _issue(sup, deadline=None)
    assert exc.value.code == "deadline_required"
    with pytest.raises(InvalidInput):
        _issue(sup, deadline=s.today())
    assert not Instrument.objects.exists()


def test_numbers_are_gapless_and_a_voided_number_is_never_reused(sup: SupWorld) -> None:
    first = _issue(sup)
    s.instrument_void(actor=sup.county_sup, instrument=first, reason="送达对象有误")
    second = _issue(sup)
    opinion = _issue(sup, InstrumentKind.OPINION)
    year = s.today().year
    assert (first.seq, second.seq, opinion.seq) == (1, 2, 1)
    assert Instrument.objects.get(pk=first.pk).status == InstrumentStatus.VOIDED
    assert second.number == f"测县司法督〔{year}〕2号"


def test_supervisor_outside_region_cannot_issue_and_agency_cannot_review(sup: SupWorld) -> None:
    with pytest.raises(PermissionDenied):
        _issue(sup, actor=sup.foreign_sup)
    ins = _issue(sup)
    with pytest.raises(PermissionDenied):
        s.instrument_reply(actor=sup.w.outsider, instrument=ins, text="not mine")
    s.instrument_reply(actor=sup.w.head, instrument=ins, text="done")
    with pytest.raises(PermissionDenied):
        s.instrument_review(actor=sup.w.head, instrument=ins, accept=True)


def test_overdue_reply_is_flagged_and_instrument_opens_a_problem(sup: SupWorld) -> None:
    ins = _issue(sup, on=s.today() - dt.timedelta(days=20), deadline=s.today() - dt.timedelta(days=2))
    s.flags_scan(kinds=["instrument_overdue"])
    assert Flag.objects.get(kind="instrument_overdue", key=f"instrument:{ins.pk}").source_open
    s.instrument_reply(actor=sup.w.head, instrument=ins, text="迟到的答复")
    s.flags_scan(kinds=["instrument_overdue"])
    assert not Flag.objects.get(kind="instrument_overdue").source_open
    problem = s.instrument_open_problem(
        actor=sup.county_sup, instrument=ins, title="线索未及时立案", category="inaction"
    )
    assert problem.source_kind == "instrument" and problem.source_ref == ins.number

"""Hypothesis drives random sequences of case actions: no case reaches an invalid state or skips a stage.

Each run registers one case source and then applies random actions on a clock that only moves forward.
Every action either succeeds along an edge of ``guards.ALLOWED_EDGES`` and appends exactly one ledger
entry, or is refused and leaves the case and the ledger untouched. After every step the invariants of a
lawful case hold, and the stage path recorded in the ledger runs through every required stage.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from zhifa.cases import guards, hearing, services
from zhifa.cases.models import (
    FINISHED_STAGES,
    Case,
    Procedure,
    Seizure,
    SeizureStatus,
    Stage,
)
from zhifa.cases.tests.helpers import CaseWorld, attach, ledger_count
from zhifa.core.errors import DomainError
from zhifa.records.models import LedgerEntry

START = dt.date(2025, 1, 6)
PENALTIES = [
    (["warning"], None),
    (["fine"], "100"),
    (["fine"], "5000"),
    (["fine"], "99999.99"),
    (["fine"], "100000"),
    (["fine", "confiscate_income"], "200000"),
    (["revoke_licence"], None),
    (["fine", "stop_business"], "20000"),
]
REQUIRED_BEFORE_DECISION = [Stage.OPENED, Stage.INVESTIGATION, Stage.REVIEW, Stage.NOTIFIED]


class CaseMachine(RuleBasedStateMachine):
    def __init__(self, world: CaseWorld) -> None:
        super().__init__()
        self.w = world
        self.today = START
        self.case = services.case_register_source(
            actor=world.head,
            agency=world.agency,
            domain=world.market,
            source_kind="hotline_12345",
            received_on=self.today,
            title="随机案件",
            parties=[world.company],
        )
        self.entries = 1
        # The required records (笔录, 送达回证, on-site video) are on file; their refusals have their own tests.
        attach(world.officer_user, self.case, "investigation")
        attach(world.officer_user, self.case, "service_execution")
        attach(world.officer_user, self.case, "service_execution", kind="video")

    # --- driving -----------------------------------------------------------------------------------------------

    def _do(self, name: str, **kwargs: Any) -> None:
        before_stage = Case.objects.get(pk=self.case.pk).stage
        before_entries = ledger_count(self.case)
        kwargs.setdefault("actor", self.w.head)
        try:
            (getattr(services, name, None) or getattr(hearing, name))(**kwargs, on=self.today)
        except DomainError:
            # a refusal writes nothing at all
            assert Case.objects.get(pk=self.case.pk).stage == before_stage
            assert ledger_count(self.case) == before_entries
            return
        after = Case.objects.get(pk=self.case.pk)
        event(f"reached {after.stage}")
        assert ledger_count(self.case) == before_entries + 1, name
        if after.stage != before_stage:
            assert (before_stage, after.stage) in guards.ALLOWED_EDGES, (name, before_stage, after.stage)

    @rule(days=st.integers(min_value=0, max_value=20))
    def advance(self, days: int) -> None:
        self.today += dt.timedelta(days=days)

    def open(self, two: bool, years_ago: int, serious: bool) -> None:
        officers = self.w.officers[:2] if two else self.w.officers[:1]
        act_date = self.today - dt.timedelta(days=365 * years_ago)
        self._do("case_open", case=self.case.pk, officers=officers, act_date=act_date, serious_harm=serious)

    def not_open(self) -> None:
        self._do("case_not_open", case=self.case.pk, reason="线索不实")

    def start_investigation(self) -> None:
        self._do("case_start_investigation", case=self.case.pk)

    def end_investigation(self) -> None:
        self._do("case_end_investigation", case=self.case.pk)

    def notify(self, penalty: tuple[list[str], str | None]) -> None:
        kinds, fine = penalty
        confiscation = "150000" if "confiscate_income" in kinds else None
        self._do(
            "case_notify_rights",
            case=self.case.pk,
            kinds=kinds,
            fine_yuan=fine,
            confiscation_yuan=confiscation,
        )

    def statement(self) -> None:
        self._do("case_record_statement", case=self.case.pk, text="当事人申辩称已整改")

    def waive(self) -> None:
        self._do("case_waive_rights", case=self.case.pk)

    def serve_notice(self) -> None:
        self._do("case_serve_notice", case=self.case.pk, method="direct")

    def review_statement(self, adopted: bool) -> None:
        self._do("case_review_statement", case=self.case.pk, adopted=adopted, opinion="复核意见")

    def end_hearing(self) -> None:
        self._do("case_end_hearing_absent", case=self.case.pk, reason="absent")

    def request_hearing(self) -> None:
        self._do("case_request_hearing", case=self.case.pk)

    def schedule_hearing(self, ahead: int) -> None:
        self._do("case_schedule_hearing", case=self.case.pk, hearing_on=self.today + dt.timedelta(days=ahead))

    def hold_hearing(self, investigator: bool) -> None:
        host = self.w.officers[0] if investigator else self.w.officers[2]
        self._do("case_hold_hearing", case=self.case.pk, host=host)

    def submit_legal_review(self) -> None:
        self._do("case_submit_legal_review", case=self.case.pk)

    def legal_review(self, agreed: bool) -> None:
        self._do(
            "case_record_legal_review",
            actor=self.w.reviewer,
            case=self.case.pk,
            agreed=agreed,
            opinion="审核意见",
        )

    def discuss(self) -> None:
        self._do("case_collective_discussion", case=self.case.pk, participants="局务会", conclusion="同意")

    def decide(self, penalty: tuple[list[str], str | None], as_notified: bool) -> None:
        case = Case.objects.get(pk=self.case.pk)
        if as_notified and case.proposed_kinds:
            kinds, fine, conf = case.proposed_kinds, case.proposed_fine_yuan, case.proposed_confiscation_yuan
        else:
            kinds, fine = penalty
            conf = "150000" if "confiscate_income" in kinds else None
        self._do("case_decide", case=self.case.pk, kinds=kinds, fine_yuan=fine, confiscation_yuan=conf)

    def return_to_investigation(self) -> None:
        self._do("case_return_to_investigation", case=self.case.pk, reason="补充调查")

    def extend(self, days: int) -> None:
        self._do("case_extend_deadline", case=self.case.pk, days=days, reason="复杂", basis="部门规章")

    def serve(self, method: str, late: bool) -> None:
        self._do(
            "case_serve",
            case=self.case.pk,
            method=method,
            consent_confirmed=True,
            late_reason="当事人外出" if late else "",
        )

    def pay(self, right: bool) -> None:
        case = Case.objects.get(pk=self.case.pk)
        amount = Decimal("1")
        if right and case.fine_yuan and case.payment_due:
            from zhifa.cases import limits

            amount = case.fine_yuan + limits.late_payment_surcharge(
                case.fine_yuan, case.payment_due, self.today
            )
        self._do("case_record_payment", case=self.case.pk, amount_yuan=amount)

    def demand(self) -> None:
        self._do("enforcement_demand", case=self.case.pk)

    def court(self) -> None:
        self._do("court_application", case=self.case.pk, court_name="测县人民法院")

    def close(self) -> None:
        self._do("case_close", case=self.case.pk)

    def archive(self) -> None:
        self._do("case_archive", case=self.case.pk)

    def not_punish(self, reason: str) -> None:
        self._do("case_not_punish", case=self.case.pk, reason=reason)

    def transfer(self) -> None:
        self._do(
            "case_transfer", case=self.case.pk, target="agency", target_name="测县住建局", reason="不属本机关"
        )

    def withdraw(self) -> None:
        self._do("case_withdraw", case=self.case.pk, reason="撤案")

    def seize(self) -> None:
        self._do("seizure_decide", case=self.case.pk, kind="detain", items=["货物一批"])

    def extend_seizure(self, days: int) -> None:
        seizure = Seizure.objects.filter(case=self.case, status=SeizureStatus.ACTIVE).first()
        if seizure is not None:
            self._do("seizure_extend", seizure=seizure.pk, days=days, reason="待检测")

    def release(self) -> None:
        seizure = Seizure.objects.filter(case=self.case, status=SeizureStatus.ACTIVE).first()
        if seizure is not None:
            self._do("seizure_release", seizure=seizure.pk, reason="decided")

    # --- rules: progress along the procedure (weighted), any action at all, time ------------------------------

    ACTIONS = (
        "open",
        "not_open",
        "start_investigation",
        "end_investigation",
        "notify",
        "statement",
        "waive",
        "serve_notice",
        "review_statement",
        "end_hearing",
        "request_hearing",
        "schedule_hearing",
        "hold_hearing",
        "submit_legal_review",
        "legal_review",
        "discuss",
        "decide",
        "return_to_investigation",
        "extend",
        "serve",
        "pay",
        "demand",
        "court",
        "close",
        "archive",
        "not_punish",
        "transfer",
        "withdraw",
        "seize",
        "extend_seizure",
        "release",
    )
    NEXT: dict[str, tuple[str, ...]] = {
        Stage.SOURCE: ("open",),
        Stage.OPENED: ("start_investigation", "seize"),
        Stage.INVESTIGATION: ("end_investigation", "release"),
        Stage.REVIEW: ("notify",),
        Stage.NOTIFIED: (
            "serve_notice",
            "waive",
            "decide",
            "request_hearing",
            "submit_legal_review",
            "discuss",
            "statement",
            "review_statement",
        ),
        Stage.HEARING: ("schedule_hearing", "hold_hearing", "end_hearing", "submit_legal_review", "decide"),
        Stage.LEGAL_REVIEW: ("legal_review", "discuss", "decide"),
        Stage.COLLECTIVE_DISCUSSION: ("decide",),
        Stage.DECIDED: ("serve",),
        Stage.SERVED: ("pay", "demand", "close", "release"),
        Stage.EXECUTING: ("court", "pay", "close"),
        Stage.CLOSED: ("archive",),
    }

    def _call(self, name: str, data: st.DataObject) -> None:
        draw = data.draw
        if name == "open":
            self.open(draw(st.booleans()), draw(st.integers(0, 3)), draw(st.booleans()))
        elif name == "notify":
            self.notify(draw(st.sampled_from(PENALTIES)))
        elif name == "schedule_hearing":
            self.schedule_hearing(draw(st.integers(0, 20)))
        elif name == "hold_hearing":
            self.hold_hearing(draw(st.booleans()))
        elif name == "legal_review":
            self.legal_review(draw(st.booleans()))
        elif name == "review_statement":
            self.review_statement(draw(st.booleans()))
        elif name == "decide":
            self.decide(draw(st.sampled_from(PENALTIES)), draw(st.booleans()))
        elif name == "extend":
            self.extend(draw(st.integers(1, 40)))
        elif name == "serve":
            self.serve(
                draw(st.sampled_from(["on_site", "direct", "mail", "electronic"])), draw(st.booleans())
            )
        elif name == "pay":
            self.pay(draw(st.booleans()))
        elif name == "not_punish":
            self.not_punish(draw(st.sampled_from(["first_minor", "not_established", "limitation"])))
        elif name == "extend_seizure":
            self.extend_seizure(draw(st.integers(1, 35)))
        else:
            getattr(self, name)()

    def _proceed(self, data: st.DataObject) -> None:
        stage = Case.objects.get(pk=self.case.pk).stage
        choices = self.NEXT.get(stage)
        if choices:
            self._call(data.draw(st.sampled_from(choices)), data)

    @rule(data=st.data())
    def proceed(self, data: st.DataObject) -> None:
        self._proceed(data)

    @rule(data=st.data())
    def proceed_again(self, data: st.DataObject) -> None:
        self._proceed(data)

    @rule(data=st.data())
    def proceed_once_more(self, data: st.DataObject) -> None:
        self._proceed(data)

    @rule(data=st.data(), name=st.sampled_from(ACTIONS))
    def anything(self, data: st.DataObject, name: str) -> None:
        self._call(name, data)

    # --- what must always hold ------------------------------------------------------------------------------------

    @invariant()
    def lawful_state(self) -> None:
        case = Case.objects.get(pk=self.case.pk)
        assert case.stage in Stage.values
        assert case.procedure == Procedure.GENERAL
        if case.stage != Stage.SOURCE and case.stage != Stage.NOT_OPENED and case.opened_on:
            assert case.number and case.decision_due == case.opened_on + dt.timedelta(
                days=90 + sum(case.extensions.values_list("days", flat=True))
            )
        if case.decided_on:
            assert case.notified_on and case.investigation_started_on and case.opened_on
            assert case.opened_on <= case.investigation_started_on <= case.notified_on <= case.decided_on
            assert case.decided_on <= case.decision_due
            assert not case.limitation_expired
            assert set(case.penalty_kinds) <= set(case.proposed_kinds)
            penalty = guards.Penalty(
                tuple(case.penalty_kinds),
                guards._money(case.fine_yuan),
                guards._money(case.confiscation_yuan),
            )
            if guards.legal_review_reasons(case, penalty):
                review = guards.latest_legal_review(case)
                assert review is not None and review.agreed
            if guards.collective_discussion_reasons(case, penalty):
                assert case.discussions.filter(notice_round=case.notice_round).exists()
            if not case.rights_waived_on and not case.hearing_over:
                # 行政处罚法 第六十四条第一项: the periods ran from service of the notice
                assert case.notice_served_on and case.decided_on > case.statement_due
                if case.hearing_right:
                    assert case.decided_on > case.hearing_request_due
            if case.hearing_requested_on:
                over = case.hearing_held_on or case.hearing_ended_on
                assert over and over <= case.decided_on
            if case.statement_received_on:  # 行政处罚法 第四十五条第一款: reviewed before the decision
                assert case.statement_reviewed_on and case.statement_reviewed_on >= case.statement_received_on
        if case.served_on:
            assert case.served_on >= case.decided_on
            assert case.served_on <= case.service_due or case.served_late_reason
        if case.stage in (Stage.CLOSED, Stage.ARCHIVED) and case.archived_from in ("", Stage.CLOSED):
            assert not case.seizures.filter(status=SeizureStatus.ACTIVE).exists()
            owes = guards.owes_money(case)
            assert not owes or case.enforcement.court_applied_on
        if case.stage in FINISHED_STAGES:
            assert case.next_deadline is None
        assert set(case.officer_links.values_list("next_deadline", flat=True)) <= {case.next_deadline}
        for seizure in case.seizures.all():
            assert seizure.extension_days <= 30
            assert seizure.due_on == seizure.decided_on + dt.timedelta(days=30 + seizure.extension_days)

    @invariant()
    def ledger_path_skips_no_stage(self) -> None:
        changes = LedgerEntry.objects.filter(object_type="cases.case", object_id=str(self.case.pk)).order_by(
            "seq"
        )
        path = [""]
        for entry in changes.values_list("changes", flat=True):
            stage = json.loads(entry).get("stage")
            if stage:
                assert stage[0] == path[-1], (path, stage)
                assert tuple(stage) in guards.ALLOWED_EDGES
                path.append(stage[1])
        assert path[-1] == Case.objects.get(pk=self.case.pk).stage
        if Stage.DECIDED in path:
            before = path[: path.index(Stage.DECIDED)]
            assert all(required in before for required in REQUIRED_BEFORE_DECISION), path


@pytest.mark.slow  # Hypothesis state machine: 4–17 s (docs/performance.md, test suite time)
def test_random_action_sequences_keep_every_case_lawful(world: CaseWorld) -> None:
    run_state_machine_as_test(
        lambda: CaseMachine(world),
        settings=settings(
            max_examples=30,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )

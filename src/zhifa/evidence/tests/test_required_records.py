"""执法记录要求: a stage cannot close while a mandatory record is missing, and the refusal lists it.

Evidence is created the real way, through ``services.evidence_store`` with small generated files (magic bytes
of formats.py), attached to an org.party as the enforcement target.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
from typing import Any

import pytest
from django.apps import apps as global_apps
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client

from zhifa.core import clock
from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.evidence import services
from zhifa.evidence.models import Evidence, RequiredRecordRule
from zhifa.evidence.required import (
    recommended_records,
    require_records_complete,
    required_records_missing,
)
from zhifa.evidence.required_defaults import DEFAULT_RULES, ensure_default_rules
from zhifa.evidence.tests.conftest import JPEG, MP4_HEAD, PDF, World
from zhifa.evidence.uploads import hashed_upload_from
from zhifa.org.tests.factories import PartyFactory, UserFactory
from zhifa.records.models import LedgerEntry

pytestmark = pytest.mark.django_db

MP4 = MP4_HEAD + bytes(range(256)) * 4
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(range(256)) * 4
FILES = {"photo": (JPEG, "现场照片.jpg"), "video": (MP4, "现场录像.mp4"), "audio": (MP3, "录音.mp3")}
FILES["document"] = (PDF, "现场笔录.pdf")

SEIZURE_AV = "查封现场全程音像记录（出示证件、告知理由依据和权利、听取陈述申辩、清点财物、张贴封条）"
SEIZURE_TEXT = "查封现场笔录（当事人和执法人员签名或盖章；当事人拒绝的注明，不到场的由见证人签名）"


@pytest.fixture(autouse=True)
def default_rules(db: Any) -> None:
    ensure_default_rules()  # a transactional test elsewhere in the session may have flushed the seeded rows


def store(world: World, kind: str, stage: str, target: dict[str, str] | None = None) -> Evidence:
    content, name = FILES[kind]
    return services.evidence_store(
        actor=world.officer_user,
        upload=hashed_upload_from(io.BytesIO(content), name),
        kind=kind,
        stage=stage,
        **(target or world.target),
    )


def missing(world: World, act_type: str, stage: str, **kwargs: Any) -> list[str]:
    return required_records_missing(
        world.target["object_type"], world.target["object_id"], act_type, stage, **kwargs
    )


def test_seizure_without_video_is_refused_listing_the_missing_record(world: World) -> None:
    store(world, "photo", "service_execution")
    store(world, "document", "service_execution")

    with pytest.raises(RuleViolation) as refused:
        require_records_complete(
            world.target["object_type"], world.target["object_id"], "compulsion.seizure", "service_execution"
        )

    error = refused.value
    assert error.code == "required_records_missing"
    assert error.message == f"该环节尚缺以下必需记录：{SEIZURE_AV}。"
    assert error.message_en.startswith("Required records are missing: compulsion.seizure.execution.av")
    assert error.details == [
        {"code": "compulsion.seizure.execution.av", "requirement": "audio_video", "description": SEIZURE_AV}
    ]


def test_seizure_refusal_lists_every_missing_record(world: World) -> None:
    with pytest.raises(RuleViolation) as refused:
        require_records_complete(
            world.target["object_type"], world.target["object_id"], "compulsion.seizure", "service_execution"
        )
    assert [d["description"] for d in refused.value.details] == [SEIZURE_AV, SEIZURE_TEXT]
    assert SEIZURE_AV in refused.value.message and SEIZURE_TEXT in refused.value.message


def test_seizure_with_a_video_and_a_written_record_of_that_stage_is_accepted(world: World) -> None:
    store(world, "video", "service_execution")
    store(world, "document", "service_execution")

    assert missing(world, "compulsion.seizure", "service_execution") == []
    require_records_complete(
        world.target["object_type"], world.target["object_id"], "compulsion.seizure", "service_execution"
    )


def test_audio_alone_or_audio_with_photos_does_not_satisfy_audio_video(world: World) -> None:
    store(world, "audio", "service_execution")
    store(world, "photo", "service_execution")

    assert missing(world, "compulsion.demolition", "service_execution") == [
        "强制拆除现场全程音像记录",
        "强制拆除现场笔录（在场人员、拆除过程、物品清点登记）",
    ]


def test_hearing_needs_its_audio_video_record_by_default(world: World) -> None:
    store(world, "document", "decision")
    assert missing(world, "hearing", "decision") == ["听证全程音像记录"]
    store(world, "video", "decision")
    assert missing(world, "hearing", "decision") == []


def test_recommended_records_never_block_the_stage(world: World) -> None:
    store(world, "document", "service_execution")
    target = (world.target["object_type"], world.target["object_id"])

    require_records_complete(*target, "service.lien", "service_execution")  # does not raise
    assert missing(world, "service.lien", "service_execution") == []
    assert recommended_records(*target, "service.lien", "service_execution") == [
        "拍照或录像记录将文书留在受送达人住所的过程",
        "留置送达过程音像记录",
    ]


def test_recommended_records_drop_out_once_recorded_and_a_video_counts_as_a_photo(world: World) -> None:
    target = (world.target["object_type"], world.target["object_id"])
    store(world, "photo", "service_execution")
    assert recommended_records(*target, "service.lien", "service_execution") == ["留置送达过程音像记录"]
    store(world, "video", "service_execution")
    assert recommended_records(*target, "service.lien", "service_execution") == []


def test_a_text_record_is_met_by_a_document_or_by_the_callers_own_record(world: World) -> None:
    assert missing(world, "penalty.general", "initiation") == ["立案审批表（立案依据与机关负责人批准意见）"]
    assert (
        missing(world, "penalty.general", "initiation", extra_satisfied={"penalty.general.initiation.text"})
        == []
    )
    assert missing(world, "penalty.general", "initiation", extra_satisfied={"text"}) == []
    assert missing(
        world, "penalty.general", "initiation", extra_satisfied={"penalty.general.decision.text"}
    ) == ["立案审批表（立案依据与机关负责人批准意见）"]
    store(world, "document", "initiation")
    assert missing(world, "penalty.general", "initiation") == []


def test_the_caller_cannot_vouch_for_audio_video_or_photo(world: World) -> None:
    with pytest.raises(InvalidInput) as refused:
        missing(world, "compulsion.seizure", "service_execution", extra_satisfied={"audio_video"})
    assert refused.value.code == "required_record_not_vouchable"
    # Naming the audio-video rule's code does not satisfy it either.
    assert SEIZURE_AV in missing(
        world, "compulsion.seizure", "service_execution", extra_satisfied={"compulsion.seizure.execution.av"}
    )


def test_an_inactive_rule_does_not_apply(world: World) -> None:
    store(world, "document", "service_execution")
    assert missing(world, "compulsion.seizure", "service_execution") == [SEIZURE_AV]

    RequiredRecordRule.objects.filter(code="compulsion.seizure.execution.av").update(active=False)

    assert missing(world, "compulsion.seizure", "service_execution") == []


def test_a_rule_not_yet_effective_does_not_apply(world: World) -> None:
    today = clock.today()
    tomorrow = today + dt.timedelta(days=1)
    RequiredRecordRule.objects.create(
        code="penalty.general.service.photo",
        act_type="penalty.general",
        stage="service_execution",
        requirement="photo",
        mandatory=True,
        description="送达现场照片",
        effective_from=tomorrow,
    )
    store(world, "document", "service_execution")

    assert missing(world, "penalty.general", "service_execution") == []
    assert missing(world, "penalty.general", "service_execution", on=tomorrow) == ["送达现场照片"]


def test_a_later_version_of_a_rule_replaces_the_earlier_from_its_date(world: World) -> None:
    tomorrow = clock.today() + dt.timedelta(days=1)
    RequiredRecordRule.objects.create(
        code="penalty.general.initiation.text",
        act_type="penalty.general",
        stage="initiation",
        requirement="text",
        mandatory=True,
        description="立案审批表（新版）",
        effective_from=tomorrow,
    )
    assert missing(world, "penalty.general", "initiation") == ["立案审批表（立案依据与机关负责人批准意见）"]
    assert missing(world, "penalty.general", "initiation", on=tomorrow) == ["立案审批表（新版）"]


def test_evidence_of_another_stage_or_another_object_does_not_count(world: World) -> None:
    other_party = PartyFactory(region=world.party.region)
    other_target = {"object_type": "org.party", "object_id": str(other_party.pk)}
    store(world, "video", "investigation")  # this object, another stage
    store(world, "document", "investigation")
    store(world, "video", "service_execution", other_target)  # the right stage, another object
    store(world, "document", "service_execution", other_target)

    assert missing(world, "compulsion.seizure", "service_execution") == [SEIZURE_AV, SEIZURE_TEXT]
    assert (
        required_records_missing(
            other_target["object_type"], other_target["object_id"], "compulsion.seizure", "service_execution"
        )
        == []
    )


def test_an_unknown_act_type_or_stage_is_refused_rather_than_passing(world: World) -> None:
    with pytest.raises(InvalidInput) as unknown_act:
        missing(world, "compulsion.seizur", "service_execution")
    assert unknown_act.value.code == "unknown_act_type"
    with pytest.raises(InvalidInput) as unknown_stage:
        missing(world, "compulsion.seizure", "execution")
    assert unknown_stage.value.code == "invalid_stage"
    # A known act type with nothing configured for a stage requires nothing there.
    assert missing(world, "hearing", "initiation") == []


def test_the_check_costs_two_queries_however_many_rules_and_items(
    world: World, django_assert_num_queries: Any
) -> None:
    for kind in ("photo", "document", "audio"):
        store(world, kind, "decision")
    with django_assert_num_queries(2):
        missing(world, "penalty.general", "decision")


def test_the_migration_seeds_the_defaults_from_the_plans() -> None:
    assert ("evidence", "0004_required_record_defaults") in MigrationRecorder(connection).applied_migrations()
    RequiredRecordRule.objects.all().delete()
    migration = importlib.import_module("zhifa.evidence.migrations.0004_required_record_defaults")
    migration.seed_defaults(global_apps, None)

    rules = {r.code: r for r in RequiredRecordRule.objects.all()}
    assert len(rules) == len(DEFAULT_RULES)
    for code in (
        "compulsion.seizure.execution.av",
        "compulsion.detention.execution.av",
        "compulsion.demolition.execution.av",
        "compulsion.restrict_liberty.execution.av",
        "inquiry.case_premises.investigation.av",
        "hearing.decision.av",
    ):
        assert (rules[code].requirement, rules[code].mandatory) == ("audio_video", True), code
    for code in (
        "penalty.general.investigation.av",
        "penalty.simple.investigation.av",
        "inspection.onsite.investigation.av",
        "service.lien.av",
        "service.public_notice.av",
    ):
        assert (rules[code].requirement, rules[code].mandatory) == ("audio_video", False), code
    general_text_stages = {
        r.stage for r in rules.values() if r.act_type == "penalty.general" and r.requirement == "text"
    }
    assert general_text_stages == {"initiation", "investigation", "decision", "service_execution"}
    assert "第46行" in rules["compulsion.seizure.execution.av"].source
    assert all(r.source and r.active for r in rules.values())

    migration.seed_defaults(global_apps, None)  # idempotent
    assert RequiredRecordRule.objects.count() == len(DEFAULT_RULES)


def test_an_admin_change_to_a_rule_is_recorded_in_the_ledger_and_rules_cannot_be_deleted() -> None:
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin_user)
    rule = RequiredRecordRule.objects.get(code="service.lien.photo")
    response = client.post(
        f"/admin/evidence/requiredrecordrule/{rule.pk}/change/",
        {
            "code": rule.code,
            "act_type": rule.act_type,
            "stage": rule.stage,
            "requirement": rule.requirement,
            "mandatory": "on",
            "description": rule.description,
            "source": rule.source,
            "active": "on",
            "effective_from": rule.effective_from.isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rule.refresh_from_db()
    assert rule.mandatory is True
    entry = LedgerEntry.objects.get(action="evidence.required_rule.change")
    assert (entry.object_type, entry.object_id, entry.actor_id) == (
        "evidence.requiredrecordrule",
        str(rule.pk),
        admin_user.pk,
    )
    assert client.get(f"/admin/evidence/requiredrecordrule/{rule.pk}/delete/").status_code == 403


def test_the_set_based_check_gives_the_per_object_answers_in_a_constant_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    from zhifa.evidence.required import required_records_missing_many

    stage = "service_execution"
    acts = ["compulsion.seizure", "penalty.general", "penalty.simple"]
    evidence_sets = [(), ("photo",), ("video",), ("document",), ("video", "document"), ("audio", "photo")]
    objects: list[tuple[str, str]] = []
    for i, kinds in enumerate(evidence_sets * 2):
        target = {"object_type": "org.party", "object_id": str(PartyFactory(region=world.party.region).pk)}
        for kind in kinds:
            store(world, kind, stage, target)
        objects.append((target["object_id"], acts[i % len(acts)]))
    extra = {"penalty.simple": {"text"}}

    expected = {
        object_id: lacking
        for object_id, act in objects
        if (
            lacking := required_records_missing(
                "org.party", object_id, act, stage, extra_satisfied=extra.get(act)
            )
        )
    }
    assert expected and len(expected) < len(objects)  # both sides: some complete, some lacking
    # rules (≤ 2 queries) per act type, evidence per chunk — never a query per object
    with django_assert_max_num_queries(len(acts) * 2 + len(acts) * 2):
        got = required_records_missing_many("org.party", objects, stage, extra_satisfied=extra, chunk=5)
    assert got == expected
    with pytest.raises(InvalidInput):
        required_records_missing_many(
            "org.party", objects, stage, extra_satisfied={"penalty.simple": {"photo"}}
        )

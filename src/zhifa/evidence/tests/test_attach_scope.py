# ruff: noqa: F811  (the imported `world` fixture is a parameter of the tests below)
"""Issue 18 §1: evidence attaches only to the kinds of object that take evidence, only to an object the
uploader may act on (else the same 404 as a missing one, nothing written), and only evidence filed under the
object's own agency counts: for the required records, the review materials and the court bundle, which
lists anything else as foreign."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhifa.cases.models import Case
from zhifa.cases.tests.helpers import CaseWorld, opened, world  # noqa: F401  (the `world` fixture)
from zhifa.evidence import bundle
from zhifa.evidence import services as evidence_services
from zhifa.evidence.models import Evidence, UploadSession
from zhifa.evidence.required import foreign_evidence, own_evidence, required_records_missing
from zhifa.evidence.targets import TARGETS
from zhifa.evidence.tests.conftest import JPEG, MP4_HEAD, PDF, evidence_dirs  # noqa: F401  (autouse fixture)
from zhifa.evidence.uploads import hashed_upload_from
from zhifa.records.models import LedgerEntry

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int]:
    return Evidence.objects.count(), UploadSession.objects.count(), LedgerEntry.objects.count()


def _post(user: Any, object_type: str, object_id: str, content: bytes = JPEG, kind: str = "photo") -> Any:
    client = Client()
    client.force_login(user)
    return client.post(
        "/api/evidence/",
        {
            "file": SimpleUploadedFile("现场.jpg", content),
            "kind": kind,
            "stage": "investigation",
            "object_type": object_type,
            "object_id": object_id,
        },
    )


def _store(
    user: Any, case: Case, content: bytes = JPEG, kind: str = "photo", name: str = "x.jpg"
) -> Evidence:
    return evidence_services.evidence_store(
        actor=user,
        upload=hashed_upload_from(io.BytesIO(content), name),
        kind=kind,
        stage="investigation",
        object_type="cases.case",
        object_id=str(case.pk),
    )


def test_the_registry_names_the_kinds_that_take_evidence() -> None:
    assert {"cases.case", "inspections.inspection", "org.party"} <= set(TARGETS)
    assert "org.user" not in TARGETS and "evidence.evidence" not in TARGETS


def test_an_officer_attaches_evidence_to_a_case_of_his_agency_filed_under_its_agency(
    world: CaseWorld,
) -> None:
    case = opened(world)
    response = _post(world.officer_user, "cases.case", str(case.pk))
    assert response.status_code == 201, response.content
    assert Evidence.objects.get(pk=response.json()["id"]).agency_id == case.agency_id


def test_a_case_of_another_agency_answers_as_a_missing_one_and_nothing_is_written(world: CaseWorld) -> None:
    case = opened(world)
    before = _counts()
    outside = _post(world.outsider, "cases.case", str(case.pk))
    missing = _post(world.outsider, "cases.case", "987654321")
    assert (outside.status_code, missing.status_code) == (404, 404)
    assert outside.json()["code"] == missing.json()["code"] == "object_not_found"
    assert outside.json()["message"].replace(str(case.pk), "N") == missing.json()["message"].replace(
        "987654321", "N"
    )
    assert _counts() == before


def test_the_resumable_upload_refuses_an_out_of_scope_case_before_starting(world: CaseWorld) -> None:
    case = opened(world)
    client = Client()
    client.force_login(world.outsider)
    before = _counts()
    body = {
        "kind": "video",
        "stage": "investigation",
        "object_type": "cases.case",
        "object_id": str(case.pk),
        "filename": "a.mp4",
        "total_bytes": 100,
    }
    response = client.post("/api/evidence/uploads", body, content_type="application/json")
    assert response.status_code == 404 and _counts() == before


@pytest.mark.parametrize(
    "object_type", ["org.user", "evidence.evidence", "nosuch.model", "cases", "org.Region"]
)
def test_a_kind_that_takes_no_evidence_is_refused_alike_whether_or_not_the_model_exists(
    world: CaseWorld, object_type: str
) -> None:
    before = _counts()
    response = _post(world.officer_user, object_type, str(world.officer_user.pk))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "evidence_object_type_invalid"
    reference = _post(world.officer_user, "nosuch.other", "1").json()
    assert body["message"].replace(repr(object_type), "T") == reference["message"].replace(
        repr("nosuch.other"), "T"
    )
    assert _counts() == before


def test_foreign_evidence_does_not_satisfy_the_required_records(world: CaseWorld) -> None:
    case = opened(world)
    evidence_services.evidence_store(
        actor=world.outsider,
        upload=hashed_upload_from(io.BytesIO(MP4_HEAD + b"\0" * 64), "外来.mp4"),
        kind="video",
        stage="investigation",
        object_type="org.party",
        object_id=str(world.company.pk),
    )
    stored = Evidence.objects.get()
    fields = {
        f.attname: getattr(stored, f.attname)
        for f in Evidence._meta.concrete_fields
        if f.attname not in ("id", "uploaded_at")
    }
    for kind in ("video", "photo", "document"):
        Evidence.objects.create(
            **{**fields, "object_type": "cases.case", "object_id": str(case.pk), "kind": kind}
        )
    assert stored.agency_id == world.other_agency.pk != case.agency_id
    assert own_evidence("cases.case", str(case.pk)).count() == 0
    assert foreign_evidence("cases.case", str(case.pk)).count() == 3
    act = "penalty.general"
    missing = required_records_missing("cases.case", str(case.pk), act, "investigation")
    _store(world.officer_user, case, PDF, "document", "询问笔录.pdf")
    after = required_records_missing("cases.case", str(case.pk), act, "investigation")
    assert missing and not after  # a document filed under the case's own agency does count


def test_the_court_bundle_lists_foreign_evidence_without_including_it(
    world: CaseWorld, tmp_path: Path
) -> None:
    case = opened(world)
    own = _store(world.officer_user, case, JPEG, "photo", "现场照片.jpg")
    evidence_services.evidence_store(
        actor=world.outsider,
        upload=hashed_upload_from(io.BytesIO(MP4_HEAD + b"\0" * 64), "外来.mp4"),
        kind="video",
        stage="investigation",
        object_type="org.party",
        object_id=str(world.company.pk),
    )
    stored = Evidence.objects.exclude(pk=own.pk).get()
    fields = {
        f.attname: getattr(stored, f.attname)
        for f in Evidence._meta.concrete_fields
        if f.attname not in ("id", "uploaded_at")
    }
    foreign = Evidence.objects.create(**{**fields, "object_type": "cases.case", "object_id": str(case.pk)})

    out = tmp_path / "bundle.zip"
    summary = bundle.export_case(bundle.BundleTarget("cases.case", str(case.pk), str(case)), out)
    assert summary.evidence_files == 1
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        names = zf.namelist()
    assert [e["id"] for e in manifest["evidence"]] == [str(own.pk)]
    assert [(e["id"], e["agency_id"]) for e in manifest["foreign_evidence"]] == [
        (str(foreign.pk), world.other_agency.pk)
    ]
    assert not any(stored.sha256 in name for name in names)
    statement = json.loads(manifest["statement"].split("\n", 1)[1])
    assert statement["foreign_evidence"] == manifest["foreign_evidence"]  # signed with the rest

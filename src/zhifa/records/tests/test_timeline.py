# ruff: noqa: F811  (the imported `world` fixture is a parameter of the tests below)
"""记录时间线 (issue 4 §8): an object's record in order with Chinese labels, only for those who may view the
object; retrievals only for those who see access histories; the entry page shows the proof."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from zhifa.cases.models import Case
from zhifa.cases.tests.helpers import CaseWorld, opened, world  # noqa: F401  (the `world` fixture)
from zhifa.core.errors import NotFound, PermissionDenied
from zhifa.evidence import services as evidence_services
from zhifa.evidence.models import Evidence
from zhifa.evidence.tests.conftest import JPEG, evidence_dirs  # noqa: F401  (autouse fixture)
from zhifa.evidence.uploads import hashed_upload_from
from zhifa.org.models import Role
from zhifa.org.tests.factories import PartyFactory, UserFactory, grant
from zhifa.records.models import LedgerEntry
from zhifa.records.services import ledger_sign, record_append
from zhifa.records.timeline import ACTION_LABELS, action_label, timeline_for

pytestmark = pytest.mark.django_db


def _photo(world: CaseWorld, case: Case) -> Evidence:
    return evidence_services.evidence_store(
        actor=world.officer_user,
        upload=hashed_upload_from(io.BytesIO(JPEG), "现场照片.jpg"),
        kind="photo",
        stage="investigation",
        object_type="cases.case",
        object_id=str(case.pk),
    )


@pytest.fixture
def case(world: CaseWorld) -> Case:
    """Opened, a photo stored, the photo downloaded by the officer, and another case's entry in between."""
    case = opened(world)
    with transaction.atomic():
        record_append(action="case.note", object_type="cases.case", object_id="424242", changes={})
    photo = _photo(world, case)
    evidence_services.evidence_access(world.officer_user, photo.pk, "download", "制作案卷")
    return case


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- the selector ---------------------------------------------------------------------------------------------------


def test_timeline_lists_the_cases_and_its_evidence_entries_in_order_with_chinese_labels(
    world: CaseWorld, case: Case
) -> None:
    entries = timeline_for(world.supervisor, "cases.case", case.pk)
    assert [e.label for e in entries] == ["登记案源", "立案", "上传证据", "调阅"]
    assert [e.seq for e in entries] == sorted(e.seq for e in entries)
    assert [e.related for e in entries] == [False, False, True, True]
    assert entries[2].object_label == "证据「现场照片.jpg」"  # its name, never its id
    assert entries[3].summary == "下载：制作案卷"
    assert entries[0].proof_url == reverse("records:entry", args=[entries[0].seq])
    assert entries[1].actor == (world.officer_user.full_name or "用户")  # a name, never the login name


def test_an_unknown_action_code_reads_as_its_apps_record_never_as_the_code(
    world: CaseWorld, case: Case
) -> None:
    with transaction.atomic():
        record_append(action="case.something_new", obj=case, changes={"a_field": 1})
    last = timeline_for(world.supervisor, "cases.case", case.pk)[-1]
    assert last.label == "执法案件操作记录"
    assert last.summary == ""  # an unregistered field is left out, never printed as its name
    assert action_label("case.open") == "立案" == ACTION_LABELS["case.open"]
    assert action_label("evidence.store") == "上传证据" and action_label("record.access") == "调阅"


def test_without_related_entries_only_the_cases_own_are_listed(world: CaseWorld, case: Case) -> None:
    entries = timeline_for(world.supervisor, "cases.case", case.pk, include_related=False)
    assert [e.action for e in entries] == ["case.register_source", "case.open"]


def test_retrievals_are_hidden_from_those_who_may_not_see_access_histories(
    world: CaseWorld, case: Case
) -> None:
    officer_view = timeline_for(world.officer_user, "cases.case", case.pk)
    assert [e.label for e in officer_view] == ["登记案源", "立案", "上传证据"]
    assert "调阅" in [e.label for e in timeline_for(world.supervisor, "cases.case", case.pk)]


def test_a_case_outside_the_users_scope_is_not_found(world: CaseWorld, case: Case) -> None:
    with pytest.raises(NotFound):
        timeline_for(world.outsider, "cases.case", case.pk)  # head of another agency


def test_a_role_without_the_view_action_is_refused(world: CaseWorld, case: Case) -> None:
    enterprise = UserFactory()
    grant(enterprise, Role.ENTERPRISE, party=world.company)
    with pytest.raises(PermissionDenied):
        timeline_for(enterprise, "cases.case", case.pk)


def test_a_case_that_does_not_exist_is_not_found(world: CaseWorld) -> None:
    with pytest.raises(NotFound):
        timeline_for(world.supervisor, "cases.case", 987654)


def test_an_object_type_without_a_scope_is_for_supervisors_and_admins_only(world: CaseWorld) -> None:
    with transaction.atomic():
        record_append(action="bench.tick", object_type="bench.thing", object_id="7", changes={})
    with pytest.raises(PermissionDenied):
        timeline_for(world.officer_user, "bench.thing", "7")
    assert [e.label for e in timeline_for(world.supervisor, "bench.thing", "7")] == ["操作记录"]
    admin = UserFactory()
    grant(admin, Role.ADMIN, region=world.county)
    assert len(timeline_for(admin, "bench.thing", "7")) == 1
    with pytest.raises(NotFound):
        timeline_for(world.supervisor, "bench.thing", "8")


def test_a_party_is_viewed_with_its_own_view_action(world: CaseWorld) -> None:
    party = PartyFactory(region=world.county)
    with transaction.atomic():
        record_append(action="inspection.no_disturb.add", obj=party, changes={"reason": "无事不扰"})
    assert [e.label for e in timeline_for(world.officer_user, "org.party", party.pk)] == ["列入无事不扰"]


def test_the_timelines_query_count_does_not_grow_with_its_length(
    world: CaseWorld, case: Case, django_assert_max_num_queries: Any
) -> None:
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        fresh = type(world.supervisor).objects.get(pk=world.supervisor.pk)
        with CaptureQueriesContext(connection) as queries:
            timeline_for(fresh, "cases.case", case.pk)
        return len(queries)

    before = count()
    for i in range(30):
        with transaction.atomic():
            record_append(action="case.note", obj=case, changes={"i": i})
    assert count() == before


# --- pages ----------------------------------------------------------------------------------------------------------


def test_object_page_shows_timeline_and_gallery_to_the_officer(world: CaseWorld, case: Case) -> None:
    response = _client(world.officer_user).get(reverse("records:object", args=["cases.case", case.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="record-timeline"' in html
    actions = re.findall(r'data-action="([^"]+)"', html)
    assert actions == ["case.register_source", "case.open", "evidence.store"]
    assert html.index("登记案源") < html.index(">立案<")
    assert "现场照片.jpg" in html and "evidence-gallery" in html
    assert str(case) in html


def test_object_page_is_404_out_of_scope_and_403_without_the_view_action(
    world: CaseWorld, case: Case
) -> None:
    url = reverse("records:object", args=["cases.case", case.pk])
    assert _client(world.outsider).get(url).status_code == 404
    enterprise = UserFactory()
    grant(enterprise, Role.ENTERPRISE, party=world.company)
    assert _client(enterprise).get(url).status_code == 403
    assert (
        _client(world.supervisor).get(reverse("records:object", args=["cases.case", 987654])).status_code
        == 404
    )


def test_entry_page_shows_fields_changes_leaf_hash_and_a_proof_that_holds(
    world: CaseWorld, case: Case
) -> None:
    ledger_sign()
    entry = LedgerEntry.objects.filter(
        object_type="cases.case", object_id=str(case.pk), action="case.open"
    ).get()
    response = _client(world.officer_user).get(reverse("records:entry", args=[entry.seq]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "立案" in html and "case.open" in html
    assert bytes(entry.leaf_hash).hex() in html
    assert entry.changes_digest in html
    assert 'data-proof="holds"' in html and 'data-testid="proof"' in html
    assert "签名" in html and "尚无覆盖此记录的签名树头" not in html


def test_entry_page_without_a_covering_signed_head_says_so(world: CaseWorld, case: Case) -> None:
    entry = LedgerEntry.objects.filter(object_type="cases.case", object_id=str(case.pk)).first()
    html = _client(world.supervisor).get(reverse("records:entry", args=[entry.seq])).content.decode()
    assert "尚无覆盖此记录的签名树头" in html and 'data-proof="holds"' in html


def test_entry_page_is_scoped_like_its_object(world: CaseWorld, case: Case) -> None:
    entry = LedgerEntry.objects.filter(object_type="cases.case", object_id=str(case.pk)).first()
    url = reverse("records:entry", args=[entry.seq])
    assert _client(world.outsider).get(url).status_code == 404
    assert _client(world.supervisor).get(reverse("records:entry", args=[10**9])).status_code == 404


def test_a_retrieval_entry_is_404_for_the_officer_and_shown_to_the_supervisor(
    world: CaseWorld, case: Case
) -> None:
    access = LedgerEntry.objects.get(action="record.access")
    url = reverse("records:entry", args=[access.seq])
    assert _client(world.officer_user).get(url).status_code == 404
    response = _client(world.supervisor).get(url)
    assert response.status_code == 200 and "调阅" in response.content.decode()


def test_the_evidence_page_of_an_object_shows_its_timeline_to_who_may_view_the_object(
    world: CaseWorld, case: Case
) -> None:
    url = reverse("evidence:gallery", args=["cases.case", case.pk])
    html = _client(world.officer_user).get(url).content.decode()
    assert "记录时间线" in html and "立案" in html
    outsider = _client(world.outsider).get(url)
    assert outsider.status_code == 200 and "记录时间线" not in outsider.content.decode()


def test_an_evidence_entry_links_to_the_evidence_and_back_to_the_cases_record(
    world: CaseWorld, case: Case
) -> None:
    store = LedgerEntry.objects.get(action="evidence.store")
    html = _client(world.officer_user).get(reverse("records:entry", args=[store.seq])).content.decode()
    assert f'href="{reverse("evidence:detail", args=[int(store.object_id)])}"' in html
    assert f'href="{reverse("records:object", args=["cases.case", case.pk])}"' in html
    assert "上传证据" in html

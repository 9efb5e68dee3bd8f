"""典型案例库 (issue 21 item 7): the bureau chooses guiding and warning cases from confirmed evaluations of closed
cases, anonymised; staff of the region search them; a catalog item's page shows the cases it illustrates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.caselib import selectors, services
from zhifa.caselib.models import LibraryCase, LibraryKind, LibraryStatus
from zhifa.cases.models import Case
from zhifa.cases.tests.helpers import CaseWorld
from zhifa.catalog.models import CatalogItem
from zhifa.core.errors import PermissionDenied, RuleViolation
from zhifa.evaluation import services as evaluation
from zhifa.evaluation.models import EvaluationFile
from zhifa.evaluation.tests.helpers import closed_case, plan
from zhifa.org.models import Region, RegionLevel, Role
from zhifa.org.tests.factories import AgencyFactory, UserFactory, grant
from zhifa.records.models import LedgerEntry

pytestmark = pytest.mark.django_db


def _confirmed(world: CaseWorld, *, bad: bool) -> EvaluationFile:
    closed_case(world, dt.date(2025, 6, 2))
    p = plan(world, sample=1)
    file = evaluation.plan_draw(actor=world.supervisor, plan=p)[0]
    evaluation.file_assign(actor=world.supervisor, file=file, evaluator=world.outsider)
    items = list(p.sheet.items.all())
    awards = {i.pk: i.points for i in items}
    notes = {}
    if bad:
        awards[items[4].pk], notes[items[4].pk] = Decimal(0), "未告知陈述申辩权利"
    evaluation.file_score(
        actor=world.outsider,
        file=file,
        awards=awards,
        notes=notes,
        criteria=["mis_procedure"] if bad else [],
        comment="违反告知程序" if bad else "",
    )
    return evaluation.file_confirm(actor=world.supervisor, file=file)


def _choose(world: CaseWorld, file: EvaluationFile, kind: str = LibraryKind.GUIDING, **kw) -> LibraryCase:
    return services.case_choose(
        actor=kw.pop("actor", world.supervisor),
        file=file,
        kind=kind,
        title=kw.pop("title", "占道经营案"),
        summary=kw.pop(
            "summary", f"{world.citizen.name}在城关镇占道经营，执法人员{world.officers[0].name}当场处罚。"
        ),
        key_points=kw.pop("key_points", "简易程序当场处罚，应出示证件、告知权利。"),
        keywords="占道经营",
    )


def test_the_bureau_publishes_a_guiding_case_anonymised_and_on_the_ledger(world: CaseWorld) -> None:
    item = _choose(world, _confirmed(world, bad=False))
    assert item.kind == LibraryKind.GUIDING and item.status == LibraryStatus.PUBLISHED
    assert world.citizen.name not in item.summary and "当事人甲" in item.summary
    assert world.officers[0].name not in item.summary
    assert world.citizen.name not in item.decision_text
    assert LedgerEntry.objects.filter(action="caselib.choose").exists()


def test_a_warning_case_must_be_a_typical_bad_case_and_a_guiding_one_must_not(world: CaseWorld) -> None:
    good = _confirmed(world, bad=False)
    with pytest.raises(RuleViolation) as exc:
        _choose(world, good, LibraryKind.WARNING)
    assert exc.value.code == "not_typical_bad"
    bad = _confirmed(world, bad=True)
    with pytest.raises(RuleViolation) as exc:
        _choose(world, bad, LibraryKind.GUIDING)
    assert exc.value.code == "typical_bad_cannot_guide"
    assert _choose(world, bad, LibraryKind.WARNING).kind == LibraryKind.WARNING
    assert LibraryCase.objects.count() == 1


def test_an_unconfirmed_file_or_a_case_already_chosen_is_refused(world: CaseWorld) -> None:
    file = _confirmed(world, bad=False)
    EvaluationFile.objects.filter(pk=file.pk).update(status="scored")
    with pytest.raises(RuleViolation) as exc:
        _choose(world, file)
    assert exc.value.code == "file_not_confirmed"
    EvaluationFile.objects.filter(pk=file.pk).update(status="confirmed")
    _choose(world, file)
    with pytest.raises(RuleViolation) as exc:
        _choose(world, file)
    assert exc.value.code == "already_in_library"


def test_only_the_bureau_of_the_plans_region_chooses(world: CaseWorld) -> None:
    file = _confirmed(world, bad=False)
    with pytest.raises(PermissionDenied):
        _choose(world, file, actor=world.head)
    far = Region.objects.create(code="990000", name="远方省", level=RegionLevel.PROVINCE)
    stranger = UserFactory()
    grant(stranger, Role.SUPERVISOR, region=far)
    with pytest.raises(PermissionDenied):
        _choose(world, file, actor=stranger)
    assert not selectors.candidates(stranger).exists() and selectors.candidates(world.supervisor).exists()
    assert not LibraryCase.objects.exists()


def test_officers_search_their_regions_library_and_not_others(world: CaseWorld) -> None:
    item = _choose(world, _confirmed(world, bad=False))
    assert [i.pk for i in selectors.search(world.officer_user, "占道")] == [item.pk]
    assert not selectors.search(world.officer_user, "违章建筑").exists()
    far = Region.objects.create(code="990000", name="远方省", level=RegionLevel.PROVINCE)
    far_agency = AgencyFactory(region=far)
    stranger = UserFactory()
    grant(stranger, Role.OFFICER, agency=far_agency)
    assert not selectors.search(stranger, "").exists()
    services.case_withdraw(actor=world.supervisor, item=item, reason="依据已修订")
    assert not selectors.search(world.officer_user, "").exists()
    assert selectors.search(world.supervisor, "").filter(pk=item.pk).exists()  # the bureau still sees it
    with pytest.raises(PermissionDenied):
        services.case_withdraw(actor=world.head, item=item, reason="x")


def test_a_catalog_items_page_shows_the_cases_it_illustrates(world: CaseWorld) -> None:
    file = _confirmed(world, bad=False)
    Case.objects.filter(pk=file.case_id).update(catalog_item_code="330217001000")
    catalog_item = CatalogItem.objects.create(
        agency=world.agency,
        code="330217001000",
        name="对占道经营的处罚",
        kind="penalty",
        domain=world.market,
        law_name="城市市容和环境卫生管理条例",
        article="第三十六条",
        article_text="……",
        effective_from=dt.date(2020, 1, 1),
    )
    client = Client()
    client.force_login(world.officer_user)
    url = reverse("catalog:item_detail", args=[catalog_item.pk])
    assert "本事项暂无典型案例" in client.get(url).content.decode()
    item = _choose(world, file)
    html = client.get(url).content.decode()
    assert reverse("caselib:detail", args=[item.pk]) in html and "指导性案例" in html


def test_the_library_pages_by_role(world: CaseWorld) -> None:
    file = _confirmed(world, bad=True)
    sup, officer = Client(), Client()
    sup.force_login(world.supervisor)
    officer.force_login(world.officer_user)
    assert "选为典型案例" in sup.get(reverse("caselib:list")).content.decode()
    assert officer.get(reverse("caselib:choose", args=[file.pk])).status_code == 403
    response = sup.post(
        reverse("caselib:choose", args=[file.pk]),
        {
            "kind": "warning",
            "title": "未告知即处罚案",
            "summary": "当事人占道经营。",
            "key_points": "先告知后处罚。",
        },
    )
    item = LibraryCase.objects.get()
    assert response.status_code == 302 and item.kind == LibraryKind.WARNING
    page = officer.get(reverse("caselib:list"), {"q": "告知"}).content.decode()
    assert "未告知即处罚案" in page and "选为典型案例" not in page
    assert officer.get(reverse("caselib:detail", args=[item.pk])).status_code == 200
    assert sup.post(reverse("caselib:choose", args=[file.pk]), {"kind": "warning"}).status_code == 404


def test_the_library_api_searches_chooses_and_withdraws_in_scope(world: CaseWorld) -> None:
    file = _confirmed(world, bad=False)
    sup, officer = Client(), Client()
    sup.force_login(world.supervisor)
    officer.force_login(world.officer_user)
    body = {
        "evaluation_file_id": file.pk,
        "kind": "guiding",
        "title": "占道经营案",
        "summary": "案情",
        "key_points": "要旨",
    }
    assert officer.post("/api/caselib/cases", body, content_type="application/json").status_code == 403
    created = sup.post("/api/caselib/cases", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["kind_label"] == "指导性案例"
    pk = created.json()["id"]
    assert [c["id"] for c in officer.get("/api/caselib/cases", {"q": "占道"}).json()] == [pk]
    refused = officer.post(
        f"/api/caselib/cases/{pk}/withdraw", {"reason": "x"}, content_type="application/json"
    )
    assert refused.status_code == 403
    done = sup.post(
        f"/api/caselib/cases/{pk}/withdraw", {"reason": "依据修订"}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["status"] == "withdrawn"
    assert officer.get(f"/api/caselib/cases/{pk}").status_code == 404

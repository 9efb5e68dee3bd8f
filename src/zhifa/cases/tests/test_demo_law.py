"""The demo county is right in law (issue 15, item 4).

Every demo decision cites laws of its agency's domain (the one table ``zhifa.org.demo_laws.DOMAIN_LAWS``), a case
naming a catalogue item cites that item's law, every catalogue item, discretion benchmark and random-inspection
item belongs to its agency's domain, 占道经营 is never the market regulator's, the 食品安全法 is cited on food
matters only, and the fines (and any warning) lie within the penalty provision the decision cites.
"""

from __future__ import annotations

import datetime as dt
import random
from types import SimpleNamespace

import pytest

from zhifa.cases.demo import SIMPLE_TITLES, TITLES, DemoCases, Walk, offence_for_item
from zhifa.cases.models import Case
from zhifa.catalog.demo import ITEMS
from zhifa.catalog.models import CatalogItem
from zhifa.discretion.models import Benchmark
from zhifa.inspections.models import InspectionItem
from zhifa.org.demo import COUNTY2_AGENCIES, COUNTY_AGENCIES
from zhifa.org.demo_laws import DOMAIN_LAWS, basis_problems, law_fits_domain, law_key, laws_cited
from zhifa.org.models import Agency

pytestmark = pytest.mark.django_db

FOOD_BASIS = "《中华人民共和国食品安全法》第三十四条；处罚依据：《中华人民共和国食品安全法》第一百二十四条"
CITY_BASIS = (
    "《城市市容和环境卫生管理条例》第十四条；处罚依据：《城市市容和环境卫生管理条例》第三十六条第（二）项"
)
DOMAIN_OF = {spec.key: spec.domain for spec in COUNTY_AGENCIES}


@pytest.fixture(autouse=True)
def evidence_dirs() -> None:
    """Keep the session's data directory: the demo county was built with it (module scope)."""


def _offences(key: str) -> dict[str, object]:
    return {o.title: o for o in (*TITLES.get(key, ()), *SIMPLE_TITLES.get(key, ()))}


def _agency_keys() -> dict[int, str]:
    """Every enforcing demo agency of both counties, by its spec key (the key its cases' offences are under)."""
    names = {spec.name: spec.key for spec in (*COUNTY_AGENCIES, *COUNTY2_AGENCIES)}
    return {a.pk: names[a.name] for a in Agency.objects.filter(name__in=names)}


# --- the check itself refuses what is wrong ------------------------------------------------------------------


def test_the_check_refuses_a_law_outside_the_domain_and_a_food_law_on_a_price_case() -> None:
    # the demo's old single basis, on a price-marking case: refused twice (a food law on a non-food matter)
    assert basis_problems("未明码标价", FOOD_BASIS, "market")
    assert basis_problems("销售超过保质期的食品", FOOD_BASIS, "market") == []
    # 占道经营 under the city-appearance regulations is the 综合行政执法 agency's, not market supervision's
    assert basis_problems("占道经营", CITY_BASIS, "market")
    assert basis_problems("占道经营", CITY_BASIS, "comprehensive") == []
    # another agency citing the food law, and a basis naming no law at all
    assert basis_problems("建筑工地扬尘防治措施不到位", FOOD_BASIS, "housing")
    assert basis_problems("未明码标价", "依据有关规定", "market")
    # names compare without 《》 and the 中华人民共和国 prefix; one law may serve two domains
    assert law_key("《中华人民共和国市场主体登记管理条例》") == law_key("市场主体登记管理条例")
    assert law_fits_domain("中华人民共和国大气污染防治法", "ecology")
    assert law_fits_domain("中华人民共和国大气污染防治法", "housing")
    assert not law_fits_domain("中华人民共和国大气污染防治法", "market")


# --- the demo's data ---------------------------------------------------------------------------------------------


def test_every_demo_offence_is_of_its_agency_domain_and_agrees_with_its_catalog_item() -> None:
    items = {code: (key, law) for key, rows in ITEMS.items() for code, _name, _kind, law, *_ in rows}
    for key, offences in (*TITLES.items(), *SIMPLE_TITLES.items()):
        domain = DOMAIN_OF[key]
        for offence in offences:
            assert basis_problems(offence.title, offence.basis, domain) == [], (key, offence.title)
            if offence.catalog_code:
                item_key, law = items[offence.catalog_code]
                assert item_key == key, offence.catalog_code
                assert law_key(law) in laws_cited(offence.basis), (offence.title, law)
                assert offence_for_item(key, offence.catalog_code) is not None
    assert "占道经营" not in _offences("market")
    assert "占道经营" in _offences("comprehensive")


def test_every_catalog_item_of_the_demo_data_is_of_its_agency_domain() -> None:
    for key, rows in ITEMS.items():
        for code, _name, _kind, law, *_ in rows:
            assert law_fits_domain(law, DOMAIN_OF[key]), (code, law)
    assert set(ITEMS) <= set(DOMAIN_LAWS)


def test_a_walk_naming_a_catalog_item_takes_its_offence_and_keeps_it_when_fined() -> None:
    person = SimpleNamespace(kind="natural_person", name="王某", uscc=None)
    company = SimpleNamespace(kind="legal_person", name="示范公司", uscc="91")
    demo = DemoCases(
        today=dt.date(2026, 3, 2), rng=random.Random(1), say=print, companies=[company], people=[person]
    )
    crew = SimpleNamespace(key="market")
    walk = Walk(demo, crew, True, dt.date(2026, 3, 2), "market")  # type: ignore[arg-type]
    walk.catalog_code = "SJ-CF-001"
    assert (walk.catalog_code, walk.title) == ("SJ-CF-001", "无证经营食品")
    assert "第一百二十二条" in walk.offence.basis
    # its fine moves into 第一百二十二条's range rather than the case leaving its item
    assert walk.fit("8000") == "50000" and walk.title == "无证经营食品"
    # an item the agency has no offence for is not named
    other = Walk(demo, crew, True, dt.date(2026, 3, 2), "market")  # type: ignore[arg-type]
    title = other.title
    other.catalog_code = "ZF-CF-005"
    assert (other.catalog_code, other.title) == ("", title)
    # without an item, a walk keeps its amount and takes an offence whose provision allows it
    free = Walk(demo, crew, True, dt.date(2026, 3, 2), "market")  # type: ignore[arg-type]
    assert free.fit("8000") == "8000" and free.offence.allows("8000")
    # a natural person is never fined for the 营业执照 duty of a registered 市场主体
    for _ in range(20):
        walk = Walk(demo, crew, False, dt.date(2026, 3, 2), "market")  # type: ignore[arg-type]
        assert walk.title != "未将营业执照置于经营场所醒目位置"


# --- the built demo ----------------------------------------------------------------------------------------------


def test_every_demo_decision_cites_laws_of_its_agency_domain(demo_county) -> None:
    assert not Case.objects.filter(decided_on__isnull=False, legal_basis="").exists()  # simple ones included
    cited = list(Case.objects.exclude(legal_basis="").select_related("agency", "domain"))
    assert len(cited) >= 10 and any(c.procedure == "simple" for c in cited)
    keys = _agency_keys()
    for case in cited:
        assert case.agency.domains.filter(pk=case.domain_id).exists(), case
        assert basis_problems(case.title, case.legal_basis, case.domain.code) == [], case
        if case.catalog_item_code:
            item = (
                CatalogItem.objects.filter(agency=case.agency, code=case.catalog_item_code)
                .order_by("-version")
                .first()
            )
            assert item is not None and law_key(item.law_name) in laws_cited(case.legal_basis), case
            assert case.title == offence_for_item(keys[case.agency_id], case.catalog_item_code).title
    market = Case.objects.filter(domain__code="market")
    assert market.exists() and not market.filter(title="占道经营").exists()
    for case in market.exclude(legal_basis=""):
        if "食品安全法" in laws_cited(case.legal_basis):
            assert "食品" in case.title, case


def test_every_demo_case_is_an_offence_of_its_agency_fined_within_its_provision(demo_county) -> None:
    keys = _agency_keys()
    cases = list(Case.objects.all())
    assert Case.objects.values("agency").distinct().count() >= 2
    for case in cases:
        offences = _offences(keys[case.agency_id])
        assert case.title in offences, (case.agency_id, case.title)
        offence = offences[case.title]
        if case.legal_basis:
            assert case.legal_basis == offence.basis, case
        for amount in (case.proposed_fine_yuan, case.fine_yuan):
            if amount is not None:
                assert offence.allows(str(int(amount))), (case.title, amount)
        for kinds in (case.proposed_kinds, case.penalty_kinds):  # a warning only where the provision has one
            assert "warning" not in (kinds or []) or offence.warning, (case.title, kinds)


def test_every_demo_catalog_item_and_benchmark_belongs_to_its_agency_domain(demo_county) -> None:
    items = list(CatalogItem.objects.select_related("agency", "domain"))
    assert len(items) >= 40
    for item in items:
        assert item.agency.domains.filter(pk=item.domain_id).exists(), item.code
        assert law_fits_domain(item.law_name, item.domain.code), (item.code, item.law_name)
    benchmarks = list(Benchmark.objects.exclude(agency=None).select_related("agency"))
    assert {b.catalog_item_code for b in benchmarks} >= {"SJ-CF-002", "SJ-CF-012", "SJ-CF-015"}
    for benchmark in benchmarks:
        domains = benchmark.agency.domains.values_list("code", flat=True)
        assert any(law_fits_domain(benchmark.law_name, d) for d in domains), benchmark.title
        item = CatalogItem.objects.filter(agency=benchmark.agency, code=benchmark.catalog_item_code).first()
        if item is not None:  # a benchmark names the item of its own law
            assert law_key(item.law_name) == law_key(benchmark.law_name), (benchmark.title, item.code)
    # the random-inspection list (inspections/demo.py) too
    inspection_items = list(InspectionItem.objects.select_related("domain"))
    assert inspection_items
    for inspection_item in inspection_items:
        laws = laws_cited(inspection_item.legal_basis)
        assert laws and all(law_fits_domain(law, inspection_item.domain.code) for law in laws), (
            inspection_item.code
        )

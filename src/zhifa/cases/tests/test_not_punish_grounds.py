"""行政处罚法 第三十条、第三十一条: 不予处罚 for a person under fourteen at the act date (read from the resident
ID), and for a mentally ill or intellectually disabled person unable to recognise or control his conduct
(with the basis stated); fourteen to seventeen is a hint to punish more lightly."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from zhifa.cases import fines, limits, services
from zhifa.cases.tests.fine_helpers import ACT, D, notify, reviewed
from zhifa.cases.tests.helpers import CaseWorld
from zhifa.cases.tests.test_rules import refused
from zhifa.core.errors import RuleViolation
from zhifa.org.models import Party, PartyKind
from zhifa.org.tests.factories import next_resident_id


def _person(world: CaseWorld, birth: str, name: str = "小明") -> Party:
    return Party.objects.create(
        kind=PartyKind.NATURAL_PERSON, name=name, id_number=next_resident_id(birth), region=world.county
    )


def _not_punish(world: CaseWorld, case, reason: str, note: str = ""):
    return services.case_not_punish(actor=world.head, case=case, reason=reason, note=note, on=D(2025, 3, 12))


def test_age_is_counted_in_full_years_at_the_act_date() -> None:
    born = D(2011, 2, 20)
    assert fines.age_on(born, D(2025, 2, 20)) == 13  # the birthday itself: still under fourteen
    assert fines.age_on(born, D(2025, 2, 21)) == 14
    assert fines.birth_date(next_resident_id("20110220")) == born
    assert fines.birth_date("12345") is None


def test_a_party_under_fourteen_at_the_act_is_not_punished(world: CaseWorld) -> None:
    # born 2011-02-20: the act on the fourteenth birthday 2025-02-20 is still 不满十四周岁
    case = notify(world, reviewed(world, party=_person(world, "20110220")))
    assert _not_punish(world, case, "under_14").stage == "not_punished"


def test_a_party_fourteen_at_the_act_is_refused_the_under_fourteen_ground(world: CaseWorld) -> None:
    # born 2011-02-19: fourteen on the act date (the day after the birthday) — a lighter penalty applies instead
    case = notify(world, reviewed(world, party=_person(world, "20110219")))
    refused(lambda: _not_punish(world, case, "under_14"), "not_under_14", case)
    hints = fines.minor_hints(case)
    assert len(hints) == 1 and "从轻或者减轻" in hints[0] and "14 周岁" in hints[0]


def test_an_adult_gets_no_minor_hint(world: CaseWorld) -> None:
    case = reviewed(world, party=world.citizen)  # born 1985
    assert fines.minor_hints(case) == []
    assert case.act_date == ACT


def test_an_organisation_is_refused_the_under_fourteen_ground(world: CaseWorld) -> None:
    case = notify(world, reviewed(world))
    refused(lambda: _not_punish(world, case, "under_14"), "under_14_not_applicable", case)


def test_a_person_without_resident_id_needs_the_evidence_of_age(world: CaseWorld) -> None:
    person = Party.objects.create(kind=PartyKind.NATURAL_PERSON, name="小红", region=world.county)
    case = notify(world, reviewed(world, party=person))
    refused(lambda: _not_punish(world, case, "under_14"), "age_basis_required", case)
    assert _not_punish(world, case, "under_14", note="户籍证明：2012 年出生").stage == "not_punished"


def test_mental_incapacity_needs_its_basis(world: CaseWorld) -> None:
    case = notify(world, reviewed(world, party=world.citizen))
    refused(lambda: _not_punish(world, case, "mental_incapacity"), "mental_basis_required", case)
    done = _not_punish(world, case, "mental_incapacity", note="司法鉴定意见书（测鉴〔2025〕1号）")
    assert done.stage == "not_punished" and done.not_punish_reason == "mental_incapacity"


def test_the_case_page_shows_the_minor_hint(world: CaseWorld, client) -> None:
    case = reviewed(world, party=_person(world, "20090601"))  # fifteen at the act
    client.force_login(world.officer_user)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="minor-hint"' in html and "应当从轻或者减轻行政处罚" in html
    assert RuleViolation  # imported for the refusal type the helper checks


@given(
    st.dates(min_value=D(1950, 1, 1), max_value=D(2020, 12, 31)), st.integers(min_value=0, max_value=30000)
)
def test_fourteen_from_the_day_after_the_fourteenth_birthday(born: dt.date, days: int) -> None:
    day = born + dt.timedelta(days=days)
    # 29 February: add_years gives 28 February, so fourteen from 1 March
    assert (fines.age_on(born, day) >= 14) == (day > limits.add_years(born, 14))

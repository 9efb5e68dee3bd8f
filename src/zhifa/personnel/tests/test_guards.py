"""The guards this app puts on other apps' steps: auxiliary staff may not decide or sign (seed 004 四、16), a case
of an entrusted organisation runs only while a delegation is in force (行政处罚法 第二十条), and only a rostered
adviser may take part in a legal review (seed 001 “法律顾问、公职律师参与法制审核工作机制”)."""

from __future__ import annotations

import datetime as dt

import pytest

from zhifa.cases import services as case_services
from zhifa.cases.models import Stage
from zhifa.core import clock
from zhifa.core.errors import PermissionDenied, RuleViolation
from zhifa.org.models import AgencyKind, Officer, Role, User
from zhifa.org.tests.factories import (
    AgencyFactory,
    OfficerFactory,
    UserFactory,
    certificate,
    grant,
    next_resident_id,
)
from zhifa.personnel import services
from zhifa.personnel.models import AdviserKind
from zhifa.review import services as review_services
from zhifa.review.tests.helpers import answer_all, decide, ready_case, submit

pytestmark = pytest.mark.django_db


def _auxiliary(user: User, world, flag: bool = True) -> User:
    Officer.objects.update_or_create(
        user=user,
        defaults={"agency": world.agency, "name": "辅助员", "is_auxiliary": flag, "id_number": _id(user)},
    )
    return User.objects.get(pk=user.pk)  # fresh: the auxiliary flag is cached on the user object


def _id(user: User) -> str:
    existing = Officer.objects.filter(user=user).values_list("id_number", flat=True).first()
    return existing or next_resident_id()


# --- 辅助人员 -------------------------------------------------------------------------------------------------------


def test_an_auxiliary_staff_member_cannot_make_the_penalty_decision(world) -> None:
    case = ready_case(world, fine="500")
    world.head = _auxiliary(world.head, world)
    with pytest.raises(RuleViolation) as refused:
        decide(world, case)
    assert refused.value.code == "auxiliary_may_not_decide"
    assert "辅助人员" in refused.value.message and "Auxiliary" in refused.value.message_en
    world.head = _auxiliary(world.head, world, flag=False)
    assert decide(world, case).stage == Stage.DECIDED


def test_an_auxiliary_staff_member_cannot_decide_on_the_spot(world) -> None:
    aux = UserFactory()
    grant(aux, Role.OFFICER, agency=world.agency)
    aux = _auxiliary(aux, world)
    kwargs = {
        "agency": world.agency,
        "domain": world.market,
        "party": world.company,
        "officers": world.officers[:2],
        "kinds": ["fine"],
        "fine_yuan": "100",
        "title": "销售过期食品",
        "basis": "《中华人民共和国行政处罚法》第五十九条（测试用依据）",
        "on": dt.date(2025, 3, 3),
    }
    with pytest.raises(RuleViolation) as refused:
        case_services.case_simple_decide(actor=aux, **kwargs)
    assert refused.value.code == "auxiliary_may_not_decide"
    assert case_services.case_simple_decide(actor=world.officer_user, **kwargs).stage == Stage.SERVED


def test_an_auxiliary_reviewer_cannot_sign_the_legal_review_opinion(world) -> None:
    case = ready_case(world, fine="500")
    request = submit(world, case)
    review_services.review_assign(actor=world.head, request=request, reviewer=world.reviewer)
    answer_all(world, request)
    aux_reviewer = _auxiliary(world.reviewer, world)
    with pytest.raises(RuleViolation) as refused:
        review_services.review_conclude(actor=aux_reviewer, request=request, agreed=True)
    assert refused.value.code == "auxiliary_may_not_decide"
    request.refresh_from_db()
    assert request.is_open
    signer = _auxiliary(world.reviewer, world, flag=False)
    assert review_services.review_conclude(actor=signer, request=request, agreed=True).state == "agreed"


# --- 委托 ---------------------------------------------------------------------------------------------------------


def _entrusted(world):
    entrusted = AgencyFactory(
        name="测县某镇综合执法队",
        short_name="测镇执法",
        region=world.county,
        kind=AgencyKind.ENTRUSTED,
        parent=world.agency,
    )
    entrusted.domains.set([world.market])
    staff = [OfficerFactory(agency=entrusted) for _ in range(2)]
    for officer in staff:
        certificate(officer, "market", issued=dt.date(2024, 1, 1), expires=dt.date(2030, 12, 31))
    user = UserFactory()
    grant(user, Role.OFFICER, agency=entrusted)
    return entrusted, staff, User.objects.get(pk=user.pk)


def _spot(entrusted, staff, user, world, on):
    return case_services.case_simple_decide(
        actor=user,
        agency=entrusted,
        domain=world.market,
        party=world.company,
        officers=staff,
        kinds=["warning"],
        title="占道经营",
        basis="《中华人民共和国行政处罚法》第五十九条（测试用依据）",
        on=on,
    )


def test_an_entrusted_organisation_acts_only_while_a_delegation_is_in_force(world) -> None:
    entrusted, staff, user = _entrusted(world)
    on = dt.date(2025, 3, 3)
    with pytest.raises(RuleViolation) as none:
        _spot(entrusted, staff, user, world, on)
    assert none.value.code == "delegation_not_in_force"
    delegation = services.delegation_create(
        actor=world.head,
        delegating=world.agency,
        entrusted=entrusted,
        domain=world.market,
        matters="占道经营的警告",
        document_number="测市监委〔2025〕1号",
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2027, 12, 31),
    )
    assert _spot(entrusted, staff, user, world, on).stage == Stage.SERVED
    services.delegation_withdraw(actor=world.head, delegation=delegation, reason="镇机构调整")
    with pytest.raises(RuleViolation):
        _spot(entrusted, staff, user, world, clock.today())


def test_a_delegation_needs_the_delegating_agencys_field_and_its_head(world) -> None:
    entrusted, _, _ = _entrusted(world)
    housing = world.other_agency.domains.get()
    values = {
        "entrusted": entrusted,
        "matters": "x",
        "document_number": "1",
        "starts_on": dt.date(2025, 1, 1),
        "ends_on": dt.date(2025, 12, 31),
    }
    with pytest.raises(RuleViolation) as field:
        services.delegation_create(actor=world.head, delegating=world.agency, domain=housing, **values)
    assert field.value.code == "domain_not_of_agency"
    with pytest.raises(PermissionDenied):
        services.delegation_create(
            actor=world.outsider, delegating=world.agency, domain=world.market, **values
        )
    head = UserFactory()
    grant(head, Role.AGENCY_HEAD, agency=entrusted)
    with pytest.raises(RuleViolation) as again:  # 受委托组织不得再委托
        services.delegation_create(
            actor=User.objects.get(pk=head.pk),
            delegating=entrusted,
            domain=world.market,
            **{**values, "entrusted": world.other_agency},
        )
    assert again.value.code == "no_sub_delegation"


# --- 法律顾问、公职律师 ---------------------------------------------------------------------------------------------


def _adviser(world, actor=None, agency=None, **kw):
    return services.adviser_add(
        actor=actor or world.head,
        agency=agency or world.agency,
        kind=kw.pop("kind", AdviserKind.PUBLIC_LAWYER),
        name=kw.pop("name", "钱律师"),
        licence_number=kw.pop("licence_number", "G2025001"),
        listed_on=dt.date(2025, 1, 1),
        **kw,
    )


def test_only_a_rostered_adviser_may_take_part_in_the_legal_review(world) -> None:
    request = submit(world, ready_case(world, fine="500"))
    rostered = _adviser(world)
    elsewhere = _adviser(
        world, actor=world.outsider, agency=world.other_agency, name="孙顾问", licence_number="L9"
    )
    with pytest.raises(RuleViolation) as other:
        services.review_adviser_join(actor=world.head, request=request, adviser=elsewhere)
    assert other.value.code == "adviser_not_rostered"
    removed = _adviser(world, name="李顾问", licence_number="L2", kind=AdviserKind.LEGAL_ADVISER)
    services.adviser_remove(actor=world.head, adviser=removed, reason="合同到期")
    with pytest.raises(RuleViolation):
        services.review_adviser_join(actor=world.head, request=request, adviser=removed)
    with pytest.raises(PermissionDenied):
        services.review_adviser_join(actor=world.officer_user, request=request, adviser=rostered)
    joined = services.review_adviser_join(actor=world.head, request=request, adviser=rostered, opinion="同意")
    assert joined.adviser == rostered
    with pytest.raises(RuleViolation):
        services.review_adviser_join(actor=world.head, request=request, adviser=rostered)


def test_a_head_keeps_only_his_own_agencys_roster(world) -> None:
    with pytest.raises(PermissionDenied):
        _adviser(world, actor=world.outsider)
    _adviser(world)
    with pytest.raises(RuleViolation) as twice:
        _adviser(world)
    assert twice.value.code == "adviser_exists"

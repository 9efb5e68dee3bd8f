"""公示的生命周期: 公示期限 (expiry by the project clock), 更正 (withdraw and republish), 信用修复 (apply, grant,
refuse), each rule on both sides; what has ended is gone from every public form but stays on the record."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhifa.cases import corrections
from zhifa.core import clock
from zhifa.core.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from zhifa.disclosure import selectors, services
from zhifa.disclosure.models import (
    CreditRepair,
    DisclosureRule,
    PeriodTier,
    Publication,
    PublicationStatus,
    RepairStatus,
    ResultKind,
)
from zhifa.disclosure.tests.helpers import publication_of
from zhifa.org.models import Party, PartyKind, Role, User
from zhifa.org.tests.factories import PartyFactory, UserFactory, grant
from zhifa.records.models import LedgerEntry
from zhifa.search.services import search
from zhifa.testing.worlds import decide_simple

pytestmark = pytest.mark.django_db

D = dt.date
PUBLISHED_ON = D(2025, 3, 5)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _publish_on(world: Any, case: Any, on: dt.date = PUBLISHED_ON) -> Publication:
    p = publication_of(case)
    with clock.set_during(on):
        services.publication_submit(actor=world.officer_user, publication=p)
        return services.publication_approve(actor=world.head, publication=p)


def _enterprise(party: Party) -> User:
    user = UserFactory()
    grant(user, Role.ENTERPRISE, party=party)
    return User.objects.get(pk=user.pk)


def _public_ids() -> set[int]:
    return set(selectors.public_publications().values_list("pk", flat=True))


def _export_notes(kind: str = ResultKind.PENALTY) -> str:
    return json.dumps(list(selectors.public_export_rows(kind)), ensure_ascii=False)


# --- 公示期限 ----------------------------------------------------------------------------------------------------


def test_a_small_fine_is_public_to_the_last_day_of_its_period_and_gone_the_day_after(world, client) -> None:
    p = _publish_on(world, decide_simple(world))  # 罚款 150 元: 轻微, 3 months from 公示之日
    assert (p.period_tier, p.expires_on) == (PeriodTier.LIGHT, D(2025, 6, 4))
    with clock.set_during(D(2025, 6, 4)):
        assert p.pk in _public_ids()
        assert f"公示编号 {p.pk}" in _export_notes()
        assert client.get(f"/public/decisions/{p.pk}/").status_code == 200
        assert p.pk in {int(h.source_id) for h in search("过期食品").items}
        assert (
            "销售过期食品"
            in client.get(f"/public/agencies/{world.agency.pk}/decisions.atom").content.decode()
        )
    with clock.set_during(D(2025, 6, 5)):
        assert p.pk not in _public_ids()
        assert f"公示编号 {p.pk}" not in _export_notes()
        gone = client.get(f"/public/decisions/{p.pk}/")
        assert gone.status_code == 404 and "停止公示" in gone.content.decode()
        assert "销售过期食品" not in client.get("/public/decisions/?q=过期食品").content.decode()
        assert (
            "销售过期食品"
            not in client.get(f"/public/agencies/{world.agency.pk}/decisions.atom").content.decode()
        )
        assert client.get(f"/api/disclosure/public/decisions/{p.pk}").status_code == 404
        # on the record: staff and supervision see it as 已到期
        staff = Client()
        staff.force_login(world.supervisor)
        assert "已到期" in staff.get(f"/disclosure/{p.pk}/").content.decode()
        assert p.pk in set(
            selectors.publication_queue(world.supervisor, status="expired").values_list("pk", flat=True)
        )
        assert p.pk not in set(
            selectors.publication_queue(world.head, status="published").values_list("pk", flat=True)
        )
        # the daily sweep takes it out of the index
        assert services.disclosure_sweep()["expired_unindexed"] == 1
        assert p.pk not in {int(h.source_id) for h in search("过期食品").items}


@pytest.mark.parametrize(
    ("kinds", "fine", "tier", "months"),
    [
        (["warning"], None, PeriodTier.LIGHT, 3),
        (["fine"], Decimal("5000"), PeriodTier.LIGHT, 3),
        (["fine"], Decimal("5000.01"), PeriodTier.GENERAL, 12),
        (["warning", "confiscate_income"], None, PeriodTier.GENERAL, 12),
        (["fine"], Decimal("1000000"), PeriodTier.SERIOUS, 36),
        (["revoke_licence"], None, PeriodTier.SERIOUS, 36),
    ],
)
def test_the_period_follows_the_kind_of_penalty(world, kinds, fine, tier, months) -> None:
    p = Publication(
        agency=world.agency,
        kind=ResultKind.PENALTY,
        penalty_kinds=kinds,
        fine_yuan=fine,
        decided_on=D(2025, 1, 10),
        published_on=D(2025, 1, 15),
    )
    period = services.publication_period(p)
    assert period.tier == tier
    assert period.expires_on == services.plus_months(D(2025, 1, 15), months) - dt.timedelta(days=1)


def test_the_region_sets_the_periods_and_the_day_they_count_from(world) -> None:
    DisclosureRule.objects.create(
        region=world.county,
        light_period_months=6,
        light_repair_min_months=2,
        period_from="decision",
        other_period_months=0,
    )
    p = Publication(
        agency=world.agency,
        kind=ResultKind.PENALTY,
        penalty_kinds=["warning"],
        decided_on=D(2025, 1, 31),
        published_on=D(2025, 2, 5),
    )
    period = services.publication_period(p)
    assert (period.expires_on, period.repair_from) == (D(2025, 7, 30), D(2025, 3, 31))
    inspection = Publication(agency=world.agency, kind=ResultKind.INSPECTION, decided_on=D(2025, 1, 31))
    assert services.publication_period(inspection).expires_on is None  # 0: no end
    assert services.publication_period(inspection).repair_from is None  # not a credit record


# --- 更正 --------------------------------------------------------------------------------------------------------


def test_a_correction_withdraws_the_old_text_and_republishes_after_approval(world, client) -> None:
    old = _publish_on(world, decide_simple(world))
    with clock.set_during(D(2025, 3, 10)):
        new = services.publication_correct(
            actor=world.head, publication=old, reason="当事人名称录入有误，予以更正"
        )
    old.refresh_from_db()
    assert (old.status, old.withdraw_kind, old.withdraw_reason) == (
        "withdrawn",
        "corrected",
        "当事人名称录入有误，予以更正",
    )
    assert new.status == PublicationStatus.DRAFT and new.corrects_id == old.pk
    assert old.pk not in _public_ids() and new.pk not in _public_ids()  # the new one waits for approval
    assert client.get(f"/public/decisions/{new.pk}/").status_code == 404
    assert LedgerEntry.objects.filter(action="disclosure.correct", object_id=str(new.pk)).exists()
    with clock.set_during(D(2025, 3, 11)):
        services.publication_submit(actor=world.officer_user, publication=new)
        services.publication_approve(actor=world.head, publication=new)
        assert _public_ids() == {new.pk}
        page = client.get(f"/public/decisions/{new.pk}/").content.decode()
        assert "已更正" in page and "当事人名称录入有误" in page and "2025年03月10日" in page
        notice = client.get(f"/public/decisions/{old.pk}/").content.decode()
        assert "更正" in notice and f"/public/decisions/{new.pk}/" in notice
        api = client.get(f"/api/disclosure/public/decisions/{new.pk}").json()
        assert api["corrects_id"] == old.pk and api["correction_reason"] == "当事人名称录入有误，予以更正"


def test_a_correction_needs_a_reason_a_published_text_and_the_withdraw_right(world) -> None:
    p = _publish_on(world, decide_simple(world))
    with pytest.raises(InvalidInput):
        services.publication_correct(actor=world.head, publication=p, reason=" ")
    with pytest.raises(PermissionDenied):
        services.publication_correct(actor=world.officer_user, publication=p, reason="更正")
    with pytest.raises(PermissionDenied):
        services.publication_correct(actor=world.outsider, publication=p, reason="更正")
    with pytest.raises(InvalidInput):  # 更正 is its own step, never a bare withdrawal
        services.publication_withdraw(actor=world.head, publication=p, kind="corrected", reason="更正")
    draft = publication_of(decide_simple(world, title="未亮照经营"))
    with pytest.raises(RuleViolation):
        services.publication_correct(actor=world.head, publication=draft, reason="更正")
    assert Publication.objects.filter(corrects__isnull=False).count() == 0


def test_a_changed_decision_is_corrected_at_once_and_the_changed_text_drafted(world) -> None:
    case = decide_simple(world, fine_yuan="150")
    old = _publish_on(world, case)
    on = D(2025, 3, 20)
    with clock.set_during(on):
        corrections.case_change_decision(
            actor=world.head, case=case, reason="复核后减轻罚款", kinds=["fine"], fine_yuan="100", on=on
        )
    old.refresh_from_db()
    assert old.status == PublicationStatus.WITHDRAWN and old.withdraw_kind == "corrected"
    assert "变更" in old.withdraw_reason and "复核后减轻罚款" in old.withdraw_reason
    new = Publication.objects.get(corrects=old)
    assert (
        new.status == PublicationStatus.DRAFT and new.fine_yuan == Decimal("100") and "100.00" in new.content
    )
    assert list(selectors.withdrawal_due_flags()) == []  # withdrawn in time: nothing to flag


# --- 信用修复 -------------------------------------------------------------------------------------------------------


@pytest.fixture
def repairable(world: Any) -> tuple[Publication, User]:
    """A published small fine of the world's company, its 最短公示期 set to 3 months, and the company's account."""
    DisclosureRule.objects.create(region=world.county, light_repair_min_months=3, light_period_months=12)
    p = _publish_on(world, decide_simple(world))
    return p, _enterprise(world.company)


def _apply(p: Publication, user: User, *, files: list[tuple[str, bytes]] | None = None) -> CreditRepair:
    files = files if files is not None else [("缴款凭证.pdf", PDF)]
    return services.credit_repair_apply(
        actor=user,
        publication=p,
        statement="罚款已于 2025-03-10 缴清，已下架全部过期食品。",
        files=[services.ProofFile(n, d) for n, d in files],
    )


def test_repair_opens_on_the_day_the_minimum_period_ends(repairable) -> None:
    p, company = repairable
    assert p.repair_from == D(2025, 6, 5)
    with clock.set_during(D(2025, 6, 4)):
        with pytest.raises(RuleViolation) as refused:
            _apply(p, company)
        assert "2025年06月05日" in refused.value.message
    with clock.set_during(D(2025, 6, 5)):
        repair = _apply(p, company)
    assert repair.status == RepairStatus.PENDING and repair.files.get().content_type == "application/pdf"
    assert f"credit_repair:{repair.pk}" in {c.key for c in selectors.repair_pending_flags()}
    with clock.set_during(D(2025, 6, 6)), pytest.raises(RuleViolation):
        _apply(p, company)  # one pending application at a time


def test_an_enterprise_applies_only_for_its_own_publications(world, repairable) -> None:
    p, _company = repairable
    other = _enterprise(PartyFactory(name="别家有限公司", region=world.county, kind=PartyKind.LEGAL_PERSON))
    with clock.set_during(D(2025, 7, 1)):
        with pytest.raises(NotFound):
            _apply(p, other)
        with pytest.raises(NotFound):
            _apply(p, world.head)  # staff are no party to it either
    assert not CreditRepair.objects.exists()


@pytest.mark.parametrize(
    ("files", "why"),
    [
        ([], "请上传"),
        ([("说明.txt", b"plain text proof")], "PDF、JPEG 或 PNG"),
        ([("伪装.pdf", b"MZ\x90\x00" + b"\x00" * 60)], "PDF、JPEG 或 PNG"),
        ([("大.pdf", PDF + b"0" * (5 * 1024 * 1024))], "5 MB"),
        ([(f"{i}.png", PNG) for i in range(6)], "最多"),
    ],
)
def test_proof_files_are_pdf_jpeg_or_png_at_most_five_of_5mb(repairable, files, why) -> None:
    p, company = repairable
    with clock.set_during(D(2025, 7, 1)), pytest.raises(InvalidInput) as bad:
        _apply(p, company, files=files)
    assert why in bad.value.message and not CreditRepair.objects.exists()


def test_a_granted_repair_stops_the_publication_early_and_keeps_it_on_the_record(
    world, repairable, client
) -> None:
    p, company = repairable
    with clock.set_during(D(2025, 7, 1)):
        repair = _apply(p, company)
        with pytest.raises(PermissionDenied):  # another agency's head does not decide
            services.credit_repair_decide(actor=world.outsider, repair=repair, grant=True)
        with pytest.raises(PermissionDenied):
            services.credit_repair_decide(actor=world.officer_user, repair=repair, grant=True)
        assert p.pk in _public_ids()
        services.credit_repair_decide(actor=world.head, repair=repair, grant=True, reason="已履行完毕")
        p.refresh_from_db()
        assert p.status == PublicationStatus.REPAIRED and p.repaired_at is not None
        assert p.pk not in _public_ids() and f"公示编号 {p.pk}" not in _export_notes()
        assert client.get(f"/public/decisions/{p.pk}/").status_code == 404
        assert p.pk not in {int(h.source_id) for h in search("过期食品").items}
        assert (
            "销售过期食品"
            not in client.get(f"/public/agencies/{world.agency.pk}/decisions.atom").content.decode()
        )
        assert LedgerEntry.objects.filter(action="disclosure.repair_grant", object_id=str(p.pk)).exists()
        with pytest.raises(RuleViolation):
            services.credit_repair_decide(actor=world.head, repair=repair, grant=False, reason="再议")
        staff = Client()
        staff.force_login(world.supervisor)
        assert "已信用修复" in staff.get(f"/disclosure/{p.pk}/").content.decode()


def test_a_refused_repair_needs_a_reason_and_leaves_the_publication_public(world, repairable) -> None:
    p, company = repairable
    with clock.set_during(D(2025, 7, 1)):
        repair = _apply(p, company)
        with pytest.raises(InvalidInput):
            services.credit_repair_decide(actor=world.head, repair=repair, grant=False, reason="")
        services.credit_repair_decide(actor=world.head, repair=repair, grant=False, reason="整改材料不全")
        assert p.pk in _public_ids()
        repair.refresh_from_db()
        assert (repair.status, repair.decision_reason) == (RepairStatus.REFUSED, "整改材料不全")
        _apply(p, company)  # refused: may apply again


# --- pages and API -----------------------------------------------------------------------------------------------


def test_the_enterprise_page_lists_its_publications_and_takes_an_application(world, repairable) -> None:
    p, company = repairable
    other = _publish_on(world, decide_simple(world, party=world.citizen, title="占道经营"))
    web = Client()
    web.force_login(company)
    with clock.set_during(D(2025, 6, 1)):
        page = web.get("/disclosure/mine/").content.decode()
        assert "我的公示决定" in page and "销售过期食品" in page and "占道经营" not in page
        assert "自 2025年06月05日 起可申请信用修复" in page and 'data-testid="repair-form"' not in page
    with clock.set_during(D(2025, 6, 5)):
        assert 'data-testid="repair-form"' in web.get("/disclosure/mine/").content.decode()
        web.post(
            f"/disclosure/mine/{p.pk}/repair/",
            {"statement": "罚款已缴清", "files": SimpleUploadedFile("凭证.png", PNG, "image/png")},
        )
        assert CreditRepair.objects.filter(publication=p, status="pending").count() == 1
        web.post(
            f"/disclosure/mine/{other.pk}/repair/",
            {"statement": "不是我的", "files": SimpleUploadedFile("凭证.png", PNG, "image/png")},
        )
        assert not CreditRepair.objects.filter(publication=other).exists()
        head = Client()
        head.force_login(world.head)
        assert "销售过期食品" in head.get("/disclosure/?tab=repairs").content.decode()
        repair = CreditRepair.objects.get(publication=p)
        file_id = repair.files.get().pk
        assert head.get(f"/disclosure/repairs/files/{file_id}/").content == PNG
        outsider = Client()
        outsider.force_login(world.outsider)
        assert outsider.get(f"/disclosure/repairs/files/{file_id}/").status_code == 404
        outsider.post(f"/disclosure/repairs/{repair.pk}/decide/", {"decision": "grant"})
        head.post(f"/disclosure/repairs/{repair.pk}/decide/", {"decision": "grant", "reason": "已履行"})
        p.refresh_from_db()
        assert p.status == PublicationStatus.REPAIRED
        assert "已信用修复" in web.get("/disclosure/mine/").content.decode()
    assert web.get("/disclosure/").status_code == 403  # an enterprise sees no staff queue


def test_the_api_corrects_applies_and_decides(world, repairable) -> None:
    p, company = repairable
    api_company, api_head, api_outsider = Client(), Client(), Client()
    api_company.force_login(company)
    api_head.force_login(world.head)
    api_outsider.force_login(world.outsider)
    with clock.set_during(D(2025, 6, 4)):
        early = api_company.post(
            f"/api/disclosure/publications/{p.pk}/repairs",
            {"statement": "已缴清", "files": SimpleUploadedFile("a.pdf", PDF, "application/pdf")},
        )
        assert early.status_code == 409 and "2025年06月05日" in early.json()["message"]
    with clock.set_during(D(2025, 6, 5)):
        mine = api_company.get("/api/disclosure/mine/publications").json()
        assert [m["publication"]["id"] for m in mine] == [p.pk] and mine[0]["repair_open"] is True
        made = api_company.post(
            f"/api/disclosure/publications/{p.pk}/repairs",
            {"statement": "已缴清", "files": SimpleUploadedFile("a.pdf", PDF, "application/pdf")},
        )
        assert made.status_code == 201, made.content
        repair_id = made.json()["id"]
        assert [r["id"] for r in api_head.get("/api/disclosure/repairs").json()] == [repair_id]
        assert api_outsider.get("/api/disclosure/repairs").json() == []
        refused = api_outsider.post(
            f"/api/disclosure/repairs/{repair_id}/decide",
            {"decision": "grant"},
            content_type="application/json",
        )
        assert refused.status_code == 404
        decided = api_head.post(
            f"/api/disclosure/repairs/{repair_id}/decide",
            {"decision": "refuse", "reason": "材料不全"},
            content_type="application/json",
        )
        assert decided.status_code == 200 and decided.json()["status"] == "refused"
        corrected = api_head.post(
            f"/api/disclosure/publications/{p.pk}/correct",
            {"reason": "文号更正"},
            content_type="application/json",
        )
        assert corrected.status_code == 201 and corrected.json()["corrects_id"] == p.pk
        assert corrected.json()["status"] == "draft"

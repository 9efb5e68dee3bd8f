"""清单与名录库: inspection items, party tags, the no-disturb list and recorded conflicts of interest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.core.transactions import service
from zhifa.inspections import rules
from zhifa.inspections.models import ConflictOfInterest, InspectionItem, NoDisturbEntry, PartyDomainTag
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Domain, Officer, Party, User
from zhifa.records.services import record_append


def _domain(code: str) -> Domain:
    domain = Domain.objects.filter(code=code).first()
    if domain is None:
        raise InvalidInput(f"执法领域 {code!r} 不存在。", f"Unknown domain {code!r}.", field="domain_code")
    return domain


@service
def item_create(
    user: User,
    *,
    agency: Agency,
    code: str,
    name: str,
    domain_code: str,
    legal_basis: str,
    objects_desc: str = "",
    content: str = "",
    method: str = "",
) -> InspectionItem:
    """随机抽查事项 — add an item to an agency's list; no item without its legal basis."""
    perms.require(user, rules.MANAGE_LISTS, agency)
    if not legal_basis.strip():
        raise InvalidInput(
            "抽查事项必须写明检查依据（法律、法规、规章条款）。",
            "An inspection item needs its legal basis.",
            code="item_without_legal_basis",
            field="legal_basis",
        )
    domain = _domain(domain_code)
    if not agency.domains.filter(pk=domain.pk).exists():
        raise RuleViolation(
            f"{agency.name}的执法领域不含“{domain.name}”，不能列入该领域的抽查事项。",
            f"{domain.code} is not a domain of this agency.",
            code="item_outside_agency_domain",
            field="domain_code",
        )
    if InspectionItem.objects.filter(agency=agency, code=code).exists():
        raise RuleViolation(
            f"事项编码 {code} 已存在。", f"Item code {code} exists.", code="duplicate", field="code"
        )
    item = InspectionItem.objects.create(
        agency=agency,
        code=code,
        name=name,
        domain=domain,
        legal_basis=legal_basis.strip(),
        objects_desc=objects_desc,
        content=content,
        method=method,
    )
    record_append(
        actor=user,
        action="inspection.item.create",
        obj=item,
        changes={
            "agency": agency.pk,
            "code": code,
            "name": name,
            "domain": domain.code,
            "legal_basis": legal_basis,
        },
    )
    return item


@service
def party_tag(user: User, party: Party, domain_codes: Sequence[str]) -> list[PartyDomainTag]:
    """检查对象名录库 — put a party in the directories of these domains (idempotent)."""
    perms.require(user, rules.MANAGE_LISTS, party)
    domains = [_domain(code) for code in dict.fromkeys(domain_codes)]
    PartyDomainTag.objects.bulk_create(
        [PartyDomainTag(party=party, domain=d) for d in domains], ignore_conflicts=True
    )
    record_append(
        actor=user, action="inspection.party.tag", obj=party, changes={"domains": [d.code for d in domains]}
    )
    return list(PartyDomainTag.objects.filter(party=party, domain__in=domains))


@service
def no_disturb_add(user: User, party: Party, *, reason: str, until: dt.date | None = None) -> NoDisturbEntry:
    """无事不扰 — leave a low-risk enterprise out of routine draws (judicial bureau / administrator)."""
    perms.require(user, rules.MANAGE_NO_DISTURB, party)
    if not reason.strip():
        raise InvalidInput("请填写列入理由。", "A reason is required.", field="reason")
    entry, _ = NoDisturbEntry.objects.update_or_create(
        party=party, defaults={"reason": reason, "until": until, "added_by": user}
    )
    record_append(
        actor=user, action="inspection.no_disturb.add", obj=party, changes={"reason": reason, "until": until}
    )
    return entry


@service
def no_disturb_remove(user: User, party: Party) -> None:
    perms.require(user, rules.MANAGE_NO_DISTURB, party)
    NoDisturbEntry.objects.filter(party=party).delete()
    record_append(actor=user, action="inspection.no_disturb.remove", obj=party, changes={})


@service
def conflict_record(user: User, officer: Officer, party: Party, *, reason: str) -> ConflictOfInterest:
    """回避 — an officer who may not inspect this party; draws and filings leave them out."""
    perms.require(user, rules.MANAGE_LISTS, officer)
    if not reason.strip():
        raise InvalidInput("请填写回避事由。", "A reason is required.", field="reason")
    conflict, _ = ConflictOfInterest.objects.get_or_create(
        officer=officer, party=party, defaults={"reason": reason, "recorded_by": user}
    )
    record_append(
        actor=user,
        action="inspection.conflict.record",
        obj=conflict,
        changes={"officer": officer.pk, "party": party.pk},
    )
    return conflict

"""清单与名录库: inspection items, party tags, the no-disturb list and recorded conflicts of interest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.db.models import Max, Q

from zhifa.core import clock
from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.core.pagecache import bump
from zhifa.core.transactions import service
from zhifa.inspections import rules
from zhifa.inspections.models import (
    ChecklistLine,
    ConflictOfInterest,
    InspectionItem,
    NoDisturbEntry,
    PartyDomainTag,
)
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


CHECKLIST_MAX_LINES = 200


def _checklist_lines(lines: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
    cleaned = []
    for row, line in enumerate(lines, start=1):
        content = str(line.get("content") or "").strip()
        method = str(line.get("method") or "").strip()
        basis = str(line.get("basis") or "").strip()
        if not (content or method or basis):
            continue  # a blank row of the form
        if not content or not method:
            raise InvalidInput(
                f"检查表单第 {row} 行须写明检查内容和检查方法与标准。",
                f"Checklist row {row} needs its content and its method.",
                code="checklist_line_incomplete",
                field="content" if not content else "method",
            )
        if len(basis) > 300:
            raise InvalidInput(
                f"检查表单第 {row} 行的依据条款过长（最多 300 字）。",
                f"Checklist row {row}: basis too long.",
                code="text_too_long",
                field="basis",
            )
        cleaned.append({"content": content, "method": method, "basis": basis})
    if not cleaned:
        raise InvalidInput(
            "检查表单至少要有一项检查内容。", "A checklist needs at least one line.", code="checklist_empty"
        )
    if len(cleaned) > CHECKLIST_MAX_LINES:
        raise InvalidInput(
            f"检查表单最多 {CHECKLIST_MAX_LINES} 项。",
            f"A checklist has at most {CHECKLIST_MAX_LINES} lines.",
            code="checklist_too_long",
        )
    return cleaned


@service
def checklist_set(
    user: User,
    item: InspectionItem,
    *,
    lines: Sequence[Mapping[str, str]],
    effective_from: dt.date,
) -> list[ChecklistLine]:
    """检查表单 — a new version of the item's checklist from ``effective_from``; the version before it ends the
    day before. History is never rewritten: a version may not start on or before the start of the latest one,
    so that what was published as in force on a past day stays so (从旧兼从轻 reads it)."""
    perms.require(user, rules.MANAGE_LISTS, item)
    if not item.is_active:
        raise RuleViolation(
            "该抽查事项已停用，不能修改检查表单。", "The inspection item is inactive.", code="item_inactive"
        )
    cleaned = _checklist_lines(lines)
    existing = ChecklistLine.objects.select_for_update().filter(item=item)
    latest = existing.order_by("-version").first()
    if latest is not None and latest.effective_from >= effective_from:
        raise RuleViolation(
            f"检查表单第 {latest.version} 版自 {latest.effective_from:%Y-%m-%d} 起施行，新版本的施行日期须晚于它。",
            "A checklist version starting on or after this date exists.",
            code="checklist_version_order",
            field="effective_from",
        )
    version = (existing.aggregate(m=Max("version"))["m"] or 0) + 1
    closed = existing.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=effective_from)).update(
        effective_to=effective_from - dt.timedelta(days=1)
    )
    created = ChecklistLine.objects.bulk_create(
        [
            ChecklistLine(
                item=item,
                version=version,
                order=order,
                effective_from=effective_from,
                created_by=user,
                **line,
            )
            for order, line in enumerate(cleaned, start=1)
        ]
    )
    bump()  # the public inspection-item pages show the lines; bulk writes send no signal (zhifa.core.pagecache)
    record_append(
        actor=user,
        action="inspection.checklist.set",
        obj=item,
        changes={
            "version": version,
            "effective_from": effective_from.isoformat(),
            "previous_closed": bool(closed),
            "lines": [
                f"{line['content']}（{line['method']}{'；' + line['basis'] if line['basis'] else ''}）"
                for line in cleaned
            ],
        },
    )
    return created


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
    if until is not None and until < clock.today():
        raise InvalidInput("有效期不能早于今天。", "The validity has already passed.", field="until")
    entry, _ = NoDisturbEntry.objects.update_or_create(
        party=party, defaults={"reason": reason, "until": until, "added_by": user}
    )
    record_append(
        actor=user, action="inspection.no_disturb.add", obj=party, changes={"reason": reason, "until": until}
    )
    return entry


@service
def no_disturb_remove(user: User, party: Party, *, reason: str = "") -> None:
    """移出无事不扰 — with the reason (e.g. 信用等级下降、发生违法行为); routine visits are possible again."""
    perms.require(user, rules.MANAGE_NO_DISTURB, party)
    if not NoDisturbEntry.objects.filter(party=party).exists():
        raise RuleViolation(
            "该企业不在无事不扰名单中。", "The enterprise is not on the list.", code="not_on_no_disturb_list"
        )
    NoDisturbEntry.objects.filter(party=party).delete()
    record_append(
        actor=user, action="inspection.no_disturb.remove", obj=party, changes={"reason": reason.strip()}
    )


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

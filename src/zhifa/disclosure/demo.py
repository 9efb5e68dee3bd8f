"""Demo step 130: publish the demo county's decided cases (robust when there are none); step 131: receive a
few licensing decisions from the government services system (政务服务) for the market-supervision bureau;
step 132: the life of a publication — one corrected, one expired, one stopped by a granted 信用修复.

Every 行政强制 result (the demo's 扣押 decisions) is published; results that by the region's rule have no
一定社会影响 (a warning to a resident, 行政处罚法 第四十八条) stay unpublished with their reason. Every fifth other
obligation is left open, so that the staff queue — and, once past its due date, the supervision
flag ``publication_overdue`` — has something to show. The licensing decisions include natural persons (the
demo's own residents, with their real demo ID numbers), so the portal's privacy crawl checks their masking.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhifa.cases.demo import LICENCE_DISPLAY, PRICE_MARKING, Offence
from zhifa.cases.services import case_simple_decide, document_issue
from zhifa.disclosure import services
from zhifa.disclosure.models import Publication, PublicationStatus, ResultKind
from zhifa.disclosure.selectors import plus_years
from zhifa.org.models import Agency, Officer, Party, PartyKind, Role, RoleAssignment, User


def build_disclosure_demo(ctx: Any) -> int:
    services.disclosure_sweep(today=ctx.today)
    drafts = Publication.objects.filter(status=PublicationStatus.DRAFT)
    # 行政强制 results (查封/扣押 decisions) first and all published: the portal shows one under 行政强制决定
    compulsion = list(
        drafts.filter(kind=ResultKind.COMPULSION, withheld=False).order_by("id")[:20]
    )  # demo seed: a sample
    others = list(drafts.exclude(kind=ResultKind.COMPULSION).order_by("id")[:300])  # demo seed: a sample
    pending = compulsion + [p for p in others if not p.withheld]
    published = 0
    for n, p in [(0, c) for c in compulsion] + list(enumerate(others)):
        # every fifth left open; one without 一定社会影响 stays unpublished (行政处罚法 第四十八条)
        if n % 5 == 4 or p.withheld:
            continue
        heads = list(
            RoleAssignment.objects.filter(role=Role.AGENCY_HEAD, agency_id=p.agency_id)
            .values_list("user", flat=True)
            .order_by("user")
        )
        officers = list(
            RoleAssignment.objects.filter(role=Role.OFFICER, agency_id=p.agency_id)
            .exclude(user__in=heads[:1])  # demo seed: a sample
            .values_list("user", flat=True)
            .order_by("user")
        )
        if not heads or not officers:
            continue
        approver, drafter = User.objects.get(pk=heads[0]), User.objects.get(pk=officers[0])
        services.publication_submit(actor=drafter, publication=p)
        services.publication_approve(actor=approver, publication=p)
        published += 1
    withheld = Publication.objects.filter(withheld=True).count()
    ctx.say(
        f"公示：{published} 件执法结果已公示（其中行政强制决定 {len(compulsion)} 件），{len(pending) - published} 件待公示，"
        f"{withheld} 件不具有一定社会影响不予公开"
    )
    return published


def _people(agency_id: int) -> tuple[Any, Any] | None:
    """An officer who drafts and the head who approves (two persons), or None."""

    heads = list(
        RoleAssignment.objects.filter(role=Role.AGENCY_HEAD, agency_id=agency_id)
        .values_list("user", flat=True)
        .order_by("user")
    )
    officers = list(
        RoleAssignment.objects.filter(role=Role.OFFICER, agency_id=agency_id)
        .exclude(user__in=heads[:1])  # demo seed: a sample
        .values_list("user", flat=True)
        .order_by("user")
    )
    if not heads or not officers:
        return None
    return User.objects.get(pk=officers[0]), User.objects.get(pk=heads[0])


def build_licensing_demo(ctx: Any) -> int:
    """Six licensing decisions of the county's market-supervision bureau, all but the newest published."""

    agency = (
        Agency.objects.filter(domains__code="market", region__level="county", is_active=True)
        .select_related("region")
        .order_by("id")
        .first()
    )
    people = _people(agency.pk) if agency else None
    if agency is None or people is None:
        return 0
    drafter, approver = people
    if Publication.objects.filter(source_type=services.LICENSING, agency=agency).exists():
        return 0  # already received
    area = agency.region.path
    companies = list(
        Party.objects.filter(region_path__startswith=area, kind=PartyKind.LEGAL_PERSON)
        .exclude(uscc=None)
        .exclude(legal_representative="")
        .order_by("id")[:2]  # demo seed: a sample
    )
    shops = list(
        Party.objects.filter(region_path__startswith=area, kind=PartyKind.INDIVIDUAL_BUSINESS)
        .exclude(uscc=None)
        .order_by("id")[:1]  # demo seed: a sample
    )
    persons = list(
        Party.objects.filter(region_path__startswith=area, kind=PartyKind.NATURAL_PERSON)
        .exclude(id_number="")
        .order_by("id")[:2]  # demo seed: a sample
    )
    year = ctx.today.year
    code = agency.region.code
    rows: list[dict[str, str]] = []
    for party in [*companies, *shops]:
        n = len(rows) + 1
        rows.append(
            {
                "party_name": party.name,
                "party_kind": party.kind,
                "party_uscc": party.uscc,
                "legal_representative": party.legal_representative,
                "document_name": "食品经营许可决定书",
                "document_number": f"{agency.short_name or '示县市监'}食许〔{year}〕{n}号",
                "category": "普通",
                "licence_name": "食品经营许可证",
                "licence_number": f"JY1{code}{n:07d}",
                "content": "准予食品经营许可。经营项目：预包装食品销售（含冷藏冷冻食品）、散装食品销售。",
            }
        )
    for party in persons:
        n = len(rows) + 1
        rows.append(
            {
                "party_name": party.name,
                "party_kind": PartyKind.NATURAL_PERSON,
                "party_id_number": party.id_number,
                "document_name": "特种设备安全管理和作业人员资格认定决定书",
                "document_number": f"{agency.short_name or '示县市监'}特许〔{year}〕{n}号",
                "category": "认可",
                "licence_name": "特种设备安全管理和作业人员证",
                "licence_number": f"TS-{year}-{n:05d}",
                "content": f"准予{party.name}取得叉车司机（N1）作业资格。",
            }
        )
    # decided over the last weeks, newest last; valid from the decision for four (persons) or five years
    for back, row in zip(range(len(rows) * 4, 0, -4), rows, strict=False):
        decided = ctx.today - dt.timedelta(days=back)
        years = 4 if row["party_kind"] == PartyKind.NATURAL_PERSON else 5
        row |= {
            "decided_on": decided.isoformat(),
            "valid_from": decided.isoformat(),
            "valid_to": (plus_years(decided, years) - dt.timedelta(days=1)).isoformat(),
        }
    if not rows:
        return 0
    result = services.licensing_decisions_import(actor=drafter, agency=agency, rows=rows, source="demo")
    published = 0
    for p in result.publications[:-1]:
        services.publication_submit(actor=drafter, publication=p)
        on = min(ctx.today, p.due_on or ctx.today, p.decided_on + dt.timedelta(days=3))
        services.publication_approve(actor=approver, publication=p, on=on)
        published += 1
    ctx.say(f"公示：{len(rows)} 件行政许可决定已从政务服务接收，{published} 件已公示")
    return published


# A one-page PDF, the demo enterprise's proof of performance (缴款凭证) for its 信用修复 application.
DEMO_PROOF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _simple_fine(ctx: Any, agency: Agency, party: Party, on: dt.date, offence: Offence) -> Publication | None:
    """A small fine decided on the spot (简易程序, 行政处罚法 第五十一条: 对法人 3000 元以下) for the demo enterprise on
    ``on``, for one of the demo's own offences of the market domain (its basis is right in law): its
    publication obligation. A fine of 200 元 is 轻微 for the 公示期限 (3 months)."""
    officers = list(
        Officer.objects.filter(agency=agency, user__isnull=False).select_related("user").order_by("id")[:1]
    ) + list(Officer.objects.filter(agency=agency, user__isnull=True).order_by("id")[:1])  # demo seed: two
    domain = agency.domains.filter(code="market").first()
    if len(officers) < 2 or officers[0].user is None or domain is None:
        return None
    case = case_simple_decide(
        actor=officers[0].user,
        agency=agency,
        domain=domain,
        party=party,
        officers=officers,
        kinds=["fine"],
        fine_yuan=offence.within("200"),
        title=offence.title,
        facts=offence.facts,
        basis=offence.basis,
        place=agency.region.name,
        on=on,
    )
    # the 当场处罚决定书 handed over, so that the publication carries its own 文号
    document_issue(actor=officers[0].user, case=case, doc_type="decision", on=on)
    return Publication.objects.filter(source_type=services.CASE, source_id=str(case.pk)).first()


def build_lifecycle_demo(ctx: Any) -> int:
    """The life of a publication: one corrected (更正, republished), one past its 公示期限 (已到期), and one of the
    demo enterprise stopped early by a granted 信用修复."""

    agency = (
        Agency.objects.filter(domains__code="market", region__level="county", is_active=True)
        .select_related("region")
        .order_by("id")
        .first()
    )
    people = _people(agency.pk) if agency else None
    link = RoleAssignment.objects.filter(user__username="demo_enterprise", party__isnull=False).first()
    if agency is None or people is None or link is None or link.party is None:
        return 0
    drafter, approver = people
    done = 0
    # 更正: the agency's first published penalty decision, withdrawn and republished with the corrected text
    first = (
        Publication.objects.filter(
            agency=agency, status=PublicationStatus.PUBLISHED, source_type=services.CASE
        )
        .order_by("id")
        .first()
    )
    if first is not None:
        new = services.publication_correct(
            actor=approver, publication=first, reason="原公示的违法事实表述有误，已核实更正后重新公示"
        )
        services.publication_submit(actor=drafter, publication=new)
        services.publication_approve(actor=approver, publication=new)
        done += 1
    enterprise = User.objects.get(username="demo_enterprise")
    # 已到期: a small fine published five months ago (轻微: 3 months)
    decided = ctx.today - dt.timedelta(days=150)
    expired = _simple_fine(ctx, agency, link.party, decided, LICENCE_DISPLAY)
    if expired is not None:
        services.publication_submit(actor=drafter, publication=expired)
        services.publication_approve(actor=approver, publication=expired, on=decided + dt.timedelta(days=2))
        done += 1
    # 信用修复: a small fine of last month; the enterprise paid, applied with its proof and the agency granted it
    decided = ctx.today - dt.timedelta(days=30)
    repaired = _simple_fine(ctx, agency, link.party, decided, PRICE_MARKING)
    if repaired is not None:
        services.publication_submit(actor=drafter, publication=repaired)
        services.publication_approve(actor=approver, publication=repaired, on=decided + dt.timedelta(days=2))
        repair = services.credit_repair_apply(
            actor=enterprise,
            publication=repaired,
            statement="罚款已当场缴纳，全部商品已按规定明码标价。",
            files=[services.ProofFile("整改照片说明.pdf", DEMO_PROOF)],
        )
        services.credit_repair_decide(
            actor=approver, repair=repair, grant=True, reason="已履行完毕，整改到位，准予信用修复"
        )
        done += 1
    ctx.say(f"公示生命周期：更正、到期、信用修复各一件（共 {done} 件）")
    return done

"""Reads of disclosure: the staff queue, the public list, flags for supervision, the 双公示 export rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from zhifa.cases.models import Case, PenaltyKind
from zhifa.core import clock, paging
from zhifa.core.errors import NotFound
from zhifa.core.flags import FlagCandidate
from zhifa.disclosure.models import (
    AnnualStatistics,
    CreditRepair,
    Publication,
    PublicationStatus,
    RepairStatus,
    ResultKind,
)
from zhifa.disclosure.privacy import scrub_code, scrub_text
from zhifa.disclosure.rules import APPLY_REPAIR, VIEW
from zhifa.disclosure.services import stats_due
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Party, User

OPEN = (PublicationStatus.DRAFT, PublicationStatus.SUBMITTED)


def in_period(today: dt.date | None = None) -> Q:
    """Within its 公示期限 on ``today`` (the project clock's business date): no end, or not past its last day."""
    return Q(expires_on__isnull=True) | Q(expires_on__gte=today or clock.today())


def live_publications() -> QuerySet[Publication]:
    """What is public now: published, not withdrawn or repaired, and within its period."""
    return Publication.objects.filter(in_period(), status=PublicationStatus.PUBLISHED)


def publication_queue(
    user: User, *, status: str | None = None, overdue_only: bool = False, today: dt.date | None = None
) -> QuerySet[Publication]:
    """The publications the user may see, open ones first by due date (待公示 / 逾期)."""
    qs = perms.scoped(user, VIEW, Publication.objects.select_related("agency", "domain", "corrects"))
    if status == "expired":  # 已到期: published, past its period (a state of the clock, not a stored status)
        qs = qs.filter(status=PublicationStatus.PUBLISHED, expires_on__lt=today or clock.today())
    elif status == PublicationStatus.PUBLISHED:
        qs = qs.filter(in_period(today), status=status)
    elif status:
        qs = qs.filter(status=status)
    if overdue_only:
        qs = qs.filter(status__in=OPEN, withheld=False, due_on__lt=today or clock.today())
    return qs.order_by("due_on", "id") if status in (None, *OPEN) else qs.order_by("-id")


def withheld_publications(user: User) -> QuerySet[Publication]:
    """不予公开 — results the region's rule or the agency's decision keeps from the public (行政处罚法 第四十八条),
    each with its reason: supervisors of the region read them here, newest first."""
    qs = perms.scoped(user, VIEW, Publication.objects.select_related("agency", "domain"))
    return qs.filter(withheld=True, status=PublicationStatus.DRAFT).order_by("-id")


def publication_get(user: User, pk: int) -> Publication:
    p = (
        perms.scoped(user, VIEW, Publication.objects.select_related("agency", "domain", "corrects"))
        .filter(pk=pk)
        .first()
    )
    if p is None:
        raise NotFound(
            "公示事项不存在或不在您的数据范围内。", "Publication not found.", code="publication_not_found"
        )
    return p


def public_publications(
    *,
    agency_id: int | None = None,
    domain: str | None = None,
    kind: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[Publication]:
    """What the portal lists: published, not withdrawn or repaired, within its period; newest decision first."""
    qs = live_publications().select_related("agency", "domain", "corrects")
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if domain:
        qs = qs.filter(domain__code=domain)
    if kind:
        qs = qs.filter(kind=kind)
    if date_from:
        qs = qs.filter(decided_on__gte=date_from)
    if date_to:
        qs = qs.filter(decided_on__lte=date_to)
    return qs.order_by("-decided_on", "-id")


def public_publication(pk: int) -> Publication:
    """A published or withdrawn publication (a withdrawn one shows its notice, not its text), else 404.

    One withdrawn before it was ever published (its decision revoked first) was never public: 404. One past its
    公示期限 or repaired (信用修复) is no longer public: 404 with that said.
    """
    p = (
        Publication.objects.filter(
            pk=pk,
            status__in=[PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN, PublicationStatus.REPAIRED],
            published_at__isnull=False,
        )
        .select_related("agency", "domain", "corrects")
        .first()
    )
    if p is None:
        raise NotFound("该公示信息不存在。", "No such published decision.", code="publication_not_found")
    if p.status == PublicationStatus.REPAIRED or p.expired(clock.today()):
        raise NotFound(
            "该公示信息已届满公示期限或已完成信用修复，停止公示。",
            "The publication period has ended or credit repair was granted.",
            code="publication_ended",
        )
    return p


def correction_of(p: Publication) -> Publication | None:
    """The published correction of a publication withdrawn for 更正 (its successor on the portal), if any."""
    return (
        Publication.objects.filter(corrects=p, status=PublicationStatus.PUBLISHED)
        .filter(in_period())
        .only("pk", "title")
        .first()
    )


# --- 信用修复 -------------------------------------------------------------------------------------------------------


def party_usccs(user: User) -> set[str]:
    """The 统一社会信用代码 of the parties an enterprise account acts for (its 企业用户 grants only: staff who may
    see a party do not act for it)."""
    return {
        u for u in perms.scoped(user, APPLY_REPAIR, Party.objects.all()).values_list("uscc", flat=True) if u
    }


def party_publications(user: User) -> list[Publication]:
    """我的公示决定 — every publication that went public naming the enterprise's USCC, newest first (capped)."""
    usccs = party_usccs(user)
    if not usccs:
        return []
    return list(
        Publication.objects.filter(party_uscc__in=usccs, published_at__isnull=False)
        .select_related("agency", "corrects")
        .prefetch_related("repairs__files")
        .order_by("-decided_on", "-id")[:200]
    )


def repair_queue(user: User, *, status: str = RepairStatus.PENDING) -> QuerySet[CreditRepair]:
    """信用修复申请 in the user's scope (the agency's own; a supervisor's region), oldest pending first."""
    qs = perms.scoped(user, VIEW, CreditRepair.objects.select_related("publication__agency"))
    return qs.filter(status=status).order_by("id" if status == RepairStatus.PENDING else "-id")


def repair_get(user: User, pk: int) -> CreditRepair:
    r = (
        perms.scoped(user, VIEW, CreditRepair.objects.select_related("publication__agency", "publication"))
        .filter(pk=pk)
        .first()
    )
    if r is None:
        raise NotFound(
            "信用修复申请不存在。", "Credit repair application not found.", code="repair_not_found"
        )
    return r


def repair_pending_flags(since: dt.datetime | None = None) -> Iterable[FlagCandidate]:
    """信用修复待决定 — applications the publishing agency has not decided yet (its queue and supervision's)."""
    qs = CreditRepair.objects.filter(status=RepairStatus.PENDING).select_related("publication__agency")
    for r in qs.iterator(chunk_size=500):
        yield repair_flag(r)


def repair_flag(r: CreditRepair) -> FlagCandidate:
    p = r.publication
    return FlagCandidate(
        kind="credit_repair_pending",
        key=f"credit_repair:{r.pk}",
        agency_id=p.agency_id,
        title=f"{p.agency.name}：信用修复申请待决定（{clock.business_date(r.applied_at):%Y-%m-%d} 申请）",
        detail=p.title,
        object_type="disclosure.publication",
        object_id=str(p.pk),
        url=f"/disclosure/{p.pk}/",
        severity="info",
    )


def keyset_page(
    qs: QuerySet[Publication], cursor: str | None, limit: int
) -> tuple[list[Publication], str | None]:
    """A page ordered by (decided_on, id) descending; ``cursor`` is the opaque ``next_cursor`` of the last one."""
    page = paging.keyset(qs, ordering=("-decided_on", "-id"), after=cursor, limit=limit)
    return page.items, page.next_cursor


# --- flags -----------------------------------------------------------------------------------------------------------


def overdue_publication_flags(since: dt.datetime | None = None) -> Iterable[FlagCandidate]:
    """公示逾期 — open obligations past their due date (also those published late are on the record)."""
    today = clock.today()
    qs = Publication.objects.filter(status__in=OPEN, withheld=False, due_on__lt=today).select_related(
        "agency"
    )
    for p in qs.iterator(chunk_size=500):
        yield FlagCandidate(
            kind="publication_overdue",
            key=f"publication:{p.pk}",
            agency_id=p.agency_id,
            title=f"{p.agency.name}：{p.get_kind_display()}逾期未公示（期限 {p.due_on:%Y-%m-%d}）",
            detail=p.title,
            object_type="disclosure.publication",
            object_id=str(p.pk),
            url=f"/disclosure/{p.pk}/",
            due=p.due_on,
            severity="serious" if (today - p.due_on).days > 10 else "warning",
        )


def due_pending_publication_flags(since: dt.datetime | None = None) -> Iterable[FlagCandidate]:
    """期限待节假日安排公布后计算 — open obligations whose publication deadline cannot be counted yet because its
    year's holiday schedule is not confirmed (zhifa.core.workdays); never a silent empty due date."""
    qs = Publication.objects.filter(status__in=OPEN, withheld=False, due_on__isnull=True).select_related(
        "agency"
    )
    for p in qs.iterator(chunk_size=500):
        yield FlagCandidate(
            kind="publication_due_pending",
            key=f"publication:{p.pk}",
            agency_id=p.agency_id,
            title=f"{p.agency.name}：{p.get_kind_display()}公示期限待节假日安排公布后计算",
            detail=p.title,
            object_type="disclosure.publication",
            object_id=str(p.pk),
            url=f"/disclosure/{p.pk}/",
            severity="warning",
        )


def withdrawal_flag(p: Publication, case: Any, today: dt.date) -> FlagCandidate:
    """行政处罚法 第四十八条第二款: a published decision that was changed, revoked, or confirmed unlawful or void
    and is still public — to be withdrawn within three working days (``Case.withdrawal_due``)."""
    due = case.withdrawal_due
    what = f"行政处罚决定已被{case.get_decision_correction_display()}，公示信息"
    if due is None:
        kind, title, severity = (
            "publication_withdrawal_due",
            f"{what}应在三个工作日内撤回（期限待节假日安排公布后计算）",
            "warning",
        )
    elif today > due:
        kind, title, severity = (
            "publication_withdrawal_overdue",
            f"{what}逾期未撤回（期限 {due:%Y-%m-%d}）",
            "serious",
        )
    else:
        kind, title, severity = (
            "publication_withdrawal_due",
            f"{what}应于 {due:%Y-%m-%d} 前撤回并公开说明理由",
            "warning",
        )
    return FlagCandidate(
        kind=kind,
        key=f"publication:{p.pk}:withdraw",
        agency_id=p.agency_id,
        title=f"{case.number or case.title}：{title}",
        detail=f"{p.title}（行政处罚法第四十八条第二款）",
        object_type="disclosure.publication",
        object_id=str(p.pk),
        url=f"/disclosure/{p.pk}/",
        due=due,
        severity=severity,
    )


def _withdrawal_candidates(today: dt.date) -> Iterator[FlagCandidate]:
    corrected = {
        str(c.pk): c
        for c in Case.objects.exclude(decision_correction="").only(
            "pk", "number", "title", "decision_correction", "withdrawal_due"
        )
    }
    if not corrected:
        return
    # one past its 公示期限 is no longer public: nothing left to withdraw
    qs = Publication.objects.filter(
        in_period(today),
        source_type="cases.case",
        source_id__in=list(corrected),
        status=PublicationStatus.PUBLISHED,
    )
    for p in qs.iterator(chunk_size=500):
        yield withdrawal_flag(p, corrected[p.source_id], today)


def withdrawal_due_flags(since: dt.datetime | None = None) -> Iterable[FlagCandidate]:
    """撤回公示 — published decisions changed/revoked/found unlawful or void, within their three working days."""
    return [f for f in _withdrawal_candidates(clock.today()) if f.kind == "publication_withdrawal_due"]


def withdrawal_overdue_flags(since: dt.datetime | None = None) -> Iterable[FlagCandidate]:
    """撤回公示逾期 — past the three working days and still public (行政处罚法 第四十八条第二款)."""
    return [f for f in _withdrawal_candidates(clock.today()) if f.kind == "publication_withdrawal_overdue"]


def overdue_stats_flags(since: dt.datetime | None = None) -> Iterable[FlagCandidate]:
    """年度统计逾期 — after the deadline, an agency with enforcement results last year and no statistics."""

    today = clock.today()
    year = today.year - 1
    agencies = (
        Publication.objects.filter(decided_on__year=year)
        .values_list("agency", flat=True)
        .distinct()
        .order_by()
    )
    done = set(AnnualStatistics.objects.filter(year=year).values_list("agency_id", flat=True))

    for agency in Agency.objects.filter(pk__in=list(agencies)).exclude(pk__in=done).select_related("region"):
        due = stats_due(agency, year)
        if today > due:
            yield FlagCandidate(
                kind="annual_stats_overdue",
                key=f"annual_stats:{agency.pk}:{year}",
                agency_id=agency.pk,
                title=f"{agency.name}：{year} 年度行政执法统计逾期未公布（期限 {due:%Y-%m-%d}）",
                object_type="org.agency",
                object_id=str(agency.pk),
                url="/disclosure/stats/",
                due=due,
            )


# --- 双公示 export ---------------------------------------------------------------------------------------------------

# 行政处罚信息 fields in the order of the national credit-information collection layout (信用中国 双公示 行政处罚
# 数据归集: 行政相对人名称 … 数据来源单位统一社会信用代码, 备注). See docs/disclosure.md for the source.
PENALTY_FIELDS: tuple[str, ...] = (
    "行政相对人名称",
    "行政相对人类别",
    "行政相对人代码_1（统一社会信用代码）",
    "法定代表人",
    "证件类型",
    "证件号码",
    "行政处罚决定书文号",
    "违法行为类型",
    "违法事实",
    "处罚依据",
    "处罚类别",
    "处罚内容",
    "罚款金额（万元）",
    "没收违法所得、没收非法财物的金额（万元）",
    "暂扣或吊销证照名称及编号",
    "处罚决定日期",
    "处罚有效期",
    "公示截止期",
    "处罚机关",
    "处罚机关统一社会信用代码",
    "数据来源单位",
    "数据来源单位统一社会信用代码",
    "备注",
)
LICENSING_FIELDS: tuple[str, ...] = (
    "行政相对人名称",
    "行政相对人类别",
    "行政相对人代码_1（统一社会信用代码）",
    "法定代表人",
    "证件类型",
    "证件号码",
    "行政许可决定文书名称",
    "行政许可决定文书号",
    "许可类别",
    "许可证书名称",
    "许可编号",
    "许可内容",
    "许可决定日期",
    "有效期自",
    "有效期至",
    "许可机关",
    "许可机关统一社会信用代码",
    "当前状态",
    "数据来源单位",
    "数据来源单位统一社会信用代码",
    "备注",
)
# 行政强制 results: no national 双公示 layout exists for them; the columns follow the penalty layout's party and
# agency columns, with the measure in place of the penalty (docs/disclosure.md).
COMPULSION_FIELDS: tuple[str, ...] = (
    "行政相对人名称",
    "行政相对人类别",
    "行政相对人代码_1（统一社会信用代码）",
    "法定代表人",
    "证件类型",
    "证件号码",
    "行政强制决定书文号",
    "行政强制类别",
    "案由及事实",
    "行政强制依据",
    "行政强制内容",
    "决定日期",
    "实施机关",
    "实施机关统一社会信用代码",
    "数据来源单位",
    "数据来源单位统一社会信用代码",
    "备注",
)
EXPORT_FIELDS: dict[str, tuple[str, ...]] = {
    ResultKind.PENALTY: PENALTY_FIELDS,
    ResultKind.LICENSING: LICENSING_FIELDS,
    ResultKind.COMPULSION: COMPULSION_FIELDS,
}
EXPORT_SHEETS: dict[str, str] = {
    ResultKind.PENALTY: "行政处罚",
    ResultKind.LICENSING: "行政许可",
    ResultKind.COMPULSION: "行政强制",
}
PARTY_CATEGORY = {
    "legal_person": "法人及非法人组织",
    "individual_business": "个体工商户",
    "natural_person": "自然人",
}


def _wan(value: Decimal | None) -> str:
    return f"{(value / Decimal(10000)):.6f}" if value else ""


def plus_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def export_rows(kind: str, *, since: dt.date | None = None) -> Iterator[dict[str, str]]:
    """Rows of the 双公示 export: public decisions (not withdrawn, repaired or past their period), masked,
    incremental by publication date."""
    yield from _rows_of(kind)(_published(kind, since).iterator(chunk_size=1000))


def _rows_of(kind: str) -> Callable[[Iterable[Publication]], Iterator[dict[str, str]]]:
    """The row builder of a kind's 双公示 layout (处罚 is the default)."""
    builders: dict[str, Callable[[Iterable[Publication]], Iterator[dict[str, str]]]] = {
        ResultKind.LICENSING.value: _licensing_rows,
        ResultKind.COMPULSION.value: _compulsion_rows,
    }
    return builders.get(kind, _penalty_rows)


def _published(kind: str, since: dt.date | None) -> QuerySet[Publication]:
    qs = live_publications().filter(kind=kind).select_related("agency")
    if since:
        qs = qs.filter(published_on__gte=since)
    return qs.order_by("published_on", "id")


def _party_columns(p: Publication) -> dict[str, str]:
    """The 行政相对人 columns both 双公示 layouts share."""
    natural = p.party_kind == "natural_person"
    return {
        "行政相对人名称": p.party_name,
        "行政相对人类别": PARTY_CATEGORY.get(p.party_kind, ""),
        "行政相对人代码_1（统一社会信用代码）": "" if natural else p.party_uscc,
        "法定代表人": "" if natural else p.legal_representative,
        # 自然人的证件号码 is never exported (个人信息, not even stored); the type keeps the row well-formed.
        "证件类型": "身份证" if natural else "",
        "证件号码": "",
    }


def _licensing_rows(publications: Iterable[Publication]) -> Iterator[dict[str, str]]:
    for p in publications:
        yield {
            **_party_columns(p),
            "行政许可决定文书名称": p.decision_document_name,
            "行政许可决定文书号": p.document_number,
            "许可类别": p.get_licence_category_display() if p.licence_category else "",
            "许可证书名称": p.licence_name,
            "许可编号": p.licence_number,
            "许可内容": p.content,
            "许可决定日期": p.decided_on.isoformat(),
            "有效期自": p.valid_from.isoformat() if p.valid_from else "",
            "有效期至": p.valid_to.isoformat() if p.valid_to else "",
            "许可机关": p.agency.name,
            "许可机关统一社会信用代码": p.agency.uscc,
            # 当前状态: 1 正常 (a withdrawn decision is not exported at all; see docs/disclosure.md)
            "当前状态": "正常",
            "数据来源单位": p.agency.name,
            "数据来源单位统一社会信用代码": p.agency.uscc,
            "备注": "；".join(x for x in (p.remarks, f"公示编号 {p.pk}") if x),
        }


# Columns that are dates or public codes: shown as they are (codes through ``scrub_code``, which removes a
# code only when it carries an ID or mobile number); every other column goes through ``scrub_text``.
_DATE_COLUMNS = frozenset(
    {"决定日期", "处罚决定日期", "处罚有效期", "公示截止期", "许可决定日期", "有效期自", "有效期至"}
)
_CODE_COLUMNS = frozenset(
    {
        "许可编号",
        "行政许可决定文书号",
        "行政强制决定书文号",
        "实施机关统一社会信用代码",
        # an organisation's 统一社会信用代码 is public and often has 11+ digits in a row (91110000101625149Q)
        "行政相对人代码_1（统一社会信用代码）",
        "处罚机关统一社会信用代码",
        "许可机关统一社会信用代码",
        "数据来源单位统一社会信用代码",
    }
)


def public_export_rows(kind: str, *, since: dt.date | None = None) -> Iterator[dict[str, str]]:
    """``export_rows`` scrubbed again on the way out (a row edited by hand cannot leak an ID or phone)."""

    for row in export_rows(kind, since=since):
        yield _scrubbed(row)


def _scrubbed(row: dict[str, str]) -> dict[str, str]:
    return {
        k: v if k in _DATE_COLUMNS else scrub_code(v) if k in _CODE_COLUMNS else scrub_text(v)
        for k, v in row.items()
    }


def public_export_rows_of(kind: str, publication_ids: Iterable[int]) -> list[tuple[int, dict[str, str]]]:
    """The rows of the 双公示 export (as ``public_export_rows`` gives them) of these publications that are still
    published, oldest first, each with its publication id: the push side of the incremental feed."""
    publications = list(_published(kind, None).filter(pk__in=list(publication_ids)))
    return [(p.pk, _scrubbed(row)) for p, row in zip(publications, _rows_of(kind)(publications), strict=True)]


def _penalty_rows(publications: Iterable[Publication]) -> Iterator[dict[str, str]]:
    labels = dict(PenaltyKind.choices)
    for p in publications:
        licence = {"suspend_licence", "revoke_licence"} & set(p.penalty_kinds)
        yield {
            **_party_columns(p),
            "行政处罚决定书文号": p.document_number,
            "违法行为类型": p.title.removesuffix("（行政处罚决定）"),
            "违法事实": p.facts,
            "处罚依据": p.basis,
            "处罚类别": "；".join(labels.get(k, k) for k in p.penalty_kinds),
            "处罚内容": p.content,
            "罚款金额（万元）": _wan(p.fine_yuan),
            "没收违法所得、没收非法财物的金额（万元）": _wan(p.confiscation_yuan),
            "暂扣或吊销证照名称及编号": "见处罚内容" if licence else "",
            "处罚决定日期": p.decided_on.isoformat(),
            "处罚有效期": plus_years(p.decided_on, 1).isoformat(),
            "公示截止期": p.expires_on.isoformat() if p.expires_on else "",
            "处罚机关": p.agency.name,
            "处罚机关统一社会信用代码": p.agency.uscc,
            "数据来源单位": p.agency.name,
            "数据来源单位统一社会信用代码": p.agency.uscc,
            "备注": f"公示编号 {p.pk}",
        }


def _compulsion_rows(publications: Iterable[Publication]) -> Iterator[dict[str, str]]:
    for p in publications:
        measure = "行政强制执行" if p.source_type == "cases.enforcement" else "行政强制措施"
        yield {
            **_party_columns(p),
            "行政强制决定书文号": p.document_number,
            "行政强制类别": measure,
            "案由及事实": p.facts,
            "行政强制依据": p.basis,
            "行政强制内容": p.content,
            "决定日期": p.decided_on.isoformat(),
            "实施机关": p.agency.name,
            "实施机关统一社会信用代码": p.agency.uscc,
            "数据来源单位": p.agency.name,
            "数据来源单位统一社会信用代码": p.agency.uscc,
            "备注": f"公示编号 {p.pk}",
        }

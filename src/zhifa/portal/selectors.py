"""公示平台 — reads for the public pages and the public API.

Everything here is public by law and takes no user: agencies and their powers, officers' certificates (name,
number, domains, agency — never an identity number or a phone), published inspection plans and items,
published monitoring devices, procedure flows drawn from the case state machine. Nothing here reads a party.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import NoReverseMatch, reverse

from zhifa.cases.guards import TRANSITIONS
from zhifa.cases.models import Procedure, Stage
from zhifa.cases.rules import COMPEL
from zhifa.catalog import selectors as catalog_selectors
from zhifa.catalog.models import CatalogItem, Confirmation, ConfirmationKind, ConfirmationState
from zhifa.core import clock
from zhifa.disclosure.privacy import party_display, scrub_code, scrub_text
from zhifa.disclosure.selectors import public_publications
from zhifa.inspections.models import InspectionItem, InspectionPlan, InspectionTask, PlanItem, PlanStatus
from zhifa.inspections.selectors import draw_view
from zhifa.org.models import Agency, Certificate, CertificateStatus, Domain, Officer, Region
from zhifa.portal.models import MonitoringDevice, ServicePost

CERT_NUMBER_RE = re.compile(r"^[0-9A-Z\-]{4,32}$")


def portal_region() -> Region | None:
    """The region the portal speaks for: the top-most region (lowest code among those without a parent)."""
    return Region.objects.filter(parent__isnull=True).order_by("code").first()


# --- agencies and their powers ----------------------------------------------------------------------------------


def public_agencies() -> QuerySet[Agency]:
    """执法主体 — active agencies with their region and domains (address and phone are the office's, public)."""
    return (
        Agency.objects.filter(is_active=True)
        .select_related("region")
        .prefetch_related(Prefetch("domains", queryset=Domain.objects.order_by("sort", "code")))
        .order_by("region__path", "name", "id")
    )


def public_catalog(
    agency: Agency | None = None,
    *,
    domain: Domain | None = None,
    kind: str | None = None,
    q: str = "",
    on: dt.date | None = None,
) -> QuerySet[CatalogItem]:
    """执法事项 — the versions in force on ``on`` (today) of the 权责清单 the judicial bureau confirmed
    (``zhifa.catalog``); an agency's catalog awaiting confirmation is not public. Uncapped: pages take one page
    of it (zhifa.core.paging)."""
    return catalog_selectors.confirmed_catalog(agency=agency, domain=domain, kind=kind, q=q, on=on)


def catalog_awaiting_confirmation() -> QuerySet[Agency]:
    """Enforcing agencies with catalog items but no confirmed 权责清单: the page says they await it."""
    confirmed = Confirmation.objects.filter(
        agency_id=OuterRef("pk"), kind=ConfirmationKind.CATALOG, state=ConfirmationState.CONFIRMED
    )
    return (
        Agency.objects.filter(is_active=True, catalog_items__isnull=False)
        .exclude(Exists(confirmed))
        .distinct()
        .order_by("region__path", "name", "id")
    )


def catalog_export_rows(qs: QuerySet[CatalogItem]) -> Iterable[dict[str, Any]]:
    """The export's rows (CSV/xlsx): one per version, in the page's order, read in chunks."""
    confirmed = confirmation_by_agency()
    for item in qs.iterator(chunk_size=2000):
        c = confirmed.get(item.agency_id)
        yield {
            "实施主体": item.agency.name,
            "事项编码": item.code,
            "版本": item.version,
            "事项名称": item.name,
            "事项类别": item.get_kind_display(),
            "执法领域": item.domain.name,
            "法律依据": item.basis,
            "条文内容": item.article_text,
            "施行日期": item.effective_from.isoformat(),
            "失效日期": item.effective_to.isoformat() if item.effective_to else "",
            "确认机关": c.bureau_name if c else "",
            "确认日期": c.decided_on.isoformat() if c and c.decided_on else "",
        }


CATALOG_EXPORT_FIELDS = (
    "实施主体",
    "事项编码",
    "版本",
    "事项名称",
    "事项类别",
    "执法领域",
    "法律依据",
    "条文内容",
    "施行日期",
    "失效日期",
    "确认机关",
    "确认日期",
)


def confirmation_by_agency(agency_ids: Iterable[int] | None = None) -> dict[int, Confirmation]:
    """The latest confirmed 权责清单 of each agency (by year, then date): who confirmed it and when."""
    qs = Confirmation.objects.filter(kind=ConfirmationKind.CATALOG, state=ConfirmationState.CONFIRMED)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=list(agency_ids))
    latest: dict[int, Confirmation] = {}
    for c in qs.order_by("year", "decided_on", "id").only(
        "id", "agency_id", "year", "bureau_name", "decided_on"
    ):
        latest[c.agency_id] = c
    return latest


def public_confirmations(agency: Agency | int | None = None) -> QuerySet[Confirmation]:
    """主体资格确认 in public: agency, year, kind, the bureau and the date."""
    return catalog_selectors.public_confirmations(agency)


# --- officers ----------------------------------------------------------------------------------------------------


def valid_certificates(*, agency_id: int | None = None, on: dt.date | None = None) -> QuerySet[Certificate]:
    """执法人员公示 — certificates valid today, of active officers, with domains and agency."""
    on = on or clock.today()
    qs = (
        Certificate.objects.filter(
            status=CertificateStatus.VALID,
            issued_on__lte=on,
            expires_on__gte=on,
            officer__is_active=True,
            officer__agency__is_active=True,
        )
        .select_related("officer__agency")
        .prefetch_related(Prefetch("domains", queryset=Domain.objects.order_by("sort", "code")))
    )
    if agency_id is not None:
        qs = qs.filter(officer__agency_id=agency_id)
    return qs


@dataclass(frozen=True)
class CertificateCheck:
    """The answer of a public certificate check: what the card says, and whether it is valid today."""

    number: str
    found: bool
    valid: bool = False
    status: str = ""
    status_label: str = ""
    officer_name: str = ""
    agency_name: str = ""
    agency_id: int | None = None
    issuer: str = ""
    expires_on: dt.date | None = None
    domains: list[str] = field(default_factory=list)
    auxiliary: bool = False


def normalise_cert_number(raw: str) -> str | None:
    """Upper-case, spaces removed; ``None`` if it cannot be a certificate number."""
    number = re.sub(r"\s+", "", raw or "").upper()
    return number if CERT_NUMBER_RE.match(number) else None


def certificate_check(number: str, *, on: dt.date | None = None) -> CertificateCheck:
    """事中公示 — a certificate by its exact number: valid or not, domains, agency (as the card shows)."""
    on = on or clock.today()
    cert = (
        Certificate.objects.select_related("officer__agency")
        .prefetch_related(Prefetch("domains", queryset=Domain.objects.order_by("sort", "code")))
        .filter(number=number)
        .first()
    )
    if cert is None:
        return CertificateCheck(number=number, found=False)
    status = cert.effective_status(on)
    officer: Officer = cert.officer
    return CertificateCheck(
        number=number,
        found=True,
        valid=status == CertificateStatus.VALID and officer.is_active,
        status=status,
        status_label=str(CertificateStatus(status).label) if officer.is_active else "持证人已离岗",
        officer_name=officer.name,
        agency_name=officer.agency.name,
        agency_id=officer.agency_id,
        issuer=cert.issuer,
        expires_on=cert.expires_on,
        domains=[d.name for d in cert.domains.all()],
        auxiliary=officer.is_auxiliary,
    )


# --- the roster, posts and windows (seed 003: 执法人员清单, 岗位信息公示牌, 窗口公示) ---------------------------------

ROSTER_ORDER = ("officer__name", "number", "id")


def _active_posts() -> Prefetch:
    return Prefetch(
        "officer__service_posts",
        queryset=ServicePost.objects.filter(is_active=True).order_by("name", "id"),
        to_attr="public_posts",
    )


def roster(*, agency_id: int, query: str = "", on: dt.date | None = None) -> QuerySet[Certificate]:
    """执法人员清单 — the agency's officers holding a valid certificate today (name, 职务, number, 执法类别, 执法区域,
    岗位), searched by a part of the name or the start of the certificate number. Seed 003: 明确执法人员的姓名、单位、
    职务、证件编号、执法类别、执法区域等内容 … 网上可查询. Never an identity number, phone or user name."""
    qs = valid_certificates(agency_id=agency_id, on=on).prefetch_related(_active_posts())
    query = (query or "").strip()
    if query:
        condition = Q(officer__name__icontains=query)
        number = normalise_cert_number(query)
        if number is not None:
            condition |= Q(number__startswith=number)
        qs = qs.filter(condition)
    return qs


def certificate_check_path(number: str) -> str:
    """The public certificate check of ``number`` (what a QR code on a 公示牌 opens)."""
    return f"{reverse('portal:officer_check')}?{urlencode({'number': number})}"


def public_posts(*, agency_id: int) -> QuerySet[ServicePost]:
    """The agency's posts and windows in use (each has a public 岗位信息公示牌)."""
    return ServicePost.objects.filter(agency_id=agency_id, is_active=True, agency__is_active=True).order_by(
        "name", "id"
    )


def public_post(pk: int) -> ServicePost | None:
    return (
        ServicePost.objects.filter(pk=pk, is_active=True, agency__is_active=True)
        .select_related("agency__region")
        .first()
    )


def supervision_organ(agency: Agency) -> Agency | None:
    """The nearest 执法监督机构 (司法局) over the agency's region: where a complaint about its officers goes."""
    codes = [c for c in agency.region.path.split("/") if c]
    organs = Agency.objects.filter(is_supervision_organ=True, is_active=True, region__code__in=codes)
    return max(organs.select_related("region"), key=lambda a: len(a.region.path), default=None)


@dataclass(frozen=True)
class BoardOfficer:
    """One officer as a 公示牌 shows them: what their certificate says, and where to check it."""

    name: str
    duty: str  # 职务
    number: str
    categories: list[str]  # 执法类别 (the certificate's domains)
    area: str
    auxiliary: bool
    check_path: str


@dataclass(frozen=True)
class PostBoard:
    """岗位信息公示牌 — a post or window, its agency and the officers on it with a valid certificate today."""

    post: ServicePost
    agency: Agency
    officers: list[BoardOfficer]
    organ: Agency | None
    on: dt.date
    complaints_path: str


def _complaints_path() -> str:
    try:
        return reverse("complaints:submit")
    except NoReverseMatch:  # the complaints app is optional to the portal: its remedy page says where to go
        return reverse("portal:remedy")


def post_board(post: ServicePost, *, on: dt.date | None = None) -> PostBoard:
    """The board of ``post``: only officers with a valid certificate on ``on`` (today), each certificate once."""
    on = on or clock.today()
    certificates = (
        valid_certificates(on=on)
        .filter(officer__service_posts=post)
        .order_by("officer__name", "officer_id", "-expires_on", "id")
    )
    seen: set[int] = set()
    officers = []
    for c in certificates:
        if c.officer_id in seen:  # an officer with two valid certificates is listed once, by the newest
            continue
        seen.add(c.officer_id)
        officers.append(
            BoardOfficer(
                name=c.officer.name,
                duty=c.officer.post,
                number=c.number,
                categories=[d.name for d in c.domains.all()],
                area=c.area,
                auxiliary=c.officer.is_auxiliary,
                check_path=certificate_check_path(c.number),
            )
        )
    return PostBoard(
        post=post,
        agency=post.agency,
        officers=officers,
        organ=supervision_organ(post.agency),
        on=on,
        complaints_path=_complaints_path(),
    )


@dataclass(frozen=True)
class NoticeDecision:
    title: str
    party: str
    kind_label: str
    document_number: str
    decided_on: dt.date
    path: str


@dataclass(frozen=True)
class WindowNotice:
    """窗口公示公告 — what a service window posts: the agency's latest published decisions (desensitised as on the
    portal), the window's hours and the complaint channels, with a QR code to the agency's public decision list."""

    post: ServicePost
    agency: Agency
    decisions: list[NoticeDecision]
    organ: Agency | None
    on: dt.date
    decisions_path: str
    complaints_path: str


NOTICE_DECISIONS = 10


def window_notice(
    post: ServicePost, *, on: dt.date | None = None, limit: int = NOTICE_DECISIONS
) -> WindowNotice:
    rows = public_publications(agency_id=post.agency_id).order_by("-published_at", "-id")[:limit]
    decisions = [
        NoticeDecision(
            title=scrub_text(p.title),
            party=p.party_name,  # desensitised when drafted, as the public list shows it
            kind_label=p.get_kind_display(),
            document_number=scrub_code(p.document_number),
            decided_on=p.decided_on,
            path=reverse("pub:decision_detail", args=[p.pk]),
        )
        for p in rows
    ]
    return WindowNotice(
        post=post,
        agency=post.agency,
        decisions=decisions,
        organ=supervision_organ(post.agency),
        on=on or clock.today(),
        decisions_path=f"{reverse('pub:decision_list')}?{urlencode({'agency': post.agency_id})}",
        complaints_path=_complaints_path(),
    )


# --- inspections: items and annual plans ---------------------------------------------------------------------------


def published_plans(*, agency_id: int | None = None) -> QuerySet[Any]:
    """年度检查计划 — published plans only (a draft or a merely approved plan is not public yet)."""

    # 双随机、一公开: a task's number is public once it is drawn (its draw and its page are public then).
    drawn = InspectionTask.objects.filter(draw__isnull=False).select_related("draw").order_by("id")
    qs = (
        InspectionPlan.objects.filter(status=PlanStatus.PUBLISHED)
        .select_related("agency")
        .prefetch_related(
            Prefetch("items", queryset=PlanItem.objects.select_related("item__domain").order_by("id")),
            Prefetch("items__tasks", queryset=drawn, to_attr="drawn_tasks"),
            "joint_agencies",
        )
    )
    if agency_id is not None:
        qs = qs.filter(Q(agency_id=agency_id) | Q(joint_agencies__id=agency_id)).distinct()
    return qs.order_by("-year", "agency__name", "id")


def draw_result(task_id: int) -> Any:
    """A published draw (``inspections.selectors.draw_view``) with every natural person's name masked
    (``disclosure.privacy``); officers are named in full, as their certificates are public. ``NotFound``."""

    view = draw_view(task_id)

    def masked(stratum: Any) -> Any:
        return replace(stratum, selected=[(c, party_display(n, k), k) for c, n, k in stratum.selected])

    drawn = {c: (n, k) for s in view.party_strata for c, n, k in s.selected}
    teams = []
    for t in view.teams:
        name = party_display(*drawn[t.target]) if t.target in drawn else "（未列明的对象）"
        teams.append(replace(t, title=f"检查对象 {name} 的检查人员", target_name=name))
    return replace(view, party_strata=[masked(s) for s in view.party_strata], teams=teams)


def public_inspection_items(*, agency_id: int | None = None) -> QuerySet[Any]:
    """随机抽查事项清单 — active inspection items with their legal basis."""

    qs = InspectionItem.objects.filter(is_active=True, agency__is_active=True).select_related(
        "agency", "domain"
    )
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    return qs.order_by("agency__name", "code", "id")


# --- monitoring devices ----------------------------------------------------------------------------------------


def published_devices(*, agency_id: int | None = None) -> QuerySet[Any]:
    """电子技术监控设备 — approved and published ones only (行政处罚法 第四十一条)."""

    qs = MonitoringDevice.objects.filter(
        published_at__isnull=False, approved_at__isnull=False
    ).select_related("agency")
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    return qs


# --- procedure flows from the case state machine ----------------------------------------------------------------


@dataclass(frozen=True)
class FlowStep:
    code: str
    label: str
    from_labels: tuple[str, ...]
    to_label: str


@dataclass
class Flow:
    """A procedure drawn from ``zhifa.cases.guards.TRANSITIONS``: layers of stages and the steps between them."""

    key: str
    title: str
    basis: str
    layers: list[list[tuple[str, str]]]  # [(stage code, label)] per layer
    edges: list[tuple[str, str, str]]  # (from stage, to stage, transition label) going forward
    steps: list[FlowStep]


def _layers(start: str, edges: Iterable[tuple[str, str]]) -> dict[str, int]:
    depth = {start: 0}
    frontier = [start]
    adjacency: dict[str, list[str]] = {}
    for a, b in edges:
        adjacency.setdefault(a, []).append(b)
    while frontier:
        nxt: list[str] = []
        for node in frontier:
            for target in adjacency.get(node, []):
                if target not in depth:
                    depth[target] = depth[node] + 1
                    nxt.append(target)
        frontier = nxt
    return depth


def procedure_flows() -> list[Flow]:
    """流程图 — general procedure, simple procedure and compulsion, generated from the live state machine."""

    order = {code: i for i, code in enumerate(Stage.values)}

    def label(stage: str) -> str:
        return str(Stage(stage).label) if stage in order else stage

    def build(key: str, title: str, basis: str, start: str, transitions: list[Any]) -> Flow:
        raw_edges = sorted(
            {(src, t.to_stage, t.label) for t in transitions if t.to_stage for src in t.from_stages},
            key=lambda e: (order.get(e[0], 99), order.get(e[1], 99), e[2]),
        )
        depth = _layers(start, [(a, b) for a, b, _ in raw_edges])
        by_layer: dict[int, list[str]] = {}
        for stage, d in depth.items():
            by_layer.setdefault(d, []).append(stage)
        layers = [
            [(s, label(s)) for s in sorted(by_layer[d], key=lambda s: order.get(s, 99))]
            for d in sorted(by_layer)
        ]
        forward = [
            (a, b, lab) for a, b, lab in raw_edges if a in depth and b in depth and depth[b] > depth[a]
        ]
        steps = [
            FlowStep(
                t.code,
                t.label,
                tuple(label(s) for s in sorted(t.from_stages, key=lambda s: order.get(s, 99))),
                label(t.to_stage) if t.to_stage else "（环节不变）",
            )
            for t in transitions
        ]
        return Flow(key, title, basis, layers, forward, steps)

    general = [t for t in TRANSITIONS.values() if Procedure.GENERAL in t.procedures]
    simple = [t for t in TRANSITIONS.values() if Procedure.SIMPLE in t.procedures]
    compel = [t for t in TRANSITIONS.values() if t.action == COMPEL]
    return [
        build("general", "普通程序", "行政处罚法 第五十四条至第六十五条", Stage.SOURCE, general),
        build("simple", "简易程序（当场处罚）", "行政处罚法 第五十一条至第五十三条", Stage.SERVED, simple),
        build(
            "compulsion", "行政强制", "行政强制法 第二十四条、第三十五条、第五十四条", Stage.SERVED, compel
        ),
    ]


def flow_svg_layout(
    flow: Flow, *, box_w: int = 132, box_h: int = 40, gap_x: int = 24, gap_y: int = 44
) -> dict:
    """Coordinates for the SVG: one row per layer, boxes centred, arrows from box bottom to box top."""
    widest = max((len(layer) for layer in flow.layers), default=1)
    width = widest * box_w + (widest - 1) * gap_x + 20
    nodes: dict[str, dict[str, Any]] = {}
    for row, layer in enumerate(flow.layers):
        row_w = len(layer) * box_w + (len(layer) - 1) * gap_x
        x0 = (width - row_w) / 2
        for col, (code, text) in enumerate(layer):
            x = x0 + col * (box_w + gap_x)
            y = 10 + row * (box_h + gap_y)
            nodes[code] = {
                "x": x,
                "y": y,
                "w": box_w,
                "h": box_h,
                "cx": x + box_w / 2,
                "text": text,
                "code": code,
            }
    arrows = []
    for a, b, text in flow.edges:
        na, nb = nodes[a], nodes[b]
        arrows.append(
            {
                "x1": na["cx"],
                "y1": na["y"] + box_h,
                "x2": nb["cx"],
                "y2": nb["y"] - 2,
                "text": text,
                "from": a,
            }
        )
    height = 20 + len(flow.layers) * (box_h + gap_y)
    return {"width": width, "height": height, "nodes": list(nodes.values()), "arrows": arrows}

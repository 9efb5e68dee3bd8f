"""督查与问责 pages: the overview of every oversight record the caller may see, and one page per record with
the steps the caller's role may take. Views parse the form, call a service, and show its refusal beside the
form (nothing is written on a refusal)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.cases import selectors as case_sel
from zhifa.cases.rules import VIEW_CASE
from zhifa.catalog.models import CatalogItem
from zhifa.core import clock
from zhifa.core.errors import DomainError, InvalidInput
from zhifa.org import permissions as perms
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.org.models import Agency, Officer, Region
from zhifa.oversight import selectors, services
from zhifa.oversight.models import (
    AccountabilityKind,
    DisputeKind,
    DisputeState,
    ExemptionState,
    JointState,
    TeamState,
    TeamTrigger,
)
from zhifa.oversight.rules import FILE_DISPUTE, OVERSEE, REQUEST_EXEMPTION, VIEW
from zhifa.records.timeline import timeline_for
from zhifa.supervision import selectors as sup_sel
from zhifa.supervision.models import Instrument

ROWS = 20
FORM_ROWS = 5


# --- parsing -----------------------------------------------------------------------------------------------------


def _date(raw: str | None, field: str, label: str, *, required: bool = True) -> dt.date | None:
    raw = (raw or "").strip()
    if not raw:
        if required:
            raise InvalidInput(f"请填写{label}。", f"{field} is required.", field=field)
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidInput(f"{label}格式应为 YYYY-MM-DD。", f"{field}: use YYYY-MM-DD.", field=field) from exc


def _int(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def _agencies(request: HttpRequest) -> list[Agency]:
    return list(
        perms.scoped(
            request.user, perms.VIEW_AGENCY, Agency.objects.filter(is_active=True, is_supervision_organ=False)
        )
        .select_related("region")
        .order_by("name")[:300]
    )


def _agency(request: HttpRequest, raw: str | None, field: str, label: str) -> Agency:
    pk = _int(raw)
    agency = next((a for a in _agencies(request) if a.pk == pk), None)
    if agency is None:
        raise InvalidInput(f"请选择{label}。", f"Choose {field}.", field=field)
    return agency


def _regions(request: HttpRequest) -> list[Region]:
    return list(perms.scoped(request.user, OVERSEE, Region.objects.all()).order_by("path")[:200])


def _region(request: HttpRequest, raw: str | None) -> Region:
    pk = _int(raw)
    region = next((r for r in _regions(request) if r.pk == pk), None)
    if region is None:
        raise InvalidInput("请选择您监督范围内的区域。", "Choose a region in your scope.", field="region")
    return region


def _get(request: HttpRequest, qs: Any, pk: int) -> Any:
    perms.require(request.user, VIEW, request=request)
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404("未找到该记录，或不在您的数据范围内。")
    return obj


def _form(
    request: HttpRequest,
    template: str,
    build: Callable[[], Any],
    done: Callable[[Any], HttpResponse],
    **ctx: Any,
) -> HttpResponse:
    error, field = "", ""
    if request.method == "POST":
        try:
            result = build()
        except DomainError as exc:
            error, field = exc.message, exc.field or ""
        else:
            return done(result)
    return render(
        request,
        template,
        {"error": error, "field": field, "data": request.POST, "today": clock.today(), **ctx},
    )


def _act(request: HttpRequest, fn: Callable[[], Any], ok: str, back: HttpResponse) -> HttpResponse:
    try:
        fn()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, ok)
    return back


def _timeline(request: AuthenticatedHttpRequest, obj: Any) -> list[Any]:
    return timeline_for(request.user, obj._meta.label_lower, obj.pk, include_related=False, request=request)


# --- overview ----------------------------------------------------------------------------------------------------


@login_required
@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    perms.require(request.user, VIEW, request=request)
    user = request.user
    return render(
        request,
        "oversight/home.html",
        {
            "rows": ROWS,
            "interviews": selectors.interviews(user)[:ROWS],
            "teams": selectors.teams(user)[:ROWS],
            "joints": selectors.joint_problems(user)[:ROWS],
            "to_coordinate": selectors.joint_problems_to_coordinate(user)[:ROWS],
            "disputes": selectors.disputes(user)[:ROWS],
            "accountabilities": selectors.accountabilities(user)[:ROWS],
            "exemptions": selectors.exemptions(user)[:ROWS],
            "can_oversee": perms.can(user, OVERSEE),
            "can_file_dispute": perms.can(user, FILE_DISPUTE),
            "can_request_exemption": perms.can(user, REQUEST_EXEMPTION),
        },
    )


# --- 约谈 ----------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def interview_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    perms.require(request.user, OVERSEE, request=request)
    post = request.POST

    def build() -> Any:
        agency = _agency(request, post.get("agency"), "agency", "被约谈单位")
        commitments = []
        for i in range(FORM_ROWS):
            text = (post.get(f"c{i}_text") or "").strip()
            if text:
                due = _date(post.get(f"c{i}_due"), "commitments", f"第 {i + 1} 项承诺的完成期限")
                assert due is not None
                commitments.append((text, due))
        ids = [i for i in (_int(x) for x in post.getlist("grounds")) if i]
        grounds = list(sup_sel.problems(request.user, agency_id=agency.pk).filter(pk__in=ids))
        held_on = _date(post.get("held_on"), "held_on", "约谈日期")
        assert held_on is not None
        return services.interview_record(
            actor=request.user,
            agency=agency,
            persons=post.get("persons", ""),
            held_on=held_on,
            place=post.get("place", ""),
            reason=post.get("reason", ""),
            record=post.get("record", ""),
            grounds=grounds,
            grounds_note=post.get("grounds_note", ""),
            commitments=commitments,
        )

    def done(interview: Any) -> HttpResponse:
        messages.success(request, f"已登记约谈，{interview.commitments.count()} 项承诺已纳入问题台账。")
        return redirect("oversight:interview", interview.pk)

    open_problems = sup_sel.problems(request.user).exclude(state="closed").order_by("-id")[:100]
    return _form(
        request,
        "oversight/interview_new.html",
        build,
        done,
        agencies=_agencies(request),
        problems=open_problems,
        rows=range(FORM_ROWS),
    )


@login_required
@require_GET
def interview_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    interview = _get(request, selectors.interviews(request.user), pk)
    return render(
        request,
        "oversight/interview_detail.html",
        {
            "interview": interview,
            "commitments": interview.commitments.select_related("problem"),
            "grounds": interview.grounds.all(),
            "timeline": _timeline(request, interview),
        },
    )


@login_required
@require_GET
def interview_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    interview = _get(request, selectors.interviews(request.user), pk)
    response = HttpResponse(bytes(interview.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="interview-{interview.pk}.pdf"'
    return response


# --- 督查组 ----------------------------------------------------------------------------------------------------------

MEMBER_ROWS = 6


@login_required
@require_http_methods(["GET", "POST"])
def team_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    perms.require(request.user, OVERSEE, request=request)
    post = request.POST

    def build() -> Any:
        members = []
        for i in range(MEMBER_ROWS):
            name = (post.get(f"m{i}_name") or "").strip()
            if name:
                members.append(
                    (
                        _agency(request, post.get(f"m{i}_agency"), "members", "成员单位"),
                        name,
                        post.get(f"m{i}_duty", ""),
                    )
                )
        starts = _date(post.get("starts_on"), "starts_on", "开始日期")
        ends = _date(post.get("ends_on"), "ends_on", "结束日期")
        assert starts is not None and ends is not None
        return services.team_form(
            actor=request.user,
            region=_region(request, post.get("region")),
            title=post.get("title", ""),
            trigger=post.get("trigger", ""),
            scope=post.get("scope", ""),
            starts_on=starts,
            ends_on=ends,
            leader=post.get("leader", ""),
            members=members,
        )

    def done(team: Any) -> HttpResponse:
        messages.success(request, "已组成督查组。")
        return redirect("oversight:team", team.pk)

    return _form(
        request,
        "oversight/team_new.html",
        build,
        done,
        regions=_regions(request),
        agencies=_agencies(request),
        triggers=TeamTrigger.choices,
        rows=range(MEMBER_ROWS),
    )


@login_required
@require_GET
def team_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    team = _get(request, selectors.teams(request.user), pk)
    letters = Instrument.objects.filter(pk__in=team.letters.values("instrument_id")).select_related("agency")
    return render(
        request,
        "oversight/team_detail.html",
        {
            "team": team,
            "members": team.members.select_related("agency"),
            "letters": letters,
            "can_act": perms.can(request.user, OVERSEE, team) and team.state == TeamState.ACTIVE,
            "agencies": [a for a in _agencies(request) if a.region.path.startswith(team.region.path)],
            "timeline": _timeline(request, team),
            "today": clock.today(),
        },
    )


@login_required
@require_POST
def team_letter(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    team = _get(request, selectors.teams(request.user), pk)
    post = request.POST

    def run() -> Any:
        return services.team_letter_issue(
            actor=request.user,
            team=team,
            agency=_agency(request, post.get("agency"), "agency", "被督查单位"),
            title=post.get("title", ""),
            findings=post.get("findings", ""),
            requirements=post.get("requirements", ""),
            deadline=_date(post.get("deadline"), "deadline", "答复期限"),
        )

    return _act(request, run, "已发出督查函。", redirect("oversight:team", pk))


@login_required
@require_POST
def team_conclude(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    team = _get(request, selectors.teams(request.user), pk)
    return _act(
        request,
        lambda: services.team_conclude(
            actor=request.user, team=team, findings=request.POST.get("findings", "")
        ),
        "督查已结束，督查发现已记录。",
        redirect("oversight:team", pk),
    )


# --- 共性问题 ------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def joint_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    perms.require(request.user, OVERSEE, request=request)
    post = request.POST

    def build() -> Any:
        agencies = {a.pk: a for a in _agencies(request)}
        partners = [agencies[i] for i in (_int(x) for x in post.getlist("partners")) if i in agencies]
        return services.joint_problem_open(
            actor=request.user,
            region=_region(request, post.get("region")),
            title=post.get("title", ""),
            description=post.get("description", ""),
            lead=_agency(request, post.get("lead"), "lead", "牵头单位"),
            partners=partners,
            due=_date(post.get("due"), "due", "整改期限", required=False),
        )

    def done(joint: Any) -> HttpResponse:
        messages.success(request, "已登记共性问题，牵头单位的问题台账已建立。")
        return redirect("oversight:joint", joint.pk)

    return _form(
        request,
        "oversight/joint_new.html",
        build,
        done,
        regions=_regions(request),
        agencies=_agencies(request),
    )


@login_required
@require_GET
def joint_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    joint = _get(request, selectors.joint_problems(request.user), pk)
    return render(
        request,
        "oversight/joint_detail.html",
        {
            "joint": joint,
            "partners": joint.partners.all(),
            "can_escalate": perms.can(request.user, OVERSEE, joint)
            and joint.state == JointState.OPEN
            and joint.region.parent_id is not None,
            "can_coordinate": services.can_coordinate(request.user, joint),
            "timeline": _timeline(request, joint),
        },
    )


@login_required
@require_POST
def joint_act(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    joint = _get(request, selectors.joint_problems(request.user), pk)
    text = request.POST.get("text", "")
    if action == "escalate":
        return _act(
            request,
            lambda: services.joint_problem_escalate(actor=request.user, joint=joint, reason=text),
            "已提请上级执法监督机构统筹。",
            redirect("oversight:joint", pk),
        )
    if action == "coordinate":
        return _act(
            request,
            lambda: services.joint_problem_coordinate(actor=request.user, joint=joint, opinion=text),
            "已作出统筹意见。",
            redirect("oversight:joint", pk),
        )
    raise Http404("未知操作。")


# --- 职责争议 ------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def dispute_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    perms.require(request.user, FILE_DISPUTE, request=request)
    post = request.POST
    applicants = [a for a in _agencies(request) if perms.can(request.user, FILE_DISPUTE, a)]
    county_agencies = list(
        Agency.objects.filter(
            is_active=True, is_supervision_organ=False, region__in={a.region_id for a in applicants}
        ).order_by("name")[:300]
    )

    def build() -> Any:
        applicant = next((a for a in applicants if a.pk == _int(post.get("applicant"))), None)
        if applicant is None:
            raise InvalidInput("请选择提请单位。", "Choose the applicant.", field="applicant")
        other = next((a for a in county_agencies if a.pk == _int(post.get("other"))), None)
        if other is None or other.region_id != applicant.region_id:
            raise InvalidInput("请选择同一区域的争议对方。", "Choose the other agency.", field="other")
        item_id = _int(post.get("item"))
        item = None
        if item_id:
            item = CatalogItem.objects.filter(pk=item_id, agency__in=[applicant, other]).first()
            if item is None:
                raise InvalidInput("所涉执法事项须为争议一方的事项。", "Unknown item.", field="item")
        return services.dispute_file(
            actor=request.user,
            applicant=applicant,
            other=other,
            kind=post.get("kind", ""),
            matter=post.get("matter", ""),
            positions=post.get("positions", ""),
            item=item,
        )

    def done(dispute: Any) -> HttpResponse:
        messages.success(request, "已提请职责争议协调。")
        return redirect("oversight:dispute", dispute.pk)

    items = (
        CatalogItem.objects.filter(agency__in=county_agencies, effective_to__isnull=True)
        .select_related("agency")
        .order_by("agency__name", "code")[:300]
    )
    return _form(
        request,
        "oversight/dispute_new.html",
        build,
        done,
        applicants=applicants,
        others=county_agencies,
        items=items,
        kinds=DisputeKind.choices,
    )


@login_required
@require_GET
def dispute_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    dispute = _get(request, selectors.disputes(request.user), pk)
    can_decide = perms.can(request.user, OVERSEE, dispute) and dispute.state == DisputeState.OPEN
    return render(
        request,
        "oversight/dispute_detail.html",
        {
            "dispute": dispute,
            "can_decide": can_decide,
            "parties": [dispute.applicant, dispute.other],
            "timeline": _timeline(request, dispute) if perms.can(request.user, VIEW, dispute) else [],
            "tomorrow": clock.today() + dt.timedelta(days=1),
        },
    )


@login_required
@require_POST
def dispute_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    dispute = _get(request, selectors.disputes(request.user), pk)
    post = request.POST

    def run() -> Any:
        responsible = next(
            (a for a in (dispute.applicant, dispute.other) if a.pk == _int(post.get("responsible"))), None
        )
        if responsible is None:
            raise InvalidInput("请选择负责单位。", "Choose the responsible agency.", field="responsible")
        return services.dispute_decide(
            actor=request.user,
            dispute=dispute,
            responsible=responsible,
            reasoning=post.get("reasoning", ""),
            effective_on=_date(post.get("effective_on"), "effective_on", "调整生效日期", required=False),
        )

    return _act(request, run, "已作出协调决定。", redirect("oversight:dispute", pk))


# --- 问责 ------------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def accountability_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    perms.require(request.user, OVERSEE, request=request)
    post = request.POST

    def build() -> Any:
        agency = _agency(request, post.get("agency"), "agency", "被问责单位")
        problem = (
            sup_sel.problems(request.user, agency_id=agency.pk)
            .filter(pk=_int(post.get("problem")) or 0)
            .first()
        )
        case = None
        number = (post.get("case") or "").strip()
        if number:
            case = case_sel.cases_visible(request.user).filter(agency=agency, number=number).first()
            if case is None:
                raise InvalidInput("未找到该单位的此案号。", "No such case of the agency.", field="case")
        officer = Officer.objects.filter(agency=agency, pk=_int(post.get("officer")) or 0).first()
        decided = _date(post.get("decided_on"), "decided_on", "决定日期")
        assert decided is not None
        return services.accountability_record(
            actor=request.user,
            agency=agency,
            person=post.get("person", ""),
            kind=post.get("kind", ""),
            facts=post.get("facts", ""),
            decided_on=decided,
            officer=officer,
            problem=problem,
            case=case,
        )

    def done(row: Any) -> HttpResponse:
        messages.success(request, "已登记问责。")
        return redirect("oversight:accountability", row.pk)

    return _form(
        request,
        "oversight/accountability_new.html",
        build,
        done,
        agencies=_agencies(request),
        kinds=AccountabilityKind.choices,
        problems=sup_sel.problems(request.user).order_by("-id")[:100],
        officers=perms.scoped(request.user, perms.VIEW_OFFICER, Officer.objects.filter(is_active=True))
        .select_related("agency")
        .order_by("agency__name", "name")[:300],
    )


@login_required
@require_GET
def accountability_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    row = _get(request, selectors.accountabilities(request.user), pk)
    return render(
        request, "oversight/accountability_detail.html", {"row": row, "timeline": _timeline(request, row)}
    )


# --- 尽职免责 ----------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def exemption_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    perms.require(request.user, REQUEST_EXEMPTION, request=request)
    officer = Officer.objects.filter(user=request.user).first()
    my_cases = (
        case_sel.cases_visible(request.user).filter(officers=officer).order_by("-id")[:100] if officer else []
    )
    case_id = _int(request.POST.get("case") or request.GET.get("case"))
    case = next((c for c in my_cases if c.pk == case_id), None)
    entries = services.case_entries(case) if case else []
    post = request.POST

    def build() -> Any:
        if case is None:
            raise InvalidInput("请选择本人承办的案件。", "Choose a case you handled.", field="case")
        seqs = [s for s in (_int(x) for x in post.getlist("entries")) if s is not None]
        return services.exemption_request(
            actor=request.user, case=case, facts=post.get("facts", ""), entry_seqs=seqs
        )

    def done(row: Any) -> HttpResponse:
        messages.success(request, "已提交尽职免责认定申请。")
        return redirect("oversight:exemption", row.pk)

    readable = (
        timeline_for(request.user, "cases.case", case.pk, include_related=False, request=request)
        if case
        else []
    )
    return _form(
        request,
        "oversight/exemption_new.html",
        build,
        done,
        cases=my_cases,
        case=case,
        entries=readable,
        entry_count=len(entries),
    )


@login_required
@require_GET
def exemption_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    row = _get(request, selectors.exemptions(request.user), pk)
    cited: list[Any] = []
    if perms.can(request.user, VIEW_CASE, row.case):
        wanted = set(row.entry_seqs)
        cited = [
            e
            for e in timeline_for(
                request.user, "cases.case", row.case_id, include_related=False, request=request
            )
            if e.seq in wanted
        ]
    return render(
        request,
        "oversight/exemption_detail.html",
        {
            "row": row,
            "cited": cited,
            "can_decide": perms.can(request.user, OVERSEE, row) and row.state == ExemptionState.REQUESTED,
            "timeline": _timeline(request, row),
        },
    )


@login_required
@require_POST
def exemption_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    row = _get(request, selectors.exemptions(request.user), pk)
    grant = request.POST.get("grant") == "1"
    return _act(
        request,
        lambda: services.exemption_decide(
            actor=request.user, exemption=row, grant=grant, opinion=request.POST.get("opinion", "")
        ),
        "已作出尽职免责认定。",
        redirect("oversight:exemption", pk),
    )

"""Reviewer workbench (法制审核工作台): queues, the request page (materials, the eight points, conclusion,
rounds), workload, report, catalog; the case-page panel (submit for review, the heads' discussion); the
public verification page of an opinion.

Thin: reads through ``selectors``, writes through ``services``; a refusal comes back as a message on the page
that asked, never a 500.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from zhifa.cases import guards
from zhifa.cases import selectors as case_selectors
from zhifa.cases.models import Case, Stage
from zhifa.cases.rules import DECIDE, VIEW_CASE
from zhifa.cases.services import document_seal_message
from zhifa.core import clock
from zhifa.core.errors import DomainError, InvalidInput
from zhifa.core.forms import parse
from zhifa.core.paging import capped
from zhifa.org import permissions as perms
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.org.models import Agency, Role, RoleAssignment, User
from zhifa.records.signing import signature_valid
from zhifa.review import rules, selectors, services
from zhifa.review.forms import (
    OPINION_MAX,
    AssignForm,
    CaseSubmitForm,
    CatalogForm,
    ConcludeForm,
    DiscussForm,
    FindingsForm,
    OpinionVoidForm,
)
from zhifa.review.models import (
    FindingResult,
    MajorDecisionCatalog,
    OpinionStatus,
    RequestState,
    ReviewOpinion,
    ReviewPoint,
)


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _request_or_404(request: AuthenticatedHttpRequest, pk: int) -> Any:
    perms.require(request.user, rules.VIEW, request=request)
    try:
        return selectors.request_get(request.user, pk)
    except DomainError:
        raise Http404("法制审核申请不存在或不在您的数据范围内。") from None


def _reviewers_for(agency_id: int) -> list[User]:
    ids = RoleAssignment.objects.filter(role=Role.LEGAL_REVIEWER, agency_id=agency_id).values_list(
        "user_id", flat=True
    )
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("username"))


def _heads_for(agency_id: int) -> list[User]:
    ids = RoleAssignment.objects.filter(role=Role.AGENCY_HEAD, agency_id=agency_id).values_list(
        "user_id", flat=True
    )
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("username"))


@login_required
@require_GET
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """审核队列 — mine, unassigned, and every open round in my scope."""
    perms.require(request.user, rules.VIEW, request=request)
    user = request.user
    today = clock.today()
    open_rounds = selectors.requests_visible(user).filter(
        state__in=[RequestState.SUBMITTED, RequestState.ASSIGNED]
    )
    recent = selectors.requests_visible(user).exclude(
        state__in=[RequestState.SUBMITTED, RequestState.ASSIGNED]
    )
    return render(
        request,
        "review/queue.html",
        {
            # Queues: the first 100 and the total ("另有 N 条未显示"), never a silent cut.
            "mine": capped(selectors.my_queue(user), 100),
            "unassigned": capped(selectors.unassigned_queue(user), 100)
            if perms.can(user, rules.ASSIGN)
            else [],
            "open_rounds": capped(open_rounds.order_by("due_on", "id"), 100),
            # 最近完成: the 20 most recent by design (the heading says so; the full record is the report).
            "recent": list(recent.order_by("-concluded_on", "-id")[:20]),
            "today": today,
            "may_report": perms.can(user, rules.REPORT),
            "may_catalog": perms.can(user, rules.CATALOG),
        },
    )


@login_required
@require_GET
def request_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """审核页 — the case, why it is major, the materials, the draft, the eight points, conclusion, rounds."""
    review = _request_or_404(request, pk)
    user = request.user
    case = review.case
    rounds = selectors.case_rounds(case)
    is_reviewer = review.reviewer_id == user.pk and review.state == RequestState.ASSIGNED
    may_assign = review.is_open and perms.can(user, rules.ASSIGN, review)
    return render(
        request,
        "review/request.html",
        {
            "review": review,
            "case": case,
            "materials": list(review.materials.all()),
            "points": selectors.findings_table(review),
            "results": FindingResult.choices,
            "is_reviewer": is_reviewer,
            "may_assign": may_assign,
            "reviewers": _reviewers_for(review.agency_id) if may_assign else [],
            "rounds": rounds,
            "history": selectors.request_history(user, review),
            "opinions": list(review.opinions.all()),
            "overdue": review.is_open and review.due_on < clock.today(),
            "case_visible": perms.can(user, VIEW_CASE, case),
        },
    )


def _back(pk: int) -> HttpResponse:
    return redirect("review:request", pk=pk)


@login_required
@require_POST
def request_assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    review = _request_or_404(request, pk)
    try:
        data = parse(AssignForm, request.POST)
        reviewer = User.objects.filter(pk=data["reviewer"]).first()
        if reviewer is None:
            raise InvalidInput("请选择审核人员。", "Choose a reviewer.", field="reviewer")
        services.review_assign(actor=request.user, request=review, reviewer=reviewer, on=data["on"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已分配给 {reviewer.display_name}。")
    return _back(pk)


@login_required
@require_POST
def request_findings(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The eight points in one form; each answered point goes through ``review_record_finding``."""
    review = _request_or_404(request, pk)
    try:
        data = parse(FindingsForm, request.POST)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back(pk)
    saved = 0
    for point in ReviewPoint:
        result = data[f"result_{point.value}"]
        if not result:
            continue
        try:
            services.review_record_finding(
                actor=request.user,
                request=review,
                point=point.value,
                result=result,
                note=data[f"note_{point.value}"],
            )
            saved += 1
        except DomainError as exc:
            messages.error(request, f"{point.label}：{exc.message}")
    if saved:
        messages.success(request, f"已保存 {saved} 项审核要点意见。")
    elif not any(data[f"result_{point.value}"] for point in ReviewPoint):
        messages.warning(request, "未选择任何审核要点的意见，没有保存。")
    return _back(pk)


@login_required
@require_POST
def request_conclude(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    review = _request_or_404(request, pk)
    agreed = False
    try:
        data = parse(ConcludeForm, request.POST)
        agreed = data["agreed"] == "yes"
        services.review_conclude(
            actor=request.user, request=review, agreed=agreed, opinion=data["opinion"], on=data["on"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            "已出具法制审核意见书：同意。" if agreed else "已出具法制审核意见书：存在问题，退回承办机构。",
        )
    return _back(pk)


@login_required
@require_GET
def opinion_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    perms.require(request.user, rules.VIEW, request=request)
    opinion = ReviewOpinion.objects.filter(
        pk=pk, request__in=selectors.requests_visible(request.user)
    ).first()
    if opinion is None:
        raise Http404("意见书不存在或不在您的数据范围内。")
    response = HttpResponse(bytes(opinion.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="opinion-{opinion.pk}.pdf"'
    return response


@login_required
@require_POST
def opinion_void(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    perms.require(request.user, rules.VIEW, request=request)
    opinion = ReviewOpinion.objects.filter(
        pk=pk, request__in=selectors.requests_visible(request.user)
    ).first()
    if opinion is None:
        raise Http404("意见书不存在或不在您的数据范围内。")
    try:
        data = parse(OpinionVoidForm, request.POST)
        services.review_opinion_void(actor=request.user, opinion=opinion, reason=data["reason"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已作废 {opinion.number}，该文号不再使用。")
    return _back(opinion.request_id)


@require_GET
def opinion_verify(request: HttpRequest, number: str) -> HttpResponse:
    """意见书核验 (public) — what the QR code opens: number, agency, digest, seal and status."""
    opinion = ReviewOpinion.objects.select_related("agency").filter(number=number).first()
    if opinion is None:
        return render(request, "review/verify.html", {"opinion": None, "ref": number}, status=404)
    seal_ok = signature_valid(
        bytes.fromhex(opinion.public_key),
        bytes.fromhex(opinion.signature),
        document_seal_message(opinion.number, opinion.sha256, opinion.agency.name, opinion.issued_on),
    )
    digest_ok = hashlib.sha256(bytes(opinion.pdf)).hexdigest() == opinion.sha256
    return render(
        request,
        "review/verify.html",
        {"opinion": opinion, "ref": number, "seal_ok": seal_ok and digest_ok, "issued": OpinionStatus.ISSUED},
    )


@login_required
@require_GET
def workload(request: AuthenticatedHttpRequest) -> HttpResponse:
    perms.require(
        request.user,
        rules.ASSIGN if not perms.can(request.user, rules.REPORT) else rules.REPORT,
        request=request,
    )
    return render(request, "review/workload.html", {"rows": selectors.workload(request.user)})


@login_required
@require_GET
def report(request: AuthenticatedHttpRequest) -> HttpResponse:
    perms.require(request.user, rules.REPORT, request=request)
    date_from, date_to = _date(request.GET.get("from")), _date(request.GET.get("to"))
    rows = selectors.review_report(request.user, date_from=date_from, date_to=date_to)
    labels = dict(ReviewPoint.choices)
    for row in rows:
        row.returns_labelled = [(labels[k], v) for k, v in row.returns_by_point.items()]  # type: ignore[attr-defined]
    return render(request, "review/report.html", {"rows": rows, "date_from": date_from, "date_to": date_to})


@login_required
def catalog(request: AuthenticatedHttpRequest) -> HttpResponse:
    """重大执法决定法制审核目录 — versions of my agencies; a head publishes a new version."""
    perms.require(request.user, rules.VIEW, request=request)

    # Every agency the user may publish a catalog for: the form's choices and the POST check are the same
    # scoped query, uncapped (a ``[:50]`` here once dropped the 51st agency of a county from the form).
    agencies = list(perms.scoped(request.user, rules.CATALOG, Agency.objects.all()).order_by("name", "id"))
    if request.method == "POST":
        try:
            data = parse(CatalogForm, request.POST)
            agency = next((a for a in agencies if a.pk == data["agency"]), None)
            if agency is None:
                raise InvalidInput("请选择执法主体并填写生效日期。", "Choose an agency.", field="agency")
            effective = data["effective_from"]
            services.catalog_publish(
                actor=request.user,
                agency=agency,
                effective_from=effective,
                fine_citizen_yuan=data["fine_citizen_yuan"],
                fine_organisation_yuan=data["fine_organisation_yuan"],
                confiscation_yuan=data["confiscation_yuan"],
                revoke_licence=data["revoke_licence"],
                stop_business=data["stop_business"],
                close=data["close"],
                hearing=data["hearing"],
                public_interest=data["public_interest"],
                complex_facts=data["complex_facts"],
                item_codes=data["item_codes"].replace("，", ",").split(","),
                note=data["note"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"目录新版本自 {effective:%Y-%m-%d} 起生效。")
            return redirect("review:catalog")
    versions = capped(
        perms.scoped(request.user, rules.VIEW, MajorDecisionCatalog.objects.all())
        .select_related("agency")
        .order_by("agency__name", "-effective_from"),
        200,
    )
    flags = [
        ("revoke_licence", "吊销许可证件"),
        ("stop_business", "责令停产停业"),
        ("close", "责令关闭"),
        ("hearing", "经过听证"),
        ("public_interest", "涉及重大公共利益"),
        ("complex_facts", "案情疑难复杂"),
    ]
    return render(
        request, "review/catalog.html", {"versions": versions, "agencies": agencies, "flags": flags}
    )


# --- the case page ------------------------------------------------------------------------------------------------


def case_panel(request: HttpRequest, case: Case) -> dict[str, Any] | None:
    """法制审核 section of the case page: state, rounds, the submit form and the heads' discussion."""
    user = request.user
    rounds = selectors.case_rounds(case)
    needed, reasons = False, []
    if case.notice_round:
        reasons = guards.legal_review_reasons(case, guards.proposed_penalty(case))
        needed = bool(reasons)
    if not rounds and not needed and case.stage not in (Stage.NOTIFIED, Stage.HEARING, Stage.LEGAL_REVIEW):
        return None
    latest = rounds[-1] if rounds else None
    may_submit = (
        case.stage in (Stage.NOTIFIED, Stage.HEARING, Stage.LEGAL_REVIEW)
        and perms.can(user, rules.SUBMIT, case)
        and not (latest and latest.is_open)
        and not (latest and latest.state == RequestState.AGREED and latest.notice_round == case.notice_round)
    )
    may_discuss = (
        case.stage in (Stage.NOTIFIED, Stage.HEARING, Stage.LEGAL_REVIEW)
        and perms.can(user, rules.DISCUSS, case)
        and perms.can(user, DECIDE, case)
    )
    status = selectors.review_status(case)
    return {
        "title": "法制审核与集体讨论",
        "template": "review/_panel.html",
        "context": {
            "case": case,
            "rounds": rounds,
            "latest": latest,
            "needed": needed,
            "reasons": reasons,
            "status": status,
            "may_submit": may_submit,
            "may_discuss": may_discuss,
            "heads": _heads_for(case.agency_id) if may_discuss else [],
            "quorum": services.settings_for(case.agency_id).discussion_quorum,
            "discussions": selectors.case_discussions(case),
            "submit_url": reverse("review:case_submit", args=[case.pk]),
            "discuss_url": reverse("review:case_discuss", args=[case.pk]),
        },
    }


def _case_or_404(request: AuthenticatedHttpRequest, pk: int) -> Case:
    perms.require(request.user, VIEW_CASE, request=request)
    try:
        return case_selectors.case_get(request.user, pk, request=request)
    except DomainError:
        raise Http404("案件不存在或不在您的数据范围内。") from None


@login_required
@require_POST
def case_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    try:
        data = parse(CaseSubmitForm, request.POST)
        review = services.review_submit(
            actor=request.user,
            case=case,
            draft_decision=data["draft_decision"],
            explanation=data["explanation"],
            on=data["on"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"已送法制审核（第 {review.round_no} 轮），审核期限 {review.due_on:%Y-%m-%d}。"
        )
    return redirect("cases:detail", pk=pk)


@login_required
@require_POST
def case_discuss(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    try:
        data = parse(DiscussForm, request.POST)
        ids = data["participants"]
        users = {u.pk: u for u in User.objects.filter(pk__in=ids)}
        participants = [
            {
                "user": users[i],
                "opinion": request.POST.get(f"opinion_{i}", "")[:OPINION_MAX],
                "dissent": request.POST.get(f"dissent_{i}") == "on",
            }
            for i in ids
            if i in users
        ]
        host = users.get(data["host"] or 0) or request.user
        services.discussion_record(
            actor=request.user,
            case=case,
            participants=participants,
            host=host,
            minutes=data["minutes"],
            decision=data["decision"],
            place=data["place"],
            on=data["on"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已记录集体讨论。")
    return redirect("cases:detail", pk=pk)

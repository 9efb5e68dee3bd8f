"""Pages of the quarterly rating (一季一评) and the satisfaction surveys: the bureau's pages (weights, compute,
review, publish the 通报, survey rounds and results), the agency head's own rating, the enterprise's and the
public's survey form. Thin: selectors read (scoped), services write; refusals beside the form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from zhifa.core import clock
from zhifa.core.errors import DomainError, InvalidInput, NotFound
from zhifa.core.forms import parse
from zhifa.core.pdf import public_url
from zhifa.org import permissions as perms
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.org.models import Agency, Domain
from zhifa.portal.boards import qr_svg
from zhifa.portal.ratelimit import client_ip
from zhifa.ratings import rules, selectors, services
from zhifa.ratings.documents import COLUMNS, render_bulletin_pdf, render_bulletin_xlsx, weights_text
from zhifa.ratings.forms import ComputeForm, SurveyForm
from zhifa.ratings.models import SCALE, Audience, Dimension, RoundStatus, RunStatus, SurveyRound

PUBLIC_ANSWER_RATE = "20/h"  # per client IP: a household answers a few times, a script many


def _404(exc: NotFound) -> Http404:
    return Http404(exc.message)


@login_required
@require_http_methods(["GET", "POST"])
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """季度评议 — the bureau's list of quarters and the form to compute one."""
    perms.require(request.user, rules.MANAGE, request=request)
    regions = selectors.managed_regions(request.user)
    year, quarter = selectors.last_finished_quarter()
    error, form = "", request.POST.dict() if request.method == "POST" else {}
    if request.method == "POST":
        try:
            data = parse(ComputeForm, request.POST)
            region = next((r for r in regions if r.code == data["region"]), None)
            if region is None:
                raise InvalidInput("请选择区划。", "Choose a region.", field="region", code="region_required")
            run = services.rating_run_compute(
                actor=request.user, region=region, year=data["year"], quarter=data["quarter"]
            )
            messages.success(request, f"已计算{run.period_label}评议。")
            return redirect("ratings:run_detail", pk=run.pk)
        except DomainError as exc:
            error = exc.message
    runs = list(selectors.runs(request.user)[:40])
    sizes = selectors.run_sizes([r.pk for r in runs])
    return render(
        request,
        "ratings/index.html",
        {
            "runs": [(r, sizes.get(r.pk, 0)) for r in runs],
            "regions": regions,
            "error": error,
            "form": form,
            "year": year,
            "quarter": quarter,
            "quarters": [(1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度")],
        },
        status=422 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def weights(request: AuthenticatedHttpRequest) -> HttpResponse:
    """评议权重 — per region, set by the bureau."""
    perms.require(request.user, rules.MANAGE, request=request)
    regions = selectors.managed_regions(request.user)
    code = request.POST.get("region") or request.GET.get("region") or (regions[0].code if regions else "")
    region = next((r for r in regions if r.code == code), regions[0] if regions else None)
    error = ""
    if request.method == "POST" and region is not None:
        try:
            services.rating_weights_set(
                actor=request.user,
                region=region,
                weights={d: request.POST.get(f"w_{d}", "") for d in Dimension.values},
                min_acts_per_officer=request.POST.get("min_acts_per_officer", ""),
            )
            messages.success(request, f"已保存{region.name}的评议权重。")
            return redirect(f"{reverse('ratings:weights')}?region={region.code}")
        except DomainError as exc:
            error = exc.message
    saved, threshold = selectors.region_weights(region) if region else ({}, None)
    current: dict[str, Any] = dict(saved)
    if request.method == "POST":  # the form again as typed, beside the error
        current = {d: request.POST.get(f"w_{d}", "") for d in Dimension.values}
    return render(
        request,
        "ratings/weights.html",
        {
            "regions": regions,
            "region": region,
            "rows": [(d, label, current.get(d, 0)) for d, label in Dimension.choices],
            "threshold": request.POST.get("min_acts_per_officer", threshold)
            if request.method == "POST"
            else threshold,
            "error": error,
        },
        status=422 if error else 200,
    )


@login_required
@require_GET
def run_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        run = selectors.run_get(request.user, pk)
    except NotFound as exc:
        raise _404(exc) from exc
    ratings = selectors.run_ratings(run)
    return render(
        request,
        "ratings/run_detail.html",
        {
            "run": run,
            "rows": [(r, [r.scores.get(c) for c, _ in COLUMNS]) for r in ratings],
            "columns": [label for _, label in COLUMNS],
            "flagged": [r for r in ratings if r.flagged],
            "weights": weights_text(run),
            "can_review": run.status == RunStatus.COMPUTED,
            "can_publish": run.status == RunStatus.REVIEWED,
        },
    )


def _act(request: AuthenticatedHttpRequest, pk: int, act: Any, done: str) -> HttpResponse:
    try:
        run = selectors.run_get(request.user, pk)
    except NotFound as exc:
        raise _404(exc) from exc
    try:
        act(run)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("ratings:run_detail", pk=run.pk)


@login_required
@require_POST
def run_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    note = request.POST.get("note", "")
    return _act(
        request,
        pk,
        lambda run: services.rating_run_review(actor=request.user, run=run, note=note),
        "已审核，评议结果已确定，可发布通报。",
    )


@login_required
@require_POST
def run_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, lambda run: services.rating_run_publish(actor=request.user, run=run), "已发布通报。"
    )


def _visible_run(request: AuthenticatedHttpRequest, pk: int) -> Any:
    """A run the user manages, or a published one that rates an agency in the user's view."""
    try:
        return selectors.run_get(request.user, pk)
    except NotFound:
        mine = [r.run for r in selectors.my_ratings(request.user) if r.run_id == pk]
        if not mine:
            raise Http404("季度评议不存在或不在您的数据范围内。") from None
        return mine[0]


@login_required
@require_GET
def run_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = _visible_run(request, pk)
    response = HttpResponse(render_bulletin_pdf(run), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="rating-{run.year}-q{run.quarter}.pdf"'
    return response


@login_required
@require_GET
def run_xlsx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = _visible_run(request, pk)
    response = HttpResponse(
        render_bulletin_xlsx(run),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="rating-{run.year}-q{run.quarter}.xlsx"'
    return response


@login_required
@require_GET
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """本单位评议 — an agency's published ratings, its rank among how many, its flags."""
    perms.require(request.user, rules.VIEW, request=request)
    ratings = selectors.my_ratings(request.user)
    sizes = selectors.run_sizes(sorted({r.run_id for r in ratings}))
    return render(
        request,
        "ratings/mine.html",
        {
            "rows": [(r, sizes.get(r.run_id, 0), [r.scores.get(c) for c, _ in COLUMNS]) for r in ratings],
            "columns": [label for _, label in COLUMNS],
        },
    )


# --- surveys ----------------------------------------------------------------------------------------------------


DEFAULT_QUESTIONS = "执法人员文明规范、亮证执法\n执法程序公开透明、告知到位\n处罚裁量公正合理、过罚相当\n涉企检查频次合理、不干扰正常经营"


@login_required
@require_http_methods(["GET", "POST"])
def surveys(request: AuthenticatedHttpRequest) -> HttpResponse:
    """满意度调查 — the bureau's rounds and the form to start one."""
    perms.require(request.user, rules.MANAGE, request=request)
    regions = selectors.managed_regions(request.user)
    error, form = "", request.POST.dict() if request.method == "POST" else {}
    if request.method == "POST":
        try:
            data = parse(SurveyForm, request.POST)
            region = next((r for r in regions if r.code == data["region"]), None)
            if region is None:
                raise InvalidInput("请选择区划。", "Choose a region.", field="region", code="region_required")
            r = services.survey_create(
                actor=request.user,
                region=region,
                title=data["title"],
                audience=data["audience"] or Audience.BOTH,
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                target_percent=data["target_percent"],
                questions=(data["questions"] or "").splitlines(),
            )
            messages.success(request, f"已发起“{r.title}”。")
            return redirect("ratings:survey_detail", pk=r.pk)
        except DomainError as exc:
            error = exc.message
    today = clock.today()
    rounds = list(selectors.rounds(request.user)[:40])
    return render(
        request,
        "ratings/surveys.html",
        {
            "rounds": [(r, selectors.survey_result(r)) for r in rounds],
            "regions": regions,
            "audiences": Audience.choices,
            "error": error,
            "form": form,
            "today": today.isoformat(),
            "default_questions": DEFAULT_QUESTIONS,
        },
        status=422 if error else 200,
    )


def _public_link(r: SurveyRound) -> str:
    return public_url(reverse("ratings:public_answer", args=[r.token]))


@login_required
@require_GET
def survey_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        r = selectors.round_get(request.user, pk)
    except NotFound as exc:
        raise _404(exc) from exc
    link = _public_link(r)
    result = selectors.survey_result(r)
    top = result.fields[0][1] if result.fields else 0
    return render(
        request,
        "ratings/survey_detail.html",
        {
            "r": r,
            "res": result,
            "link": link,
            "qr": mark_safe(qr_svg(link)) if r.audience != Audience.ENTERPRISE else "",  # noqa: S308 - SVG drawn by qrcode
            "comments": list(r.responses.exclude(comment="").select_related("agency").order_by("-id")[:30]),
            "top": top,
            "is_open": r.status == RoundStatus.OPEN,
        },
    )


@login_required
@require_POST
def survey_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        r = selectors.round_get(request.user, pk)
    except NotFound as exc:
        raise _404(exc) from exc
    try:
        services.survey_close(actor=request.user, survey=r)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "调查已结束。")
    return redirect("ratings:survey_detail", pk=r.pk)


def _form_context(r: SurveyRound, data: Any, error: str) -> dict[str, Any]:
    return {
        "r": r,
        "questions": list(r.questions.all()),
        "scale": SCALE,
        "domains": list(Domain.objects.order_by("sort", "id")),
        "agencies": list(
            Agency.objects.filter(
                region__path__startswith=r.region.path, is_active=True, is_supervision_organ=False
            ).order_by("name")[:300]  # the agencies of one region (a county has dozens)
        ),
        "data": data,
        "chosen_fields": [str(v) for v in (data.getlist("fields") if hasattr(data, "getlist") else [])],
        "error": error,
    }


def _answers(post: Any) -> dict[str, str]:
    return {k[2:]: v for k, v in post.items() if k.startswith("q_") and k[2:].isdigit()}


@login_required
@require_GET
def enterprise_surveys(request: AuthenticatedHttpRequest) -> HttpResponse:
    """企业：待填写的满意度调查."""
    perms.require(request.user, rules.ANSWER, request=request)
    return render(
        request, "ratings/enterprise_list.html", {"rows": selectors.rounds_for_enterprise(request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_answer(request: AuthenticatedHttpRequest, pk: int, party: int) -> HttpResponse:
    perms.require(request.user, rules.ANSWER, request=request)
    match = [
        (r, p, done)
        for r, p, done in selectors.rounds_for_enterprise(request.user)
        if r.pk == pk and p.pk == party
    ]
    if not match:
        raise Http404("该调查不存在或不面向贵企业。")
    r, p, done = match[0]
    error = ""
    if request.method == "POST":
        try:
            services.survey_answer_enterprise(
                actor=request.user,
                survey=r,
                party=p,
                overall=request.POST.get("overall", ""),
                answers=_answers(request.POST),
                fields=request.POST.getlist("fields"),
                agency=request.POST.get("agency", ""),
                comment=request.POST.get("comment", ""),
            )
            messages.success(request, "感谢贵企业参与满意度调查。")
            return redirect("ratings:enterprise_surveys")
        except DomainError as exc:
            error = exc.message
    context = _form_context(r, request.POST if request.method == "POST" else {}, error)
    context.update(
        {"party": p, "done": done, "action": reverse("ratings:enterprise_answer", args=[r.pk, p.pk])}
    )
    return render(request, "ratings/answer.html", context, status=422 if error else 200)


@require_http_methods(["GET", "POST"])
def public_answer(request: HttpRequest, token: str) -> HttpResponse:
    """群众满意度调查 — no login; rate-limited per IP and one answer per client and day (services)."""
    r = selectors.round_by_token(token)
    if r is None:
        raise Http404("调查链接无效。")
    error, status = "", 200
    if request.method == "POST":
        if request.POST.get("website"):  # a field people never see: filled only by scripts
            error, status = "提交失败，请刷新页面后重试。", 400
        elif is_ratelimited(
            request, group="ratings.answer", key="ip", rate=PUBLIC_ANSWER_RATE, method="POST", increment=True
        ):
            error, status = "提交过于频繁，请稍后再试。", 429
        else:
            try:
                services.survey_answer_public(
                    token=token,
                    client=client_ip(request),
                    overall=request.POST.get("overall", ""),
                    answers=_answers(request.POST),
                    fields=request.POST.getlist("fields"),
                    agency=request.POST.get("agency", ""),
                    comment=request.POST.get("comment", ""),
                )
            except DomainError as exc:
                error, status = exc.message, 422
            else:
                return render(request, "ratings/public_done.html", {"r": r})
    today = clock.today()
    context = _form_context(r, request.POST if request.method == "POST" else {}, error)
    context.update(
        {
            "public": True,
            "closed": r.status != RoundStatus.OPEN
            or not r.opens_on <= today <= r.closes_on
            or r.audience == Audience.ENTERPRISE,
            "action": reverse("ratings:public_answer", args=[token]),
        }
    )
    return render(request, "ratings/answer.html", context, status=status)

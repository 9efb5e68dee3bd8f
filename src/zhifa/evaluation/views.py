"""Pages of case-file evaluation: plans (list, create, draw), a plan's files (assign, confirm), the scoring
sheet, and the evaluator's own task list. Thin: selectors read (scoped), services write; refusals beside
the form.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.core import clock
from zhifa.core.errors import DomainError, InvalidInput
from zhifa.core.forms import parse
from zhifa.core.paging import capped
from zhifa.evaluation import panel, rules, selectors, services, thirdparty
from zhifa.evaluation.anonymise import anonymised_case
from zhifa.evaluation.forms import SCORE_TEXT_MAX, AssignForm, MemberForm, OutsiderForm, PlanForm, ScoreForm
from zhifa.evaluation.models import (
    OUTSIDE_KINDS,
    BadCaseCriterion,
    FileStatus,
    MemberKind,
    PlanKind,
    Stratum,
    criterion_kind,
)
from zhifa.org import permissions as perms
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.org.models import Domain, Region, User

IMPORT_MAX_BYTES = 5 * 1024 * 1024


@login_required
@require_http_methods(["GET", "POST"])
def plan_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    perms.require(request.user, rules.SCORE, request=request)
    can_manage = perms.can(request.user, rules.MANAGE)
    # every region the user manages (the form's choices: a cap would drop regions)
    regions = list(perms.scoped(request.user, rules.MANAGE, Region).order_by("path")) if can_manage else []
    error, form = "", request.POST.dict() if request.method == "POST" else {}
    if request.method == "POST":
        try:
            region = next((r for r in regions if r.code == request.POST.get("region")), None)
            if region is None:
                raise InvalidInput("请选择区划。", "Choose a region.", field="region", code="region_required")
            data = parse(PlanForm, request.POST)
            domain = Domain.objects.filter(pk=data["domain"]).first() if data["domain"] else None
            plan = services.plan_create(
                actor=request.user,
                region=region,
                year=data["year"],
                title=data["title"],
                kind=data["kind"],
                domain=domain,
                closed_from=data["closed_from"],
                closed_to=data["closed_to"],
                sample_per_agency=data["sample_per_agency"],
                pass_score=data["pass_score"] if data["pass_score"] is not None else "60",
                criteria=data["criteria"] or None,
            )
            messages.success(request, f"已创建评查方案“{plan.title}”。")
            return redirect("evaluation:plan_detail", pk=plan.pk)
        except DomainError as exc:
            error = exc.message
    today = clock.today()
    return render(
        request,
        "evaluation/plan_list.html",
        {
            "plans": capped(selectors.plans(request.user), 50),
            "mine": capped(selectors.my_files(request.user), 50),
            "can_manage": can_manage,
            "regions": regions,
            "domains": Domain.objects.order_by("sort", "id"),
            "kinds": PlanKind.choices,
            "criteria": [(c, label, criterion_kind(c)) for c, label in BadCaseCriterion.choices],
            "error": error,
            "form": form,
            "default_from": dt.date(today.year - 1, 1, 1).isoformat(),
            "default_to": dt.date(today.year - 1, 12, 31).isoformat(),
            "this_year": today.year,
        },
        status=422 if error else 200,
    )


@login_required
@require_GET
def plan_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(request.user, pk)
    files = list(selectors.files_of(request.user, plan))
    return render(
        request,
        "evaluation/plan_detail.html",
        {
            "plan": plan,
            "files": files,
            "can_manage": perms.can(request.user, rules.MANAGE, plan),
            "criteria": [BadCaseCriterion(c).label for c in plan.criteria],
            "bad": [f for f in files if f.is_typical_bad],
            "strata": [
                (label, n)
                for value, label in Stratum.choices
                if (n := sum(1 for f in files if f.stratum == value))
            ],
        },
    )


@login_required
@require_POST
def plan_draw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(request.user, pk)
    try:
        files = services.plan_draw(actor=request.user, plan=plan)
        messages.success(request, f"已随机抽取 {len(files)} 卷。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("evaluation:plan_detail", pk=pk)


@login_required
@require_POST
def file_assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    file = selectors.file_get(request.user, pk)
    try:
        data = parse(AssignForm, request.POST)
        evaluator = User.objects.filter(username=data["username"]).first()
        if evaluator is None:
            raise InvalidInput("找不到该用户名。", "Unknown user.", field="evaluator", code="unknown_user")
        services.file_assign(actor=request.user, file=file, evaluator=evaluator)
        messages.success(request, f"已分配评查人员 {evaluator.display_name}。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("evaluation:plan_detail", pk=file.plan_id)


@login_required
@require_POST
def file_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    file = selectors.file_get(request.user, pk)
    try:
        file = services.file_confirm(actor=request.user, file=file)
        messages.success(
            request, "已确认评查结果" + ("，典型差案已列入问题台账。" if file.problem_id else "。")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("evaluation:file_detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def file_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """评查评分表 — the sheet with each item's points; the assigned evaluator fills it in."""
    file = selectors.file_get(request.user, pk)
    items = list(file.plan.sheet.items.all())
    existing = {s.item_id: s for s in file.scores.all()}
    can_score = file.evaluator_id == request.user.pk and file.status != FileStatus.CONFIRMED
    error, error_field = "", ""
    posted: dict[str, Any] = {}
    if request.method == "POST":
        posted = request.POST.dict()
        try:
            data = parse(ScoreForm, request.POST)
            file = services.file_score(
                actor=request.user,
                file=file,
                awards={i.pk: request.POST.get(f"item_{i.pk}", "")[:SCORE_TEXT_MAX] for i in items},
                notes={i.pk: request.POST.get(f"note_{i.pk}", "")[:SCORE_TEXT_MAX] for i in items},
                criteria=data["criteria"],
                comment=data["comment"],
            )
            messages.success(request, f"已评分：{file.total} 分（{file.get_grade_display()}）。")
            return redirect("evaluation:file_detail", pk=pk)
        except DomainError as exc:
            error, error_field = exc.message, exc.field or ""
    rows = []
    for item in items:
        score = existing.get(item.pk)
        rows.append(
            {
                "item": item,
                "value": posted.get(f"item_{item.pk}", score.awarded if score else ""),
                "note": posted.get(f"note_{item.pk}", score.note if score else ""),
                "invalid": error_field == f"item_{item.pk}",
            }
        )
    chosen = set(request.POST.getlist("criteria")) if posted else set(file.bad_criteria)
    return render(
        request,
        "evaluation/file_detail.html",
        {
            "file": file,
            # an evaluator from another region sees the file, not its plan: no link to a page it may not open
            "plan_visible": selectors.plans(request.user).filter(pk=file.plan_id).exists(),
            "rows": rows,
            "total_points": sum(i.points for i in items),
            "criteria": [
                (c, BadCaseCriterion(c).label, criterion_kind(c), c in chosen) for c in file.plan.criteria
            ],
            "comment": posted.get("comment", file.comment),
            "can_score": can_score,
            # 外聘评查人员 read the file through the anonymised summary (parties, persons, numbers hidden)
            "summary": anonymised_case(file.case) if panel.is_outsider(request.user) else None,
            "can_confirm": perms.can(request.user, rules.MANAGE, file.plan)
            and file.status == FileStatus.SCORED,
            "error": error,
        },
        status=422 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_panel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """评查组 — the plan's panel: add staff or an outside evaluator, or engage a new outside member."""
    plan = selectors.plan_get(request.user, pk)
    perms.require(request.user, rules.MANAGE, plan, request=request)
    error, form = "", request.POST.dict() if request.method == "POST" else {}
    if request.method == "POST":
        try:
            if request.POST.get("action") == "create":
                data = parse(OutsiderForm, request.POST)
                member, password = panel.outside_member_create(actor=request.user, plan=plan, **data)
                messages.success(
                    request,
                    f"已为{member.user.display_name}建立外聘评查人员账号（登录名 {member.user.username}，"
                    f"初始密码 {password}，首次登录须修改），并加入评查组。",
                )
            else:
                data = parse(MemberForm, request.POST)
                user = User.objects.filter(username=data["username"]).first()
                if user is None:
                    raise InvalidInput(
                        "找不到该用户名。", "Unknown user.", field="username", code="unknown_user"
                    )
                member = panel.member_add(
                    actor=request.user,
                    plan=plan,
                    user=user,
                    kind=data["kind"],
                    affiliation=data["affiliation"],
                )
                messages.success(request, f"已将{user.display_name}加入评查组。")
            return redirect("evaluation:plan_panel", pk=plan.pk)
        except DomainError as exc:
            error = exc.message
    members = list(selectors.panel_of(plan))
    files = list(selectors.files_of(request.user, plan))
    load = {m.user_id: [0, 0] for m in members}
    for f in files:
        if f.evaluator_id in load:
            load[f.evaluator_id][0] += 1
            load[f.evaluator_id][1] += f.status != FileStatus.PENDING
    return render(
        request,
        "evaluation/plan_panel.html",
        {
            "plan": plan,
            "members": [(m, *load[m.user_id]) for m in members],
            "kinds": MemberKind.choices,
            "outside_kinds": [(k, label) for k, label in MemberKind.choices if k in OUTSIDE_KINDS],
            "error": error,
            "form": form,
        },
        status=422 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_third_party(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """第三方评估 — export the anonymised sample (xlsx/JSON), import the assessor's scores, compare them."""
    plan = selectors.plan_get(request.user, pk)
    perms.require(request.user, rules.MANAGE, plan, request=request)
    error, row_errors, assessor = "", [], ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in ("xlsx", "json"):
                body = thirdparty.third_party_export(actor=request.user, plan=plan, fmt=action)
                response = HttpResponse(
                    body,
                    content_type="application/json; charset=utf-8"
                    if action == "json"
                    else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                )
                response["Content-Disposition"] = (
                    f'attachment; filename="third-party-sample-{plan.pk}.{action}"'
                )
                return response
            assessor = request.POST.get("assessor", "")[:300]
            upload = request.FILES.get("file")
            if upload is None:
                raise InvalidInput(
                    "请选择评分回填表。", "Choose the file.", field="file", code="file_required"
                )
            if upload.size and upload.size > IMPORT_MAX_BYTES:
                raise InvalidInput(
                    "文件不能超过 5 MB。", "File too large.", field="file", code="file_too_large"
                )
            saved = thirdparty.score_import(
                actor=request.user,
                plan=plan,
                assessor=assessor,
                data=upload.read(),
                filename=upload.name or "",
            )
            messages.success(request, f"已导入{assessor.strip()}的评估得分 {len(saved)} 卷。")
            return redirect("evaluation:plan_third_party", pk=plan.pk)
        except DomainError as exc:
            error = exc.message
            row_errors = exc.details if isinstance(exc.details, list) else []
    codes = thirdparty.sample_codes(plan)
    files = {f.pk: f for f in selectors.files_of(request.user, plan)}
    compared = []
    for s in selectors.third_party_scores(plan):
        file = files.get(s.file_id)
        panel_total = file.total if file is not None else None
        compared.append(
            {
                "sample": codes.get(s.file_id, ""),
                "file": file,
                "assessor": s.assessor,
                "total": s.total,
                "opinion": s.opinion,
                "gap": s.total - panel_total if panel_total is not None else None,
            }
        )
    return render(
        request,
        "evaluation/plan_third_party.html",
        {
            "plan": plan,
            "count": len(codes),
            "compared": compared,
            "error": error,
            "row_errors": row_errors,
            "assessor": assessor,
        },
        status=422 if error else 200,
    )

"""案件回访 and its questionnaires — recording a return visit with a questionnaire's answers; writing,
copying, stopping and re-activating questionnaires (``actions`` QUESTIONNAIRE)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from zhifa.cases.models import Stage
from zhifa.cases.selectors import cases_visible
from zhifa.core.errors import DomainError, InvalidInput
from zhifa.org import permissions as perms
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.supervision import actions, selectors, services
from zhifa.supervision.forms import QuestionnaireForm, ReturnVisitForm, parse
from zhifa.supervision.models import QuestionKind, Questionnaire
from zhifa.supervision.rules import SUPERVISE, VIEW
from zhifa.supervision.views._common import (
    _action,
    _int,
    _region_in_scope,
    _require,
    _run,
    _scoped_regions,
    _tabs,
)

_VISIT_METHODS = ("电话", "上门", "短信", "网络")
_CHOICE_SPLIT = re.compile(r"[、,，;；\n]+")
_QUESTION_ROWS, _MAX_QUESTION_ROWS = 5, 30


def _questionnaires(request: AuthenticatedHttpRequest) -> list[Questionnaire]:
    return list(
        perms.scoped(request.user, VIEW, Questionnaire.objects.filter(active=True))
        .prefetch_related("questions")
        .order_by("-id")
    )  # the form's choices: every active questionnaire (uncapped)


def _closed_cases(request: AuthenticatedHttpRequest) -> list[tuple[str, str]]:
    """Recently closed cases in scope, offered under the case-number field."""
    qs = cases_visible(request.user).filter(stage__in=(Stage.CLOSED, Stage.ARCHIVED), number__isnull=False)
    # suggestions under a free field (any number may be typed): the 50 most recent by design
    return list(qs.order_by("-id").values_list("number", "title")[:50])


def _case_by_number(request: AuthenticatedHttpRequest, raw: str | None) -> Any:
    number = (raw or "").strip()
    if not number:
        raise InvalidInput("请填写案件编号。", "Enter the case number.", code="required", field="case")
    found = list(cases_visible(request.user).filter(number=number)[:2])
    if not found:
        raise InvalidInput(
            "未找到该案件编号，或案件不在您的数据范围内。",
            "Case not found.",
            code="case_not_found",
            field="case",
        )
    if len(found) > 1:
        raise InvalidInput("有多个案件使用此编号，请联系管理员。", "Ambiguous case number.", field="case")
    return found[0]


@login_required
@require_http_methods(["GET", "POST"])
def return_visit_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """登记案件回访 — a closed case of the caller's scope, a questionnaire of its region, the answers."""
    _require(request, SUPERVISE)
    source = request.POST if request.method == "POST" else request.GET
    questionnaires = _questionnaires(request)
    wanted = _int(source.get("questionnaire"))
    chosen = next(
        (q for q in questionnaires if q.pk == wanted), questionnaires[0] if questionnaires else None
    )
    error, field = "", ""
    if request.method == "POST":
        post = request.POST
        try:
            if chosen is None or chosen.pk != wanted:
                raise InvalidInput("请选择回访问卷。", "Choose a questionnaire.", field="questionnaire")
            case = _case_by_number(request, post.get("case"))
            data = parse(ReturnVisitForm, post)
            visit = services.return_visit_record(
                actor=request.user,
                case=case,
                questionnaire=chosen,
                visited_on=data["visited_on"],
                answers={
                    str(q.pk): post.get(f"answer-{q.pk}", "").strip()[:2000] for q in chosen.questions.all()
                },
                method=data["method"],
                result=data["result"],
            )
        except DomainError as exc:
            error, field = exc.message, exc.field or ""
        else:
            messages.success(request, f"已登记对 {visit.case.number} 的回访。")
            return redirect(reverse("supervision:people") + "#visits")
    questions = [
        {
            "q": q,
            "value": request.POST.get(f"answer-{q.pk}", ""),
            "error": error if field == f"answers.{q.pk}" else "",
        }
        for q in (chosen.questions.all() if chosen else [])
    ]
    placed = field in ("case", "visited_on", "method", "result") or field.startswith("answers.")
    return render(
        request,
        "supervision/return_visit_new.html",
        {
            "tabs": _tabs(request),
            "questionnaires": questionnaires,
            "chosen": chosen,
            "questions": questions,
            "closed_cases": _closed_cases(request) if chosen else [],
            "methods": _VISIT_METHODS,
            "ratings": range(1, 6),
            "error": error,
            "field": field,
            "placed": placed,
            "data": request.POST
            if request.method == "POST"
            else {"case": request.GET.get("case", ""), "visited_on": services.today().isoformat()},
            "today": services.today(),
        },
    )


def _copy_of(request: AuthenticatedHttpRequest, pk: int | None) -> dict[str, Any] | None:
    """The form data of a questionnaire of the caller's scope, to start a changed copy from (复制为新问卷)."""
    if not pk:
        return None
    old = selectors.questionnaires(request.user).filter(pk=pk).prefetch_related("questions").first()
    if old is None:
        raise Http404("问卷不存在或不在您的数据范围内。")
    data: dict[str, Any] = {"name": f"{old.name}（修订）"[:100], "region": str(old.region_id)}
    for i, question in enumerate(old.questions.all(), start=1):
        data[f"q{i}-text"] = question.text
        data[f"q{i}-kind"] = question.kind
        data[f"q{i}-choices"] = "、".join(question.choices)
        data[f"q{i}-required"] = "1" if question.required else ""
    return data


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """新建回访问卷 — a few question rows (blank rows are skipped); “再加 5 题” adds rows, keeping what was typed."""
    _require(request, SUPERVISE)
    source = request.POST if request.method == "POST" else request.GET
    rows = min(max(_int(source.get("rows")) or _QUESTION_ROWS, 1), _MAX_QUESTION_ROWS)
    posted_rows = rows if request.method == "POST" else 0
    copied = _copy_of(request, _int(request.GET.get("from"))) if request.method == "GET" else None
    if copied is not None:
        count = sum(1 for key in copied if key.endswith("-text"))
        posted_rows = rows = min(max(count, _QUESTION_ROWS), _MAX_QUESTION_ROWS)
    error, field = "", ""
    if request.method == "POST" and request.POST.get("more") == "1":
        rows = min(rows + 5, _MAX_QUESTION_ROWS)
    elif request.method == "POST":
        post = request.POST
        questions = []
        for i in range(1, rows + 1):
            text = (post.get(f"q{i}-text") or "").strip()
            if not text:
                continue
            questions.append(
                {
                    "text": text,
                    "kind": post.get(f"q{i}-kind", ""),
                    "choices": [
                        c.strip() for c in _CHOICE_SPLIT.split(post.get(f"q{i}-choices", "")) if c.strip()
                    ],
                    "required": post.get(f"q{i}-required") == "1",
                }
            )
        try:
            data = parse(QuestionnaireForm, post)
            q = services.questionnaire_create(
                actor=request.user,
                region=_region_in_scope(request, data["region"]),
                name=data["name"],
                questions=questions,
            )
        except DomainError as exc:
            error, field = exc.message, exc.field or ""
        else:
            messages.success(request, f"已新建问卷“{q.name}”（{len(questions)} 题）。")
            return redirect(reverse("supervision:return_visit_new") + f"?questionnaire={q.pk}")
    post = copied if copied is not None else request.POST
    return render(
        request,
        "supervision/questionnaire_new.html",
        {
            "tabs": _tabs(request),
            "regions": _scoped_regions(request),
            "kinds": QuestionKind.choices,
            "rows": [
                {
                    "i": i,
                    "text": post.get(f"q{i}-text", ""),
                    "kind": post.get(f"q{i}-kind", QuestionKind.RATING),
                    "choices": post.get(f"q{i}-choices", ""),
                    "required": post.get(f"q{i}-required") == "1" if i <= posted_rows else True,
                }
                for i in range(1, rows + 1)
            ],
            "can_add": rows < _MAX_QUESTION_ROWS,
            "error": error,
            "field": field,
            "data": post,
        },
    )


@login_required
@require_POST
def questionnaire_act(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    """停用 / 启用回访问卷 (``actions`` QUESTIONNAIRE)."""
    _require(request, SUPERVISE)
    act = _action(actions.QUESTIONNAIRE, action)
    q = selectors.questionnaires(request.user).filter(pk=pk).first()
    if q is None:
        raise Http404("问卷不存在或不在您的数据范围内。")
    try:
        done = _run(request, act, q)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(reverse("supervision:people") + "#questionnaires")

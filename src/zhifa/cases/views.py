"""Officer workbench pages (办案工作台): my cases by deadline, the case page with its next actions, the case
source form and the on-the-spot (simple procedure) form.

Thin: reads through ``zhifa.cases.selectors``, writes through ``zhifa.cases.services``; a refusal goes back
onto the form that asked, with the guard's Chinese reason, never a 500.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.cases import (
    compulsion,
    corrections,
    fines,
    guards,
    hearing,
    hooks,
    payments,
    periods,
    recusal,
    selectors,
    services,
    sources,
)
from zhifa.cases.forms import (
    SimpleDecisionForm,
    SourceFilterForm,
    SourceForm,
    action_form,
    seizure_forms,
    service_kwargs,
)
from zhifa.cases.models import PRE_DECISION_STAGES, Case, CaseDocument, DocumentType, Procedure, Stage
from zhifa.cases.rules import APPROVE, COMPEL, LIST_CASES, MY_CASES, OPEN_CASE, VIEW_CASE
from zhifa.core.errors import DomainError, InvalidInput
from zhifa.core.paging import PAGE_SIZE, keyset_page
from zhifa.evidence import rules as evidence_rules
from zhifa.evidence import selectors as evidence_selectors
from zhifa.org import permissions as perms
from zhifa.org.forms import add_domain_error
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.org.models import Party, Role
from zhifa.org.selectors import party_search
from zhifa.records.signing import signature_valid
from zhifa.records.timeline import timeline_for

# Each action's service; every service takes ``actor``, ``case`` and ``on`` and the action form's fields.
_SERVICES: dict[str, Any] = {
    "open": services.case_open,
    "not_open": services.case_not_open,
    "extend_source_check": sources.case_extend_source_check,
    "start_investigation": services.case_start_investigation,
    "end_investigation": services.case_end_investigation,
    "notify_rights": services.case_notify_rights,
    "record_statement": services.case_record_statement,
    "waive_rights": services.case_waive_rights,
    "request_hearing": services.case_request_hearing,
    "schedule_hearing": services.case_schedule_hearing,
    "hold_hearing": services.case_hold_hearing,
    "serve_notice": hearing.case_serve_notice,
    "review_statement": hearing.case_review_statement,
    "end_hearing_absent": hearing.case_end_hearing_absent,
    "apply_recusal": recusal.recusal_apply,
    "decide_recusal": recusal.recusal_decide,
    "submit_legal_review": services.case_submit_legal_review,
    "record_legal_review": services.case_record_legal_review,
    "collective_discussion": services.case_collective_discussion,
    "decide": services.case_decide,
    "return_to_investigation": services.case_return_to_investigation,
    "extend_deadline": services.case_extend_deadline,
    "record_excluded_period": periods.case_record_excluded_period,
    "end_excluded_period": periods.case_end_excluded_period,
    "serve": services.case_serve,
    "record_payment": services.case_record_payment,
    "enforcement_demand": services.enforcement_demand,
    "court_application": services.court_application,
    "demand_statement": compulsion.demand_statement_record,
    "demand_statement_review": compulsion.demand_statement_review,
    "close": services.case_close,
    "archive": services.case_archive,
    "not_punish": services.case_not_punish,
    "transfer": services.case_transfer,
    "withdraw": services.case_withdraw,
    "simple_file": services.case_simple_file,
    "seizure_decide": services.seizure_decide,
    "seizure_legal_review": compulsion.seizure_legal_review_record,
    "record_remedy": services.case_record_remedy,
    "revoke_decision": corrections.case_revoke_decision,
    "change_decision": corrections.case_change_decision,
    "record_criminal_judgment": payments.criminal_judgment_record,
    "payment_plan_apply": payments.payment_plan_apply,
    "payment_plan_approve": payments.payment_plan_approve,
    "instalment_pay": payments.instalment_pay,
    "collect_on_spot": payments.collect_on_spot,
    "collection_hand_in": payments.collection_hand_in,
    "collection_bank": payments.collection_bank,
}

_STATE_CLASS = {"overdue": "danger", "near": "warning", "ok": ""}
_STATE_LABEL = {"overdue": "已超期", "near": "临期", "ok": ""}


def _case_or_404(request: AuthenticatedHttpRequest, pk: int) -> Case:
    perms.require(request.user, VIEW_CASE, request=request)
    try:
        return selectors.case_get(request.user, pk, request=request)
    except DomainError:
        raise Http404("案件不存在或不在您的数据范围内。") from None


@login_required
@require_GET
def my_cases(request: AuthenticatedHttpRequest) -> HttpResponse:
    """我的案件 — open cases I handle, nearest deadline first; near in yellow, overdue in red."""
    perms.require(request.user, VIEW_CASE, request=request)
    if perms.can(request.user, LIST_CASES) and (
        not perms.can(request.user, MY_CASES) or not selectors.handles_cases(request.user)
    ):
        return redirect("cases:case_list")  # handles no case of his own: the agency's (region's) list instead
    rows, next_cursor = selectors.my_cases_by_deadline(request.user, after=request.GET.get("after") or None)
    today = guards.today()
    for case in rows:
        state = selectors.deadline_state(case, today)
        case.deadline_class = _STATE_CLASS[state]  # type: ignore[attr-defined]
        case.deadline_label = _STATE_LABEL[state]  # type: ignore[attr-defined]
    return render(
        request,
        "cases/my_cases.html",
        {
            "rows": rows,
            "next_cursor": next_cursor or "",
            "can_open": perms.can(request.user, OPEN_CASE),
        },
    )


@login_required
@require_GET
def source_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """案源登记簿 — every case source of the officer's scope with its outcome (立案 / 不予立案 / 移送 / 待处理),
    searchable, newest first, keyset-paged."""
    perms.require(request.user, VIEW_CASE, request=request)
    form = SourceFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.case_sources(
        request.user, q=data.get("q") or "", outcome=data.get("outcome") or "", mine=bool(data.get("mine"))
    )
    page = keyset_page(qs, request, size=PAGE_SIZE)
    for case in page.items:
        case.outcome = selectors.source_outcome(case)
        case.outcome_label = selectors.SOURCE_OUTCOMES[case.outcome]
    query = request.GET.copy()
    for key in ("after", "before"):
        query.pop(key, None)
    return render(
        request,
        "cases/source_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_open": perms.can(request.user, OPEN_CASE),
        },
    )


def _items(agency: Any) -> list[tuple[str, str]]:
    """The 执法事项 the picker offers to a case of ``agency`` today (empty when it has no catalog)."""
    return hooks.item_choices(agency, guards.today()) if agency is not None else []


def _action_form(code: str, case: Case, data: Any = None) -> Any:
    return action_form(code, case, data, items=_items(case.agency) if code == "open" else None)


def _seizures(case: Case) -> list[Any]:
    """The case's measures, each active 查封/扣押 with the forms of its next steps (``step_forms``)."""
    seizures = list(case.seizures.all())
    for seizure in seizures:
        active = seizure.status == "active" and seizure.kind != "preserve"
        seizure.step_forms = seizure_forms(seizure.pk) if active else {}  # type: ignore[attr-defined]
    return seizures


def _detail_context(
    request: AuthenticatedHttpRequest, case: Case, forms: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The case page's context; the guards of every next action read the fine's offset and plans once."""
    with fines.reads_once(case):
        return _case_page_context(request, case, forms)


def _case_page_context(
    request: AuthenticatedHttpRequest, case: Case, forms: dict[str, Any] | None = None
) -> dict[str, Any]:
    object_type, object_id = case._meta.label_lower, str(case.pk)
    actions = selectors.case_next_actions(request.user, case)
    forms = forms or {}
    shown, not_mine = [], []
    for action in actions:
        if not action.allowed and not perms.can(request.user, guards.TRANSITIONS[action.code].action, case):
            not_mine.append(action.label)  # another role's step: listed in one line, not as a disabled button
            continue
        form = forms.get(action.code) or (_action_form(action.code, case) if action.allowed else None)
        shown.append({"action": action, "form": form})
    items = list(evidence_selectors.evidence_for(request.user, object_type, object_id))
    return {
        "case": case,
        "state": _STATE_CLASS[selectors.deadline_state(case)],
        "state_label": _STATE_LABEL[selectors.deadline_state(case)],
        "parties": list(case.party_links.select_related("party")),
        "officers": list(case.officer_links.select_related("officer")),
        "seizures": _seizures(case),
        "may_approve": perms.can(request.user, APPROVE, case),
        "may_compel": perms.can(request.user, COMPEL, case),
        "remedies": list(case.remedies.all()),
        "excluded_periods": periods.counted_periods(case) if case.opened_on else [],
        "paused_period": periods.open_counted_period(case)
        if case.opened_on and case.stage in PRE_DECISION_STAGES
        else None,
        "fine_info": fines.fine_summary(case),
        "recusals": list(case.recusals.select_related("officer", "replacement")),
        "actions": shown,
        "not_mine": not_mine,
        "entries": timeline_for(request.user, object_type, object_id, request=request, obj=case),
        "groups": evidence_selectors.group_by_stage(items),
        "items": items,
        "documents": [e for e in items if e.kind == "document"],
        "may_upload": perms.can(request.user, evidence_rules.ADD_EVIDENCE),
        "upload_url": reverse("evidence:upload") + f"?object_type={object_type}&object_id={object_id}",
        "needs_review": selectors.case_needs_legal_review(case),
        "case_documents": list(case.documents.order_by("id")),
        "document_types": DocumentType.choices,
        "panels": hooks.panels(request, case),
        "item_label": dict(_items(case.agency)).get(case.catalog_item_code, case.catalog_item_code),
    }


@login_required
@require_GET
def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """案件 — stage, parties, officers, deadlines, record timeline, evidence, documents, next actions."""
    case = _case_or_404(request, pk)
    return render(request, "cases/detail.html", _detail_context(request, case))


@login_required
@require_POST
def case_act(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    """Run one action of the case page; a refusal is shown beside that action's form."""
    case = _case_or_404(request, pk)
    if code not in _SERVICES:
        raise Http404("没有这个办案操作。")
    form = _action_form(code, case, request.POST)
    if form.is_valid():
        try:
            kwargs = service_kwargs(code, form.cleaned_data)
            _SERVICES[code](actor=request.user, case=case, **kwargs)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已办理：{guards.TRANSITIONS[code].label}。")
            return redirect("cases:detail", pk=case.pk)
    case = selectors.case_get(request.user, case.pk)
    context = _detail_context(request, case, {code: form})
    if not any(a["action"].code == code for a in context["actions"]):
        label = guards.TRANSITIONS[code].label if code in guards.TRANSITIONS else code
        context["actions"].append({"action": selectors.NextAction(code, label, False, ""), "form": form})
    context["failed"] = code
    return render(request, "cases/detail.html", context, status=422 if form.errors else 200)


def _party(request: AuthenticatedHttpRequest, code: str) -> Party | None:
    code = (code or "").strip()
    if not code:
        return None
    found = list(party_search(request.user, code)[:2])  # two are enough to tell "not unique"
    if len(found) != 1:
        raise InvalidInput(
            "未找到唯一的当事人，请输入统一社会信用代码或完整名称。"
            if not found
            else "有多个当事人符合，请输入统一社会信用代码。",
            "No single party matches.",
            field="party_code",
        )
    return found[0]


def _agency_and_domain(request: AuthenticatedHttpRequest) -> tuple[Any, Any]:
    officer = selectors._officer_of(request.user)
    if officer is None:
        raise InvalidInput("只有执法人员可以办理。", "Only officers may do this.", code="not_an_officer")
    domain = officer.agency.domains.order_by("code").first()
    if domain is None:
        raise InvalidInput(
            "本机关未登记执法领域。", "The agency has no domain.", code="agency_without_domain"
        )
    return officer, domain


_SOURCE_PREFILL = ("source_kind", "title", "party_code", "reference", "summary", "catalog_item_code")


@login_required
@require_http_methods(["GET", "POST"])
def source_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """案源登记 — the lead is registered; the case page then offers 立案 or 不予立案."""
    perms.require(request.user, OPEN_CASE, request=request)
    me = selectors._officer_of(request.user)
    # A page that turns its result into a 案源 (an inspection's 立案 result) links here with the fields filled.
    initial = {k: request.GET[k][:5000] for k in _SOURCE_PREFILL if request.GET.get(k)}
    form = SourceForm(request.POST or None, items=_items(me.agency if me else None), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            officer, domain = _agency_and_domain(request)
            party = _party(request, data["party_code"])
            case = services.case_register_source(
                actor=request.user,
                agency=officer.agency,
                domain=domain,
                source_kind=data["source_kind"],
                received_on=data["received_on"],
                title=data["title"],
                summary=data["summary"],
                reference=data["reference"],
                parties=[party] if party else [],
                catalog_item_code=data["catalog_item_code"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "已登记案源，请审查后决定是否立案。")
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/form_page.html", {"form": form, "title": "登记案源", "narrow": False})


@login_required
@require_http_methods(["GET", "POST"])
def simple_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """当场处罚 (简易程序) — a phone form; the decision is handed over on the spot and filed afterwards."""
    perms.require(request.user, OPEN_CASE, request=request)
    me = selectors._officer_of(request.user)
    form = SimpleDecisionForm(request.POST or None, items=_items(me.agency if me else None))
    if me is not None:
        form.fields["partner"].queryset = me.agency.officers.exclude(pk=me.pk).order_by(  # type: ignore[attr-defined]
            "name", "id"
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            officer, domain = _agency_and_domain(request)
            party = _party(request, data["party_code"])
            partners = [data["partner"]]
            case = services.case_simple_decide(
                actor=request.user,
                agency=officer.agency,
                domain=domain,
                party=party,  # type: ignore[arg-type]
                officers=[officer, *partners],
                kinds=data["kinds"],
                fine_yuan=data["fine_yuan"],
                title=data["title"],
                facts=data["facts"],
                place=data["place"],
                on=data["on"],
                catalog_item_code=data["catalog_item_code"],
                basis=data["basis"] or None,
                statement=data["statement"],
                different_act_reason=data["different_act_reason"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "已当场作出处罚决定，请交付当事人并在规定期限内备案。")
            return redirect("cases:detail", pk=case.pk)
    return render(
        request, "cases/form_page.html", {"form": form, "title": "当场处罚（简易程序）", "narrow": True}
    )


@login_required
@require_POST
def seizure_approve(request: AuthenticatedHttpRequest, pk: int, seizure_pk: int) -> HttpResponse:
    """补办批准 — the head approves or refuses an emergency seizure (行政强制法 第十九条)."""
    case = _case_or_404(request, pk)
    seizure = case.seizures.filter(pk=seizure_pk).first()
    if seizure is None:
        raise Http404("没有这项查封、扣押。")
    approve = request.POST.get("approve") == "1"
    try:
        services.seizure_approve(
            actor=request.user, seizure=seizure, approve=approve, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已批准查封、扣押。" if approve else "已不予批准，查封、扣押已解除。")
    return redirect("cases:detail", pk=case.pk)


_SEIZURE_STEPS: dict[str, tuple[str, Any]] = {
    "extend": ("延长查封、扣押期限", services.seizure_extend),
    "notify_extension": ("书面告知延长决定", compulsion.seizure_notify_extension),
    "handle": ("作出处理决定", compulsion.seizure_handle),
    "release": ("解除查封、扣押", services.seizure_release),
}


@login_required
@require_POST
def seizure_act(request: AuthenticatedHttpRequest, pk: int, seizure_pk: int, code: str) -> HttpResponse:
    """One step of a 查封/扣押 from the case page: 延长, 书面告知延长, 处理决定, 解除 (行政强制法 第二十五条、第二十七条、
    第二十八条); a refusal comes back as a message on the case page."""
    case = _case_or_404(request, pk)
    seizure = case.seizures.filter(pk=seizure_pk).first()
    if seizure is None or code not in _SEIZURE_STEPS:
        raise Http404("没有这项查封、扣押或操作。")
    label, step = _SEIZURE_STEPS[code]
    form = seizure_forms(seizure.pk, request.POST, code)[code]
    if not form.is_valid():
        errors = "；".join(
            f"{form.fields[f].label if f in form.fields else ''}：{'、'.join(e)}"
            for f, e in form.errors.items()
        )
        messages.error(request, f"{label}：{errors}")
        return redirect("cases:detail", pk=case.pk)
    try:
        step(actor=request.user, seizure=seizure, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, f"{label}：{exc.message}")
    else:
        messages.success(request, f"已办理：{label}。")
    return redirect("cases:detail", pk=case.pk)


# --- 文书 -------------------------------------------------------------------------------------------------------


@login_required
@require_POST
def document_issue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """出具文书 from the case page; a refusal comes back as a message on the case page."""
    case = _case_or_404(request, pk)
    try:
        document = services.document_issue(
            actor=request.user, case=case, doc_type=request.POST.get("doc_type", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已出具{document.get_doc_type_display()}：{document.number}。")
    return redirect("cases:detail", pk=case.pk)


@login_required
@require_GET
def document_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The PDF of one document of a case in the user's scope."""
    perms.require(request.user, VIEW_CASE, request=request)
    document = CaseDocument.objects.filter(pk=pk, case__in=selectors.cases_visible(request.user)).first()
    if document is None:
        raise Http404("文书不存在或不在您的数据范围内。")
    response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename=document-{document.pk}.pdf"
    return response


@login_required
@require_POST
def document_void(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    perms.require(request.user, VIEW_CASE, request=request)
    document = CaseDocument.objects.filter(pk=pk, case__in=selectors.cases_visible(request.user)).first()
    if document is None:
        raise Http404("文书不存在或不在您的数据范围内。")
    try:
        services.document_void(actor=request.user, document=document, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已作废 {document.number}，该编号不再使用。")
    return redirect("cases:detail", pk=document.case_id)


@require_GET
def document_verify(request: HttpRequest, ref: str) -> HttpResponse:
    """文书核验 (public) — what the QR code opens: number, type, agency, digest, seal and status."""
    query = CaseDocument.objects.select_related("agency")
    document = query.filter(number=ref).first() or (
        query.filter(pk=int(ref)).first() if ref.isdigit() else None
    )
    if document is None:
        return render(request, "cases/document_verify.html", {"document": None, "ref": ref}, status=404)
    seal_ok = signature_valid(
        bytes.fromhex(document.public_key),
        bytes.fromhex(document.signature),
        services.document_seal_message(
            document.number, document.sha256, document.agency.name, document.issued_on
        ),
    )

    digest_ok = hashlib.sha256(bytes(document.pdf)).hexdigest() == document.sha256
    return render(
        request,
        "cases/document_verify.html",
        {"document": document, "ref": ref, "seal_ok": seal_ok and digest_ok},
    )


# --- 案件列表: the cases of the agency (机关负责人, 法制审核人员) or region (执法监督人员) -------------------------


@login_required
@require_GET
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """案件列表 — search by 案件编号, 当事人, 执法事项 or 承办人员; filter by stage, deadline, procedure or a 待办
    queue; keyset pages by id, newest first. Officers reach it from their 待办 with ``mine=1``."""
    perms.require(request.user, VIEW_CASE, request=request)
    get = request.GET
    filters = {
        "q": get.get("q", "").strip()[:100],
        "stage": get.get("stage", "") if get.get("stage", "") in Stage.values else "",
        "deadline": get.get("deadline", "") if get.get("deadline", "") in selectors.DEADLINE_STATES else "",
        "procedure": get.get("procedure", "") if get.get("procedure", "") in Procedure.values else "",
        "queue": get.get("queue", "") if get.get("queue", "") in selectors.QUEUES else "",
        "mine": "1" if get.get("mine") == "1" else "",
    }
    qs = selectors.case_list(request.user, **{**filters, "mine": bool(filters["mine"])})
    page = keyset_page(qs.prefetch_related("party_links__party", "officer_links__officer"), request)
    today = guards.today()
    for case in page.items:
        state = selectors.deadline_state(case, today)
        case.deadline_class = _STATE_CLASS[state]
        case.deadline_label = _STATE_LABEL[state]
    query = urlencode({k: v for k, v in filters.items() if v})
    return render(
        request,
        "cases/case_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query,
            "stages": Stage.choices,
            "procedures": Procedure.choices,
            "deadlines": list(selectors.DEADLINE_STATES.items()),
            "queue_label": selectors.QUEUES.get(filters["queue"], ""),
            "scope_label": "本区域案件" if Role.SUPERVISOR in perms.roles(request.user) else "本机关案件",
        },
    )

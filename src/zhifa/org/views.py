"""Management pages of organisations and people (server-rendered, htmx fragments for search and paging).

Views stay thin: every list and detail is narrowed with ``permissions.scoped`` (an object outside the
user's scope is a 404, like one that does not exist), every write goes through ``zhifa.org.services``, and a
domain error goes back onto the form beside its field.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.core import clock
from zhifa.core.errors import DomainError, PermissionDenied
from zhifa.core.masking import mask_person_name, mask_phone
from zhifa.core.paging import capped, keyset_page
from zhifa.org import permissions as perms
from zhifa.org import selectors, services
from zhifa.org.forms import (
    AgencyEditForm,
    AgencyForm,
    AnnualReviewForm,
    CertificateIssueForm,
    CertificateStatusForm,
    CertificateVerifyForm,
    OfficerForm,
    PartyForm,
    PartyImportForm,
    TrainingRecordForm,
    add_domain_error,
)
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.org.http import list_response as _list_response
from zhifa.org.http import wants_fragment as _wants_fragment
from zhifa.org.imports import party_import as run_import
from zhifa.org.models import (
    Agency,
    Certificate,
    CertificateEvent,
    CertificateStatus,
    CreditClass,
    Officer,
    Party,
    PartyKind,
    Region,
    TrainingRecord,
)


def _require(request: HttpRequest, action: str, obj: Any = None) -> None:
    perms.require(request.user, action, obj, request=request)


def _q(request: HttpRequest) -> str:
    return request.GET.get("q", "").strip()[:100]


# --- regions ------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def region_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """行政区划 — the tree in path order, paged by path."""
    _require(request, perms.VIEW_REGION)
    qs = perms.scoped(request.user, perms.VIEW_REGION, Region.objects.select_related("parent"))
    q = _q(request)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(code__startswith=q))
    page = keyset_page(qs, request, key="path", descending=False, size=50)
    for region in page.items:
        region.depth = region.path.strip("/").count("/") + 1
    return _list_response(request, "org/region_list.html", "org/_region_table.html", {"page": page, "q": q})


# --- agencies -----------------------------------------------------------------------------------------------------


@login_required
@require_GET
def agency_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, perms.VIEW_AGENCY)
    qs = perms.scoped(request.user, perms.VIEW_AGENCY, Agency.objects.select_related("region"))
    q = _q(request)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(short_name__contains=q) | Q(uscc=q.upper()))
    page = keyset_page(qs, request, descending=False)
    return _list_response(
        request,
        "org/agency_list.html",
        "org/_agency_table.html",
        {"page": page, "q": q, "can_create": perms.can(request.user, perms.CHANGE_AGENCY)},
    )


@login_required
@require_GET
def agency_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require(request, perms.VIEW_AGENCY)
    agency = get_object_or_404(
        perms.scoped(request.user, perms.VIEW_AGENCY, Agency.objects.select_related("region", "parent")),
        pk=pk,
    )
    # the first 200 and how many more, with a link to the officer list filtered by this agency
    officers = capped(
        perms.scoped(request.user, perms.VIEW_OFFICER, agency.officers.select_related("unit"))
        .prefetch_related(Prefetch("certificates", queryset=Certificate.objects.order_by("-expires_on")))
        .order_by("name", "id"),
        200,
    )
    today = clock.today()
    for officer in officers:
        _attach_current_certificate(officer, today)
    return render(
        request,
        "org/agency_detail.html",
        {
            "agency": agency,
            "units": list(agency.units.all()),
            "domains": list(agency.domains.all()),
            "officers": officers,
            "officers_more_url": f"{reverse('org:officer_list')}?agency={agency.pk}",
            "can_edit": perms.can(request.user, perms.CHANGE_AGENCY, agency),
            "can_add_officer": perms.can(request.user, perms.CHANGE_OFFICER, Officer(agency=agency)),
        },
    )


def _agency_form_choices(request: HttpRequest) -> dict[str, QuerySet]:
    return {
        "regions": perms.scoped(request.user, perms.VIEW_REGION, Region.objects.order_by("path")),
        "agencies": perms.scoped(request.user, perms.CHANGE_AGENCY, Agency.objects.order_by("name")),
    }


@login_required
@require_http_methods(["GET", "POST"])
def agency_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, perms.CHANGE_AGENCY)
    form = AgencyForm(request.POST or None, **_agency_form_choices(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agency = services.agency_create(
                actor=request.user,
                name=data["name"],
                uscc=data["uscc"],
                region=data["region"],
                kind=data["kind"],
                parent=data["parent"],
                short_name=data["short_name"],
                domain_codes=[d.code for d in data["domains"]],
                is_supervision_organ=data["is_supervision_organ"],
                address=data["address"],
                phone=data["phone"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已登记执法主体“{agency.name}”。")
            return redirect("org:agency_detail", pk=agency.pk)
    return render(
        request, "org/form_page.html", {"form": form, "title": "新增执法主体", "back": "org:agency_list"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require(request, perms.CHANGE_AGENCY)
    agency = get_object_or_404(perms.scoped(request.user, perms.VIEW_AGENCY, Agency), pk=pk)
    _require(request, perms.CHANGE_AGENCY, agency)
    initial = {
        "name": agency.name,
        "short_name": agency.short_name,
        "domains": list(agency.domains.all()),
        "address": agency.address,
        "phone": agency.phone,
        "is_active": agency.is_active,
    }
    form = AgencyEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.agency_update(
                actor=request.user,
                agency=agency,
                domain_codes=[d.code for d in data["domains"]],
                name=data["name"],
                short_name=data["short_name"],
                address=data["address"],
                phone=data["phone"],
                is_active=data["is_active"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "执法主体信息已保存。")
            return redirect("org:agency_detail", pk=agency.pk)
    return render(
        request,
        "org/form_page.html",
        {"form": form, "title": f"修改执法主体：{agency.name}", "back_url": agency_url(agency)},
    )


def agency_url(agency: Agency) -> str:
    return reverse("org:agency_detail", args=[agency.pk])


# --- officers -----------------------------------------------------------------------------------------------------


def _attach_current_certificate(officer: Officer, today: Any) -> None:
    """The certificate to show in a list: a valid one if any, else the latest (certificates prefetched)."""
    certs = list(officer.certificates.all())
    valid = [c for c in certs if c.effective_status(today) == CertificateStatus.VALID]
    current = valid[0] if valid else (certs[0] if certs else None)
    officer.current_certificate = current
    officer.current_status = current.effective_status(today) if current else ""


@login_required
@require_GET
def officer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, perms.VIEW_OFFICER)
    user = request.user
    qs = perms.scoped(user, perms.VIEW_OFFICER, Officer.objects.select_related("agency", "unit"))
    q = _q(request)
    if q:
        qs = qs.filter(
            Q(name__contains=q) | Q(id__in=Certificate.objects.filter(number=q.upper()).values("officer_id"))
        )
    agencies = perms.scoped(user, perms.VIEW_AGENCY, Agency.objects.order_by("name")).only("id", "name")
    agency_id = request.GET.get("agency", "")
    if agency_id.isdigit():
        qs = qs.filter(agency_id=int(agency_id))
    training = request.GET.get("training", "")
    if training == "short":
        year = clock.today().year
        qs = qs.filter(id__in=[o.id for o, _ in selectors.officers_short_of_training(user, year)])
    qs = qs.prefetch_related(Prefetch("certificates", queryset=Certificate.objects.order_by("-expires_on")))
    page = keyset_page(qs, request, descending=False)
    today = clock.today()
    for officer in page.items:
        _attach_current_certificate(officer, today)
    return _list_response(
        request,
        "org/officer_list.html",
        "org/_officer_table.html",
        {
            "page": page,
            "q": q,
            "agencies": agencies,
            "agency_id": agency_id,
            "training": training,
            "can_create": perms.can(user, perms.CHANGE_OFFICER),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def officer_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, perms.CHANGE_OFFICER)
    agencies = perms.scoped(request.user, perms.CHANGE_OFFICER, Agency.objects.order_by("name"))
    initial = {}
    if request.GET.get("agency", "").isdigit():
        initial["agency"] = int(request.GET["agency"])
    form = OfficerForm(request.POST or None, agencies=agencies, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            officer = services.officer_create(
                actor=request.user,
                agency=data["agency"],
                name=data["name"],
                id_number=data["id_number"],
                post=data["post"],
                phone=data["phone"],
                is_auxiliary=data["is_auxiliary"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已新增执法人员“{officer.name}”。")
            return redirect("org:officer_detail", pk=officer.pk)
    return render(
        request, "org/form_page.html", {"form": form, "title": "新增执法人员", "back": "org:officer_list"}
    )


def _scoped_officer(request: HttpRequest, pk: int) -> Officer:
    """The officer if in the user's scope; a role without the right at all gets 403, out of scope 404."""
    _require(request, perms.VIEW_OFFICER)
    return get_object_or_404(
        perms.scoped(
            request.user, perms.VIEW_OFFICER, Officer.objects.select_related("agency", "unit", "user")
        ),
        pk=pk,
    )


def _officer_page(
    request: HttpRequest,
    officer: Officer,
    *,
    training_form: TrainingRecordForm | None = None,
    issue_form: CertificateIssueForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    today = clock.today()
    certificates = list(
        perms.scoped(user, perms.VIEW_CERTIFICATE, officer.certificates.all()).prefetch_related(
            "domains",
            Prefetch(
                "events", queryset=CertificateEvent.objects.select_related("actor").order_by("at", "id")
            ),
        )
    )
    for cert in certificates:
        cert.current_status = cert.effective_status(today)
    trainings = capped(perms.scoped(user, perms.VIEW_TRAINING, officer.trainings.all()), 100)
    balance = selectors.training_balances([officer.id], today.year)[officer.id]
    enforce = [
        (domain, selectors.officer_can_enforce(officer, domain, on=today))
        for domain in officer.agency.domains.all()
    ]
    can_train = perms.can(user, perms.CHANGE_TRAINING, TrainingRecord(officer=officer))
    can_issue = perms.can(user, perms.MANAGE_CERTIFICATE, Certificate(officer=officer))
    if can_train and training_form is None:
        training_form = TrainingRecordForm(initial={"held_on": today}, prefix="training")
    if can_issue and issue_form is None:
        issue_form = CertificateIssueForm(
            initial={"domains": list(officer.agency.domains.all()), "issued_on": today}, prefix="issue"
        )
    return render(
        request,
        "org/officer_detail.html",
        {
            "officer": officer,
            "certificates": certificates,
            "trainings": trainings,
            "balance": balance,
            "enforce": enforce,
            "training_form": training_form if can_train else None,
            "issue_form": issue_form if can_issue else None,
            "year": today.year,
        },
        status=status,
    )


@login_required
@require_GET
def officer_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _officer_page(request, _scoped_officer(request, pk))


@login_required
@require_POST
def training_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    officer = _scoped_officer(request, pk)
    _require(request, perms.CHANGE_TRAINING, TrainingRecord(officer=officer))
    form = TrainingRecordForm(request.POST, prefix="training")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.training_record_add(
                actor=request.user,
                officer=officer,
                kind=data["kind"],
                title=data["title"],
                held_on=data["held_on"],
                hours=data["hours"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "培训记录已添加。")
            return redirect("org:officer_detail", pk=officer.pk)
    return _officer_page(request, officer, training_form=form, status=422)


@login_required
@require_POST
def certificate_issue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    officer = _scoped_officer(request, pk)
    _require(request, perms.MANAGE_CERTIFICATE, Certificate(officer=officer))
    form = CertificateIssueForm(request.POST, prefix="issue")
    if form.is_valid():
        data = form.cleaned_data
        if Certificate.objects.filter(number=data["number"]).exists():
            form.add_error("number", "该证件编号已存在。")
        else:
            try:
                cert = services.certificate_issue(
                    actor=request.user,
                    officer=officer,
                    number=data["number"],
                    issuer=data["issuer"],
                    domains=list(data["domains"]),
                    issued_on=data["issued_on"],
                    expires_on=data["expires_on"],
                    area=data["area"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"已发放执法证件 {cert.number}。")
                return redirect("org:certificate_detail", pk=cert.pk)
    return _officer_page(request, officer, issue_form=form, status=422)


# --- certificates ---------------------------------------------------------------------------------------------------

CERTIFICATE_FILTERS = [
    ("", "全部"),
    ("valid", "有效"),
    ("lapsed", "失效（过期、暂扣、收回）"),
    ("expired", "已过期"),
    ("suspended", "暂扣"),
    ("revoked", "收回"),
    ("cancelled", "注销"),
]


@login_required
@require_GET
def certificate_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, perms.VIEW_CERTIFICATE)
    user = request.user
    today = clock.today()
    status = request.GET.get("status", "")
    expiring = request.GET.get("expiring", "") == "1"
    if expiring:
        qs = selectors.certificates_expiring(user, today=today)
    elif status == "lapsed":
        qs = selectors.certificates_lapsed(user, today=today)
    else:
        qs = perms.scoped(user, perms.VIEW_CERTIFICATE, Certificate.objects.select_related("officer__agency"))
        if status == "valid":
            qs = qs.filter(status=CertificateStatus.VALID, expires_on__gte=today, issued_on__lte=today)
        elif status == "expired":
            qs = qs.filter(status=CertificateStatus.VALID, expires_on__lt=today)
        elif status in (CertificateStatus.SUSPENDED, CertificateStatus.REVOKED, CertificateStatus.CANCELLED):
            qs = qs.filter(status=status)
    q = _q(request)
    if q:
        qs = qs.filter(Q(number=q.upper()) | Q(officer__name__contains=q))
    page = keyset_page(qs.prefetch_related("domains"), request, descending=False)
    for cert in page.items:
        cert.current_status = cert.effective_status(today)
        cert.days_left = (cert.expires_on - today).days
    return _list_response(
        request,
        "org/certificate_list.html",
        "org/_certificate_table.html",
        {"page": page, "q": q, "status": status, "expiring": expiring, "filters": CERTIFICATE_FILTERS},
    )


def _scoped_certificate(request: HttpRequest, pk: int) -> Certificate:
    _require(request, perms.VIEW_CERTIFICATE)
    return get_object_or_404(
        perms.scoped(
            request.user, perms.VIEW_CERTIFICATE, Certificate.objects.select_related("officer__agency")
        ),
        pk=pk,
    )


def _certificate_page(
    request: HttpRequest,
    cert: Certificate,
    *,
    status_form: CertificateStatusForm | None = None,
    review_form: AnnualReviewForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = clock.today()
    can_manage = perms.can(request.user, perms.MANAGE_CERTIFICATE, cert)
    domains = list(cert.domains.all())
    return render(
        request,
        "org/certificate_detail.html",
        {
            "cert": cert,
            "current_status": cert.effective_status(today),
            "days_left": (cert.expires_on - today).days,
            "domains": domains,
            "events": list(cert.events.select_related("actor").order_by("at", "id")),
            "status_form": (status_form or CertificateStatusForm(prefix="status")) if can_manage else None,
            "review_form": (review_form or _review_form(cert, today)) if can_manage else None,
        },
        status=status,
    )


def _review_form(cert: Certificate, today: Any) -> AnnualReviewForm:
    """The next year to review: the one after the last review, else last year."""
    year = cert.last_reviewed_year + 1 if cert.last_reviewed_year else today.year - 1
    return AnnualReviewForm(prefix="review", initial={"year": year})


@login_required
@require_GET
def certificate_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _certificate_page(request, _scoped_certificate(request, pk))


@login_required
@require_POST
def certificate_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """暂扣 / 恢复 / 收回 / 注销 with a reason (``services.certificate_change_status``)."""
    cert = _scoped_certificate(request, pk)
    _require(request, perms.MANAGE_CERTIFICATE, cert)
    form = CertificateStatusForm(request.POST, prefix="status")
    if form.is_valid():
        try:
            cert = services.certificate_change_status(
                actor=request.user,
                certificate=cert,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"证件状态已变更为“{cert.get_status_display()}”。")
            return redirect("org:certificate_detail", pk=cert.pk)
    return _certificate_page(request, cert, status_form=form, status=422)


@login_required
@require_POST
def certificate_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """年度审验 (``services.certificate_annual_review``); a failed review suspends the certificate."""
    cert = _scoped_certificate(request, pk)
    _require(request, perms.MANAGE_CERTIFICATE, cert)
    form = AnnualReviewForm(request.POST, prefix="review")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.certificate_annual_review(
                actor=request.user,
                certificate=cert,
                year=data["year"],
                passed=data["passed"],
                note=data["note"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"{data['year']} 年度审验已记录。")
            return redirect("org:certificate_detail", pk=cert.pk)
    return _certificate_page(request, cert, review_form=form, status=422)


@login_required
@require_GET
def certificate_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """证件核验 — anyone signed in checks a certificate by its exact number (事中公示: officers show it).

    A lookup by exact number, not a list: it tells whether the certificate is valid and for which domains,
    as the card itself does, and nothing more (no identity number, no phone).
    """
    form = CertificateVerifyForm(request.GET or None)
    result: dict[str, Any] | None = None
    if form.is_valid() and form.cleaned_data["number"]:
        number = form.cleaned_data["number"]
        today = clock.today()
        cert = (
            Certificate.objects.select_related("officer__agency")
            .prefetch_related("domains")
            .filter(number=number)
            .first()
        )
        if cert is None:
            result = {"found": False, "number": number}
        else:
            status = cert.effective_status(today)
            result = {
                "found": True,
                "number": number,
                "cert": cert,
                "status": status,
                "status_label": CertificateStatus(status).label,
                "valid": status == CertificateStatus.VALID,
                "domains": [
                    (domain, selectors.officer_can_enforce(cert.officer, domain, on=today))
                    for domain in cert.domains.all()
                ],
            }
    context = {"form": form, "result": result}
    if _wants_fragment(request):
        return render(request, "org/_verify_result.html", context)
    return render(request, "org/certificate_verify.html", context)


# --- parties --------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def party_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """行政相对人 — a million rows: search by name fragment or USCC, keyset paging, no ``COUNT(*)``."""
    _require(request, perms.VIEW_PARTY)
    q = _q(request)
    credit_class = request.GET.get("credit_class", "")
    kind = request.GET.get("kind", "")
    qs = selectors.party_search(
        request.user,
        q,
        credit_class=credit_class if credit_class in CreditClass.values else "",
        kind=kind if kind in PartyKind.values else "",
    )
    page = keyset_page(qs, request, descending=True)
    return _list_response(
        request,
        "org/party_list.html",
        "org/_party_table.html",
        {
            "page": page,
            "q": q,
            "credit_class": credit_class,
            "kind": kind,
            "credit_classes": CreditClass.choices,
            "kinds": PartyKind.choices,
            "can_create": perms.can(request.user, perms.CHANGE_PARTY),
            "can_import": perms.can(request.user, perms.IMPORT_PARTY),
        },
    )


@login_required
@require_GET
def party_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require(request, perms.VIEW_PARTY)
    party = get_object_or_404(
        perms.scoped(request.user, perms.VIEW_PARTY, Party.objects.select_related("region")), pk=pk
    )
    return render(
        request,
        "org/party_detail.html",
        {
            "party": party,
            "masked_representative": mask_person_name(party.legal_representative),
            "masked_phone": mask_phone(party.phone),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def party_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, perms.CHANGE_PARTY)
    regions = perms.scoped(request.user, perms.VIEW_REGION, Region.objects.order_by("path"))
    form = PartyForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            party = services.party_create(actor=request.user, **data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已登记行政相对人“{party.name}”。")
            return redirect("org:party_detail", pk=party.pk)
    return render(
        request, "org/form_page.html", {"form": form, "title": "登记行政相对人", "back": "org:party_list"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def party_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """批量导入行政相对人 — the per-row error table, or how many were created."""
    _require(request, perms.IMPORT_PARTY)
    form = PartyImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = run_import(
                actor=request.user,
                file=upload,
                filename=upload.name,
                skip_invalid=form.cleaned_data["skip_invalid"],
            )
        except PermissionDenied:
            raise
        except DomainError as exc:
            add_domain_error(form, exc)
            status = 422
        else:
            if report.created:
                messages.success(request, f"已导入 {report.created} 个行政相对人。")
            if report.errors:
                status = 422
    elif request.method == "POST":
        status = 422
    return render(request, "org/party_import.html", {"form": form, "report": report}, status=status)

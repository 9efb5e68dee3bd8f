"""Every page, for every demo role: the status each role must get, Chinese content, no outside host.

The demo county (``demo_county``, built once per session) supplies the users and the ids; every test runs
in its own transaction, so writes made here disappear afterwards.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, reverse

from zhifa.core.models import AuditEvent, AuditLog
from zhifa.core.validators import resident_id_with_check, uscc_with_check
from zhifa.org.demo import DEMO_LOGINS
from zhifa.org.models import (
    Agency,
    Certificate,
    CertificateEvent,
    CertificateStatus,
    Officer,
    Party,
    Region,
    RoleAssignment,
    TrainingRecord,
    User,
)

pytestmark = pytest.mark.django_db

PASSWORDS = {username: password for _, username, password in DEMO_LOGINS}
ROLES = (
    "officer",
    "reviewer",
    "head",
    "supervisor",
    "supervisor2",
    "city_supervisor",
    "admin",
    "enterprise",
    "evaluator",
)
STAFF = ("officer", "reviewer", "head", "supervisor", "supervisor2", "city_supervisor", "admin")


def test_demo_logins_are_the_roles_this_module_expects(demo_county: Any) -> None:
    assert sorted(u.removeprefix("demo_") for _, u, _ in DEMO_LOGINS) == sorted(ROLES)


def _login(client: Client, role: str) -> Client:
    username = f"demo_{role}"
    response = client.post(reverse("login"), {"username": username, "password": PASSWORDS[username]})
    assert response.status_code == 302, f"login of {username} failed"
    return client


@pytest.fixture
def ids(demo_county: Any) -> dict[str, int]:
    """Objects every staff role of the demo reaches: the demo officer, its agency and certificate."""
    from django.db import transaction

    from zhifa.records.services import record_append

    officer = Officer.objects.select_related("agency").get(user__username="demo_officer")
    enterprise_party = RoleAssignment.objects.get(user__username="demo_enterprise").party_id
    certificate = officer.certificates.order_by("id").first()
    with transaction.atomic():  # a record of the certificate, for the records pages
        entry = record_append(action="org.certificate.review", obj=certificate, changes={"passed": True})
    return {
        "officer": officer.pk,
        "agency": officer.agency_id,
        "certificate": certificate.pk,
        "party": enterprise_party,
        "entry": entry.seq,
    }


def _all(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def _only(allowed: tuple[str, ...], ok: int = 200, refused: int = 403) -> dict[str, int]:
    return {role: ok if role in allowed else refused for role in ROLES}


SUPERVISORS = ("supervisor", "supervisor2", "city_supervisor")
OVERSIGHT_VIEW = ("officer", "head", *SUPERVISORS, "admin")
BUREAU_ROLES = ("supervisor", "supervisor2", "city_supervisor", "admin")
REPORTING_ROLES = ("head", *BUREAU_ROLES)
INSPECTION_WARNING_ROLES = ("officer", "head", "supervisor", "supervisor2", "city_supervisor", "admin")

# The status each role must get on GET of each page. POST-only endpoints answer GET with 405.
EXPECTED: dict[str, dict[str, int]] = {
    "core:workbench": _all(200),
    "org:region_list": _only(STAFF),
    "org:agency_list": _only(STAFF),
    "org:agency_create": _only(("head", "admin")),
    "org:agency_detail": _only(STAFF),
    "org:agency_edit": _only(("head", "admin")),
    "org:officer_list": _only(STAFF),
    "org:officer_create": _only(("head", "admin")),
    "org:officer_detail": _only(STAFF),
    "org:training_add": _all(405),
    "org:certificate_issue": _all(405),
    "org:certificate_list": _only(STAFF),
    "org:certificate_verify": _all(200),
    "org:certificate_detail": _only(STAFF),
    "org:certificate_status": _all(405),
    "org:certificate_review": _all(405),
    "org:party_list": _all(200),
    "org:party_create": _only(("officer", "head", "admin")),
    "org:party_import": _only(("admin",)),
    "org:party_detail": _all(200),
    "records:object": _only(STAFF),
    "records:entry": _only(STAFF),
    "records:status": _only(("supervisor", "supervisor2", "city_supervisor", "admin")),
    "records:sign": _all(405),
    # Inspections: the demo has no plans or tasks, so their detail pages are looked up with id 0 (404 for every
    # role, all of whom may view inspections); the pages with real data are tested in inspections/tests.
    "inspections:warning_list": _only(INSPECTION_WARNING_ROLES),
    "inspections:warning_handle": _all(405),
    "inspections:warning_dismiss": _all(405),
    "inspections:merge_accept": _all(405),
    "inspections:merge_decline": _all(405),
    "inspections:item_list": _all(200),
    "inspections:checklist": _all(404),
    "inspections:checklist_import": _only(("officer", "head", "admin")),
    "inspections:plan_list": _all(200),
    "inspections:plan_create": _only(("officer", "head", "admin")),
    "inspections:plan_detail": _all(404),
    "inspections:plan_item_add": _all(405),
    "inspections:plan_approve": _all(405),
    "inspections:task_create": _all(405),
    "inspections:task_list": _all(200),
    "inspections:task_detail": _all(404),
    "inspections:task_draw": _all(405),
    "inspections:joint_create": _only(("officer", "head", "admin")),
    "inspections:joint_approve": _all(405),
    "inspections:check_act": _all(405),
    "inspections:draw_verify": _all(302),  # to the portal's public page of the draw
    "inspections:today": _only(("officer", "admin")),
    "inspections:onsite": _only(("officer", "admin"), ok=404),
    "inspections:code_qr": _only(("officer", "admin"), ok=404),
    "inspections:onsite_act": _only(("officer", "admin"), ok=404),
    "inspections:checklist_record": _all(405),
    "inspections:task_file": _only(
        ("officer",)
    ),  # officers file; a user without an officer record is refused
    "inspections:visit_caps": _only(("supervisor", "supervisor2", "city_supervisor", "admin")),
    "inspections:no_disturb": _all(200),
    "inspections:no_disturb_remove": _all(405),
    "inspections:remote": _only(("officer", "admin"), ok=404),
    "inspections:code_view": _all(200),
    "inspections:feedback": _all(405),
    "inspections:visit_window": _all(405),
    "inspections:dashboard": _only(INSPECTION_WARNING_ROLES),
    # the enterprise's actions after a visit (id 0: 404 for who may act) and the supervisors' objections
    "inspections:mine_rectify": _only(("enterprise", "admin"), ok=404),
    "inspections:mine_rate": _only(("enterprise", "admin"), ok=404),
    "inspections:mine_object": _only(("enterprise", "admin"), ok=404),
    "inspections:objection_list": _only(("supervisor", "supervisor2", "city_supervisor", "admin")),
    "inspections:objection_detail": _only(("supervisor", "supervisor2", "city_supervisor", "admin"), ok=404),
    "inspections:offline_conflicts": _only(INSPECTION_WARNING_ROLES),
    "inspections:task_cancel": _all(405),
    "inspections:service_worker": _all(200),  # code only, no data: the phone fetches it before any login
    "inspections:manifest": _all(200),
    # Cases: the demo has no cases, so the case page is looked up with id 0 (404 for every role that may view
    # cases); the pages with real cases are tested in cases/tests/test_views.py.
    # 我的案件 is the officer's; the other staff roles are sent on to the case list of their agency or region.
    "cases:my_cases": {
        **_only(STAFF),
        **dict.fromkeys(("reviewer", "head", "supervisor", "supervisor2", "city_supervisor", "admin"), 302),
    },
    "cases:case_list": _only(STAFF),
    "cases:source_new": _only(("officer", "head", "admin")),
    "cases:simple_new": _only(("officer", "head", "admin")),
    "cases:detail": _only(STAFF, ok=404),
    "cases:act": _all(405),
    "cases:document_issue": _all(405),
    "cases:document_pdf": _only(STAFF, ok=404),
    "cases:document_void": _all(405),
    "cases:seizure_approve": _all(405),
    "cases:seizure_act": _all(405),
    "cases:source_list": _only(STAFF),
    # 移送案件 (issue 21): the list for every staff role; the transfer page of case 0: 404 for who may view
    "cases:transfers": _only(STAFF),
    "cases:transfer": _only(STAFF, ok=404),
    # 服务指南: every staff role reads its agencies' guides; the demo agency's guide, edited by its head or
    # reviewer, read by the others (示范县二's supervisor: out of scope, 404 below).
    "guides:list": _only(STAFF),
    "guides:edit": _only(STAFF),
    # 督查与问责 (issue 21): the overview for who may view it; the bureau's forms for supervisors; 职责争议 for
    # heads and supervisors; 尽职免责 for officers; record pages looked up with id 0 (404 for who may view).
    **{
        f"oversight:{name}": _only(OVERSIGHT_VIEW, ok=status)
        for name, status in (
            ("home", 200),
            ("interview", 404),
            ("interview_pdf", 404),
            ("team", 404),
            ("joint", 404),
            ("dispute", 404),
            ("accountability", 404),
            ("exemption", 404),
        )
    },
    **{
        f"oversight:{name}": _only(SUPERVISORS)
        for name in ("interview_new", "team_new", "joint_new", "accountability_new")
    },
    "oversight:dispute_new": _only(("head", *SUPERVISORS)),
    "oversight:exemption_new": _only(("officer",)),
    **{
        f"oversight:{name}": _all(405)
        for name in ("team_letter", "team_conclude", "joint_act", "dispute_decide", "exemption_decide")
    },
    # 报送事项: agency heads file, judicial bureaus receive and set the kinds; a report is looked up with id 0
    # (404 for who may view reports); the pages with real reports are tested in reporting/tests.
    "reporting:mine": _only(REPORTING_ROLES),
    "reporting:received": _only(BUREAU_ROLES),
    "reporting:kinds": _only(BUREAU_ROLES),
    "reporting:report": _only(REPORTING_ROLES, ok=404),
    "reporting:report_file": _only(REPORTING_ROLES, ok=404),
    # 执法队伍 (zhifa.personnel): the plan id is 0 (none), the pre-job page is the demo officer's
    "personnel:index": _only(STAFF),
    "personnel:plan_detail": {**_only(STAFF, ok=404), "enterprise": 403},
    "personnel:plan_accept": _all(405),
    "personnel:plan_return": _all(405),
    "personnel:training_check": _only(STAFF),
    "personnel:auxiliary": _only(STAFF),
    "personnel:prejob": {**_only(STAFF), "supervisor2": 404},
    "personnel:assessments": _only(STAFF),
    "personnel:award_add": _all(405),
    "personnel:advisers": _only(STAFF),
    "personnel:adviser_remove": _all(405),
    "personnel:review_adviser": _all(405),
    "personnel:delegations": _only(STAFF),
    "personnel:delegation_withdraw": _all(405),
}
# The ids are 示范县's (the demo officer, its agency and certificate, the enterprise's party): 示范县二's supervisor
# is out of scope there and gets 404, as for an object that does not exist.
# 季度评议与满意度调查 (zhifa.ratings): the bureau's pages; the demo county's published quarter and survey.
RATINGS_MANAGERS = ("supervisor", "supervisor2", "city_supervisor", "admin")
RATINGS_COUNTY = (
    "supervisor",
    "city_supervisor",
    "admin",
)  # the demo county's run and survey are in their scope
EXPECTED.update(
    {
        "ratings:index": _only(RATINGS_MANAGERS),
        "ratings:weights": _only(RATINGS_MANAGERS),
        "ratings:run_detail": _only(RATINGS_COUNTY, refused=404),
        "ratings:run_review": _all(405),
        "ratings:run_publish": _all(405),
        "ratings:run_pdf": _only((*RATINGS_COUNTY, "head"), refused=404),
        "ratings:run_xlsx": _only((*RATINGS_COUNTY, "head"), refused=404),
        "ratings:mine": _only(("head", *RATINGS_MANAGERS)),
        "ratings:surveys": _only(RATINGS_MANAGERS),
        "ratings:survey_detail": _only(RATINGS_COUNTY, refused=404),
        "ratings:survey_close": _all(405),
        "ratings:enterprise_surveys": _only(("enterprise",)),
        "ratings:enterprise_answer": _only(("enterprise",)),
        "ratings:public_answer": _all(200),
    }
)

for _name in (
    "org:agency_detail",
    "org:officer_detail",
    "org:certificate_detail",
    "org:party_detail",
    "records:object",
    "records:entry",
    "guides:edit",
):
    EXPECTED[_name] = {**EXPECTED[_name], "supervisor2": 404}
# 外聘评查人员 (an outside lawyer or expert on an evaluation panel) holds only evaluation.score: the parties and
# the inspections pages every other role reads are refused.
for _name in (
    "org:party_list",
    "org:party_detail",
    "inspections:item_list",
    "inspections:checklist",
    "inspections:plan_list",
    "inspections:plan_detail",
    "inspections:task_list",
    "inspections:no_disturb",
    "inspections:task_detail",
):
    EXPECTED[_name] = {**EXPECTED[_name], "evaluator": 403}


def _page_urls(ids: dict[str, int]) -> dict[str, str]:
    """Every URL of the core, org and records namespaces, ids filled from the demo."""
    from zhifa.cases import urls as cases_urls
    from zhifa.guides import urls as guides_urls
    from zhifa.inspections import urls as inspections_urls
    from zhifa.org import urls as org_urls
    from zhifa.oversight import urls as oversight_urls
    from zhifa.personnel import urls as personnel_urls
    from zhifa.ratings import urls as ratings_urls
    from zhifa.ratings.models import RatingRun, RunStatus, SurveyRound
    from zhifa.records import urls as records_urls
    from zhifa.reporting import urls as reporting_urls
    from zhifa.workbench import urls as core_urls

    urls = {}
    modules = (
        ("core", core_urls),
        ("org", org_urls),
        ("records", records_urls),
        ("inspections", inspections_urls),
        ("cases", cases_urls),
        ("guides", guides_urls),
        ("oversight", oversight_urls),
        ("reporting", reporting_urls),
        ("personnel", personnel_urls),
        ("ratings", ratings_urls),
    )
    run = RatingRun.objects.filter(status=RunStatus.PUBLISHED).order_by("id").first()
    survey = SurveyRound.objects.order_by("id").first()
    for namespace, module in modules:
        for pattern in module.urlpatterns:
            assert isinstance(pattern, URLPattern)
            name = f"{namespace}:{pattern.name}"
            kwargs = {}
            if namespace == "cases":
                kwargs = {k: 0 for k in ("pk", "seizure_pk") if f"<int:{k}>" in str(pattern.pattern)}
                if "<str:code>" in str(pattern.pattern):
                    kwargs["code"] = "open"
            elif namespace == "inspections":
                kwargs = {k: 0 for k in ("pk", "task_id", "party_id") if f"<int:{k}>" in str(pattern.pattern)}
                if "<str:action>" in str(pattern.pattern):
                    kwargs["action"] = "check_in"
            elif namespace == "oversight":
                kwargs = {"pk": 0} if "<int:pk>" in str(pattern.pattern) else {}
                if "<str:action>" in str(pattern.pattern):
                    kwargs["action"] = "escalate"
            elif namespace == "reporting":
                kwargs = {"pk": 0} if "<int:pk>" in str(pattern.pattern) else {}
            elif namespace == "personnel":
                if "<int:pk>" in str(pattern.pattern):
                    kwargs = {"pk": ids["officer"] if pattern.name == "prejob" else 0}
            elif namespace == "ratings":
                if "<int:pk>" in str(pattern.pattern):
                    kwargs["pk"] = run.pk if pattern.name.startswith("run_") else survey.pk
                if "<int:party>" in str(pattern.pattern):
                    kwargs["party"] = ids["party"]
                if "<str:token>" in str(pattern.pattern):
                    kwargs["token"] = survey.token
            elif namespace == "guides":
                if "<int:agency_id>" in str(pattern.pattern):
                    kwargs = {"agency_id": ids["agency"], "kind": "licensing"}
            elif "<int:pk>" in str(pattern.pattern):
                kind = pattern.name.split("_")[0]
                kwargs["pk"] = ids["officer" if kind == "training" else kind]
                if pattern.name == "certificate_issue":
                    kwargs["pk"] = ids["officer"]
            if "<int:seq>" in str(pattern.pattern):
                kwargs["seq"] = ids["entry"]
            if "<str:object_type>" in str(pattern.pattern):
                kwargs.update(object_type="org.certificate", object_id=str(ids["certificate"]))
            urls[name] = reverse(name, kwargs=kwargs)
    return urls


def test_every_page_has_an_expectation(ids: dict[str, int]) -> None:
    assert set(_page_urls(ids)) == set(EXPECTED)


# src="http://…", href="//cdn…", url(https://…) — anything the browser would fetch from another host.
_OUTSIDE = re.compile(
    r"""(?:src|href|action|poster|data-src)\s*=\s*["']?\s*(?:https?:)?//(?!(?:testserver|127\.0\.0\.1|localhost)[:/"'])""",
    re.IGNORECASE,
)


def _assert_no_outside_host(html: str, where: str) -> None:
    found = _OUTSIDE.findall(html)
    assert not found, f"{where} refers to an outside host: {found}"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_status_on_every_page(role: str, ids: dict[str, int]) -> None:
    client = _login(Client(), role)
    failures = []
    for name, url in _page_urls(ids).items():
        response = client.get(url)
        if response.status_code != EXPECTED[name][role]:
            failures.append(f"{name} {url}: {response.status_code}, expected {EXPECTED[name][role]}")
            continue
        if response.status_code in (200, 403, 404) and response["Content-Type"].startswith("text/html"):
            html = response.content.decode()
            assert '<html lang="zh-hans">' in html, name
            _assert_no_outside_host(html, url)
    assert not failures, "\n".join(failures)


def test_outside_host_check_catches_cdn_references() -> None:
    with pytest.raises(AssertionError):
        _assert_no_outside_host('<script src="https://cdn.example.com/x.js"></script>', "x")
    with pytest.raises(AssertionError):
        _assert_no_outside_host('<link href="//fonts.example.com/a.css">', "x")
    _assert_no_outside_host('<a href="http://testserver/org/">x</a><img src="/static/a.png">', "x")


STATIC = Path(__file__).resolve().parents[1] / "static"
# What a browser would fetch from a stylesheet or script: @import, url(), import(), fetch/XHR of a full URL.
_CSS_FETCH = re.compile(r"""(?:@import\s+(?:url\()?|url\()\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
_JS_FETCH = re.compile(
    r"""(?:import\s*\(|fetch\s*\(|\.open\s*\(\s*["'][A-Z]+["']\s*,|\bsrc\s*=|importScripts\s*\()\s*["'`](?:https?:)?//""",
    re.IGNORECASE,
)


def test_vendored_assets_are_present_and_load_nothing_from_outside() -> None:
    files = [p for p in STATIC.rglob("*") if p.suffix in (".css", ".js")]
    names = {p.name for p in files}
    assert {"bootstrap.min.css", "bootstrap.bundle.min.js", "htmx.min.js", "echarts.min.js"} <= names
    assert (STATIC / "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2").exists()
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        pattern = _CSS_FETCH if path.suffix == ".css" else _JS_FETCH
        assert not pattern.search(text), f"{path.relative_to(STATIC)} loads from an outside host"


def test_asset_check_catches_remote_imports() -> None:
    assert _CSS_FETCH.search('@import url("https://fonts.example.com/x.css");')
    assert _CSS_FETCH.search("src: url(//cdn.example.com/font.woff2)")
    assert not _CSS_FETCH.search('url("fonts/bootstrap-icons.woff2")')
    assert not _CSS_FETCH.search("url(\"data:image/svg+xml,%3csvg xmlns='http://www.w3.org/2000/svg'\")")
    assert _JS_FETCH.search('fetch("https://api.example.com/")')


# --- layout ---------------------------------------------------------------------------------------------------


def test_layout_shows_name_roles_demo_ribbon_and_post_logout(ids: dict[str, int]) -> None:
    client = _login(Client(), "head")
    html = client.get(reverse("core:workbench")).content.decode()
    user = User.objects.get(username="demo_head")
    assert user.full_name in html
    assert "机关负责人" in html
    assert "演示数据，纯属虚构" in html
    assert "zhifa" in html and "行政执法与执法监督一体化平台" in html
    assert 'class="visually-hidden-focusable skip-link" href="#main"' in html
    assert re.search(r'<form method="post" action="/accounts/logout/"', html)


def test_demo_ribbon_absent_without_demo_data(ids: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("zhifa.org.demo.demo_present", lambda: False)
    client = _login(Client(), "head")
    assert "纯属虚构" not in client.get(reverse("core:workbench")).content.decode()


def test_menu_lists_only_pages_the_role_allows(ids: dict[str, int]) -> None:
    enterprise = _login(Client(), "enterprise").get(reverse("core:workbench")).content.decode()
    admin = _login(Client(), "admin").get(reverse("core:workbench")).content.decode()
    assert f'href="{reverse("org:officer_list")}"' not in enterprise
    assert f'href="{reverse("org:party_import")}"' not in enterprise
    assert f'href="{reverse("org:party_list")}"' in enterprise
    assert f'href="{reverse("org:officer_list")}"' in admin
    assert f'href="{reverse("org:party_import")}"' in admin


def test_logout_needs_post(ids: dict[str, int]) -> None:
    client = _login(Client(), "officer")
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("core:workbench")).status_code == 302


def test_anonymous_user_is_sent_to_login(ids: dict[str, int]) -> None:
    response = Client().get(reverse("org:officer_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- workbench per role -------------------------------------------------------------------------------------------


def test_officer_workbench_shows_certificate_training_and_enforcement(ids: dict[str, int]) -> None:
    html = _login(Client(), "officer").get(reverse("core:workbench")).content.decode()
    cert = Certificate.objects.get(pk=ids["certificate"])
    assert "我的执法证件" in html and cert.number in html
    assert "到期" in html
    assert "年度培训学时" in html and "公共法律知识" in html
    assert "我能否在本机关的执法领域执法" in html
    assert "可以执法" in html or "不得执法" in html


def test_head_workbench_lists_lapsed_or_expiring_certificates_of_the_agency(ids: dict[str, int]) -> None:
    html = _login(Client(), "head").get(reverse("core:workbench")).content.decode()
    assert "证件失效或即将到期的执法人员" in html
    assert "年度培训学时不足" in html


def test_reviewer_workbench_shows_qualification_of_the_agency_officers(ids: dict[str, int]) -> None:
    html = _login(Client(), "reviewer").get(reverse("core:workbench")).content.decode()
    assert "本机关执法人员资格" in html
    assert "尚未启用" not in html
    market = Officer.objects.filter(agency_id=ids["agency"], is_active=True).values_list("name", flat=True)
    other = Officer.objects.exclude(agency_id=ids["agency"]).values_list("name", flat=True)
    assert all(name in html for name in market)
    assert not any(f">{name}</a>" in html for name in other if name not in market)


def test_supervisor_workbench_counts_link_to_filtered_lists_and_chart_is_local(ids: dict[str, int]) -> None:
    html = _login(Client(), "supervisor").get(reverse("core:workbench")).content.decode()
    for label in ("执法主体", "在岗执法人员", "有效执法证件", "失效证件", "30 日内到期", "培训学时不足"):
        assert f'data-stat="{label}"' in html
    assert "?status=lapsed" in html and "?expiring=1" in html and "?training=short" in html
    assert 'id="chart-data"' in html
    assert "/static/vendor/echarts/echarts.min.js" in html


def test_admin_workbench_adds_management_links(ids: dict[str, int]) -> None:
    html = _login(Client(), "admin").get(reverse("core:workbench")).content.decode()
    assert "管理功能" in html and reverse("org:party_import") in html and 'data-stat="失效证件"' in html


def test_enterprise_workbench_shows_masked_party_and_verify_box(ids: dict[str, int]) -> None:
    party = Party.objects.get(pk=ids["party"])
    html = _login(Client(), "enterprise").get(reverse("core:workbench")).content.decode()
    assert party.name in html
    if party.legal_representative and len(party.legal_representative) > 1:
        assert party.legal_representative not in html
    if party.phone:
        assert party.phone not in html
    assert "核验执法证件" in html


def test_certificate_verify_says_valid_or_invalid(ids: dict[str, int]) -> None:
    client = _login(Client(), "enterprise")
    url = reverse("org:certificate_verify")
    valid = Certificate.objects.filter(status=CertificateStatus.VALID).order_by("-expires_on").first()
    revoked = Certificate.objects.filter(status=CertificateStatus.REVOKED).first()
    html = client.get(url, {"number": valid.number}, headers={"HX-Request": "true"}).content.decode()
    assert 'data-verify="valid"' in html and "<html" not in html
    assert valid.domains.first().name in html
    html = client.get(url, {"number": revoked.number}).content.decode()
    assert 'data-verify="invalid"' in html and "收回" in html
    html = client.get(url, {"number": "NO-SUCH-1"}).content.decode()
    assert 'data-verify="not-found"' in html


# --- scope ----------------------------------------------------------------------------------------------------------


def test_officer_opening_another_agencys_officer_gets_404(ids: dict[str, int]) -> None:
    client = _login(Client(), "officer")
    other = Officer.objects.exclude(agency_id=ids["agency"]).first()
    assert client.get(reverse("org:officer_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("org:officer_detail", args=[ids["officer"]])).status_code == 200


def test_lists_show_only_the_scope(ids: dict[str, int]) -> None:
    officer_html = _login(Client(), "officer").get(reverse("org:officer_list")).content.decode()
    other = Officer.objects.exclude(agency_id=ids["agency"]).first()
    assert f'href="{reverse("org:officer_detail", args=[other.pk])}"' not in officer_html
    city_html = _login(Client(), "city_supervisor").get(reverse("org:officer_list")).content.decode()
    assert f'href="{reverse("org:officer_detail", args=[other.pk])}"' in city_html


def test_enterprise_sees_only_its_own_party(ids: dict[str, int]) -> None:
    client = _login(Client(), "enterprise")
    html = client.get(reverse("org:party_list")).content.decode()
    assert html.count('href="/org/parties/') - html.count('href="/org/parties/"') == 1
    other = Party.objects.exclude(pk=ids["party"]).first()
    assert client.get(reverse("org:party_detail", args=[other.pk])).status_code == 404


def test_403_page_is_chinese_and_the_denial_is_audited(ids: dict[str, int]) -> None:
    client = _login(Client(), "officer")
    response = client.get(reverse("org:party_import"))
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()
    assert AuditLog.objects.filter(event=AuditEvent.PERMISSION_DENIED, username="demo_officer").exists()


def test_404_page_is_chinese(ids: dict[str, int]) -> None:
    response = _login(Client(), "officer").get("/org/no-such-page/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


# --- search and keyset paging ----------------------------------------------------------------------------------------


def test_party_search_returns_a_fragment_for_htmx(ids: dict[str, int]) -> None:
    client = _login(Client(), "admin")
    party = Party.objects.exclude(uscc=None).order_by("id")[3]
    response = client.get(
        reverse("org:party_list"), {"q": party.uscc.lower()}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert party.name in html and html.count('href="/org/parties/') == 1
    full = client.get(reverse("org:party_list"), {"q": party.name[2:6]}).content.decode()
    assert "<html" in full and party.name in full
    assert 'hx-trigger="input delay:300ms, change, submit"' in full


def test_party_list_pages_by_keyset_without_counting(ids: dict[str, int]) -> None:
    client = _login(Client(), "admin")
    url = reverse("org:party_list")
    with CaptureQueriesContext(connection) as queries:
        first = client.get(url).content.decode()
    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "org_party" in q["sql"]]
    assert "OFFSET" not in " ".join(q["sql"].upper() for q in queries if "org_party" in q["sql"])
    after = re.search(r'href="[^"]*[?&]after=([\w.-]+)"', first)  # an opaque cursor (core.paging)
    assert after, "page 1 of 100+ parties has a next link"
    second = client.get(url, {"after": after.group(1)}).content.decode()
    ids_1 = set(re.findall(r'href="/org/parties/(\d+)/"', first))
    ids_2 = set(re.findall(r'href="/org/parties/(\d+)/"', second))
    assert len(ids_1) == 25 and ids_2 and not ids_1 & ids_2
    before = re.search(r'href="[^"]*[?&]before=([\w.-]+)"', second)
    assert before
    back = client.get(url, {"before": before.group(1)}).content.decode()
    assert set(re.findall(r'href="/org/parties/(\d+)/"', back)) == ids_1


def test_region_list_is_a_tree_in_path_order(ids: dict[str, int]) -> None:
    html = _login(Client(), "admin").get(reverse("org:region_list")).content.decode()
    names = re.findall(r'<td class="depth-(\d)">(?:<span[^>]*>[^<]*</span>)?([^<]+)</td>', html)
    assert names[:4] == [("1", "示范省"), ("2", "示范市"), ("3", "示范县"), ("4", "城关镇")]


def test_certificate_filters(ids: dict[str, int]) -> None:
    client = _login(Client(), "supervisor")
    url = reverse("org:certificate_list")
    lapsed = client.get(url, {"status": "lapsed"}).content.decode()
    revoked = Certificate.objects.filter(status=CertificateStatus.REVOKED).first()
    assert revoked.number in lapsed
    valid = client.get(url, {"status": "valid"}).content.decode()
    assert revoked.number not in valid


# --- forms ----------------------------------------------------------------------------------------------------------


def _officer_post(agency_id: int, id_number: str) -> dict[str, str]:
    return {"agency": str(agency_id), "name": "测试人员", "id_number": id_number, "post": "科员", "phone": ""}


def test_fifteen_digit_resident_id_is_refused_with_its_own_message(ids: dict[str, int]) -> None:
    client = _login(Client(), "head")
    response = client.post(reverse("org:officer_create"), _officer_post(ids["agency"], "110105491231002"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "15 位旧身份证号码已停止使用，请输入 18 位号码" in html
    assert 'aria-invalid="true"' in html
    assert not Officer.objects.filter(name="测试人员").exists()


def test_lower_case_x_in_resident_id_is_upper_cased_and_accepted(ids: dict[str, int]) -> None:
    number = next(
        n for n in (resident_id_with_check(f"11010519900101{i:03d}") for i in range(200)) if n.endswith("X")
    )
    client = _login(Client(), "head")
    response = client.post(reverse("org:officer_create"), _officer_post(ids["agency"], number.lower()))
    assert response.status_code == 302
    assert Officer.objects.get(name="测试人员").id_number == number


def test_officer_create_refuses_an_agency_outside_the_heads_scope(ids: dict[str, int]) -> None:
    client = _login(Client(), "head")
    other = Agency.objects.exclude(path__startswith=Agency.objects.get(pk=ids["agency"]).path).first()
    number = resident_id_with_check("11010519900101123")
    response = client.post(reverse("org:officer_create"), _officer_post(other.pk, number))
    assert response.status_code == 200 and "请选择列表中的一项" in response.content.decode()


def test_party_create_puts_the_services_duplicate_error_beside_the_uscc(ids: dict[str, int]) -> None:
    existing = Party.objects.exclude(uscc=None).first()
    township = Region.objects.get(code="860102001")
    client = _login(Client(), "head")
    data = {
        "kind": "legal_person",
        "name": "示范测试有限公司",
        "uscc": existing.uscc.lower(),
        "id_number": "",
        "region": str(township.pk),
        "credit_class": "B",
    }
    response = client.post(reverse("org:party_create"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "已登记，不能重复登记" in html
    assert re.search(r'id="id_uscc_error"[^>]*>\s*<div>[^<]*已登记', html)
    data["uscc"] = uscc_with_check("91860102MA0000001")
    response = client.post(reverse("org:party_create"), data)
    assert response.status_code == 302
    assert Party.objects.filter(name="示范测试有限公司").exists()


def test_party_create_shows_invalid_uscc_in_chinese(ids: dict[str, int]) -> None:
    township = Region.objects.get(code="860102001")
    response = _login(Client(), "head").post(
        reverse("org:party_create"),
        {"kind": "legal_person", "name": "某公司", "uscc": "91860102MA00000010", "region": township.pk},
    )
    assert "统一社会信用代码无效" in response.content.decode()


def test_supervisor_changes_certificate_status_with_a_reason(ids: dict[str, int]) -> None:
    cert = Certificate.objects.filter(
        status=CertificateStatus.VALID, officer__agency_id=ids["agency"]
    ).first()
    client = _login(Client(), "supervisor")
    url = reverse("org:certificate_status", args=[cert.pk])
    response = client.post(url, {"status-kind": "suspend", "status-reason": ""})
    assert response.status_code == 422 and "此项必填" in response.content.decode()
    response = client.post(url, {"status-kind": "suspend", "status-reason": "涉嫌违纪，暂扣调查"})
    assert response.status_code == 302
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.SUSPENDED
    assert CertificateEvent.objects.filter(certificate=cert, reason="涉嫌违纪，暂扣调查").exists()
    # A rule of the service (suspended → suspended) comes back on the form, not as a 500.
    response = client.post(url, {"status-kind": "suspend", "status-reason": "再次暂扣"})
    assert response.status_code == 422 and "不能暂扣" in response.content.decode()


def test_head_cannot_change_certificate_status(ids: dict[str, int]) -> None:
    client = _login(Client(), "head")
    response = client.post(
        reverse("org:certificate_status", args=[ids["certificate"]]),
        {"status-kind": "suspend", "status-reason": "x"},
    )
    assert response.status_code == 403 and "无权访问" in response.content.decode()
    assert Certificate.objects.get(pk=ids["certificate"]).status == CertificateStatus.VALID


def test_annual_review_twice_for_the_same_year_is_refused_on_the_form(ids: dict[str, int]) -> None:
    cert = Certificate.objects.filter(
        status=CertificateStatus.VALID, officer__agency_id=ids["agency"]
    ).first()
    client = _login(Client(), "supervisor")
    url = reverse("org:certificate_review", args=[cert.pk])
    year = (cert.last_reviewed_year or 2024) + 1
    assert client.post(url, {"review-year": year, "review-passed": "1"}).status_code == 302
    response = client.post(url, {"review-year": year, "review-passed": "1"})
    assert response.status_code == 422 and "已审验" in response.content.decode()


def test_head_adds_a_training_record_on_the_officer_page(ids: dict[str, int]) -> None:
    client = _login(Client(), "head")
    url = reverse("org:training_add", args=[ids["officer"]])
    data = {
        "training-kind": "public_law",
        "training-title": "行政处罚法专题",
        "training-held_on": "2025-03-01",
    }
    response = client.post(url, {**data, "training-hours": "0"})
    assert response.status_code == 422
    assert not TrainingRecord.objects.filter(title="行政处罚法专题").exists()
    response = client.post(url, {**data, "training-hours": "4"})
    assert response.status_code == 302
    assert TrainingRecord.objects.filter(officer_id=ids["officer"], title="行政处罚法专题").exists()


def test_officer_cannot_add_training(ids: dict[str, int]) -> None:
    response = _login(Client(), "officer").post(
        reverse("org:training_add", args=[ids["officer"]]),
        {
            "training-kind": "public_law",
            "training-title": "x",
            "training-held_on": "2025-03-01",
            "training-hours": "4",
        },
    )
    assert response.status_code == 403


def test_head_edits_own_agency(ids: dict[str, int]) -> None:
    client = _login(Client(), "head")
    agency = Agency.objects.get(pk=ids["agency"])
    response = client.post(
        reverse("org:agency_edit", args=[agency.pk]),
        {"name": agency.name, "short_name": "示县市监", "phone": "0000-1234567", "is_active": "on"},
    )
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.phone == "0000-1234567"


# --- import ---------------------------------------------------------------------------------------------------------


def _csv(rows: list[list[str]]) -> io.BytesIO:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "类型",
            "名称",
            "统一社会信用代码",
            "身份证号码",
            "法定代表人",
            "区划代码",
            "行业",
            "地址",
            "电话",
            "信用分类",
        ]
    )
    writer.writerows(rows)
    data = io.BytesIO(buffer.getvalue().encode("utf-8"))
    data.name = "parties.csv"
    return data


def test_party_import_shows_row_errors_and_imports_nothing(ids: dict[str, int]) -> None:
    good = uscc_with_check("91860102MA0000002")
    rows = [
        ["法人及其他组织", "示范导入甲公司", good, "", "张三", "860102001", "", "", "", "B"],
        ["法人及其他组织", "示范导入乙公司", "91860102MA00000020", "", "李四", "860102001", "", "", "", "B"],
    ]
    client = _login(Client(), "admin")
    response = client.post(reverse("org:party_import"), {"file": _csv(rows)})
    html = response.content.decode()
    assert response.status_code == 422
    assert "data-import-errors" in html and "<td>3</td>" in html and "统一社会信用代码" in html
    assert not Party.objects.filter(name__startswith="示范导入").exists()
    response = client.post(reverse("org:party_import"), {"file": _csv(rows), "skip_invalid": "on"})
    assert 'data-import-created="1"' in response.content.decode()
    assert Party.objects.filter(name="示范导入甲公司").exists()


def test_party_import_refuses_other_file_types(ids: dict[str, int]) -> None:
    upload = io.BytesIO(b"x")
    upload.name = "parties.pdf"
    response = _login(Client(), "admin").post(reverse("org:party_import"), {"file": upload})
    assert response.status_code == 422 and "只支持 .xlsx 或 .csv 文件" in response.content.decode()


# --- accounts -------------------------------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account(ids: dict[str, int]) -> None:
    client = Client()
    response = None
    for _ in range(5):
        response = client.post(reverse("login"), {"username": "demo_reviewer", "password": "wrong-password"})
    assert response is not None and response.status_code == 429
    assert "锁定" in response.content.decode()
    response = client.post(
        reverse("login"), {"username": "demo_reviewer", "password": PASSWORDS["demo_reviewer"]}
    )
    assert response.status_code == 429


def test_four_wrong_passwords_do_not_lock(ids: dict[str, int]) -> None:
    client = Client()
    for _ in range(4):
        response = client.post(reverse("login"), {"username": "demo_reviewer", "password": "wrong-password"})
        assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()
    assert _login(client, "reviewer")


def test_password_change_clears_the_must_change_flag(ids: dict[str, int]) -> None:
    User.objects.filter(username="demo_officer").update(must_change_password=True)
    client = _login(Client(), "officer")
    assert client.get(reverse("org:officer_list"))["Location"] == reverse("password_change")
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORDS["demo_officer"],
            "new_password1": "Xin-Mima-2026",
            "new_password2": "Xin-Mima-2026",
        },
    )
    assert response.status_code == 302
    assert not User.objects.get(username="demo_officer").must_change_password
    assert AuditLog.objects.filter(event=AuditEvent.PASSWORD_CHANGED, username="demo_officer").exists()


# --- error pages ------------------------------------------------------------------------------------------------------


def test_500_page_renders_without_a_request_and_in_chinese() -> None:
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "系统错误" in html and 'lang="zh-hans"' in html
    _assert_no_outside_host(html, "500.html")


@pytest.mark.parametrize(
    ("error", "status", "text"),
    [
        ("PermissionDenied", 403, "无权访问"),
        ("NotFound", 404, "页面不存在"),
        ("RuleViolation", 409, "无法办理"),
    ],
)
def test_domain_errors_escaping_a_page_view_become_error_pages(
    ids: dict[str, int], rf: Any, error: str, status: int, text: str
) -> None:
    from zhifa.core import errors
    from zhifa.core.error_pages import DomainErrorPageMiddleware

    request = rf.get("/org/officers/")
    request.user = User.objects.get(username="demo_officer")
    middleware = DomainErrorPageMiddleware(lambda r: None)  # type: ignore[arg-type,return-value]
    response = middleware.process_exception(request, getattr(errors, error)("具体原因。"))
    assert response is not None and response.status_code == status
    html = response.content.decode()
    assert text in html and "具体原因。" in html


def test_domain_errors_in_the_api_are_left_to_the_api(rf: Any) -> None:
    from zhifa.core.error_pages import DomainErrorPageMiddleware
    from zhifa.core.errors import PermissionDenied

    middleware = DomainErrorPageMiddleware(lambda r: None)  # type: ignore[arg-type,return-value]
    assert middleware.process_exception(rf.get("/api/org/officers"), PermissionDenied("x")) is None
    assert middleware.process_exception(rf.get("/org/officers/"), ValueError("x")) is None

"""The dashboard and an evaluation sheet in a real browser (chromium via Playwright) on the demo county.

Screenshots: docs/screenshots/stats-dashboard.png, stats-drill.png, evaluation-sheet.png.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from zhifa.core.tests import test_browser as browser_tests
from zhifa.core.tests.test_browser import DESKTOP, PHONE, _log_in, _new_page
from zhifa.org.demo import DEMO_LOGINS
from zhifa.stats import selectors

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

server = browser_tests.server
launch_browser = browser_tests.launch_browser
PASSWORDS = {username: password for _, username, password in DEMO_LOGINS}
DOCS = Path(settings.PROJECT_DIR) / "docs" / "screenshots"


def _shot(page: Any, name: str) -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / name), full_page=True)


def test_the_supervisors_dashboard_draws_every_chart_and_drills_down(
    launch_browser: Callable[[], Any], server: str
) -> None:
    from django.db.models import Max

    from zhifa.stats.models import Fact

    year = (
        Fact.objects.filter(metric="case.decided").aggregate(d=Max("day"))["d"]
        or Fact.objects.aggregate(d=Max("day"))["d"]
    ).year
    page, problems = _new_page(launch_browser(), DESKTOP)
    _log_in(page, server, "demo_supervisor", PASSWORDS["demo_supervisor"])
    page.goto(f"{server}/stats/?year={year}")
    page.locator("#chart-acts_by_month canvas").first.wait_for()
    page.wait_for_timeout(300)
    _shot(page, "stats-dashboard.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    assert page.locator("[data-testid^=export-]").count() == len(selectors.CHARTS)
    # A click on the first non-empty month of 处罚决定 opens the cases behind it.
    data = page.evaluate("JSON.parse(document.getElementById('stats-chart-data').textContent)")
    decided = next(s for s in data["acts_by_month"]["series"] if s["metric"] == "case.decided")
    month = next((i + 1 for i, v in enumerate(decided["values"]) if v), None)
    if month is not None:
        page.goto(f"{server}/stats/cases/?year={year}&metric=case.decided&month={month}")
        rows = page.locator("[data-testid=drill-table] tbody tr")
        assert rows.count() == min(decided["values"][month - 1], 25)
        _shot(page, "stats-drill.png")
    assert problems.items == []


def test_an_evaluator_fills_in_the_scoring_sheet_on_a_phone(
    launch_browser: Callable[[], Any], server: str
) -> None:
    from django.db.models import Max, Min

    from zhifa.cases.models import Case, Stage
    from zhifa.evaluation import services
    from zhifa.org.models import User

    evaluator = User.objects.get(username="demo_city_supervisor")
    supervisor = User.objects.get(username="demo_supervisor")
    region = supervisor.role_assignments.filter(region__isnull=False).first().region
    closed = Case.objects.filter(
        stage__in=[Stage.CLOSED, Stage.ARCHIVED], agency__region__path__startswith=region.path
    )
    window = closed.aggregate(first=Min("closed_on"), last=Max("closed_on"))
    if window["first"] is None:
        pytest.skip("the demo has no closed case to evaluate")
    plan = services.plan_create(
        actor=supervisor,
        region=region,
        year=window["last"].year,
        title="专项评查（浏览器测试）",
        closed_from=window["first"],
        closed_to=window["last"],
        sample_per_agency=1,
    )
    file = next(
        f
        for f in services.plan_draw(actor=supervisor, plan=plan)
        if f.agency_id not in services.user_agency_ids(evaluator)
    )
    services.file_assign(actor=supervisor, file=file, evaluator=evaluator)
    items = list(file.plan.sheet.items.all())
    page, problems = _new_page(launch_browser(), PHONE)
    _log_in(page, server, "demo_city_supervisor", PASSWORDS["demo_city_supervisor"])
    page.goto(f"{server}/evaluation/files/{file.pk}/")
    for item in items:
        page.fill(f"#i-{item.pk}", str(item.points))
    page.fill(f"#i-{items[1].pk}", "7")
    page.fill(f"#n-{items[1].pk}", "调查时仅一名执法人员在场")
    page.get_by_role("button", name="提交评分").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("total").inner_text() == str(
        sum(i.points for i in items) - items[1].points + 7
    )
    _shot(page, "evaluation-sheet.png")
    assert problems.items == []

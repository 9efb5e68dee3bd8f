"""One walk through the pages of evaluation by outsiders and the case library, on the demo county: the outside
lawyer lands on 评查待办, reads the anonymised file and scores it; the bureau opens the panel, the third-party
page and the library; an officer searches the library and opens a case. Screenshots:
docs/screenshots/evaluator-*.png, evaluation-panel.png, evaluation-third-party.png, caselib-*.png.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from zhifa.evaluation.models import EvaluationFile, EvaluationPlan, FileStatus
from zhifa.org.demo import DEMO_LOGINS
from zhifa.testing.browser import DESKTOP, PHONE, log_in, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PASSWORDS = {username: password for _, username, password in DEMO_LOGINS}
DOCS = Path(settings.PROJECT_DIR) / "docs" / "screenshots"


def _shot(page: Any, name: str) -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / name), full_page=True)


def test_the_lawyer_scores_the_bureau_assesses_and_the_officer_reads_the_library(
    server: str, launch_browser: Callable[[], Any]
) -> None:
    pending = EvaluationFile.objects.filter(
        evaluator__username="demo_evaluator", status=FileStatus.PENDING
    ).first()
    assert pending is not None, "the demo gives the lawyer a file to score"
    items = list(pending.plan.sheet.items.values_list("pk", "points"))
    plan_id = EvaluationPlan.objects.filter(title__contains="年度行政处罚案卷评查").order_by("id").first().pk
    browser = launch_browser()

    page, problems = new_page(browser, PHONE)
    log_in(page, server, "demo_evaluator", PASSWORDS["demo_evaluator"])
    page.locator('[data-panel="evaluator-todos"]').wait_for()
    assert page.locator('[data-todo="待评分案卷"]').get_attribute("data-count") == "1"
    _shot(page, "evaluator-workbench-phone.png")
    page.locator('[data-panel="evaluator-todos"] a[href*="/evaluation/files/"]').first.click()
    page.locator('[data-testid="summary"]').wait_for()
    assert "案卷摘要（已脱敏）" in page.locator('[data-testid="summary"]').inner_text()
    for pk, points in items:
        page.locator(f"#i-{pk}").fill(str(points))
    _shot(page, "evaluator-sheet-phone.png")
    page.get_by_role("button", name="提交评分").click()
    page.locator('[data-testid="total"]').wait_for()
    assert page.locator('[data-testid="total"]').inner_text() == "100.0"
    assert not problems.items, problems.items

    page, problems = new_page(browser, DESKTOP)
    log_in(page, server, "demo_supervisor", PASSWORDS["demo_supervisor"])
    page.goto(f"{server}/evaluation/plans/{plan_id}/")
    page.get_by_role("link", name="评查组").click()
    assert "律师" in page.locator('[data-testid="members"]').inner_text()
    _shot(page, "evaluation-panel.png")
    page.goto(f"{server}/evaluation/plans/{plan_id}/")
    page.locator('[data-testid="strata"]').wait_for()
    page.get_by_role("link", name="第三方评估").click()
    assert "示范市法治政府研究院" in page.locator('[data-testid="third-party"]').inner_text()
    _shot(page, "evaluation-third-party.png")
    page.goto(f"{server}/caselib/")
    page.locator('[data-testid="library"]').wait_for()
    _shot(page, "caselib-list-bureau.png")
    assert not problems.items, problems.items

    page, problems = new_page(browser, PHONE)
    log_in(page, server, "demo_officer", PASSWORDS["demo_officer"])
    page.goto(f"{server}/caselib/?q=告知")
    assert "警示案例" in page.locator('[data-testid="library"]').inner_text()
    _shot(page, "caselib-search-phone.png")
    page.locator('[data-testid="library"] a').first.click()
    page.locator('[data-testid="key-points"]').wait_for()
    _shot(page, "caselib-case-phone.png")
    assert not problems.items, problems.items

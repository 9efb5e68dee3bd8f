"""季度评议与满意度调查 in Debian's chromium, on the demo county: the bureau opens the quarter waiting for review
from its 待办, reviews and publishes the 通报; reads the survey's result; the demo enterprise answers the survey
from its 待办; a member of the public answers through the link on a phone. Screenshots:
docs/screenshots/ratings-*.png.
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
from zhifa.ratings.models import RatingRun, RunStatus, SurveyRound

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

server = browser_tests.server
launch_browser = browser_tests.launch_browser
PASSWORDS = {username: password for _, username, password in DEMO_LOGINS}
SHOTS = Path(settings.PROJECT_DIR) / "docs" / "screenshots"


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_the_bureau_publishes_a_quarter_and_enterprises_and_the_public_answer_the_survey(
    launch_browser: Callable[[], Any], server: str
) -> None:
    waiting = RatingRun.objects.get(status=RunStatus.COMPUTED)
    survey = SurveyRound.objects.order_by("id").first()
    assert survey is not None
    label, token, title = waiting.period_label, survey.token, survey.title
    browser = launch_browser()  # no ORM call after this line

    page, problems = _new_page(browser, DESKTOP)
    _log_in(page, server, "demo_supervisor", PASSWORDS["demo_supervisor"])
    todo = page.locator('[data-todo="季度评议待审核"]')
    assert todo.get_attribute("data-count") == "1"
    todo.click()
    page.wait_for_load_state("networkidle")
    _shot(page, "ratings-index.png")
    page.get_by_role("link", name=label).click()
    page.wait_for_load_state("networkidle")
    assert "重点监督单位及原因" in page.content()
    _shot(page, "ratings-run.png")
    page.get_by_label("审核意见（写入通报“工作要求”）").fill("重点监督单位于 30 日内书面报送整改情况。")
    page.get_by_role("button", name="审核通过").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="发布通报").click()
    page.wait_for_load_state("networkidle")
    assert "已通报" in page.content() and "通报 PDF" in page.content()
    _shot(page, "ratings-published.png")

    page.goto(f"{server}/ratings/surveys/")
    page.get_by_role("link", name=title).click()
    page.wait_for_load_state("networkidle")
    content = page.content()
    assert "95% 置信区间" in content and "最不满意的执法领域" in content and "测评最差" in content
    _shot(page, "ratings-survey-result.png")
    assert not problems.items, problems.items

    page, problems = _new_page(browser, PHONE)
    _log_in(page, server, "demo_enterprise", PASSWORDS["demo_enterprise"])
    todo = page.locator('[data-todo="待填写的满意度调查"]')
    assert todo.get_attribute("data-count") == "1"
    todo.click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="填写").click()
    page.wait_for_load_state("networkidle")
    page.locator("label[for=o-4]").click()
    page.locator("label[for^=f-]").first.click()
    _shot(page, "ratings-enterprise-answer-phone.png")
    page.get_by_role("button", name="提交答卷").click()
    page.wait_for_load_state("networkidle")
    assert "已答卷" in page.content()
    assert not problems.items, problems.items

    page, problems = _new_page(browser, PHONE)
    page.goto(f"{server}/ratings/s/{token}/")
    page.locator("label[for=o-5]").click()
    page.get_by_label("意见建议（选填，500 字以内）").fill("执法人员态度很好。")
    _shot(page, "ratings-public-answer-phone.png")
    page.get_by_role("button", name="提交答卷").click()
    page.wait_for_load_state("networkidle")
    assert "感谢您参与" in page.content()
    assert not problems.items, problems.items

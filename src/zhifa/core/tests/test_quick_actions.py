"""当场处罚 and 今日检查 are one tap away on a phone for those who may open them (the quick bar of the layout);
a role that may open neither gets no bar."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from zhifa.cases.tests.helpers import world  # noqa: F401  (fixture)


def _page(user) -> str:
    client = Client()
    client.force_login(user)
    return client.get(reverse("core:workbench")).content.decode()


def test_an_officer_gets_on_the_spot_penalty_and_todays_inspections_in_the_quick_bar(world) -> None:  # noqa: F811
    html = _page(world.officer_user)
    bar = html.split('data-testid="quick-bar"', 1)[1].split("</nav>", 1)[0]
    assert f'href="{reverse("cases:simple_new")}"' in bar and "当场处罚" in bar
    assert f'href="{reverse("inspections:today")}"' in bar and "今日检查" in bar
    assert "has-quick-bar" in html  # the page keeps room for the bar


def test_a_supervisor_who_may_open_neither_gets_no_quick_bar(world) -> None:  # noqa: F811
    html = _page(world.supervisor)
    assert 'data-testid="quick-bar"' not in html and "has-quick-bar" not in html

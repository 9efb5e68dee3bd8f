"""The demo county gives ``demo_enterprise`` a planned visit with offered visit times next to its history."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.enterprise import selectors
from zhifa.org.models import User

pytestmark = pytest.mark.django_db


def test_demo_enterprise_has_a_visit_to_agree_a_time_for_and_a_history(demo_county) -> None:
    user = User.objects.get(username="demo_enterprise")
    todos = selectors.enterprise_todos(user)
    assert todos.to_agree == 1 and todos.upcoming >= 1
    assert selectors.history(user).exists()
    client = Client()
    client.force_login(user)
    html = client.get(reverse("enterprise:home")).content.decode()
    assert "待商定时间" in html
    visit = selectors.upcoming(user).first()
    page = client.get(reverse("enterprise:inspection", args=[visit.pk])).content.decode()
    assert "确认入企时间" in page and "证件有效" in page

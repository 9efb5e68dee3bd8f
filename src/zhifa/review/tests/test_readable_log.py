"""The review log reads in Chinese (issue 16 item 4): people by name, never by login name; actions and fields
by their labels, never as codes; and it links to an entry's proof only for a reader who may open it."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.records.models import LedgerEntry
from zhifa.review.tests.helpers import ready_case, review_round

pytestmark = pytest.mark.django_db


def _log(world, user) -> str:  # type: ignore[no-untyped-def]
    request = review_round(world, ready_case(world), agreed=False, problems={"law": "裁量理由不足"})
    client = Client()
    client.force_login(user)
    html = client.get(reverse("review:request", args=[request.pk])).content.decode()
    return html.split('<h2 class="h6">记录</h2>', 1)[1].split("</section>", 1)[0]


def test_the_review_log_names_people_and_actions_in_chinese(world) -> None:  # type: ignore[no-untyped-def]
    log = _log(world, world.reviewer)
    for label in ("送法制审核", "分配审核人员", "记录审核要点意见", "出具法制审核意见", "存在问题"):
        assert label in log
    assert world.reviewer.full_name in log and world.officer_user.full_name in log
    text = re.sub(r"<[^>]+>", " ", log)
    for code in (
        "review.submit",
        "review.assign",
        world.reviewer.username,
        world.officer_user.username,
        "None",
    ):
        assert code not in text


def test_every_proof_link_in_the_review_log_opens_for_its_reader(world) -> None:  # type: ignore[no-untyped-def]
    request = review_round(world, ready_case(world), agreed=True)
    seen = {}
    for user in (world.reviewer, world.supervisor):
        client = Client()
        client.force_login(user)
        html = client.get(reverse("review:request", args=[request.pk])).content.decode()
        links = set(re.findall(r'href="(/records/entry/\d+/)"', html))
        assert all(client.get(link).status_code == 200 for link in links)
        seen[user.username] = len(links)
    # the reviewer may not open the review's ledger entries (no link), the supervisor may (links)
    entries = LedgerEntry.objects.filter(
        object_type="review.reviewrequest", object_id=str(request.pk)
    ).count()
    assert seen == {world.reviewer.username: 0, world.supervisor.username: entries} and entries == 11

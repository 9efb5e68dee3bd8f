"""One tabs component, one pager component and one menu registry (issue 23 item 5): the pager keeps a list's
filters and drops its old cursor, a lone tab is not drawn, an area's tabs show only what the role may open, and
every top-bar entry comes from the registry its app filled."""

from __future__ import annotations

from types import SimpleNamespace

from django.template import Context, Template
from django.test import RequestFactory

from zhifa.core.menu import menu_entries
from zhifa.core.tabs import tabs_for


def _render(source: str, **context: object) -> str:
    return Template("{% load zhifa_nav %}" + source).render(Context(context))


def test_the_pager_keeps_the_filters_and_replaces_the_cursor() -> None:
    request = RequestFactory().get("/cases/", {"stage": "open", "after": "9"})
    page = SimpleNamespace(prev_before=12, next_after=30)
    html = _render("{% pager page %}", request=request, page=page)
    assert 'href="/cases/?stage=open&amp;before=12"' in html and "上一页" in html
    assert 'href="/cases/?stage=open&amp;after=30"' in html and "下一页" in html
    assert 'aria-label="翻页"' in html and "hx-get" not in html


def test_the_pager_swaps_in_place_with_htmx_and_takes_a_named_cursor() -> None:
    request = RequestFactory().get("/pub/decisions/", {"q": "罚款", "cursor": "abc"})
    html = _render(
        '{% pager next_after=nxt after="cursor" hx_target="#results" %}', request=request, nxt="d e"
    )
    assert 'href="/pub/decisions/?q=%E7%BD%9A%E6%AC%BE&amp;cursor=d+e"' in html
    assert 'hx-target="#results"' in html and "上一页" not in html


def test_no_pager_on_a_single_page() -> None:
    request = RequestFactory().get("/cases/")
    page = SimpleNamespace(prev_before=None, next_after=None)
    assert "翻页" not in _render("{% pager page %}", request=request, page=page)


def test_tabs_mark_the_active_one_and_a_lone_tab_is_not_drawn() -> None:
    two = [{"label": "甲", "url": "/a/", "active": True}, {"label": "乙", "url": "/b/", "active": False}]
    html = _render('{% tabs items label="执法监督" %}', items=two)
    assert 'aria-label="执法监督"' in html and "nav-tabs" in html
    assert '<a class="nav-link active" aria-current="page" href="/a/">甲</a>' in html
    assert _render("{% tabs items %}", items=two[:1]).strip() == ""
    assert "nav-pills" in _render("{% tabs items pills=True %}", items=two)


def test_query_tabs_switch_one_parameter() -> None:
    html = _render(
        '{% query_tabs kinds "kind" current suffix="清单" as t %}{% tabs t %}',
        kinds=[("a", "不予处罚"), ("b", "减轻处罚")],
        current="b",
    )
    assert 'href="?kind=a">不予处罚清单</a>' in html
    assert 'aria-current="page" href="?kind=b">减轻处罚清单</a>' in html


def test_an_area_shows_only_the_tabs_the_role_may_open() -> None:
    from zhifa.stats.rules import IMPORT_REMEDY

    shown = tabs_for("/stats/", "stats", allowed=lambda action: False)
    assert [t["label"] for t in shown] == ["监督看板", "统计年报", "考评"]
    assert shown[0]["active"] and not shown[1]["active"]
    allowed = tabs_for("/stats/", "stats", allowed=lambda action: action == IMPORT_REMEDY)
    assert [t["label"] for t in allowed][-1] == "复议诉讼导入"
    review = tabs_for("/review/anything/", "review", allowed=lambda action: True, active="report")
    assert [t["label"] for t in review if t["active"]] == ["统计报表"]


def test_every_top_bar_entry_is_registered_by_its_own_app() -> None:
    from zhifa.workbench.templatetags import zhifa_ui

    assert not hasattr(zhifa_ui, "_MENU")  # no list beside the registry
    names = [e.url_name for e in menu_entries()]
    for expected in (
        "core:workbench",
        "cases:my_cases",
        "org:party_list",
        "records:status",
        "inspections:today",
    ):
        assert expected in names
    assert names.index("core:workbench") == 0
    assert names.index("cases:my_cases") < names.index("cases:source_list")

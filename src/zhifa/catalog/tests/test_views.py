"""The staff pages: catalog list with filters and versions, item detail, import with the row-error report,
the four lists, the case panel prompting and recording; refusals by role and scope."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from zhifa.catalog.models import LenientDecision
from zhifa.catalog.tests.helpers import add_entry, add_item
from zhifa.catalog.tests.test_lenient import _reviewed


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_list_shows_items_in_force_and_every_version_on_request(world, catalog):
    add_item(world, "T-CF-001", name="新版名称", start=dt.date(2025, 6, 1))
    page = login(world.officer_user).get("/catalog/", {"on": "2025-03-01"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "T-CF-001" in text and "新版名称" not in text
    later = login(world.officer_user).get("/catalog/", {"on": "2025-07-01"}).content.decode()
    assert "新版名称" in later
    every = login(world.officer_user).get("/catalog/", {"all_versions": "on"}).content.decode()
    assert "第2版" in every
    only = (
        login(world.officer_user)
        .get("/catalog/", {"kind": "inspection", "on": "2025-03-01"})
        .content.decode()
    )
    assert "T-JC-001" in only and "T-CF-002" not in only


def test_detail_shows_versions_basis_and_linked_entries(world, catalog):
    add_entry(world, "T-CF-002")
    item = catalog["label"]
    text = login(world.supervisor).get(f"/catalog/items/{item.pk}/").content.decode()
    assert "中华人民共和国食品安全法" in text and "不予处罚" in text and "食品标签瑕疵" in text
    assert "登记新版本" not in text  # a supervisor reads, does not manage
    assert "登记新版本" in login(world.head).get(f"/catalog/items/{item.pk}/").content.decode()


def test_only_managers_open_the_import_and_new_item_pages(world):
    assert login(world.officer_user).get("/catalog/import/").status_code == 403
    assert login(world.officer_user).get("/catalog/items/new/").status_code == 403
    assert login(world.head).get("/catalog/import/").status_code == 200
    response = login(world.head).get("/catalog/import/template/items.xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_import_page_shows_the_row_errors(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhifa.catalog.tests.test_import import HEADER, _row, _xlsx

    upload = SimpleUploadedFile("目录.xlsx", _xlsx(HEADER, [_row(world, domain="航天")]))
    response = login(world.head).post("/catalog/import/", {"which": "items", "file": upload})
    assert response.status_code == 422
    assert "航天" in response.content.decode() and "未导入任何数据" in response.content.decode()


def test_new_item_form_refuses_an_overlap_beside_the_field(world, catalog):
    form = {
        "agency": world.agency.pk,
        "code": "T-CF-001",
        "name": "x",
        "kind": "penalty",
        "domain": world.market.pk,
        "law_name": "食品安全法",
        "article": "第一条",
        "article_text": "……",
        "effective_from": "2024-06-01",
    }
    response = login(world.head).post("/catalog/items/new/", form)
    assert response.status_code == 422 and "不得重叠" in response.content.decode()
    form["effective_from"] = "2025-09-01"
    assert login(world.head).post("/catalog/items/new/", form).status_code == 302


def test_four_lists_page_shows_each_list(world, catalog):
    add_entry(world, "T-CF-002", start=dt.date(2025, 1, 1))
    text = login(world.officer_user).get("/catalog/lists/", {"kind": "no_penalty"}).content.decode()
    assert "食品标签瑕疵" in text and "第三十三条" in text
    other = login(world.officer_user).get("/catalog/lists/", {"kind": "lighter"}).content.decode()
    assert "食品标签瑕疵" not in other and "第三十二条" in other


def test_case_panel_prompts_and_records_a_decision(world, catalog):
    entry = add_entry(world, "T-CF-002")
    case = _reviewed(world)
    officer = login(world.officer_user)
    page = officer.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="lenient-prompt"' in page and "食品标签瑕疵" in page
    response = officer.post(
        f"/catalog/cases/{case.pk}/lenient/{entry.pk}/",
        {"applies": "1", "conditions_met": ["首次违法", "及时改正"], "reason": "首次违法，当场改正"},
    )
    assert response.status_code == 302
    assert LenientDecision.objects.get(case=case).applies
    page = officer.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="lenient-prompt"' not in page and 'data-testid="lenient-decided"' in page


def test_case_panel_form_is_refused_outside_the_case_scope(world, catalog):
    entry = add_entry(world, "T-CF-002")
    case = _reviewed(world)
    response = login(world.outsider).post(
        f"/catalog/cases/{case.pk}/lenient/{entry.pk}/", {"applies": "0", "reason": "x"}
    )
    assert response.status_code == 404 and not LenientDecision.objects.exists()
    supervisor = login(world.supervisor).post(
        f"/catalog/cases/{case.pk}/lenient/{entry.pk}/", {"applies": "0", "reason": "x"}
    )
    assert supervisor.status_code == 403 and not LenientDecision.objects.exists()

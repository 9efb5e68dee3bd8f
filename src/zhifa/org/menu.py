"""The pages of the top bar with the action each needs, and whether a link may be shown to a user.

The layout (``zhifa.workbench.templatetags.zhifa_ui``) draws the menu from it; views of any app ask ``may_open``
before showing a link. Only URL names are named here, so no app is imported.
"""

from __future__ import annotations

from typing import Any

from django.urls import Resolver404, resolve

from zhifa.core.menu import extra_items
from zhifa.org.permissions import can

# (label, url name, bootstrap icon, action needed with obj=None; None = every signed-in user)
MENU: tuple[tuple[str, str, str, str | None], ...] = (
    ("工作台", "core:workbench", "speedometer2", None),
    ("案件", "cases:my_cases", "briefcase", "cases.my_cases"),
    ("行政区划", "org:region_list", "diagram-3", "org.view_region"),
    ("执法主体", "org:agency_list", "building", "org.view_agency"),
    ("执法人员", "org:officer_list", "people", "org.view_officer"),
    ("执法证件", "org:certificate_list", "person-vcard", "org.view_certificate"),
    ("行政相对人", "org:party_list", "shop", "org.view_party"),
    ("相对人导入", "org:party_import", "upload", "org.import_party"),
    ("证件核验", "org:certificate_verify", "patch-check", None),
    ("账本状态", "records:status", "journal-check", "records.view_ledger_status"),
    ("今日检查", "inspections:today", "qr-code", "inspections.inspect"),
    ("涉企检查", "inspections:warning_list", "clipboard-check", "inspections.view_warning"),
)


def may_open(user: Any, url: str) -> bool:
    """Whether a link may be shown to ``user``: a page of the menu only if its action allows it (other pages
    check their object themselves, and are shown)."""
    try:
        match = resolve(url.split("?", 1)[0])
    except Resolver404:
        return False
    for _label, name, _icon, action in (*MENU, *extra_items()):
        if name == match.view_name:
            return action is None or can(user, action)
    return True

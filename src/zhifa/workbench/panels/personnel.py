"""The 执法队伍 lines of the 待办 panels (zhifa.personnel): training plans to file or to accept, and the 30 June
check's flagged agencies."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from zhifa.org.models import User
from zhifa.personnel import selectors as personnel
from zhifa.workbench.panels._common import Todo


def personnel_todos(user: User, today: dt.date) -> list[Todo]:
    return [
        Todo(t.label, t.count, reverse(t.url_name), t.tone, note=t.note)
        for t in personnel.workbench_todos(user, today)
    ]

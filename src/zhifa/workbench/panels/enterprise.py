"""The 工作台 of an enterprise (企业): its own records and the certificate check."""

from __future__ import annotations

from django.urls import reverse

from zhifa.core import clock
from zhifa.core.masking import mask_person_name, mask_phone
from zhifa.disclosure.models import PublicationStatus
from zhifa.disclosure.selectors import party_publications
from zhifa.enterprise.selectors import enterprise_todos
from zhifa.org import permissions as perms
from zhifa.org.models import Party, User
from zhifa.ratings.selectors import workbench_todos as ratings_todos
from zhifa.workbench.panels._common import Cell, Panel, Todo, _time_left

# --- enterprise ----------------------------------------------------------------------------------------------------


def enterprise_panels(user: User) -> list[Panel]:
    """企业用户: 企业待办 (visits to agree a time for, visits ahead, rectifications due, decisions), my party record
    (desensitised) and a box to verify an officer's certificate."""
    parties = list(perms.scoped(user, perms.VIEW_PARTY, Party.objects.select_related("region"))[:5])
    panels = [_todo_panel(user)] if parties else []
    for party in parties:
        panels.append(
            Panel(
                f"enterprise-party-{party.pk}",
                "我的企业信息",
                icon="shop",
                facts=[
                    ("名称", party.name),
                    ("类型", party.get_kind_display()),
                    ("统一社会信用代码", party.uscc or "—"),
                    ("身份证号码", party.masked_id_number or "—"),
                    ("法定代表人/经营者", mask_person_name(party.legal_representative) or "—"),
                    ("电话", mask_phone(party.phone) or "—"),
                    ("所属区划", party.region.name),
                    ("信用风险分类", party.get_credit_class_display()),
                ],
                links=[("详细信息", reverse("org:party_detail", args=[party.pk]))],
            )
        )
    if not panels:
        panels.append(
            Panel("enterprise-party", "我的企业信息", icon="shop", empty_text="您的账号尚未关联企业。")
        )
    if parties:
        today = clock.today()
        mine = party_publications(user)
        public = sum(1 for p in mine if p.status == PublicationStatus.PUBLISHED and not p.expired(today))
        panels.append(
            Panel(
                "enterprise-publications",
                "我的公示决定",
                icon="megaphone",
                note="执法机关公示的本企业行政处罚等决定：公示状态、公示期限，以及信用修复申请。",
                facts=[("公示中", f"{public} 件"), ("全部", f"{len(mine)} 件")],
                links=[("查看并申请信用修复", reverse("disclosure:mine"))],
            )
        )
    panels.append(
        Panel(
            "enterprise-verify",
            "核验执法证件",
            icon="patch-check",
            note="执法人员上门检查时应出示行政执法证件。输入证件编号，可核验证件是否有效及其执法领域。",
            template="workbench/panels/verify.html",
        )
    )
    return panels


def _todo_panel(user: User) -> Panel:
    """企业待办 — the enterprise lands on its work: each line opens 我的检查 or 我的处罚决定."""
    today = clock.today()
    todos = enterprise_todos(user, today=today)
    home = reverse("enterprise:home")
    overdue = sum(1 for i in todos.rectifications_due if i.rectify_deadline and i.rectify_deadline < today)
    return Panel(
        "enterprise-todos",
        "企业待办",
        icon="list-check",
        note="执法机关告知的检查、待商定的入企时间、整改期限和公示中的决定。",
        todos=[
            Todo("待商定入企时间", todos.to_agree, home, tone="warning"),
            Todo("即将进行的检查", todos.upcoming, home),
            Todo("待整改", len(todos.rectifications_due), home, tone="danger" if overdue else "warning"),
            Todo("公示中的决定", todos.decisions_public, reverse("disclosure:mine"), tone="secondary"),
            *[Todo(*line) for line in ratings_todos(user)],  # 满意度调查
        ],
        columns=["整改事项", "执法主体", "整改期限"],
        rows=[
            [
                Cell(i.item.name if i.item else "整改", reverse("enterprise:inspection", args=[i.pk])),
                Cell(i.agency.name),
                _time_left(i.rectify_deadline, today),
            ]
            for i in todos.rectifications_due[:8]
        ],
        links=[("我的检查", home), ("我的投诉", reverse("enterprise:complaints"))],
        template="workbench/panels/todo.html",
        wide=True,
        queue=True,
    )

"""The 工作台 of an outside evaluator (外聘评查人员): the files assigned to them to score, and those scored."""

from __future__ import annotations

from django.urls import reverse

from zhifa.evaluation import selectors as evaluation
from zhifa.evaluation.models import FileStatus
from zhifa.org.models import User
from zhifa.workbench.panels._common import QUEUE_ROWS, Cell, Panel, Todo


def evaluator_panels(user: User) -> list[Panel]:
    """外聘评查人员 land on their work: 待评分 (files assigned to them), then what they have scored."""
    mine = list(evaluation.my_files(user)[:200])
    pending = [f for f in mine if f.status == FileStatus.PENDING]
    scored = [f for f in mine if f.status != FileStatus.PENDING]
    home = reverse("evaluation:plan_list")
    return [
        Panel(
            "evaluator-todos",
            "评查待办",
            icon="clipboard-check",
            note="分配给您的案卷：阅读脱敏摘要，逐项评分并写明扣分理由；评分提交后由司法局确认。",
            todos=[
                Todo("待评分案卷", len(pending), home, tone="warning" if pending else "primary"),
                Todo("已评分（待确认或已确认）", len(scored), home, tone="secondary"),
            ],
            columns=["案卷", "被评查单位", "评查方案", "状态"],
            rows=[
                [
                    Cell(
                        f"{f.case.number or '未立案线索'} {f.case.title}",
                        reverse("evaluation:file_detail", args=[f.pk]),
                    ),
                    Cell(f.agency.name),
                    Cell(f.plan.title),
                    Cell(
                        f.get_status_display(),
                        badge="warning" if f.status == FileStatus.PENDING else "secondary",
                    ),
                ]
                for f in (pending + scored)[:QUEUE_ROWS]
            ],
            empty_text="暂无分配给您的案卷。",
            links=[("全部评查任务", home)],
            template="workbench/panels/todo.html",
            wide=True,
            queue=True,
        )
    ]

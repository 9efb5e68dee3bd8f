"""The demo county's evaluation panel (step 161, after the plan of step 160): the staff evaluators on the panel
as 内部评查人员, the outside lawyer ``demo_evaluator`` on it with up to two files (one always waiting on their
工作台), and a third-party assessment: the anonymised sample exported and the assessor's scores imported."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from zhifa.evaluation import panel, services, thirdparty
from zhifa.evaluation.models import EvaluationFile, EvaluationPlan, FileStatus, MemberKind, PlanKind
from zhifa.org.models import Officer, Role, RoleAssignment, User

LAW_FIRM = "示范县明法律师事务所（演示）"
ASSESSOR = "示范市法治政府研究院（演示）"


def _internal_affiliation(user: User) -> str:
    officer = Officer.objects.filter(user=user).select_related("agency").first()
    if officer is not None:
        return officer.agency.name
    grant = RoleAssignment.objects.filter(user=user, agency__isnull=False).select_related("agency").first()
    return grant.agency.name if grant and grant.agency else ""


def demo_step(ctx: Any) -> None:
    grant = RoleAssignment.objects.filter(
        user__username="demo_supervisor", role=Role.SUPERVISOR, region__isnull=False
    ).first()
    lawyer = User.objects.filter(username="demo_evaluator").first()
    region_id = grant.region_id if grant else None
    plan = EvaluationPlan.objects.filter(region_id=region_id).order_by("id").first() if region_id else None
    if grant is None or lawyer is None or plan is None:
        ctx.say("案卷评查：无评查方案，跳过评查组")
        return
    supervisor = User.objects.get(pk=grant.user_id)
    files = list(EvaluationFile.objects.filter(plan=plan).order_by("id"))
    for user_id in dict.fromkeys(f.evaluator_id for f in files if f.evaluator_id):
        user = User.objects.get(pk=user_id)
        panel.member_add(
            actor=supervisor,
            plan=plan,
            user=user,
            kind=MemberKind.INTERNAL,
            affiliation=_internal_affiliation(user),
        )
    panel.member_add(actor=supervisor, plan=plan, user=lawyer, kind=MemberKind.LAWYER, affiliation=LAW_FIRM)
    open_files = [f for f in files if f.evaluator_id is None][:2]
    # every file of the plan has its evaluator already: a special plan gives the panel's lawyer work
    if not open_files and files:
        special = services.plan_create(
            actor=supervisor,
            region=plan.region,
            year=plan.year,
            title=f"{plan.year} 年度{files[0].case.domain.name}专项评查（第三方评查组，演示）",
            kind=PlanKind.SPECIAL,
            domain=files[0].case.domain,
            closed_from=plan.closed_from,
            closed_to=plan.closed_to,
            sample_per_agency=1,
        )
        open_files = services.plan_draw(actor=supervisor, plan=special)[:2]
        panel.member_add(
            actor=supervisor, plan=special, user=lawyer, kind=MemberKind.LAWYER, affiliation=LAW_FIRM
        )
    items = list(plan.sheet.items.all())
    for n, file in enumerate(open_files):
        services.file_assign(actor=supervisor, file=file, evaluator=lawyer)
        if n == 0 and len(open_files) > 1:  # one file scored; the other waits on their 工作台
            awards = {i.pk: i.points for i in items}
            awards[items[6].pk] = items[6].points - Decimal(3)
            services.file_score(
                actor=lawyer,
                file=file,
                awards=awards,
                notes={items[6].pk: "处罚决定书未载明申请行政复议、提起行政诉讼的途径和期限"},
                comment="程序基本合法，文书存在瑕疵。",
            )
    # 第三方评估: the sample goes out anonymised; the assessor sends back scores for the confirmed files
    thirdparty.third_party_export(actor=supervisor, plan=plan, fmt="xlsx")
    codes = thirdparty.sample_codes(plan)
    confirmed = [f for f in files if f.status == FileStatus.CONFIRMED or f.total is not None]
    sheet = Workbook()
    ws = sheet.active
    ws.append(list(thirdparty.COLUMNS))
    for n, file in enumerate(EvaluationFile.objects.filter(pk__in=[f.pk for f in confirmed]).order_by("id")):
        total = (file.total or Decimal(80)) - Decimal(n % 3)
        ws.append(
            [
                codes[file.pk],
                float(max(total, Decimal(0))),
                "卷宗完整，说理较充分。" if n % 2 else "证据目录不全。",
            ]
        )
    out = io.BytesIO()
    sheet.save(out)
    imported = thirdparty.score_import(actor=supervisor, plan=plan, assessor=ASSESSOR, data=out.getvalue())
    ctx.say(
        f"案卷评查：评查组含外聘律师 1 名，分配其 {len(open_files)} 卷；第三方评估得分 {len(imported)} 卷"
    )

"""Demo step (order 120): a major case of the demo county in legal review, with one returned round."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from zhifa.cases.models import Case, PenaltyKind, Stage
from zhifa.core.errors import DomainError
from zhifa.org.demo import DemoPartFailed
from zhifa.org.models import Agency, RoleAssignment, User
from zhifa.review import services
from zhifa.review.models import FindingResult, MajorDecisionCatalog, ReviewPoint, ReviewRequest


def demo_step(ctx: Any) -> None:
    """Take one notified demo case through a returned round and a resubmission (an error if none fits)."""
    reviewer = User.objects.filter(username="demo_reviewer").first()
    head = User.objects.filter(username="demo_head").first()
    if reviewer is None or head is None:
        raise DemoPartFailed("法制审核", "没有演示审核人员或机关负责人")
    _demo_catalog(head, ctx.today)
    candidates = (
        Case.objects.filter(stage__in=[Stage.NOTIFIED, Stage.HEARING], agency__name__startswith="示范")
        .exclude(pk__in=ReviewRequest.objects.values("case_id"))
        .order_by("id")
    )
    refusals: list[str] = []
    for case in candidates[:20]:  # demo seed: a sample
        officer_link = (
            case.officer_links.select_related("officer__user").filter(officer__user__isnull=False).first()
        )
        submitter = officer_link.officer.user if officer_link else head
        try:
            with transaction.atomic():  # a case that does not fit leaves nothing behind
                _walk(services, case, submitter, head, reviewer, ctx.today)
        except DomainError as refusal:
            refusals.append(f"{case.number}: {refusal}")
            continue
        ctx.say(f"法制审核：案件 {case.number} 第一轮退回补充，第二轮已报送")
        _assign_waiting(services, head, reviewer, ctx)
        return
    raise DemoPartFailed(
        "法制审核（退回与再次报送）",
        "没有已告知的演示案件可以报送审核" + (f"（{'；'.join(refusals[:3])}）" if refusals else ""),
    )


def _assign_waiting(services: Any, head: Any, reviewer: Any, ctx: Any) -> None:
    """The major case the cases demo left at 法制审核 goes to the demo reviewer: 我的待审 holds one."""
    case = (
        Case.objects.filter(stage=Stage.LEGAL_REVIEW, agency__name__startswith="示范")
        .exclude(pk__in=ReviewRequest.objects.values("case_id"))
        .order_by("id")
        .first()
    )
    if case is None:  # only a part of the demo was built (the cases step's major case is not there)
        ctx.say("法制审核：没有处于法制审核环节的演示案件，审核人员的“我的待审”为空")
        return
    link = case.officer_links.select_related("officer__user").filter(officer__user__isnull=False).first()
    with transaction.atomic():
        request = services.review_submit(
            actor=link.officer.user if link else head,
            case=case,
            draft_decision="拟对当事人作出罚款的行政处罚决定。（示范数据）",
            explanation="案情复杂，拟作出重大行政处罚决定，送法制审核。（示范数据）",
            on=ctx.today,
        )
        services.review_assign(actor=head, request=request, reviewer=reviewer, on=ctx.today)
    ctx.say(f"法制审核：案件 {case.number} 已分配给审核人员，待审")


def _walk(services: Any, case: Any, submitter: Any, head: Any, reviewer: Any, today: Any) -> None:
    kinds = "、".join(str(PenaltyKind(k).label) for k in case.proposed_kinds if k in PenaltyKind.values)
    request = services.review_submit(
        actor=submitter,
        case=case,
        draft_decision=f"拟对当事人作出行政处罚：{kinds or '—'}。（示范数据）",
        explanation="调查终结，事实清楚，拟作出重大行政处罚决定，送法制审核。（示范数据）",
        on=today,
    )
    services.review_assign(actor=head, request=request, reviewer=reviewer, on=today)
    for point in ReviewPoint:
        problem = point == ReviewPoint.LAW
        services.review_record_finding(
            actor=reviewer,
            request=request,
            point=point.value,
            result=FindingResult.PROBLEM if problem else FindingResult.OK,
            note="裁量基准适用说明不足，请补充从轻情节的认定理由。" if problem else "",
        )
    services.review_conclude(
        actor=reviewer,
        request=request,
        agreed=False,
        opinion="裁量基准运用理由不充分，请补充说明后再次报送审核。（示范数据）",
        on=today,
    )
    services.review_submit(
        actor=submitter,
        case=case,
        draft_decision="已补充裁量说明的决定书草稿。（示范数据）",
        explanation="已按审核意见补充从轻情节认定理由。（示范数据）",
        on=today,
    )


def _demo_catalog(head: Any, today: Any) -> None:
    """The head's agency gets a catalog equal to the statutory defaults (so the catalog page is not empty and
    no other demo case changes its path)."""
    agency_id = (
        RoleAssignment.objects.filter(user=head, agency__isnull=False)
        .values_list("agency_id", flat=True)
        .first()
    )
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None or MajorDecisionCatalog.objects.filter(agency=agency).exists():
        return
    services.catalog_publish(
        actor=head,
        agency=agency,
        effective_from=dt.date(today.year, 1, 1),
        fine_citizen_yuan="10000",
        fine_organisation_yuan="100000",
        confiscation_yuan="100000",
        note="示范目录（示范数据）：数额标准同听证标准；吊销许可证件、责令停产停业、责令关闭、听证、重大公共利益、疑难复杂",
    )

"""State changes of case-file evaluation (案卷评查); each in one transaction and on the ledger.

* ``plan_create`` — a region's annual or special plan (window of closing dates, files per agency, sheet,
  pass mark, bad-case criteria);
* ``plan_draw`` — the random sample of closed files per agency, reproducible: the seed is recorded and the
  rule is ``zhifa.inspections.draw.select`` under ``stratum_seed(seed, "agency/<id>")`` over the case ids;
* ``file_assign`` — an evaluator, never from the file's own agency (交叉评查);
* ``file_score`` — the assigned evaluator's points per item, the bad-case criteria found, the comment;
* ``file_confirm`` — the supervisor confirms the result; a typical bad case (典型差案) opens a problem in the
  supervision ledger (``zhifa.supervision.services.problem_open``).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from zhifa.cases.models import Case, RemedyOutcome, SourceKind, Stage
from zhifa.core import clock
from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.core.transactions import service
from zhifa.evaluation import rules
from zhifa.evaluation.models import (
    BadCaseCriterion,
    EvaluationFile,
    EvaluationPlan,
    FileStatus,
    Grade,
    ItemScore,
    PanelMember,
    PlanKind,
    PlanStatus,
    ScoreItem,
    ScoreSheet,
    Stratum,
    criterion_kind,
)
from zhifa.inspections import draw
from zhifa.org import permissions as perms
from zhifa.org.models import Domain, Officer, Region, Role, RoleAssignment, User
from zhifa.records.services import record_append
from zhifa.supervision.services import problem_open

MAX_SAMPLE = 50
EXCELLENT_SCORE = Decimal("90")

# The default sheet: the eight points a legal review checks (DOMAIN 1c, 重大执法决定法制审核) and the
# full-process record (执法全过程记录, seeds 001/003) — 100 points in all.
DEFAULT_ITEMS: tuple[tuple[str, str, int], ...] = (
    ("主体", "执法主体合法，在法定职权范围内作出决定", 10),
    ("人员", "执法人员具备执法资格，调查取证不少于两人并出示证件", 10),
    ("事实证据", "事实清楚，证据合法、确凿、充分，证据链完整", 20),
    ("法律适用", "适用法律、法规、规章正确，裁量基准运用适当，过罚相当", 15),
    ("程序", "立案、调查、告知、陈述申辩、听证等程序合法，在法定期限内办结", 15),
    ("法制审核", "重大执法决定经法制审核、集体讨论，涉嫌犯罪依法移送", 10),
    ("文书", "执法文书齐全、规范，送达合法，决定依法公示", 10),
    ("记录归档", "执法全过程记录完整，音像记录按规定制作，案卷按规定归档", 10),
)


def ensure_default_sheet() -> ScoreSheet:
    sheet = ScoreSheet.objects.filter(is_default=True).order_by("id").first()
    if sheet is not None:
        return sheet
    sheet = ScoreSheet.objects.create(
        name="行政处罚案卷评查评分表（默认）",
        description="依据法制审核要点与执法全过程记录制度编制，满分 100 分。",
        is_default=True,
    )
    ScoreItem.objects.bulk_create(
        ScoreItem(sheet=sheet, order=i, category=c, text=t, points=Decimal(p))
        for i, (c, t, p) in enumerate(DEFAULT_ITEMS, start=1)
    )
    return sheet


def _locked_plan(plan: EvaluationPlan | int) -> EvaluationPlan:
    pk = plan.pk if isinstance(plan, EvaluationPlan) else plan
    return EvaluationPlan.objects.select_for_update(of=("self",)).select_related("region").get(pk=pk)


def _locked_file(file: EvaluationFile | int) -> EvaluationFile:
    pk = file.pk if isinstance(file, EvaluationFile) else file
    return (
        EvaluationFile.objects.select_for_update(of=("self",))
        .select_related("plan__region", "plan__sheet", "agency__region", "case")
        .get(pk=pk)
    )


@service
def plan_create(
    *,
    actor: User,
    region: Region,
    year: int,
    title: str,
    kind: str = PlanKind.ANNUAL,
    closed_from: dt.date,
    closed_to: dt.date,
    sample_per_agency: int,
    pass_score: Decimal | int | str = 60,
    criteria: Sequence[str] | None = None,
    sheet: ScoreSheet | None = None,
    domain: Domain | None = None,
) -> EvaluationPlan:
    """评查方案 — the region's plan; the bad-case criteria default to all ten of seed 000."""
    perms.require(actor, rules.MANAGE, EvaluationPlan(region=region))
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise InvalidInput(
            "方案名称不能为空且不超过 200 字。", "Title required.", field="title", code="bad_title"
        )
    if kind not in PlanKind.values:
        raise InvalidInput("评查类型无效。", "Unknown kind.", field="kind", code="bad_kind")
    if kind == PlanKind.SPECIAL and domain is None:
        raise InvalidInput(
            "专项评查须指定领域。", "A special plan names its field.", field="domain", code="domain_required"
        )
    if closed_from > closed_to:
        raise InvalidInput(
            "结案日期范围无效。", "closed_from is after closed_to.", field="closed_to", code="bad_window"
        )
    if closed_to > clock.today():
        raise InvalidInput(
            "结案日期范围不能晚于今天。",
            "The window ends in the future.",
            field="closed_to",
            code="bad_window",
        )
    if not 1 <= int(sample_per_agency) <= MAX_SAMPLE:
        raise InvalidInput(
            f"每个执法主体抽取 1–{MAX_SAMPLE} 卷。",
            f"Sample 1-{MAX_SAMPLE} files.",
            field="sample_per_agency",
            code="bad_sample",
        )
    try:
        pass_mark = Decimal(str(pass_score))
    except InvalidOperation:
        pass_mark = Decimal(-1)
    if not Decimal(0) < pass_mark <= Decimal(100):
        raise InvalidInput(
            "合格分须在 0–100 之间。", "Pass mark 0-100.", field="pass_score", code="bad_pass_score"
        )
    chosen = list(BadCaseCriterion.values) if criteria is None else list(dict.fromkeys(criteria))
    unknown = [c for c in chosen if c not in BadCaseCriterion.values]
    if unknown or not chosen:
        raise InvalidInput(
            "典型差案评查标准无效。", f"Unknown criteria: {unknown}", field="criteria", code="bad_criteria"
        )
    plan = EvaluationPlan.objects.create(
        region=region,
        year=year,
        kind=kind,
        title=title,
        domain=domain,
        sheet=sheet or ensure_default_sheet(),
        closed_from=closed_from,
        closed_to=closed_to,
        sample_per_agency=int(sample_per_agency),
        pass_score=pass_mark,
        criteria=chosen,
        created_by=actor,
    )
    record_append(
        actor=actor,
        action="evaluation.plan_create",
        obj=plan,
        changes={
            "region": region.code,
            "year": year,
            "kind": kind,
            "sample_per_agency": plan.sample_per_agency,
            "window": [closed_from.isoformat(), closed_to.isoformat()],
            "criteria": chosen,
        },
    )
    return plan


# Seed 000 (三、1 評查范圍): “經復議機關復議決定或者經人民法院判決生效的行政敗訴案件，包括被確認違法、予以撤銷、
# 予以變更、確認無效、責令履職和承擔賠償責任的案件” — the outcomes that count as lost.
LOST_OUTCOMES = (
    RemedyOutcome.REVOKED,
    RemedyOutcome.CHANGED,
    RemedyOutcome.CONFIRMED_ILLEGAL,
    RemedyOutcome.CONFIRMED_VOID,
    RemedyOutcome.ORDERED_TO_PERFORM,
    RemedyOutcome.PAYMENT_ORDERED,
)
# The strata in the order a file is put in the first it matches (a lost, complained-about file is "lost").
STRATA: tuple[str, ...] = (Stratum.LOST, Stratum.COMPLAINT, Stratum.INACTION, Stratum.RANDOM)


def stratum_of(label: str) -> str:
    """``"lost/agency/3"`` → ``lost``; the random stratum keeps the plain ``"agency/<id>"`` label of old plans."""
    head = label.split("/", 1)[0]
    return head if head in STRATA and head != Stratum.RANDOM else Stratum.RANDOM


def candidate_pool(plan: EvaluationPlan) -> dict[str, list[str]]:
    """The plan's files, per stratum and agency: ``{"<stratum>/agency/<id>": [ids], "agency/<id>": [ids]}``.

    * 复议诉讼败诉 (``lost/``): a remedy decided in the window with a lost outcome (seed 000, 三、1);
    * 投诉举报案件 (``complaint/``): closed in the window, the case came from a complaint or report (案源：投诉举报);
    * 逾期未立案线索 (``inaction/``): a case source received in the window, still not opened after its check limit
      (seed 000, 三、2 不作為: “有案不立、有案不查”);
    * random (``agency/``): the other closed files of the window.
    """

    scope = Case.objects.filter(agency__region__path__startswith=plan.region.path)
    if plan.domain_id:
        scope = scope.filter(domain_id=plan.domain_id)
    closed = scope.filter(
        stage__in=[Stage.CLOSED, Stage.ARCHIVED],
        closed_on__gte=plan.closed_from,
        closed_on__lte=plan.closed_to,
    )
    lost = scope.filter(
        remedies__outcome__in=LOST_OUTCOMES,
        remedies__decided_on__gte=plan.closed_from,
        remedies__decided_on__lte=plan.closed_to,
    )
    inaction = scope.filter(
        stage=Stage.SOURCE,
        source_check_due__lt=clock.today(),
        source_received_on__gte=plan.closed_from,
        source_received_on__lte=plan.closed_to,
    )
    groups = (
        ("lost/", lost),
        ("complaint/", closed.filter(source_kind=SourceKind.COMPLAINT)),
        ("inaction/", inaction),
        ("", closed),
    )
    pool: dict[str, list[str]] = {}
    seen: set[int] = set()
    for prefix, qs in groups:
        for agency_id, case_id in qs.order_by("agency_id", "id").values_list("agency_id", "id").distinct():
            if case_id in seen:
                continue
            seen.add(case_id)
            pool.setdefault(f"{prefix}agency/{agency_id}", []).append(str(case_id))
    return pool


def sample(pool: Mapping[str, Sequence[str]], per_agency: int, seed: bytes) -> dict[str, list[str]]:
    """The files each agency's stratum draws: ``select(ids, min(n, k), stratum_seed(seed, label))``."""
    return {
        label: draw.select(list(ids), min(per_agency, len(ids)), draw.stratum_seed(seed, label))
        for label, ids in sorted(pool.items())
    }


@service
def plan_draw(*, actor: User, plan: EvaluationPlan | int) -> list[EvaluationFile]:
    """随机抽取案卷 — once per plan; the seed, the pool's hash and the result are recorded."""
    plan = _locked_plan(plan)
    perms.require(actor, rules.MANAGE, plan)
    if plan.status != PlanStatus.DRAFT:
        raise RuleViolation("该方案已抽取案卷，不能重复抽取。", "Already drawn.", code="plan_already_drawn")
    pool = candidate_pool(plan)
    if not pool:
        raise RuleViolation(
            "方案范围内没有可评查的已结案卷。",
            "No closed files in the plan's window.",
            code="no_closed_files",
        )
    seed = secrets.token_bytes(32)
    drawn = sample(pool, plan.sample_per_agency, seed)

    cases = Case.objects.in_bulk([int(i) for ids in drawn.values() for i in ids])
    files = EvaluationFile.objects.bulk_create(
        EvaluationFile(
            plan=plan, case_id=int(i), agency_id=cases[int(i)].agency_id, stratum=stratum_of(label)
        )
        for label, ids in drawn.items()
        for i in ids
    )
    plan.seed = seed.hex()
    plan.pool_hash = draw.pool_hash(pool)
    plan.drawn_at = clock.now()
    plan.status = PlanStatus.SAMPLED
    plan.save(update_fields=["seed", "pool_hash", "drawn_at", "status"])
    record_append(
        actor=actor,
        action="evaluation.plan_draw",
        obj=plan,
        changes={"seed": plan.seed, "pool_hash": plan.pool_hash, "drawn": drawn},
    )
    return files


def user_agency_ids(user: User) -> set[int]:
    """Every agency the user works for: role assignments and the officer record."""
    ids = set(
        RoleAssignment.objects.filter(user=user, agency__isnull=False).values_list("agency_id", flat=True)
    )
    ids |= set(Officer.objects.filter(user=user).values_list("agency_id", flat=True))
    return ids


@service
def file_assign(*, actor: User, file: EvaluationFile | int, evaluator: User) -> EvaluationFile:
    """分配评查人员 — a person of another agency (交叉评查): one's own agency's files are refused."""
    file = _locked_file(file)
    perms.require(actor, rules.MANAGE, file.plan)
    if file.status == FileStatus.CONFIRMED:
        raise RuleViolation("评查结果已确认，不能更换评查人员。", "Result confirmed.", code="file_confirmed")
    if not evaluator.is_active or not perms.can(evaluator, rules.SCORE):
        raise InvalidInput(
            "该用户不能担任评查人员。",
            "This user cannot evaluate.",
            field="evaluator",
            code="not_an_evaluator",
        )
    # 评查回避: seed 000 (三、3) has agencies' files evaluated by a panel; nobody evaluates their own agency's file.
    if file.agency_id in user_agency_ids(evaluator):
        raise RuleViolation(
            "评查人员不得评查本单位的案卷（交叉评查、回避）。",
            "An evaluator may not evaluate a file of their own agency.",
            code="evaluator_same_agency",
            field="evaluator",
        )
    # Seed 000 (三、3): outside members evaluate as the plan's 第三方評查組 — an outside evaluator only on its panel.
    if (
        RoleAssignment.objects.filter(user=evaluator, role=Role.EVALUATOR).exists()
        and not PanelMember.objects.filter(plan_id=file.plan_id, user=evaluator).exists()
    ):
        raise RuleViolation(
            "外聘评查人员须先加入本方案的评查组。",
            "An outside evaluator must be on the plan's panel.",
            code="outsider_not_on_panel",
            field="evaluator",
        )
    file.evaluator = evaluator
    file.save(update_fields=["evaluator"])
    record_append(actor=actor, action="evaluation.file_assign", obj=file, changes={"evaluator": evaluator.pk})
    return file


def grade_for(total: Decimal, pass_score: Decimal) -> str:
    if total >= EXCELLENT_SCORE:
        return Grade.EXCELLENT
    return Grade.PASS if total >= pass_score else Grade.FAIL


@service
def file_score(
    *,
    actor: User,
    file: EvaluationFile | int,
    awards: Mapping[int, Any],
    notes: Mapping[int, str] | None = None,
    criteria: Sequence[str] = (),
    comment: str = "",
) -> EvaluationFile:
    """评分 — the assigned evaluator scores every item (0 to its points); criteria found flag a bad case."""
    file = _locked_file(file)
    if not perms.can(actor, rules.SCORE) or file.evaluator_id != getattr(actor, "pk", None):
        raise PermissionDenied(
            "只有分配的评查人员可以评分。",
            "Only the assigned evaluator may score.",
            code="not_assigned_evaluator",
        )
    if file.agency_id in user_agency_ids(actor):  # assignment checked it; an officer may since have moved
        raise RuleViolation(
            "评查人员不得评查本单位的案卷（交叉评查、回避）。",
            "An evaluator may not evaluate a file of their own agency.",
            code="evaluator_same_agency",
        )
    if file.status == FileStatus.CONFIRMED:
        raise RuleViolation("评查结果已确认，不能修改。", "Result confirmed.", code="file_confirmed")
    items = list(file.plan.sheet.items.all())
    notes = notes or {}
    rows = []
    for item in items:
        raw = awards.get(item.pk)
        field = f"item_{item.pk}"
        if raw is None or str(raw).strip() == "":
            raise InvalidInput(
                f"第 {item.order} 项未评分。",
                f"Item {item.order} not scored.",
                field=field,
                code="item_missing",
            )
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation:
            value = Decimal(-1)
        if (
            not value.is_finite()
            or value < 0
            or value > item.points
            or value != value.quantize(Decimal("0.1"))
        ):
            raise InvalidInput(
                f"第 {item.order} 项得分须在 0–{item.points} 之间（最多一位小数）。",
                f"Item {item.order}: 0-{item.points}.",
                field=field,
                code="item_out_of_range",
            )
        note = (notes.get(item.pk) or "").strip()
        if value < item.points and not note:
            raise InvalidInput(
                f"第 {item.order} 项扣分须写明理由。",
                f"Item {item.order}: give the reason for deducting.",
                field=field,
                code="deduction_without_reason",
            )
        rows.append(ItemScore(file=file, item=item, awarded=value, note=note[:500]))
    unknown = [c for c in criteria if c not in file.plan.criteria]
    if unknown:
        raise InvalidInput(
            "所选典型差案标准不在本方案内。",
            f"Criteria not in the plan: {unknown}",
            field="criteria",
            code="bad_criteria",
        )
    chosen = [c for c in file.plan.criteria if c in set(criteria)]
    comment = (comment or "").strip()
    if chosen and not comment:
        raise InvalidInput(
            "认定典型差案须写明评查意见。",
            "A typical bad case needs the evaluator's opinion.",
            field="comment",
            code="comment_required",
        )
    ItemScore.objects.filter(file=file).delete()
    ItemScore.objects.bulk_create(rows)
    total = sum((r.awarded for r in rows), Decimal(0))
    file.total = total
    file.grade = grade_for(total, file.plan.pass_score)
    file.is_typical_bad = bool(chosen)
    file.bad_criteria = chosen
    file.comment = comment[:5000]
    file.status = FileStatus.SCORED
    file.scored_at = clock.now()
    file.save(
        update_fields=["total", "grade", "is_typical_bad", "bad_criteria", "comment", "status", "scored_at"]
    )
    record_append(
        actor=actor,
        action="evaluation.file_score",
        obj=file,
        changes={
            "total": str(total),
            "grade": file.grade,
            "items": {str(r.item_id): str(r.awarded) for r in rows},
            "bad_criteria": chosen,
        },
    )
    return file


def open_problem(*, actor: User, file: EvaluationFile) -> int:
    """Put a typical bad case on the supervision problem ledger (问题台账); returns the problem's id."""

    kinds = {criterion_kind(c) for c in file.bad_criteria}
    labels = "；".join(str(BadCaseCriterion(c).label) for c in file.bad_criteria)
    problem = problem_open(
        actor=actor,
        agency=file.agency,
        source_kind="evaluation",
        source_ref=f"evaluation-file:{file.pk}",
        title=f"典型差案：{file.case.number or file.case.pk}（{file.plan.title}）",
        description=f"评查认定：{labels}。评查意见：{file.comment}",
        category="inaction" if "inaction" in kinds else "irregular",
    )
    return problem.pk


@service
def file_confirm(*, actor: User, file: EvaluationFile | int) -> EvaluationFile:
    """确认评查结果 — by the plan's supervisors; a typical bad case goes onto the problem ledger at once."""
    file = _locked_file(file)
    perms.require(actor, rules.MANAGE, file.plan)
    if file.status != FileStatus.SCORED:
        raise RuleViolation("案卷尚未评分，不能确认。", "The file is not scored.", code="file_not_scored")
    file.status = FileStatus.CONFIRMED
    file.confirmed_by = actor
    file.confirmed_at = clock.now()
    if file.is_typical_bad:
        file.problem_id = open_problem(actor=actor, file=file)
    file.save(update_fields=["status", "confirmed_by", "confirmed_at", "problem_id"])
    record_append(
        actor=actor,
        action="evaluation.file_confirm",
        obj=file,
        changes={"total": str(file.total), "typical_bad": file.is_typical_bad, "problem_id": file.problem_id},
    )
    return file

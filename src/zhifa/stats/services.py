"""State changes of statistics: importing reconsideration/litigation outcomes, assessment schemes and scoring.

Each service checks the caller's permission and scope, validates, writes and appends to the ledger in one
transaction (``@service``); a refused import writes nothing at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from zhifa.cases.services import remedies_fill_from_import
from zhifa.core import clock
from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.core.tables import cell_text, table_rows
from zhifa.core.transactions import service
from zhifa.disclosure.services import publications_withdraw_for_remedy
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Region, User
from zhifa.records.services import record_append
from zhifa.stats import rules
from zhifa.stats.models import (
    CORRECTED_OUTCOMES,
    LITIGATION_OUTCOMES,
    RECONSIDERATION_OUTCOMES,
    AssessmentIndicator,
    AssessmentScheme,
    AssessmentScore,
    Indicator,
    RemedyCase,
    RemedyImport,
    RemedyKind,
    RemedyOutcome,
    SchemeStatus,
)
from zhifa.stats.selectors import agency_metric_totals

MAX_IMPORT_ROWS = 20000
IMPORT_COLUMNS = ("类型", "案号", "执法主体统一社会信用代码", "结果", "结案日期", "原行政行为文号")
_KIND_BY_LABEL = {
    "行政复议": RemedyKind.RECONSIDERATION,
    "复议": RemedyKind.RECONSIDERATION,
    "行政诉讼": RemedyKind.LITIGATION,
    "诉讼": RemedyKind.LITIGATION,
}
_OUTCOME_BY_LABEL = {str(label): value for value, label in RemedyOutcome.choices}
_OUTCOME_BY_LABEL.update({"驳回": RemedyOutcome.REJECTED, "部分撤销": RemedyOutcome.REVOKED})


def _parse_rows(content: bytes) -> list[list[str]]:
    return [[cell_text(v, day_only=True) for v in row] for row in table_rows(content, formats=("xlsx",))]


@service
def remedy_import(*, actor: User, region: Region, filename: str, content: bytes) -> RemedyImport:
    """导入复议、诉讼结果 — every row valid or nothing written; the errors name row and column."""
    perms.require(actor, rules.IMPORT_REMEDY, region)
    rows = _parse_rows(content)
    if not rows or [c for c in rows[0][: len(IMPORT_COLUMNS)]] != list(IMPORT_COLUMNS):
        raise InvalidInput(
            f"表头须为：{'、'.join(IMPORT_COLUMNS)}。",
            "The header row must be: " + ", ".join(IMPORT_COLUMNS),
            field="file",
            code="bad_header",
        )
    body = [r for r in rows[1:] if any(r)]
    if not body:
        raise InvalidInput(
            "文件没有数据行。", "The file has no data rows.", field="file", code="empty_import"
        )
    if len(body) > MAX_IMPORT_ROWS:
        raise InvalidInput(
            f"一次最多导入 {MAX_IMPORT_ROWS} 行。",
            f"At most {MAX_IMPORT_ROWS} rows.",
            field="file",
            code="too_many_rows",
        )
    usccs = {r[2] for r in body if len(r) > 2}
    agencies = {a.uscc: a for a in Agency.objects.filter(uscc__in=usccs).select_related("region")}
    numbers_seen: set[tuple[str, str]] = set()
    existing = set(
        RemedyCase.objects.filter(number__in=[r[1] for r in body if len(r) > 1]).values_list("kind", "number")
    )
    errors: list[dict[str, Any]] = []
    parsed: list[RemedyCase] = []
    today = clock.today()
    for index, raw in enumerate(body, start=2):
        r = (raw + [""] * len(IMPORT_COLUMNS))[: len(IMPORT_COLUMNS)]
        kind_label, number, uscc, outcome_label, concluded, act_ref = r

        def bad(column: str, message: str, row: int = index) -> None:
            errors.append({"row": row, "column": column, "message": message})

        kind = _KIND_BY_LABEL.get(kind_label)
        if kind is None:
            bad("类型", "须为“行政复议”或“行政诉讼”")
        if not number or len(number) > 80:
            bad("案号", "不能为空，且不超过 80 字")
        elif kind and (kind, number) in numbers_seen | existing:
            bad("案号", "案号重复（本文件或已导入）")
        agency = agencies.get(uscc)
        if agency is None:
            bad("执法主体统一社会信用代码", "找不到该执法主体")
        elif not agency.region.path.startswith(region.path):
            bad("执法主体统一社会信用代码", "该执法主体不在所选区划内")
        outcome = _OUTCOME_BY_LABEL.get(outcome_label)
        allowed = RECONSIDERATION_OUTCOMES if kind == RemedyKind.RECONSIDERATION else LITIGATION_OUTCOMES
        if outcome is None or (kind and outcome not in allowed):
            names = "、".join(str(RemedyOutcome(v).label) for v in sorted(allowed))
            bad("结果", f"无法识别的结果“{outcome_label}”，可用：{names}")
        try:
            concluded_on = dt.date.fromisoformat(concluded)
            if concluded_on > today:
                bad("结案日期", "不能晚于今天")
        except ValueError:
            concluded_on = None
            bad("结案日期", "须为日期（YYYY-MM-DD）")
        if len(act_ref) > 100:
            bad("原行政行为文号", "不超过 100 字")
        if kind and number:
            numbers_seen.add((kind, number))
        if agency is not None and kind and outcome and concluded_on:
            parsed.append(
                RemedyCase(
                    agency=agency,
                    kind=kind,
                    number=number,
                    outcome=outcome,
                    concluded_on=concluded_on,
                    year=concluded_on.year,
                    act_reference=act_ref,
                )
            )
    if errors:
        raise InvalidInput(
            f"导入失败：{len(errors)} 处错误，未写入任何数据。",
            f"Import refused: {len(errors)} errors; nothing was written.",
            field="file",
            code="import_rows_invalid",
            details=errors[:200],
        )
    batch = RemedyImport.objects.create(
        region=region,
        filename=filename[:200],
        sha256=hashlib.sha256(content).hexdigest(),
        rows=len(parsed),
        imported_by=actor,
    )
    for case in parsed:
        case.batch = batch
    RemedyCase.objects.bulk_create(parsed)
    record_append(
        actor=actor,
        action="stats.remedy_import",
        obj=batch,
        changes={"rows": len(parsed), "sha256": batch.sha256, "region": region.code},
    )
    # 行政处罚法 第四十八条第二款: a decision revoked, changed, or confirmed unlawful or void leaves the portal.

    withdrawn = 0
    for case in parsed:
        if case.act_reference:
            withdrawn += len(
                publications_withdraw_for_remedy(
                    actor=actor,
                    agency=case.agency,
                    document_number=case.act_reference,
                    outcome=case.outcome,
                    remedy=f"{case.get_kind_display()} {case.number}：{case.get_outcome_display()}",
                )
            )
    # 行政处罚法 第七十三条第三款: an outcome that names a case's decision completes its 复议/诉讼 record.

    for case in parsed:
        if case.act_reference:
            remedies_fill_from_import(
                actor=actor,
                agency=case.agency,
                document_number=case.act_reference,
                kind=case.kind,
                outcome=case.outcome,
                decided_on=case.concluded_on,
                number=case.number,
            )
    if withdrawn:
        batch.withdrawn = withdrawn
        batch.save(update_fields=["withdrawn"])
    return batch


# --- 考评 ------------------------------------------------------------------------------------------------------------


def _validate_indicators(indicators: Sequence[dict[str, Any]]) -> list[tuple[str, int]]:
    if not indicators:
        raise InvalidInput(
            "至少须有一个考评指标。", "At least one indicator.", field="indicators", code="no_indicators"
        )
    seen: list[tuple[str, int]] = []
    for i, item in enumerate(indicators):
        code = str(item.get("code", ""))
        if code not in Indicator.values:
            raise InvalidInput(
                f"第 {i + 1} 个指标“{code}”不存在。",
                f"Unknown indicator {code!r}.",
                field="indicators",
                code="unknown_indicator",
            )
        if code in {c for c, _ in seen}:
            raise InvalidInput(
                f"指标“{Indicator(code).label}”重复。",
                f"Indicator {code} repeated.",
                field="indicators",
                code="duplicate_indicator",
            )
        try:
            weight = int(item.get("weight"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            weight = 0
        if not 1 <= weight <= 100 or str(item.get("weight")).strip() not in (str(weight), f"{weight}.0"):
            raise InvalidInput(
                f"指标“{Indicator(code).label}”的权重须为 1–100 的整数。",
                "Weights are integers 1-100.",
                field="indicators",
                code="bad_weight",
            )
        seen.append((code, weight))
    total = sum(w for _, w in seen)
    if total != 100:
        raise InvalidInput(
            f"各指标权重之和须为 100，现为 {total}。",
            f"Weights must sum to 100, not {total}.",
            field="indicators",
            code="weights_not_100",
        )
    return seen


@service
def assessment_scheme_create(
    *, actor: User, region: Region, year: int, name: str, indicators: Sequence[dict[str, Any]]
) -> AssessmentScheme:
    """考评方案 — indicators and weights (each 1–100, summing to 100) for one region and year."""
    perms.require(actor, rules.MANAGE_ASSESSMENT, region)
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise InvalidInput(
            "方案名称不能为空且不超过 200 字。", "Name is required.", field="name", code="bad_name"
        )
    if not 2000 <= year <= clock.today().year + 1:
        raise InvalidInput("年度超出范围。", "Year out of range.", field="year", code="year_out_of_range")
    checked = _validate_indicators(indicators)
    scheme = AssessmentScheme.objects.create(region=region, year=year, name=name, created_by=actor)
    AssessmentIndicator.objects.bulk_create(
        AssessmentIndicator(scheme=scheme, code=code, weight=weight) for code, weight in checked
    )
    record_append(
        actor=actor,
        action="stats.assessment_scheme_create",
        obj=scheme,
        changes={"year": year, "region": region.code, "indicators": dict(checked)},
    )
    return scheme


def _ratio(good: int, total: int) -> Decimal | None:
    if total <= 0:
        return None
    return (Decimal(100) * good / total).quantize(Decimal("0.01"), ROUND_HALF_UP)


def indicator_values(agencies: Sequence[Agency], year: int) -> dict[int, dict[str, Decimal | None]]:
    """Each indicator 0–100 per agency and year; ``None`` where the agency has nothing to measure."""
    ids = [a.pk for a in agencies]
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    # the same period read as the quarterly rating's (zhifa.ratings), one year long here
    cells = agency_metric_totals(
        ids,
        start,
        end,
        ["case.decided", "case.decided_late", "case.legal_review", "warning.raised", "warning.closed"],
    )

    def total(agency_id: int, metric: str, key: str | None = None) -> int:
        return sum(
            v
            for (a, m, k), v in cells.items()
            if a == agency_id and m == metric and (key is None or k == key)
        )

    remedies: dict[int, list[int]] = {}
    for agency_id, outcome in RemedyCase.objects.filter(agency_id__in=ids, year=year).values_list(
        "agency_id", "outcome"
    ):
        pair = remedies.setdefault(agency_id, [0, 0])
        pair[0] += 1
        pair[1] += outcome in CORRECTED_OUTCOMES
    quality: dict[int, Decimal] = {}
    try:
        # local import: the evaluation app is optional for statistics (ImportError below)
        from zhifa.evaluation.selectors import average_scores

        quality = average_scores(ids, year)
    except ImportError:  # the evaluation app is optional for statistics
        quality = {}
    result: dict[int, dict[str, Decimal | None]] = {}
    for a in ids:
        decided = total(a, "case.decided")
        remedy = remedies.get(a, [0, 0])
        result[a] = {
            Indicator.TIMELINESS: _ratio(decided - total(a, "case.decided_late"), decided),
            Indicator.REVIEW_PASS: _ratio(
                total(a, "case.legal_review", "agreed"), total(a, "case.legal_review")
            ),
            Indicator.WARNINGS_HANDLED: _ratio(total(a, "warning.closed"), total(a, "warning.raised")),
            Indicator.LITIGATION: _ratio(remedy[0] - remedy[1], remedy[0]),
            Indicator.CASE_QUALITY: quality.get(a),
        }
    return result


@service
def assessment_score(*, actor: User, scheme: AssessmentScheme | int) -> list[AssessmentScore]:
    """考评评分 — the weighted total of each agency of the scheme's region, and the ranking.

    An indicator an agency has nothing to measure on (no decisions, no reviews …) is left out of its total and
    the remaining weights are scaled up to 100, so that no agency gains or loses by having no data.
    """
    pk = scheme.pk if isinstance(scheme, AssessmentScheme) else scheme
    scheme = AssessmentScheme.objects.select_for_update().select_related("region").get(pk=pk)
    perms.require(actor, rules.MANAGE_ASSESSMENT, scheme)
    weights = dict(scheme.indicators.values_list("code", "weight"))
    agencies = list(
        Agency.objects.filter(
            region__path__startswith=scheme.region.path, is_active=True, is_supervision_organ=False
        ).order_by("id")
    )
    if not agencies:
        raise RuleViolation(
            "该区划内没有执法主体，无法评分。", "No agencies in the region.", code="no_agencies"
        )
    values = indicator_values(agencies, scheme.year)
    totals: list[tuple[int, Decimal, dict[str, Any]]] = []
    for agency in agencies:
        v = values[agency.pk]
        used = {code: w for code, w in weights.items() if v.get(code) is not None}
        weight_sum = sum(used.values())
        score = (
            sum((v[code] * w for code, w in used.items()), Decimal(0)) / weight_sum
            if weight_sum
            else Decimal(0)
        ).quantize(Decimal("0.01"), ROUND_HALF_UP)
        detail = {code: (str(v[code]) if v.get(code) is not None else None) for code in weights}
        totals.append((agency.pk, score, detail))
    totals.sort(key=lambda t: (-t[1], t[0]))
    AssessmentScore.objects.filter(scheme=scheme).delete()
    scores = []
    rank = 0
    previous: Decimal | None = None
    for position, (agency_id, score, detail) in enumerate(totals, start=1):
        if score != previous:
            rank, previous = position, score
        scores.append(
            AssessmentScore(scheme=scheme, agency_id=agency_id, total=score, rank=rank, detail=detail)
        )
    AssessmentScore.objects.bulk_create(scores)
    scheme.status = SchemeStatus.SCORED
    scheme.scored_at = clock.now()
    scheme.save(update_fields=["status", "scored_at"])
    record_append(
        actor=actor,
        action="stats.assessment_score",
        obj=scheme,
        changes={"scores": {str(a): str(s) for a, s, _ in totals}},
    )
    return scores

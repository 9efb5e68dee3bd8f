"""State changes of discretion (裁量基准): benchmarks and their versions, a case's facts, deviation reasons.

Every function checks permission, validates, writes and appends to the ledger in one transaction; a refusal
writes nothing. ``recommend(case)`` reads: it gathers the benchmark versions that apply to the case and hands
them to the pure ``logic.recommend_for``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Max

from zhifa.cases.models import Case
from zhifa.core import clock, flags
from zhifa.core.errors import InvalidInput, NotFound, RuleViolation
from zhifa.core.transactions import service
from zhifa.discretion import logic, rules
from zhifa.discretion.logic import BenchmarkSpec, Facts, Recommendation, TierSpec
from zhifa.discretion.models import Benchmark, CaseFacts, Deviation, HarmLevel, Outcome, Tier
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Region, User
from zhifa.records.services import record_append

__all__ = [
    "benchmark_create",
    "deviation_explain",
    "facts_for",
    "facts_record",
    "recommend",
    "recommend_for",
    "spec_of",
]

recommend_for = logic.recommend_for

_TIER_FIELDS = (
    "gains_min_yuan",
    "gains_max_yuan",
    "goods_min_yuan",
    "goods_max_yuan",
    "fine_min_yuan",
    "fine_max_yuan",
    "multiple_min",
    "multiple_max",
)


# --- conversions ----------------------------------------------------------------------------------------------


def _decimal(value: Any, field: str, label: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise InvalidInput(
            f"{label}不是有效的数字：{value}。", f"{field} is not a number.", field=field
        ) from None
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise InvalidInput(f"{label}超出范围。", f"{field} is out of range.", field=field)
    return number


def tier_spec(data: TierSpec | Mapping[str, Any], order: int) -> TierSpec:
    """A tier from a mapping (API body, import row) — numbers parsed, lists as tuples."""
    if isinstance(data, TierSpec):
        return data
    values = dict(data)
    for name in _TIER_FIELDS:
        values[name] = _decimal(values.get(name), name, name)
    for name in ("duration_min_days", "duration_max_days"):
        raw = values.get(name)
        values[name] = None if raw in (None, "") else int(raw)
    values["harm_levels"] = tuple(values.get("harm_levels") or ())
    values["kinds"] = tuple(values.get("kinds") or ())
    values.setdefault("order", order)
    values["name"] = str(values.get("name") or "").strip()
    values["condition_text"] = str(values.get("condition_text") or "").strip()[:500]
    values["fine_basis"] = values.get("fine_basis") or "amount"
    known = set(TierSpec.__dataclass_fields__)
    return TierSpec(**{k: v for k, v in values.items() if k in known})


def spec_of(benchmark: Benchmark) -> BenchmarkSpec:
    tiers = tuple(
        TierSpec(
            name=t.name,
            order=t.order,
            harm_levels=tuple(t.harm_levels or ()),
            gains_min_yuan=t.gains_min_yuan,
            gains_max_yuan=t.gains_max_yuan,
            goods_min_yuan=t.goods_min_yuan,
            goods_max_yuan=t.goods_max_yuan,
            repeat=t.repeat,
            duration_min_days=t.duration_min_days,
            duration_max_days=t.duration_max_days,
            condition_text=t.condition_text,
            fine_basis=t.fine_basis,
            fine_min_yuan=t.fine_min_yuan,
            fine_max_yuan=t.fine_max_yuan,
            multiple_min=t.multiple_min,
            multiple_max=t.multiple_max,
            kinds=tuple(t.kinds or ()),
        )
        for t in sorted(benchmark.tiers.all(), key=lambda t: t.order)
    )
    return BenchmarkSpec(
        id=benchmark.pk,
        version=benchmark.version,
        effective_from=benchmark.effective_from,
        effective_to=benchmark.effective_to,
        tiers=tiers,
        catalog_item_code=benchmark.catalog_item_code,
        title=benchmark.title,
        law_name=benchmark.law_name,
        article=benchmark.article,
        lighter_share=benchmark.lighter_share,
        heavier_share=benchmark.heavier_share,
        mitigated_floor_ratio=benchmark.mitigated_floor_ratio,
        repeat_window_months=benchmark.repeat_window_months,
    )


def facts_of(row: CaseFacts | None) -> Facts | None:
    if row is None:
        return None
    return Facts(
        illegal_gains_yuan=row.illegal_gains_yuan,
        goods_value_yuan=row.goods_value_yuan,
        harm_level=row.harm_level,
        previous_penalty_on=row.previous_penalty_on,
        duration_days=row.duration_days,
        circumstances=tuple(row.circumstances or ()),
        mitigation_applied=row.mitigation_applied,
    )


def _errors_refusal(errors: Sequence[logic.TierError]) -> InvalidInput:
    first = errors[0]
    lines = [f"第 {e.row} 行 {e.field}：{e.message}" if e.row else f"{e.field}：{e.message}" for e in errors]
    return InvalidInput(
        "裁量档次有误：" + "；".join(lines) + "。",
        f"{len(errors)} error(s) in the tiers.",
        code="benchmark_tiers_invalid",
        field=f"tiers[{first.row - 1}].{first.field}" if first.row else "tiers",
        details=[asdict(e) for e in errors],
    )


# --- benchmarks -----------------------------------------------------------------------------------------------


def _issuer(agency: Agency | None, region: Region | None) -> tuple[str | None, str]:
    if (agency is None) == (region is None):
        raise InvalidInput(
            "裁量基准须由一个执法主体或一个区划制定（二者选一）。",
            "Give exactly one issuer: an agency or a region.",
            field="agency_id",
        )
    if agency is not None:
        return agency.path, agency.region.path
    assert region is not None
    return None, region.path


def validate_benchmark(
    *,
    catalog_item_code: str,
    title: str,
    law_name: str,
    article: str,
    basis_text: str,
    effective_from: dt.date | None,
    effective_to: dt.date | None,
    tiers: Sequence[TierSpec],
    lighter_share: Decimal | None = None,
    heavier_share: Decimal | None = None,
    mitigated_floor_ratio: Decimal | None = None,
) -> list[tuple[str, str]]:
    """Field errors of a benchmark's head (not its tiers): ``[(field, message)]``."""
    errors: list[tuple[str, str]] = []
    if not (catalog_item_code or "").strip():
        errors.append(("catalog_item_code", "执法事项编码不能为空"))
    elif len(catalog_item_code) > 64:
        errors.append(("catalog_item_code", "执法事项编码过长（最多 64 字符）"))
    if not (title or "").strip():
        errors.append(("title", "违法行为不能为空"))
    # 行政处罚法 第四条: 行政处罚依据法律、法规、规章; a benchmark only refines a range the law sets, so the law,
    # the article and its text are required.
    if not (law_name or "").strip():
        errors.append(("law_name", "须填写法律依据名称（裁量基准不得没有法定依据）"))
    if not (article or "").strip():
        errors.append(("article", "须填写法律依据条款"))
    if not (basis_text or "").strip():
        errors.append(("basis_text", "须填写法律依据原文"))
    if effective_from is None:
        errors.append(("effective_from", "须填写生效日期"))
    elif effective_to is not None and effective_to < effective_from:
        errors.append(("effective_to", "失效日期早于生效日期"))
    for name, value in (
        ("lighter_share", lighter_share),
        ("heavier_share", heavier_share),
        ("mitigated_floor_ratio", mitigated_floor_ratio),
    ):
        if value is not None and not (0 <= value <= 1):
            errors.append((name, "比例应在 0 到 1 之间"))
    return errors


@service
def benchmark_create(
    *,
    actor: User,
    catalog_item_code: str,
    title: str,
    law_name: str,
    article: str,
    basis_text: str,
    effective_from: dt.date,
    tiers: Sequence[TierSpec | Mapping[str, Any]],
    agency: Agency | None = None,
    region: Region | None = None,
    effective_to: dt.date | None = None,
    lighter_share: Any = None,
    heavier_share: Any = None,
    mitigated_floor_ratio: Any = None,
    repeat_window_months: int | None = None,
    source: str = "form",
) -> Benchmark:
    """制定裁量基准 — a new benchmark, or the next version of the issuer's benchmark of the same item.

    The new version closes the one in force before it (effective_to = the day before); a version may not start
    on or before an existing version of the same issuer and item (history is never rewritten).
    """
    agency_path, region_path = _issuer(agency, region)
    probe = Benchmark(agency=agency, region=region, agency_path=agency_path, region_path=region_path)
    perms.require(actor, rules.MANAGE, probe)
    catalog_item_code = (catalog_item_code or "").strip()
    shares = {
        "lighter_share": _decimal(lighter_share, "lighter_share", "从轻比例"),
        "heavier_share": _decimal(heavier_share, "heavier_share", "从重比例"),
        "mitigated_floor_ratio": _decimal(mitigated_floor_ratio, "mitigated_floor_ratio", "减轻下限比例"),
    }
    specs = [tier_spec(t, i) for i, t in enumerate(tiers, start=1)]
    head_errors = validate_benchmark(
        catalog_item_code=catalog_item_code,
        title=title,
        law_name=law_name,
        article=article,
        basis_text=basis_text,
        effective_from=effective_from,
        effective_to=effective_to,
        tiers=specs,
        **shares,
    )
    if head_errors:
        field, _message = head_errors[0]
        raise InvalidInput(
            "；".join(m for _f, m in head_errors) + "。",
            f"Invalid benchmark: {', '.join(f for f, _m in head_errors)}.",
            code="benchmark_basis_missing"
            if field in ("law_name", "article", "basis_text")
            else "benchmark_invalid",
            field=field,
            details=[{"field": f, "message": m} for f, m in head_errors],
        )
    tier_errors = logic.validate_tiers(specs)
    if tier_errors:
        raise _errors_refusal(tier_errors)
    issuer = {"agency": agency} if agency is not None else {"region": region}
    existing = Benchmark.objects.select_for_update().filter(catalog_item_code=catalog_item_code, **issuer)
    later = existing.filter(effective_from__gte=effective_from).order_by("effective_from").first()
    if later is not None:
        raise RuleViolation(
            f"该事项已有第 {later.version} 版自 {later.effective_from:%Y-%m-%d} 起施行，新版本的生效日期须晚于它。",
            "A version starting on or after this date exists.",
            code="benchmark_version_order",
        )
    version = (existing.aggregate(m=Max("version"))["m"] or 0) + 1
    closed = []
    for previous in existing.filter(effective_from__lt=effective_from):
        if previous.effective_to is None or previous.effective_to >= effective_from:
            previous.effective_to = effective_from - dt.timedelta(days=1)
            previous.save(update_fields=["effective_to"])
            closed.append(previous.pk)
    benchmark = Benchmark.objects.create(
        **issuer,
        agency_path=agency_path,
        region_path=region_path,
        catalog_item_code=catalog_item_code,
        title=title.strip()[:300],
        version=version,
        effective_from=effective_from,
        effective_to=effective_to,
        law_name=law_name.strip()[:200],
        article=article.strip()[:100],
        basis_text=basis_text.strip(),
        repeat_window_months=repeat_window_months or 12,
        created_by=actor,
        **{k: v for k, v in shares.items() if v is not None},
    )
    Tier.objects.bulk_create(
        Tier(
            benchmark=benchmark,
            order=i,
            name=s.name,
            harm_levels=list(s.harm_levels),
            gains_min_yuan=s.gains_min_yuan,
            gains_max_yuan=s.gains_max_yuan,
            goods_min_yuan=s.goods_min_yuan,
            goods_max_yuan=s.goods_max_yuan,
            repeat=s.repeat,
            duration_min_days=s.duration_min_days,
            duration_max_days=s.duration_max_days,
            condition_text=s.condition_text,
            fine_basis=s.fine_basis,
            fine_min_yuan=s.fine_min_yuan,
            fine_max_yuan=s.fine_max_yuan,
            multiple_min=s.multiple_min,
            multiple_max=s.multiple_max,
            kinds=list(s.kinds),
        )
        for i, s in enumerate(specs, start=1)
    )
    record_append(
        actor=actor,
        action="discretion.benchmark_create",
        obj=benchmark,
        changes={
            "catalog_item_code": catalog_item_code,
            "version": version,
            "effective_from": effective_from.isoformat(),
            "effective_to": effective_to.isoformat() if effective_to else None,
            "law": f"{benchmark.law_name} {benchmark.article}",
            "tiers": [s.name for s in specs],
            "closed_versions": closed,
            "source": source,
        },
    )
    return benchmark


# --- the recommendation ---------------------------------------------------------------------------------------


def applicable_benchmarks(agency: Agency, catalog_item_code: str) -> list[Benchmark]:
    """The versions that apply to a case of ``agency``: the agency's own, else the nearest region's."""
    if not catalog_item_code:
        return []
    own = list(
        Benchmark.objects.filter(catalog_item_code=catalog_item_code, agency=agency).prefetch_related("tiers")
    )
    if own:
        return own
    path = agency.region.path
    prefixes = []
    parts = [p for p in path.split("/") if p]
    for i in range(len(parts), 0, -1):
        prefixes.append("/" + "/".join(parts[:i]) + "/")
    rows = list(
        Benchmark.objects.filter(
            catalog_item_code=catalog_item_code, region__isnull=False, region_path__in=prefixes
        ).prefetch_related("tiers")
    )
    if not rows:
        return []
    deepest = max(len(r.region_path) for r in rows)
    return [r for r in rows if len(r.region_path) == deepest]


def facts_for(case: Case) -> CaseFacts | None:
    return CaseFacts.objects.filter(case=case).first()


_READ = object()  # recommend(): read the case's facts


def recommend(
    case: Case, *, decision_date: dt.date | None = None, recorded: CaseFacts | object | None = _READ
) -> Recommendation:
    """推荐裁量 — the recommendation for a case from its recorded facts and the benchmarks that apply
    (``recorded``: the case's facts as ``facts_for`` read them, when the caller has them)."""
    row = facts_for(case) if recorded is _READ else recorded
    facts = facts_of(row if isinstance(row, CaseFacts) else None)
    if facts is None:
        return Recommendation(found=False, explanation=["尚未登记裁量情节，无法推荐。"])
    if not case.catalog_item_code:
        return Recommendation(found=False, explanation=["案件未关联执法事项，无法匹配裁量基准。"])
    benchmarks = applicable_benchmarks(case.agency, case.catalog_item_code)
    if not benchmarks:
        return Recommendation(
            found=False, explanation=[f"事项 {case.catalog_item_code} 尚无适用的裁量基准。"]
        )
    on = decision_date or case.decided_on or clock.today()
    return logic.recommend_for(
        [spec_of(b) for b in benchmarks], facts, act_date=case.act_date, decision_date=on
    )


# --- case facts and deviations --------------------------------------------------------------------------------


def _case(case: Case | int) -> Case:
    if isinstance(case, Case):
        return case
    found = Case.objects.select_related("agency__region").filter(pk=case).first()
    if found is None:
        raise NotFound("案件不存在。", "Case not found.", code="case_not_found")
    return found


def _writable(case: Case) -> None:
    if case.decided_on is not None or case.is_finished:
        raise RuleViolation(
            "案件已作出决定或已办结，不能再修改裁量情节或偏离说明。",
            "The case is decided or finished.",
            code="discretion_case_closed",
        )


@service
def facts_record(
    *,
    actor: User,
    case: Case | int,
    illegal_gains_yuan: Any = None,
    goods_value_yuan: Any = None,
    harm_level: str = HarmLevel.NONE,
    previous_penalty_on: dt.date | None = None,
    duration_days: int | None = None,
    circumstances: Iterable[str] = (),
    mitigation_applied: bool = False,
    note: str = "",
) -> CaseFacts:
    """登记裁量情节 — the facts the benchmark is applied to; each change is on the ledger."""
    case = _case(case)
    perms.require(actor, rules.RECORD, case)
    _writable(case)
    gains = _decimal(illegal_gains_yuan, "illegal_gains_yuan", "违法所得")
    goods = _decimal(goods_value_yuan, "goods_value_yuan", "货值金额")
    for name, value, label in (
        ("illegal_gains_yuan", gains, "违法所得"),
        ("goods_value_yuan", goods, "货值金额"),
    ):
        if value is not None and value < 0:
            raise InvalidInput(f"{label}不能为负数。", f"{name} must not be negative.", field=name)
    if harm_level not in HarmLevel.values:
        raise InvalidInput("危害后果无效。", "Unknown harm level.", field="harm_level")
    if duration_days is not None and (int(duration_days) < 0 or int(duration_days) > 100_000):
        raise InvalidInput("持续天数无效。", "Invalid duration.", field="duration_days")
    codes = list(dict.fromkeys(c for c in circumstances if c))
    unknown = [c for c in codes if c not in logic.CIRCUMSTANCES]
    if unknown:
        raise InvalidInput(
            f"未知情节：{'、'.join(unknown)}。", "Unknown circumstance.", field="circumstances"
        )
    if previous_penalty_on is not None and case.act_date is not None and previous_penalty_on > case.act_date:
        raise InvalidInput(
            "前次处罚日期晚于本次违法行为发生日，不构成再犯。",
            "The previous penalty is after the act.",
            field="previous_penalty_on",
        )
    # 行政处罚法 第三十条、第三十二条: 减轻 only with a circumstance the law names.
    if mitigation_applied and not any(logic.CIRCUMSTANCES[c][1] == "either" for c in codes):
        raise InvalidInput(
            "适用减轻处罚须有行政处罚法第三十条、第三十二条规定的情节。",
            "Mitigation needs a statutory circumstance (Art. 30, 32).",
            field="mitigation_applied",
            code="mitigation_without_circumstance",
        )
    values = {
        "illegal_gains_yuan": gains,
        "goods_value_yuan": goods,
        "harm_level": harm_level,
        "previous_penalty_on": previous_penalty_on,
        "duration_days": int(duration_days) if duration_days is not None else None,
        "circumstances": codes,
        "mitigation_applied": bool(mitigation_applied),
        "note": (note or "").strip()[:2000],
    }
    row, _created = CaseFacts.objects.update_or_create(case=case, defaults={**values, "updated_by": actor})
    record_append(
        actor=actor,
        action="discretion.facts_record",
        obj=case,
        changes={k: (str(v) if isinstance(v, Decimal | dt.date) else v) for k, v in values.items()},
    )
    return row


def deviation_flag(deviation: Deviation) -> flags.FlagCandidate:
    case = deviation.case
    return flags.FlagCandidate(
        kind="discretion_deviation",
        key=f"case:{case.pk}",
        agency_id=deviation.agency_id,
        title=f"裁量偏离基准：{case.number or case.title}",
        detail=f"推荐：{deviation.range_text}。偏离理由：{deviation.reason}",
        object_type="cases.case",
        object_id=str(case.pk),
        url=f"/cases/{case.pk}/",
        severity="warning",
        data={"deviation_id": deviation.pk},
    )


@service
def deviation_explain(*, actor: User, case: Case | int, reason: str) -> Deviation:
    """偏离基准说明 — the written reason that allows a penalty outside the recommended range; raises a flag."""
    case = _case(case)
    perms.require(actor, rules.RECORD, case)
    _writable(case)
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise InvalidInput(
            "偏离理由须具体说明（至少 10 个字）。", "Give a reason of at least 10 characters.", field="reason"
        )
    rec = recommend(case)
    deviation = Deviation.objects.create(
        case=case,
        agency_id=case.agency_id,
        reason=reason[:5000],
        range_text=(f"“{rec.tier_name}”档 {rec.range_text}" if rec.found else "无推荐")[:300],
        recorded_by=actor,
    )
    record_append(
        actor=actor,
        action="discretion.deviation_explain",
        obj=case,
        changes={
            "deviation_id": deviation.pk,
            "reason": deviation.reason,
            "recommended": deviation.range_text,
        },
    )
    flags.notify(deviation_flag(deviation))
    return deviation


def record_outcome(
    case: Case, *, on: dt.date, fine_yuan: Any, kinds: Sequence[str], actor: User
) -> Outcome | None:
    """裁量结果 — kept with the decision (same transaction), for the deviation and tier reports."""
    rec = recommend(case, decision_date=on)
    fine = _decimal(fine_yuan, "fine_yuan", "罚款")
    deviated = bool(logic.deviations(rec, fine_yuan=fine, kinds=kinds))
    outcome, _ = Outcome.objects.update_or_create(
        case=case,
        defaults={
            "agency_id": case.agency_id,
            "decided_on": on,
            "benchmark_id": rec.benchmark_id if rec.found else None,
            "tier_name": rec.tier_name,
            "min_yuan": rec.min_yuan,
            "max_yuan": rec.max_yuan,
            "fine_yuan": fine,
            "deviated": deviated,
        },
    )
    record_append(
        actor=actor,
        action="discretion.outcome",
        obj=case,
        changes={
            "benchmark_id": outcome.benchmark_id,
            "tier": rec.tier_name,
            "range": rec.range_text if rec.found else "",
            "fine_yuan": str(fine) if fine is not None else None,
            "deviated": deviated,
        },
    )
    return outcome

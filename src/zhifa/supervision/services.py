"""执法监督 — every state change of supervision: the problem ledger, the warning queue, instruments, people.

Each service checks permission (``supervision.rules``) and guards, writes, and appends to the ledger in the
same transaction (``@service``). Nothing is deleted: problems are closed (销号) and reopened, flags are
handled, dismissed or converted, instruments voided with the number kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction

from zhifa.core import clock
from zhifa.core import flags as flag_registry
from zhifa.core.errors import ConfigurationMissing, InvalidInput, NotFound, RuleViolation
from zhifa.core.numbering import next_number
from zhifa.core.transactions import service
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Party, Region, Role, ScopeKind, Unit
from zhifa.records.services import record_append
from zhifa.supervision.models import (
    Flag,
    FlagState,
    Instrument,
    InstrumentKind,
    InstrumentNumberCounter,
    InstrumentReply,
    InstrumentStatus,
    LiaisonPoint,
    LiaisonVisit,
    NoActStatement,
    Problem,
    ProblemCategory,
    ProblemSource,
    ProblemState,
    ProblemStep,
    ProblemStepKind,
    Question,
    QuestionKind,
    Questionnaire,
    ReplyDecision,
    ReturnVisit,
    ScanRun,
    SocialSupervisor,
    SupervisorTask,
)
from zhifa.supervision.rules import RECTIFY, SUPERVISE, VIEW


def today() -> dt.date:
    return clock.today()


def _text(value: str | None, field: str, label: str, max_len: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"请填写{label}。", f"{field} is required.", code="required", field=field)
    if len(value) > max_len:
        raise InvalidInput(
            f"{label}过长（最多 {max_len} 字）。", f"{field} is longer than {max_len}.", field=field
        )
    return value


def _agency(agency: Agency | int) -> Agency:
    pk = agency.pk if isinstance(agency, Agency) else agency
    found = Agency.objects.select_related("region").filter(pk=pk).first()
    if found is None:
        raise InvalidInput("执法主体不存在。", "Unknown agency.", field="agency")
    return found


# --- problem ledger (问题台账) ------------------------------------------------------------------------------------


def _locked_problem(problem: Problem | int) -> Problem:
    pk = problem.pk if isinstance(problem, Problem) else problem
    return Problem.objects.select_for_update(of=("self",)).select_related("agency__region").get(pk=pk)


def _step(problem: Problem, kind: str, actor: Any, text: str = "", evidence: str = "") -> ProblemStep:
    return ProblemStep.objects.create(
        problem=problem,
        kind=kind,
        text=text,
        evidence=evidence,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _problem_record(actor: Any, verb: str, problem: Problem, changes: Mapping[str, Any]) -> None:
    record_append(actor=actor, action=f"supervision.problem_{verb}", obj=problem, changes=dict(changes))


@service
def problem_open(
    *,
    actor: Any,
    agency: Agency | int,
    source_kind: str,
    source_ref: str,
    title: str,
    description: str,
    due: dt.date | None = None,
    category: str = "",
    unit: Unit | None = None,
    target: str = "",
) -> Problem:
    """登记问题 — put a problem on the ledger for an agency (清单式、台账式、销号式, seed 004).

    The contract other apps (evaluation, stats) call: a supervisor of the agency's region opens it.
    """
    agency = _agency(agency)
    perms.require(actor, SUPERVISE, Problem(agency=agency))
    if source_kind not in ProblemSource.values:
        raise InvalidInput(
            f"问题来源无效：{source_kind!r}。",
            "Unknown source kind.",
            code="invalid_source_kind",
            field="source_kind",
        )
    if category and category not in ProblemCategory.values:
        raise InvalidInput(
            f"问题类别无效：{category!r}。", "Unknown category.", code="invalid_category", field="category"
        )
    if due is not None and due < today():
        raise InvalidInput(
            "整改期限不能早于今天。", "The due date is in the past.", code="due_in_past", field="due"
        )
    if unit is not None and unit.agency_id != agency.pk:
        raise InvalidInput("责任股室不属于该单位。", "The unit is not of this agency.", field="unit")
    problem = Problem.objects.create(
        agency=agency,
        unit=unit,
        source_kind=source_kind,
        source_ref=_text(source_ref, "source_ref", "来源编号", 100, required=False),
        category=category,
        title=_text(title, "title", "问题", 200),
        description=(description or "").strip(),
        target=_text(target, "target", "整改目标", 300, required=False),
        due=due,
        opened_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _step(problem, ProblemStepKind.OPEN, actor, problem.description)
    _problem_record(
        actor,
        "open",
        problem,
        {
            "state": ["", ProblemState.OPEN],
            "agency_id": agency.pk,
            "source_kind": source_kind,
            "source_ref": problem.source_ref,
            "category": category,
            "title": problem.title,
            "due": due.isoformat() if due else None,
        },
    )
    return problem


def _refuse_closed(problem: Problem) -> None:
    if problem.state == ProblemState.CLOSED:
        raise RuleViolation(
            "该问题已销号；如需继续整改，请由监督人员重新打开。",
            "The problem is closed; a supervisor must reopen it first.",
            code="problem_closed",
        )


@service
def problem_rectify(*, actor: Any, problem: Problem | int, measures: str, evidence: str = "") -> Problem:
    """整改措施 — the agency records what it did (and the evidence of it)."""
    problem = _locked_problem(problem)
    perms.require(actor, RECTIFY, problem)
    _refuse_closed(problem)
    if problem.state == ProblemState.VERIFYING:
        raise RuleViolation(
            "该问题已提请核验，待监督人员核验后再补充。",
            "The problem awaits verification.",
            code="problem_awaiting_verification",
        )
    measures = _text(measures, "measures", "整改措施", 5000)
    before = problem.state
    problem.state = ProblemState.RECTIFYING
    problem.save(update_fields=["state"])
    _step(problem, ProblemStepKind.RECTIFY, actor, measures, (evidence or "").strip())
    _problem_record(actor, "rectify", problem, {"state": [before, problem.state], "measures": measures})
    return problem


@service
def problem_submit(*, actor: Any, problem: Problem | int, summary: str = "") -> Problem:
    """提请核验 — the agency reports the rectification done; only after at least one measure is recorded."""
    problem = _locked_problem(problem)
    perms.require(actor, RECTIFY, problem)
    _refuse_closed(problem)
    if problem.state != ProblemState.RECTIFYING:
        raise RuleViolation(
            "请先录入整改措施再提请核验。" if problem.state == ProblemState.OPEN else "该问题已提请核验。",
            "Record a rectification measure first."
            if problem.state == ProblemState.OPEN
            else "Already submitted.",
            code="problem_no_rectification"
            if problem.state == ProblemState.OPEN
            else "problem_awaiting_verification",
        )
    problem.state = ProblemState.VERIFYING
    problem.save(update_fields=["state"])
    _step(problem, ProblemStepKind.SUBMIT, actor, (summary or "").strip())
    _problem_record(actor, "submit", problem, {"state": [ProblemState.RECTIFYING, ProblemState.VERIFYING]})
    return problem


@service
def problem_verify(*, actor: Any, problem: Problem | int, passed: bool, opinion: str) -> Problem:
    """核验 — a supervisor checks the rectification on the ground: passed (may be closed) or back to work."""
    problem = _locked_problem(problem)
    perms.require(actor, SUPERVISE, problem)
    _refuse_closed(problem)
    if problem.state != ProblemState.VERIFYING:
        raise RuleViolation(
            "责任单位尚未提请核验。",
            "The agency has not submitted the problem for verification.",
            code="problem_not_submitted",
        )
    opinion = _text(opinion, "opinion", "核验意见", 2000)
    if passed:
        problem.verified = True
        kind = ProblemStepKind.VERIFY_PASS
    else:
        problem.verified = False
        problem.state = ProblemState.RECTIFYING
        kind = ProblemStepKind.VERIFY_FAIL
    problem.save(update_fields=["state", "verified"])
    _step(problem, kind, actor, opinion)
    _problem_record(actor, "verify", problem, {"passed": passed, "opinion": opinion, "state": problem.state})
    return problem


@service
def problem_close(*, actor: Any, problem: Problem | int, note: str = "") -> Problem:
    """销号 — only after a supervisor's verification passed (清单式、台账式、销号式, seed 004)."""
    problem = _locked_problem(problem)
    perms.require(actor, SUPERVISE, problem)
    _refuse_closed(problem)
    if not (problem.state == ProblemState.VERIFYING and problem.verified):
        raise RuleViolation(
            "该问题整改尚未经监督人员核验通过，不能销号。",
            "The rectification has not passed a supervisor's verification; the problem cannot be closed.",
            code="problem_not_verified",
        )
    before = problem.state
    problem.state = ProblemState.CLOSED
    problem.closed_at = clock.now()
    problem.save(update_fields=["state", "closed_at"])
    _step(problem, ProblemStepKind.CLOSE, actor, (note or "").strip())
    _problem_record(actor, "close", problem, {"state": [before, ProblemState.CLOSED]})
    return problem


@service
def problem_reopen(*, actor: Any, problem: Problem | int, reason: str) -> Problem:
    """重新打开 — a closed problem found to recur goes back to rectification; its history stays."""
    problem = _locked_problem(problem)
    perms.require(actor, SUPERVISE, problem)
    if problem.state != ProblemState.CLOSED:
        raise RuleViolation(
            "只有已销号的问题可以重新打开。",
            "Only a closed problem can be reopened.",
            code="problem_not_closed",
        )
    reason = _text(reason, "reason", "重新打开理由", 500)
    problem.state = ProblemState.RECTIFYING
    problem.verified = False
    problem.closed_at = None
    problem.reopen_count += 1
    problem.save(update_fields=["state", "verified", "closed_at", "reopen_count"])
    _step(problem, ProblemStepKind.REOPEN, actor, reason)
    _problem_record(
        actor, "reopen", problem, {"state": [ProblemState.CLOSED, problem.state], "reason": reason}
    )
    return problem


# --- the warning queue (监督预警) --------------------------------------------------------------------------------


_COPIED = ("title", "detail", "object_type", "object_id", "url", "due", "severity", "data")


def _places(candidates: Iterable[flag_registry.FlagCandidate]) -> tuple[dict[int, Agency], dict[int, Region]]:
    cands = list(candidates)
    agency_ids = {c.agency_id for c in cands if c.agency_id}
    region_ids = {c.region_id for c in cands if c.region_id and not c.agency_id}
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=agency_ids).select_related("region")}
    regions = {r.pk: r for r in Region.objects.filter(pk__in=region_ids)}
    return agencies, regions


def _fields(
    c: flag_registry.FlagCandidate, agencies: dict[int, Agency], regions: dict[int, Region]
) -> dict[str, Any]:
    agency = agencies.get(c.agency_id) if c.agency_id else None
    region = agency.region if agency else regions.get(c.region_id) if c.region_id else None
    return {
        "agency": agency,
        "region": region,
        "agency_path": agency.path if agency else "",
        "region_path": region.path if region else "",
        "title": c.title[:300],
        "detail": c.detail,
        "object_type": c.object_type[:100],
        "object_id": str(c.object_id)[:64],
        "url": c.url[:300],
        "due": c.due,
        "severity": c.severity if c.severity in ("info", "warning", "serious") else "warning",
        "data": c.data or {},
    }


def _upsert(
    candidates: list[flag_registry.FlagCandidate], kind: str | None, now: dt.datetime
) -> dict[str, int]:
    """Write ``candidates`` (all of one kind when ``kind`` is given: then flags it no longer yields close)."""
    counts = {"raised": 0, "refreshed": 0, "closed": 0, "reopened": 0}
    agencies, regions = _places(candidates)
    by_key = {(c.kind, c.key[:100]): c for c in candidates if c.agency_id or c.region_id}
    existing: dict[tuple[str, str], Flag] = {}
    if kind is not None:  # the whole kind in one indexed range read: no IN list of every key
        existing = {(f.kind, f.key): f for f in Flag.objects.filter(kind=kind)}
    else:
        keys = [key for _, key in by_key]
        for flag in Flag.objects.filter(kind__in={k for k, _ in by_key}, key__in=keys):
            existing[(flag.kind, flag.key)] = flag
    new_rows, changed = [], []
    for ident, cand in by_key.items():
        fields = _fields(cand, agencies, regions)
        flag = existing.get(ident)
        if flag is None:
            new_rows.append(Flag(kind=ident[0], key=ident[1], first_seen_at=now, last_seen_at=now, **fields))
            continue
        dirty = any(getattr(flag, f) != fields[f] for f in _COPIED) or flag.agency_id != (
            fields["agency"].pk if fields["agency"] else None
        )
        if not flag.source_open:
            flag.source_open = True
            flag.source_closed_at = None
            if flag.state == FlagState.HANDLED:  # handled, gone, and back: it needs looking at again
                flag.state = FlagState.NEW
            counts["reopened"] += 1
        elif dirty:
            counts["refreshed"] += 1
        else:
            continue  # unchanged: nothing is written (a scan over an unchanged world writes no flag row)
        for name, value in fields.items():
            setattr(flag, name, value)
        flag.last_seen_at = now
        changed.append(flag)
    Flag.objects.bulk_create(new_rows, batch_size=500)
    counts["raised"] = len(new_rows)
    Flag.objects.bulk_update(
        changed,
        [
            *_COPIED,
            "agency",
            "region",
            "agency_path",
            "region_path",
            "source_open",
            "source_closed_at",
            "state",
            "last_seen_at",
        ],
        batch_size=500,
    )
    if kind is not None:
        gone = [f.pk for ident, f in existing.items() if ident not in by_key and f.source_open]
        for start in range(0, len(gone), 1000):  # bounded IN lists (SQLite's variable limit)
            counts["closed"] += Flag.objects.filter(pk__in=gone[start : start + 1000]).update(
                source_open=False, source_closed_at=now
            )
    return counts


def flags_scan(*, kinds: Iterable[str] | None = None, since: dt.datetime | None = None) -> ScanRun:
    """汇集预警 — ask every registered source, upsert by (kind, key), close what a source stopped yielding.

    Each kind in its own transaction: a source that fails is reported in ``errors`` and its flags are left
    as they were (a broken source must not close everything it raised). Idempotent: a second run with no
    change in the data raises and closes nothing.
    """
    run = ScanRun.objects.create(started_at=clock.now())
    registered = flag_registry.sources()
    wanted = list(kinds) if kinds is not None else sorted(registered)
    counts: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for kind in wanted:
        if kind not in registered:
            errors[kind] = "unknown kind"
            continue
        _label, fn = registered[kind]
        try:
            with transaction.atomic():
                candidates = [c for c in fn(since) if c.kind == kind]
                counts[kind] = _upsert(candidates, kind, clock.now())
        except Exception as exc:
            errors[kind] = f"{type(exc).__name__}: {exc}"[:500]
    with transaction.atomic():
        run.finished_at = clock.now()
        run.counts, run.errors = counts, errors
        run.save(update_fields=["finished_at", "counts", "errors"])
        record_append(
            action="supervision.scan",
            obj=run,
            changes={k: v for k, v in counts.items() if any(v.values())}
            | ({"errors": errors} if errors else {}),
        )
    return run


def flag_receive(candidate: flag_registry.FlagCandidate) -> None:
    """``flags.listen`` target: raise one flag at once, inside the notifying service's transaction."""
    _upsert([candidate], None, clock.now())


def _locked_flag(flag: Flag | int) -> Flag:
    pk = flag.pk if isinstance(flag, Flag) else flag
    return Flag.objects.select_for_update(of=("self",)).select_related("agency__region").get(pk=pk)


def _flag_decide(
    actor: Any, flag: Flag | int, state: str, note: str, verb: str, problem: Problem | None = None
) -> Flag:
    if not isinstance(flag, Flag) or problem is None:
        flag = _locked_flag(flag)
        perms.require(actor, SUPERVISE, flag)
    if flag.state != FlagState.NEW:
        raise RuleViolation(
            f"该预警{FlagState(flag.state).label}，不能再处理。",
            f"The flag is already {flag.state}.",
            code="flag_not_new",
        )
    flag.problem = problem or flag.problem
    before = flag.state
    flag.state, flag.note = state, note
    flag.handled_by, flag.handled_at = actor, clock.now()
    flag.save(update_fields=["state", "note", "handled_by", "handled_at", "problem"])
    record_append(
        actor=actor,
        action=f"supervision.flag_{verb}",
        obj=flag,
        changes={"state": [before, state], "note": note, "kind": flag.kind, "key": flag.key}
        | ({"problem_id": flag.problem_id} if flag.problem_id else {}),
    )
    return flag


@service
def flag_handle(*, actor: Any, flag: Flag | int, note: str = "") -> Flag:
    """已处理 — the supervisor followed it up (note what was done)."""
    return _flag_decide(
        actor, flag, FlagState.HANDLED, _text(note, "note", "处理说明", 500, required=False), "handle"
    )


@service
def flag_dismiss(*, actor: Any, flag: Flag | int, reason: str) -> Flag:
    """排除 — not a problem; the reason is required and kept."""
    return _flag_decide(actor, flag, FlagState.DISMISSED, _text(reason, "reason", "排除理由", 500), "dismiss")


FLAGS_BULK_MAX = 200


@service
def flags_decide_many(*, actor: Any, flag_ids: Sequence[int], action: str, text: str = "") -> list[Flag]:
    """批量处理 / 排除 — the same note or reason for many flags at once (a queue after a campaign, a source
    that raised the same warning for many cases). All or nothing: one flag that cannot be decided (already
    dealt with, not visible) and none is, with a reason per flag in ``details``."""
    if action not in ("handle", "dismiss"):
        raise InvalidInput("批量操作只能是处理或排除。", "Bulk action is handle or dismiss.", field="action")
    ids = list(dict.fromkeys(int(i) for i in flag_ids))
    if not ids:
        raise InvalidInput(
            "请先勾选预警。", "Select at least one flag.", code="flags_none_selected", field="ids"
        )
    if len(ids) > FLAGS_BULK_MAX:
        raise InvalidInput(
            f"一次最多处理 {FLAGS_BULK_MAX} 条预警。",
            f"At most {FLAGS_BULK_MAX} flags at once.",
            code="flags_too_many",
            field="ids",
        )
    if action == "dismiss":
        _text(text, "text", "排除理由", 500)  # required: refuse once, not once per flag
    visible = set(perms.scoped(actor, VIEW, Flag.objects.filter(pk__in=ids)).values_list("pk", flat=True))
    done: list[Flag] = []
    errors: list[dict[str, Any]] = []
    for pk in ids:
        if pk not in visible:
            errors.append({"id": pk, "code": "not_found", "message": "预警不存在或不在您的数据范围内。"})
            continue
        try:
            if action == "handle":
                done.append(flag_handle(actor=actor, flag=pk, note=text))
            else:
                done.append(flag_dismiss(actor=actor, flag=pk, reason=text))
        except (
            InvalidInput,
            RuleViolation,
        ) as exc:  # each flag is its own savepoint; PermissionDenied propagates
            errors.append({"id": pk, "code": exc.code, "message": exc.message})
    if errors:
        raise InvalidInput(
            f"{len(errors)} 条预警不能{'处理' if action == 'handle' else '排除'}，本次未作任何更改："
            + "；".join(f"#{e['id']} {e['message']}" for e in errors[:5])
            + ("……" if len(errors) > 5 else ""),
            f"{len(errors)} flags cannot be decided; nothing was changed.",
            code="flags_bulk_refused",
            field="ids",
            details=errors,
        )
    return done


@service
def flag_convert(
    *, actor: Any, flag: Flag | int, category: str = "", due: dt.date | None = None, title: str = ""
) -> Flag:
    """转为问题 — put the flag on the problem ledger (source ``warning``) and mark it converted."""
    locked = _locked_flag(flag)
    perms.require(actor, SUPERVISE, locked)
    if locked.state != FlagState.NEW:
        raise RuleViolation("该预警已处理。", "The flag is already dealt with.", code="flag_not_new")
    if locked.agency_id is None:
        raise RuleViolation(
            "该预警没有责任单位，不能转为问题。",
            "The flag has no responsible agency.",
            code="flag_without_agency",
        )
    problem = problem_open(
        actor=actor,
        agency=locked.agency,
        source_kind=ProblemSource.WARNING,
        source_ref=f"{locked.kind}:{locked.key}"[:100],
        title=title or locked.title[:200],
        description=locked.detail,
        due=due,
        category=category,
    )
    return _flag_decide(actor, locked, FlagState.CONVERTED, f"已转为问题 #{problem.pk}", "convert", problem)


# --- 专项说明 ---------------------------------------------------------------------------------------------------


@service
def noact_statement_file(*, actor: Any, agency: Agency | int, year: int, explanation: str) -> NoActStatement:
    """报送专项说明 — an agency that made no penalty/licensing decision in ``year`` explains why (seed 002,
    item 10: “于当年度末向本级人民政府说明情况”); it closes the agency's 无执法行为 flag."""
    agency = _agency(agency)
    perms.require(actor, RECTIFY, NoActStatement(agency=agency))
    if not 2000 <= year <= today().year:
        raise InvalidInput("年度无效。", "Invalid year.", field="year")
    if NoActStatement.objects.filter(agency=agency, year=year).exists():
        raise RuleViolation(
            f"{year} 年度专项说明已报送。", "Already filed for this year.", code="statement_already_filed"
        )
    statement = NoActStatement.objects.create(
        agency=agency,
        year=year,
        explanation=_text(explanation, "explanation", "情况说明", 5000),
        filed_by=actor,
    )
    now = clock.now()
    Flag.objects.filter(kind="no_enforcement_act", key=f"agency:{agency.pk}:{year}").update(
        source_open=False,
        source_closed_at=now,
        state=FlagState.HANDLED,
        note="已报送专项说明",
        handled_at=now,
    )
    record_append(
        actor=actor,
        action="supervision.noact_file",
        obj=statement,
        changes={"agency_id": agency.pk, "year": year},
    )
    return statement


# --- supervision instruments (监督文书) ----------------------------------------------------------------------------

NUMBER_WORD = {InstrumentKind.LETTER: "督", InstrumentKind.OPINION: "监意", InstrumentKind.DECISION: "监决"}


def _issuer_for(actor: Any, agency: Agency, issuer: Agency | None) -> Agency:
    """The supervision organ (司法局) that issues: the given one, or the nearest above the agency in the
    actor's region. It must supervise the agency's region."""
    codes = [c for c in agency.region.path.strip("/").split("/") if c]
    organs = {
        a.region.path: a
        for a in Agency.objects.filter(is_supervision_organ=True, region__code__in=codes).select_related(
            "region"
        )
    }
    if issuer is not None:
        if issuer.pk not in {a.pk for a in organs.values()}:
            raise InvalidInput(
                "制发机关须为被监督机关所在区域的执法监督机构（司法局）。",
                "The issuer must be a supervision organ above the agency.",
                code="issuer_not_supervising",
                field="issuer",
            )
        return issuer
    region_grants = [
        g.region_path
        for g in perms.grants(actor)
        if g.role == Role.SUPERVISOR and g.scope == ScopeKind.REGION
    ]
    for path in sorted(organs, key=len, reverse=True):
        if getattr(actor, "is_superuser", False) or any(path.startswith(p) for p in region_grants if p):
            return organs[path]
    raise ConfigurationMissing(
        "未找到本区域的执法监督机构（司法局），请管理员在执法主体中标注。",
        "No supervision organ is configured for this region.",
        code="supervision_organ_missing",
    )


def _issue_number(issuer: Agency, kind: str, year: int) -> tuple[str, int]:
    """Gapless per issuing organ, kind and year, under a row lock; voided numbers keep their row."""
    last = next_number(InstrumentNumberCounter, issuer=issuer, kind=kind, year=year)
    prefix = issuer.short_name or issuer.name
    return f"{prefix}{NUMBER_WORD[InstrumentKind(kind)]}〔{year}〕{last}号", last


def _decision_grounds(agency: Agency, on: dt.date, major: bool) -> None:
    # 执法监督决定书: only where the problem is major or the agency refused to correct after a 督办函/意见书
    # (seed 004: “涉及重大问题或者被监督机关拒不纠正的，报请县政府制发行政执法监督决定书”).
    if major:
        return
    ignored = Instrument.objects.filter(
        agency=agency,
        kind__in=[InstrumentKind.LETTER, InstrumentKind.OPINION],
        status__in=[InstrumentStatus.ISSUED, InstrumentStatus.RETURNED],
        deadline__lt=on,
    ).exists()
    if not ignored:
        raise RuleViolation(
            "执法监督决定书仅用于重大问题或被监督机关拒不纠正（督办函/意见书逾期未整改）的情形。",
            "A supervision decision needs a major problem or an ignored, overdue letter or opinion.",
            code="decision_needs_grounds",
        )


@service
def instrument_issue(
    *,
    actor: Any,
    agency: Agency | int,
    kind: str,
    title: str,
    findings: str,
    requirements: str,
    deadline: dt.date | None,
    basis: str = "",
    major: bool = False,
    issuer: Agency | None = None,
    on: dt.date | None = None,
) -> Instrument:
    """制发监督文书 — 督办函 / 意见书 / 决定书 to an agency with a reply deadline, numbered, rendered, sealed."""
    from zhifa.cases.services import document_seal_message
    from zhifa.records.signing import load_signing_key, sign
    from zhifa.supervision.documents import DEFAULT_BASIS, render_instrument_pdf

    on = on or today()
    agency = _agency(agency)
    perms.require(actor, SUPERVISE, Instrument(agency=agency))
    if kind not in InstrumentKind.values:
        raise InvalidInput("文书类型无效。", "Unknown instrument kind.", code="invalid_kind", field="kind")
    if deadline is None:
        raise InvalidInput(
            "监督文书必须载明答复（整改）期限。",
            "An instrument needs a reply deadline.",
            code="deadline_required",
            field="deadline",
        )
    if deadline <= on:
        raise InvalidInput(
            "答复期限须晚于制发日期。",
            "The deadline must follow the issue date.",
            code="deadline_not_after_issue",
            field="deadline",
        )
    if on > today():
        raise InvalidInput("制发日期不能晚于今天。", "The issue date is in the future.", field="on")
    if kind == InstrumentKind.DECISION:
        _decision_grounds(agency, on, major)
    issuer = _issuer_for(actor, agency, issuer)
    number, seq = _issue_number(issuer, kind, on.year)
    instrument = Instrument(
        kind=kind,
        issuer=issuer,
        agency=agency,
        year=on.year,
        seq=seq,
        number=number,
        title=_text(title, "title", "事由", 200),
        findings=_text(findings, "findings", "发现的问题", 10000),
        requirements=_text(requirements, "requirements", "监督意见/整改要求", 10000),
        basis=_text(basis, "basis", "依据", 300, required=False) or DEFAULT_BASIS,
        deadline=deadline,
        issued_on=on,
        issued_by=actor,
    )
    pdf = render_instrument_pdf(instrument)
    digest = hashlib.sha256(pdf).hexdigest()
    key = load_signing_key()
    instrument.pdf = pdf
    instrument.sha256 = digest
    instrument.signature = sign(key, document_seal_message(number, digest, issuer.name, on)).hex()
    instrument.public_key = key.public_key_raw.hex()
    instrument.save()
    record_append(
        actor=actor,
        action="supervision.instrument_issue",
        obj=instrument,
        changes={
            "kind": kind,
            "number": number,
            "agency_id": agency.pk,
            "issuer_id": issuer.pk,
            "deadline": deadline.isoformat(),
            "sha256": digest,
        },
    )
    return instrument


def _locked_instrument(instrument: Instrument | int) -> Instrument:
    pk = instrument.pk if isinstance(instrument, Instrument) else instrument
    return (
        Instrument.objects.select_for_update(of=("self",))
        .select_related("agency__region", "issuer")
        .get(pk=pk)
    )


@service
def instrument_reply(
    *, actor: Any, instrument: Instrument | int, text: str, measures: str = ""
) -> InstrumentReply:
    """整改答复 — the agency answers with its rectification; each answer is a new round."""
    instrument = _locked_instrument(instrument)
    perms.require(actor, RECTIFY, instrument)
    if instrument.status not in (InstrumentStatus.ISSUED, InstrumentStatus.RETURNED):
        code = "reply_pending" if instrument.status == InstrumentStatus.REPLIED else "instrument_closed"
        raise RuleViolation(
            f"该文书{InstrumentStatus(instrument.status).label}，不能再答复。",
            f"The instrument is {instrument.status}; no reply now.",
            code=code,
        )
    round_no = instrument.replies.count() + 1
    reply = InstrumentReply.objects.create(
        instrument=instrument,
        round=round_no,
        text=_text(text, "text", "整改情况", 10000),
        measures=(measures or "").strip(),
        submitted_by=actor,
    )
    before = instrument.status
    instrument.status = InstrumentStatus.REPLIED
    instrument.save(update_fields=["status"])
    record_append(
        actor=actor,
        action="supervision.instrument_reply",
        obj=instrument,
        changes={
            "round": round_no,
            "status": [before, instrument.status],
            "late": clock.today() > instrument.deadline,
        },
    )
    return reply


@service
def instrument_review(
    *, actor: Any, instrument: Instrument | int, accept: bool, note: str = ""
) -> Instrument:
    """审查答复 — accept (办结) or send back (退回重报, with the reason); every round is kept."""
    instrument = _locked_instrument(instrument)
    perms.require(actor, SUPERVISE, instrument)
    if instrument.status != InstrumentStatus.REPLIED:
        raise RuleViolation(
            "被监督机关尚未答复。", "No reply is waiting for review.", code="no_reply_pending"
        )
    reply = instrument.replies.select_for_update().order_by("-round").first()
    assert reply is not None
    note = _text(note, "note", "审查意见", 500, required=not accept)
    reply.decision = ReplyDecision.ACCEPTED if accept else ReplyDecision.RETURNED
    reply.decision_note, reply.decided_by, reply.decided_at = note, actor, clock.now()
    reply.save(update_fields=["decision", "decision_note", "decided_by", "decided_at"])
    instrument.status = InstrumentStatus.ACCEPTED if accept else InstrumentStatus.RETURNED
    instrument.closed_on = today() if accept else None
    instrument.save(update_fields=["status", "closed_on"])
    record_append(
        actor=actor,
        action="supervision.instrument_review",
        obj=instrument,
        changes={
            "round": reply.round,
            "accept": accept,
            "note": note,
            "status": [InstrumentStatus.REPLIED, instrument.status],
        },
    )
    return instrument


@service
def instrument_void(*, actor: Any, instrument: Instrument | int, reason: str) -> Instrument:
    """作废 — the number stays recorded as voided and is never issued again."""
    instrument = _locked_instrument(instrument)
    perms.require(actor, SUPERVISE, instrument)
    if instrument.status in (InstrumentStatus.VOIDED, InstrumentStatus.ACCEPTED):
        raise RuleViolation("该文书已作废或已办结。", "Already voided or closed.", code="instrument_closed")
    reason = _text(reason, "reason", "作废理由", 300)
    before = instrument.status
    instrument.status, instrument.void_reason, instrument.voided_on = InstrumentStatus.VOIDED, reason, today()
    instrument.save(update_fields=["status", "void_reason", "voided_on"])
    record_append(
        actor=actor,
        action="supervision.instrument_void",
        obj=instrument,
        changes={"number": instrument.number, "reason": reason, "status": [before, InstrumentStatus.VOIDED]},
    )
    return instrument


def instrument_open_problem(
    *,
    actor: Any,
    instrument: Instrument,
    title: str,
    description: str = "",
    category: str = "",
    due: dt.date | None = None,
) -> Problem:
    """监督文书所列问题入台账 — a problem from the instrument (source ``instrument``, ref its number)."""
    return problem_open(
        actor=actor,
        agency=instrument.agency,
        source_kind=ProblemSource.INSTRUMENT,
        source_ref=instrument.number,
        title=title,
        description=description or instrument.findings,
        category=category,
        due=due or (instrument.deadline if instrument.deadline >= today() else None),
    )


# --- people around supervision ------------------------------------------------------------------------------------


@service
def questionnaire_create(
    *, actor: Any, region: Region, name: str, questions: list[dict[str, Any]]
) -> Questionnaire:
    """回访问卷 — questions of kind rating (1–5), choice (with options) or text."""
    perms.require(actor, SUPERVISE, Questionnaire(region=region))
    if not questions:
        raise InvalidInput("问卷至少需要一个问题。", "At least one question.", field="questions")
    q = Questionnaire.objects.create(region=region, name=_text(name, "name", "问卷名称", 100))
    rows = []
    for i, spec in enumerate(questions, start=1):
        kind = spec.get("kind", QuestionKind.RATING)
        if kind not in QuestionKind.values:
            raise InvalidInput(f"第 {i} 题题型无效。", f"Question {i}: unknown kind.", field="questions")
        choices = [str(c) for c in spec.get("choices", [])]
        if kind == QuestionKind.CHOICE and len(choices) < 2:
            raise InvalidInput(
                f"第 {i} 题为单选，至少两个选项。", f"Question {i}: two choices.", field="questions"
            )
        rows.append(
            Question(
                questionnaire=q,
                order=i,
                text=_text(spec.get("text"), "questions", "问题", 200),
                kind=kind,
                choices=choices,
                required=bool(spec.get("required", True)),
            )
        )
    Question.objects.bulk_create(rows)
    record_append(
        actor=actor, action="supervision.questionnaire_create", obj=q, changes={"questions": len(rows)}
    )
    return q


@service
def questionnaire_set_active(
    *, actor: Any, questionnaire: Questionnaire | int, active: bool
) -> Questionnaire:
    """停用 / 重新启用回访问卷. A questionnaire is never edited in place: visits keep their answers keyed by its
    question ids, so a changed questionnaire is a new one (copied from the old) and the old one is stopped.
    A stopped questionnaire is not offered for new return visits; the visits already made keep it."""
    pk = questionnaire.pk if isinstance(questionnaire, Questionnaire) else questionnaire
    q = Questionnaire.objects.select_for_update().select_related("region").filter(pk=pk).first()
    if q is None:
        raise NotFound("问卷不存在。", "No such questionnaire.")
    perms.require(actor, SUPERVISE, q)
    if q.active == active:
        raise RuleViolation(
            "问卷已是启用状态。" if active else "问卷已停用。",
            "The questionnaire is already active." if active else "The questionnaire is already stopped.",
            code="questionnaire_state_unchanged",
        )
    q.active = active
    q.save(update_fields=["active"])
    record_append(
        actor=actor,
        action="supervision.questionnaire_activate" if active else "supervision.questionnaire_stop",
        obj=q,
        changes={"active": [not active, active]},
    )
    return q


def check_answers(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Answers keyed by question id (as text); required ones present, ratings 1–5, choices from the list."""
    clean: dict[str, Any] = {}
    for question in questionnaire.questions.all():
        value = answers.get(str(question.pk))
        if value in (None, ""):
            if question.required:
                raise InvalidInput(
                    f"请回答：{question.text}",
                    f"Question {question.pk} is required.",
                    code="answer_missing",
                    field=f"answers.{question.pk}",
                )
            continue
        if question.kind == QuestionKind.RATING:
            try:
                value = int(value)
            except (TypeError, ValueError):
                value = 0
            if not 1 <= value <= 5:
                raise InvalidInput(
                    f"“{question.text}”须为 1–5 分。",
                    "A rating is 1–5.",
                    code="answer_invalid",
                    field=f"answers.{question.pk}",
                )
        elif question.kind == QuestionKind.CHOICE and str(value) not in question.choices:
            raise InvalidInput(
                f"“{question.text}”的选项无效。",
                "Not one of the choices.",
                code="answer_invalid",
                field=f"answers.{question.pk}",
            )
        clean[str(question.pk)] = value if question.kind == QuestionKind.RATING else str(value)[:1000]
    return clean


@service
def return_visit_record(
    *,
    actor: Any,
    case: Any,
    questionnaire: Questionnaire,
    visited_on: dt.date,
    answers: Mapping[str, Any],
    method: str = "电话",
    result: str = "",
) -> ReturnVisit:
    """案件回访 — after a case is closed, a named visitor asks its party the questionnaire (seed 002)."""
    from zhifa.cases.models import Stage

    perms.require(actor, SUPERVISE, ReturnVisit(agency=case.agency))
    if case.stage not in (Stage.CLOSED, Stage.ARCHIVED):
        raise RuleViolation(
            "只对已结案的案件回访。", "Only closed cases are visited.", code="case_not_closed"
        )
    if visited_on > today():
        raise InvalidInput("回访日期不能晚于今天。", "The visit date is in the future.", field="visited_on")
    if not questionnaire.active:
        raise InvalidInput("问卷已停用。", "The questionnaire is inactive.", field="questionnaire")
    visit = ReturnVisit.objects.create(
        case=case,
        agency=case.agency,
        questionnaire=questionnaire,
        visitor=actor,
        visited_on=visited_on,
        method=_text(method, "method", "方式", 20),
        answers=check_answers(questionnaire, answers),
        result=(result or "").strip(),
    )
    record_append(actor=actor, action="supervision.return_visit", obj=visit, changes={"case_id": case.pk})
    return visit


@service
def social_supervisor_appoint(
    *,
    actor: Any,
    region: Region,
    name: str,
    appointed_on: dt.date,
    term_ends_on: dt.date,
    organisation: str = "",
    sector: str = "",
    phone: str = "",
) -> SocialSupervisor:
    """聘任行政执法社会监督员 — for a term (聘期)."""
    perms.require(actor, SUPERVISE, SocialSupervisor(region=region))
    if term_ends_on <= appointed_on:
        raise InvalidInput(
            "聘期须晚于聘任日期。",
            "The term must end after the appointment.",
            code="term_not_after_appointment",
            field="term_ends_on",
        )
    person = SocialSupervisor.objects.create(
        region=region,
        name=_text(name, "name", "姓名", 50),
        organisation=organisation[:100],
        sector=sector[:30],
        phone=phone[:20],
        appointed_on=appointed_on,
        term_ends_on=term_ends_on,
    )
    record_append(
        actor=actor,
        action="supervision.social_appoint",
        obj=person,
        changes={"term": [appointed_on.isoformat(), term_ends_on.isoformat()]},
    )
    return person


@service
def social_supervisor_dismiss(
    *, actor: Any, person: SocialSupervisor, on: dt.date | None = None
) -> SocialSupervisor:
    perms.require(actor, SUPERVISE, person)
    on = on or today()
    if person.dismissed_on:
        raise RuleViolation("已解聘。", "Already dismissed.", code="already_dismissed")
    if on < person.appointed_on:
        raise InvalidInput(
            "解聘日期不能早于聘任日期。", "Dismissal before appointment.", field="dismissed_on"
        )
    person.dismissed_on = on
    person.save(update_fields=["dismissed_on"])
    record_append(
        actor=actor, action="supervision.social_dismiss", obj=person, changes={"on": on.isoformat()}
    )
    return person


@service
def supervisor_task_assign(
    *, actor: Any, person: SocialSupervisor, title: str, due: dt.date, agency: Agency | None = None
) -> SupervisorTask:
    """监督任务 — only to a social supervisor within the term of appointment."""
    perms.require(actor, SUPERVISE, person)
    on = today()
    if person.dismissed_on or not person.appointed_on <= on <= person.term_ends_on:
        raise RuleViolation(
            "该监督员不在聘期内。",
            "The social supervisor is not serving.",
            code="social_supervisor_not_serving",
        )
    if due < on:
        raise InvalidInput("完成期限不能早于今天。", "The due date is in the past.", field="due")
    task = SupervisorTask.objects.create(
        supervisor=person, agency=agency, title=_text(title, "title", "任务", 200), due=due, assigned_by=actor
    )
    record_append(
        actor=actor, action="supervision.social_task", obj=task, changes={"supervisor_id": person.pk}
    )
    return task


@service
def supervisor_task_feedback(
    *, actor: Any, task: SupervisorTask, feedback: str, on: dt.date | None = None
) -> SupervisorTask:
    perms.require(actor, SUPERVISE, task)
    if task.feedback_on:
        raise RuleViolation("该任务已反馈。", "Feedback already recorded.", code="feedback_already_given")
    task.feedback = _text(feedback, "feedback", "反馈意见", 5000)
    task.feedback_on = on or today()
    task.save(update_fields=["feedback", "feedback_on"])
    record_append(
        actor=actor,
        action="supervision.social_feedback",
        obj=task,
        changes={"on": task.feedback_on.isoformat()},
    )
    return task


@service
def liaison_point_designate(
    *, actor: Any, party: Party, designated_on: dt.date | None = None
) -> LiaisonPoint:
    """确定企业联系点 — an enterprise of the supervisor's region."""
    region = Region.objects.get(pk=party.region_id)
    perms.require(actor, SUPERVISE, LiaisonPoint(region=region))
    if LiaisonPoint.objects.filter(party=party).exists():
        raise RuleViolation("该企业已是联系点。", "Already a liaison point.", code="liaison_point_exists")
    point = LiaisonPoint.objects.create(party=party, region=region, designated_on=designated_on or today())
    record_append(
        actor=actor, action="supervision.liaison_designate", obj=point, changes={"party_id": party.pk}
    )
    return point


@service
def liaison_visit_record(
    *,
    actor: Any,
    point: LiaisonPoint,
    visited_on: dt.date,
    satisfaction: int,
    method: str = "走访",
    notes: str = "",
) -> LiaisonVisit:
    """联系点走访 — 每年走访 1–2 次 (seed 002, item 9), with the enterprise's satisfaction."""
    perms.require(actor, SUPERVISE, point)
    if not 1 <= int(satisfaction) <= 5:
        raise InvalidInput("满意度须为 1–5。", "Satisfaction is 1–5.", field="satisfaction")
    if visited_on > today() or visited_on < point.designated_on:
        raise InvalidInput("走访日期无效。", "Invalid visit date.", field="visited_on")
    visit = LiaisonVisit.objects.create(
        point=point,
        visited_on=visited_on,
        satisfaction=int(satisfaction),
        method=method[:20],
        notes=(notes or "").strip(),
        visitor=actor,
    )
    record_append(
        actor=actor,
        action="supervision.liaison_visit",
        obj=visit,
        changes={
            "point_id": point.pk,
            "visited_on": visited_on.isoformat(),
            "satisfaction": int(satisfaction),
        },
    )
    return visit

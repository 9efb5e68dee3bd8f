"""监督预警: scan the flag registry into the warning queue, receive a flag, handle, dismiss, convert, decide
many at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction

from zhifa.core import clock
from zhifa.core import flags as flag_registry
from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.core.transactions import service
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Region, User
from zhifa.records.services import record_append
from zhifa.supervision import hooks as supervision_hooks
from zhifa.supervision.models import Flag, FlagState, Problem, ProblemSource, ScanRun
from zhifa.supervision.rules import SUPERVISE, VIEW
from zhifa.supervision.services._common import _text
from zhifa.supervision.services.problems import problem_open

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
    gone: list[int] = []
    if kind is not None:
        gone = [f.pk for ident, f in existing.items() if ident not in by_key and f.source_open]
        for start in range(0, len(gone), 1000):  # bounded IN lists (SQLite's variable limit)
            counts["closed"] += Flag.objects.filter(pk__in=gone[start : start + 1000]).update(
                source_open=False, source_closed_at=now
            )
    if supervision_hooks.has_listeners():
        written = [f for f in new_rows if f.pk is not None] + changed
        missing = [(f.kind, f.key) for f in new_rows if f.pk is None]  # a backend that returns no keys
        if missing:
            written += list(
                Flag.objects.filter(kind__in={k for k, _ in missing}, key__in=[k for _, k in missing])
            )
        if gone:
            written += list(Flag.objects.filter(pk__in=gone))
        supervision_hooks.flags_written(written)
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
    actor: User, flag: Flag | int, state: str, note: str, verb: str, problem: Problem | None = None
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
def flag_handle(*, actor: User, flag: Flag | int, note: str = "") -> Flag:
    """已处理 — the supervisor followed it up (note what was done)."""
    return _flag_decide(
        actor, flag, FlagState.HANDLED, _text(note, "note", "处理说明", 500, required=False), "handle"
    )


@service
def flag_dismiss(*, actor: User, flag: Flag | int, reason: str) -> Flag:
    """排除 — not a problem; the reason is required and kept."""
    return _flag_decide(actor, flag, FlagState.DISMISSED, _text(reason, "reason", "排除理由", 500), "dismiss")


FLAGS_BULK_MAX = 200


@service
def flags_decide_many(*, actor: User, flag_ids: Sequence[int], action: str, text: str = "") -> list[Flag]:
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
    *, actor: User, flag: Flag | int, category: str = "", due: dt.date | None = None, title: str = ""
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

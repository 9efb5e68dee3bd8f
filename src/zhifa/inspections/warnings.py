"""检查预警 — the warning rules, checked as each inspection arrives and by a full scan in SQL.

An inspection counts from the day the officer entered the enterprise (``inspected_day``: local days since
1970-01-01). "Before" means before in the order (day, id). For an inspection *i* of party *p* on day *d*:

* 应报备未报备 (``unfiled``): entered with no filed task — at once, or for an emergency once the filing window
  (24 h) has passed.
* 超时补录 (``late_entry``): an offline entry keyed in after the configured hours.
* 重复检查 (``repeated``): *p* was inspected for the same item within the last ``REPEAT_PERIOD_DAYS`` days
  (day > d − period) before *i*.
* 高频检查 (``high_frequency``/``credit_class``): counting *i*, *p* had more inspections within the last
  ``FREQUENCY_PERIOD_DAYS`` days than its credit class allows (``MAX_PER_PERIOD_A`` … ``_D``).
* 高频检查 (``high_frequency``/``agency_year_cap``): counting *i*, *i*'s agency inspected *p* more often in the
  calendar year than ``AGENCY_YEAR_CAP`` (default 2).
* Only on-site visits count (``mode = onsite``): a 非现场检查 (``remote``) neither fires a window rule (重复,
  高频, 多头) nor counts in another inspection's window.
* 多头检查 (``multi_agency``): *i*'s agency is new to *p* in the last ``MULTI_AGENCY_WINDOW_DAYS`` days and, counting
  it, at least ``MULTI_AGENCY_MIN`` agencies inspected *p* in that window. (Checking only the inspection that
  brings an agency into the window finds every window with too many agencies — the latest agency to arrive
  in it is such an inspection — and raises one warning per arrival instead of one per visit.)

:func:`warnings_for_inspection` applies the rules to one new inspection with one indexed query (goal < 10 ms);
:func:`warnings_full_scan` applies them to every inspection with one ``INSERT … SELECT`` per rule (window
functions, a self-join only for 多头检查), the same on SQLite and PostgreSQL. Both write through the unique
(kind, basis, inspection) constraint, so they agree and never duplicate.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection, transaction
from django.db.models import Q

from zhifa.core import clock
from zhifa.inspections import conf
from zhifa.inspections.models import (
    Inspection,
    InspectionMode,
    InspectionWarning,
    WarningBasis,
    WarningKind,
)
from zhifa.org.models import Party

EPOCH = dt.date(1970, 1, 1)


def day_number(day: dt.date) -> int:
    """Local days since 1970-01-01 (the integer the warning rules compare)."""
    return (day - EPOCH).days


def _settings() -> dict[str, int]:
    return {
        "repeat": conf.number("ZHIFA_INSPECTION_REPEAT_PERIOD_DAYS"),
        "window": conf.number("ZHIFA_INSPECTION_MULTI_AGENCY_WINDOW_DAYS"),
        "min_agencies": conf.number("ZHIFA_INSPECTION_MULTI_AGENCY_MIN"),
        "period": conf.number("ZHIFA_INSPECTION_FREQUENCY_PERIOD_DAYS"),
        "cap": conf.number("ZHIFA_INSPECTION_AGENCY_YEAR_CAP"),
        "filing_hours": conf.number("ZHIFA_INSPECTION_EMERGENCY_FILING_HOURS"),
        **{f"max_{c}": conf.max_per_period(c) for c in "ABCD"},
    }


def warnings_for_inspection(
    inspection: Inspection, *, now: dt.datetime | None = None
) -> list[InspectionWarning]:
    """The rules applied to one newly entered inspection; returns its warnings (new and earlier ones)."""
    now = now or clock.now()
    s = _settings()
    found: list[InspectionWarning] = []

    def warn(kind: str, basis: str = "", count: int = 1, threshold: int = 0, **detail: Any) -> None:
        found.append(
            InspectionWarning(
                kind=kind,
                basis=basis,
                agency_id=inspection.agency_id,
                party_id=inspection.party_id,
                inspection=inspection,
                count=count,
                threshold=threshold,
                detail=detail,
                created_at=now,
            )
        )

    if inspection.entered_at is not None and inspection.filed_at is None:
        deadline = inspection.entered_at + dt.timedelta(hours=s["filing_hours"])
        if not inspection.is_emergency or now > deadline:
            warn(WarningKind.UNFILED)
    if inspection.entered_late:
        warn(WarningKind.LATE_ENTRY)

    d, n, year = inspection.inspected_day, inspection.pk, inspection.inspected_year
    if d is not None and inspection.mode == InspectionMode.ONSITE:
        lookback = max(s["repeat"], s["window"], s["period"])
        rows = [
            r
            for r in Inspection.objects.filter(
                party_id=inspection.party_id, inspected_day__lte=d, mode=InspectionMode.ONSITE
            )
            .filter(
                Q(inspected_day__gt=d - lookback) | Q(agency_id=inspection.agency_id, inspected_year=year)
            )
            .values_list("id", "agency_id", "item_id", "inspected_day", "inspected_year")
            if r[3] < d or r[0] <= n
        ]
        if inspection.item_id is not None:
            same_item = [r for r in rows if r[2] == inspection.item_id and r[3] > d - s["repeat"]]
            if len(same_item) >= 2:
                warn(WarningKind.REPEATED, count=len(same_item), threshold=1, period_days=s["repeat"])
        in_period = sum(1 for r in rows if r[3] > d - s["period"])

        credit_class = (
            Party.objects.filter(pk=inspection.party_id).values_list("credit_class", flat=True).first()
        )
        allowed = s[f"max_{credit_class or 'B'}"]
        if in_period > allowed:
            warn(
                WarningKind.HIGH_FREQUENCY,
                WarningBasis.CREDIT_CLASS,
                in_period,
                allowed,
                period_days=s["period"],
            )
        this_year = sum(1 for r in rows if r[1] == inspection.agency_id and r[4] == year)
        if this_year > s["cap"]:
            warn(WarningKind.HIGH_FREQUENCY, WarningBasis.AGENCY_YEAR_CAP, this_year, s["cap"], year=year)
        window = [r for r in rows if r[3] > d - s["window"]]
        agency_is_new = not any(r[1] == inspection.agency_id and r[0] != n for r in window)
        agencies = {r[1] for r in window}
        if agency_is_new and len(agencies) >= s["min_agencies"]:
            warn(
                WarningKind.MULTI_AGENCY,
                count=len(agencies),
                threshold=s["min_agencies"],
                window_days=s["window"],
            )
    if found:
        InspectionWarning.objects.bulk_create(found, ignore_conflicts=True)
    return list(InspectionWarning.objects.filter(inspection=inspection)) if found else []


# --- the full scan ------------------------------------------------------------------------------------------------

_COLUMNS = (
    "kind, basis, state, agency_id, party_id, inspection_id, count, threshold, detail, created_at, note"
)


def _sql(s: dict[str, int], *, changed_only: bool = False) -> dict[str, str]:
    """One INSERT … SELECT per rule; the numbers are validated integers written into the window frames.

    ``changed_only``: the window rules look only at the parties with an inspection recorded since
    ``%(since)s`` — every rule compares inspections of one party, so a party with nothing new cannot gain a
    warning (settings or a credit class changed since: run the whole scan).
    """
    ins = Inspection._meta.db_table
    war = InspectionWarning._meta.db_table

    party = Party._meta.db_table
    # An untyped '{}' inside a subquery is text to PostgreSQL, which will not put text in a jsonb column.
    empty = "'{}'::jsonb" if connection.vendor == "postgresql" else "'{}'"
    changed = (
        f" AND party_id IN (SELECT c.party_id FROM {ins} c WHERE c.recorded_at >= %(since)s)"
        if changed_only
        else ""
    )
    onsite = f"mode = '{InspectionMode.ONSITE.value}'"
    head = f"INSERT INTO {war} ({_COLUMNS}) SELECT * FROM ("
    tail = ") x WHERE true ON CONFLICT DO NOTHING"

    def unwarned(alias: str, kind: str, basis: str = "") -> str:
        """Only inspections without this warning yet: a rescan then neither counts nor re-inserts them (the
        unique constraint stays the guard against a concurrent insert)."""
        return (
            f" AND NOT EXISTS (SELECT 1 FROM {war} w WHERE w.inspection_id = {alias}.id"
            f" AND w.kind = '{kind}' AND w.basis = '{basis}')"
        )

    def count(alias: str, *, item: bool, days: int) -> str:
        """Inspections of the party (and item) in the period up to this one — only for rows that warn."""
        same_item = f" AND j.item_id = {alias}.item_id" if item else ""
        return (
            f"(SELECT COUNT(*) FROM {ins} j WHERE j.party_id = {alias}.party_id{same_item}"
            f" AND j.inspected_day > {alias}.inspected_day - {days} AND j.inspected_day <= {alias}.inspected_day"
            f" AND (j.inspected_day < {alias}.inspected_day OR j.id <= {alias}.id) AND j.{onsite})"
        )

    smallest = min(
        ("a", s["max_A"]), ("b", s["max_B"]), ("c", s["max_C"]), ("d", s["max_D"]), key=lambda x: x[1]
    )
    lag_min = f"s.lag_{smallest[0]}"
    # 多头: an inspection with no other one of the party in the window before it sees one agency only, so
    # (when at least two agencies are needed) it is dropped before the join that counts the agencies.
    alone = f" AND t.prev_any > t.inspected_day - {s['window']}" if s["min_agencies"] >= 2 else ""
    allowed = f"CASE p.credit_class WHEN 'A' THEN {s['max_A']} WHEN 'B' THEN {s['max_B']} WHEN 'C' THEN {s['max_C']} ELSE {s['max_D']} END"
    return {
        "unfiled": head
        + f"""SELECT 'unfiled', '', 'new', i.agency_id, i.party_id, i.id, 1, 0, {empty}, %(now)s, ''
        FROM {ins} i WHERE i.filed_at IS NULL AND i.entered_at IS NOT NULL
        AND (i.is_emergency = %(false)s OR i.entered_at < %(filing_cutoff)s){unwarned("i", "unfiled")}"""
        + tail,
        "late_entry": head
        + f"""SELECT 'late_entry', '', 'new', i.agency_id, i.party_id, i.id, 1, 0, {empty}, %(now)s, ''
        FROM {ins} i WHERE i.entered_late = %(true)s{unwarned("i", "late_entry")}"""
        + tail,
        "repeated": head
        + f"""SELECT 'repeated', '', 'new', s.agency_id, s.party_id, s.id, {count("s", item=True, days=s["repeat"])},
                1, {empty}, %(now)s, ''
        FROM (SELECT id, agency_id, party_id, item_id, inspected_day,
                LAG(inspected_day) OVER (PARTITION BY party_id, item_id ORDER BY inspected_day, id) AS prev
              FROM {ins} WHERE inspected_day IS NOT NULL AND item_id IS NOT NULL AND {onsite}{changed}) s
        WHERE s.prev > s.inspected_day - {s["repeat"]}{unwarned("s", "repeated")}"""
        + tail,
        # count > allowed  ⟺  the allowed-th inspection before this one lies inside the period.
        "high_frequency_credit_class": head
        + f"""SELECT 'high_frequency', 'credit_class', 'new', s.agency_id, s.party_id, s.id,
                {count("s", item=False, days=s["period"])}, {allowed}, {empty}, %(now)s, ''
        FROM (SELECT id, agency_id, party_id, inspected_day,
                LAG(inspected_day, {s["max_A"]}) OVER w AS lag_a, LAG(inspected_day, {s["max_B"]}) OVER w AS lag_b,
                LAG(inspected_day, {s["max_C"]}) OVER w AS lag_c, LAG(inspected_day, {s["max_D"]}) OVER w AS lag_d
              FROM {ins} WHERE inspected_day IS NOT NULL AND {onsite}{changed}
              WINDOW w AS (PARTITION BY party_id ORDER BY inspected_day, id)) s
        JOIN {party} p ON p.id = s.party_id
        WHERE {lag_min} > s.inspected_day - {s["period"]}
          AND CASE p.credit_class WHEN 'A' THEN s.lag_a WHEN 'B' THEN s.lag_b WHEN 'C' THEN s.lag_c
              ELSE s.lag_d END > s.inspected_day - {s["period"]}{unwarned("s", "high_frequency", "credit_class")}"""
        + tail,
        "high_frequency_agency_year_cap": head
        + f"""SELECT 'high_frequency', 'agency_year_cap', 'new', s.agency_id, s.party_id, s.id, s.rn, {s["cap"]},
                {empty}, %(now)s, ''
        FROM (SELECT id, agency_id, party_id,
                ROW_NUMBER() OVER (PARTITION BY party_id, agency_id, inspected_year ORDER BY inspected_day, id) AS rn
              FROM {ins} WHERE inspected_day IS NOT NULL AND {onsite}{changed}) s
        WHERE s.rn > {s["cap"]}{unwarned("s", "high_frequency", "agency_year_cap")}"""
        + tail,
        "multi_agency": head
        + f"""SELECT 'multi_agency', '', 'new', t.agency_id, t.party_id, t.id, COUNT(DISTINCT j.agency_id),
                {s["min_agencies"]}, {empty}, %(now)s, ''
        FROM (SELECT id, agency_id, party_id, inspected_day,
                LAG(inspected_day) OVER (PARTITION BY party_id, agency_id ORDER BY inspected_day, id) AS prev,
                LAG(inspected_day) OVER (PARTITION BY party_id ORDER BY inspected_day, id) AS prev_any
              FROM {ins} WHERE inspected_day IS NOT NULL AND {onsite}{changed}) t
        JOIN {ins} j ON j.party_id = t.party_id
             AND j.inspected_day > t.inspected_day - {s["window"]} AND j.inspected_day <= t.inspected_day
             AND (j.inspected_day < t.inspected_day OR j.id <= t.id) AND j.{onsite}
        WHERE (t.prev IS NULL OR t.inspected_day - t.prev >= {s["window"]}){alone}{unwarned("t", "multi_agency")}
        GROUP BY t.id, t.agency_id, t.party_id
        HAVING COUNT(DISTINCT j.agency_id) >= {s["min_agencies"]}"""
        + tail,
    }


def warnings_full_scan(
    *,
    now: dt.datetime | None = None,
    rules: tuple[str, ...] | None = None,
    since: dt.datetime | None = None,
) -> dict[str, int]:
    """Apply every rule to every inspection in SQL; returns the number of new warnings per rule.

    Scheduled (e.g. nightly ``zhifa inspections_scan``) to catch what the incremental check cannot see:
    emergency inspections left unfiled past their window, offline entries keyed in out of order, changed
    settings. Existing warnings (and their handling) are kept.

    ``since``: the nightly form — the window rules (重复, 高频, 多头) scan only the parties with an inspection
    recorded at or after ``since`` (the whole history of those parties, so nothing they take part in is
    missed); 未报备 and 超时补录 always scan everything (their state can change with time alone). The
    result equals a whole scan's as long as settings and credit classes did not change since ``since``.
    """
    now = now or clock.now()
    s = {k: int(v) for k, v in _settings().items()}
    params = {
        "now": connection.ops.adapt_datetimefield_value(now),
        "filing_cutoff": connection.ops.adapt_datetimefield_value(
            now - dt.timedelta(hours=s["filing_hours"])
        ),
        "true": True,
        "false": False,
        "since": connection.ops.adapt_datetimefield_value(since) if since is not None else None,
    }
    counts: dict[str, int] = {}
    statements = _sql(s, changed_only=since is not None)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql" and since is None:
            # The "not warned yet" anti-joins read the table the statement is filling. With its statistics
            # saying it is empty (a first scan, or rows added earlier in this transaction), PostgreSQL picks a
            # nested loop that re-reads the growing table for every candidate — quadratic (15 s instead of 1 s
            # for 50k rows). Over the whole table hash and merge joins are right for every rule, so nested
            # loops are off for this transaction only; the nightly form (few parties) keeps its index lookups.
            cursor.execute("SET LOCAL enable_nestloop = off")
        for name, sql in statements.items():
            if rules is not None and name not in rules:
                continue
            cursor.execute(sql, params)
            counts[name] = max(cursor.rowcount, 0)
    return counts

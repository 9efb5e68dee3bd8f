"""The numbers of the law that cases use, and the date arithmetic around them. No Django models here.

Statutory numbers are constants with their article beside them. Numbers that a province, a department rule
or a local plan sets (what counts as a "large" fine for a hearing, legal review and collective discussion;
the statement period; the filing period of on-the-spot decisions; the extension an agency may grant) are
settings: ``settings.ZHIFA_CASES[...]`` wins, then the environment variable, then the default here. The
sources of the defaults are in docs/cases.md.

Article 85 of the Administrative Penalty Law says its "2/3/5/7 days" are working days: those periods go
through :func:`zhifa.core.workdays.add_working_days`; all other periods are calendar days. The
Administrative Compulsion Law says the same of its periods of ten days or less (行政强制法 第六十九条).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings

from zhifa.core.env import env_str
from zhifa.core.workdays import add_working_days, is_working_day

# --- statutory numbers (行政处罚法 2021; 行政强制法 2011) --------------------------------------------------------

# 行政处罚法 第六十条: decide within 90 days of opening (calendar days; rules may provide otherwise).
DECISION_DAYS = 90
# 行政处罚法 第六十一条 + 第八十五条: serve within 7 working days when the party is not present.
SERVICE_WORKING_DAYS = 7
# 行政处罚法 第六十四条第一项 + 第八十五条: the party asks for a hearing within 5 working days of the notice.
HEARING_REQUEST_WORKING_DAYS = 5
# 行政处罚法 第六十四条第二项 + 第八十五条: the parties are told time and place 7 working days before.
HEARING_NOTICE_WORKING_DAYS = 7
# 行政处罚法 第四十八条第二款 + 第八十五条: withdraw the published decision within 3 (working) days after it is
# changed, revoked, or confirmed unlawful or void.
WITHDRAWAL_WORKING_DAYS = 3
# 行政处罚法 第六十七条第三款: pay within 15 days of receiving the decision (calendar days).
PAYMENT_DAYS = 15
# 行政处罚法 第七十二条第一款第一项: 3 % of the fine per day, never more than the fine.
SURCHARGE_RATE_PER_DAY = Decimal("0.03")
# 行政处罚法 第五十一条: on-the-spot fines up to 200 yuan (citizen) / 3,000 yuan (organisation), or a warning.
SIMPLE_FINE_CITIZEN_YUAN = Decimal("200")
SIMPLE_FINE_ORGANISATION_YUAN = Decimal("3000")
# 行政处罚法 第四十二条: no fewer than two officers (法律另有规定的除外).
MIN_OFFICERS = 2
# 行政处罚法 第三十六条: two years; five where life, health or financial security is involved with harm.
LIMITATION_YEARS = 2
LIMITATION_SERIOUS_YEARS = 5
# 行政强制法 第二十五条: seizure at most 30 days; one extension of at most 30 days approved by the head.
SEIZURE_DAYS = 30
SEIZURE_EXTENSION_MAX_DAYS = 30
# 行政处罚法 第五十六条 + 第八十五条: a handling decision on preserved evidence within 7 (working) days.
PRESERVATION_WORKING_DAYS = 7
# 行政强制法 第五十四条 + 第六十九条: apply to the court only 10 (working) days after the demand is served.
DEMAND_WORKING_DAYS = 10
# 行政强制法 第五十三条: apply within three months after the period for reconsideration / litigation ends.
COURT_APPLICATION_MONTHS = 3
# 行政诉讼法 第四十六条: six months to sue (the longer of the two remedy periods).
REMEDY_MONTHS = 6
# 行政复议法 (2023) 第二十条 (第九条 before the 2023 revision): sixty days to apply for reconsideration.
RECONSIDERATION_DAYS = 60


# --- configurable numbers --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    key: str
    env: str
    default: str
    doc: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "HEARING_FINE_CITIZEN_YUAN",
        "ZHIFA_CASE_HEARING_FINE_CITIZEN_YUAN",
        "10000",
        "较大数额罚款 (hearing right, 行政处罚法 第六十三条) for a citizen, in yuan; set by province/department.",
    ),
    Setting(
        "HEARING_FINE_ORGANISATION_YUAN",
        "ZHIFA_CASE_HEARING_FINE_ORGANISATION_YUAN",
        "100000",
        "较大数额罚款 (hearing right) for a legal person or other organisation, in yuan.",
    ),
    Setting(
        "MAJOR_FINE_CITIZEN_YUAN",
        "ZHIFA_CASE_MAJOR_FINE_CITIZEN_YUAN",
        "10000",
        "Fine from which a case is major for a citizen: legal review (第五十八条) and collective discussion.",
    ),
    Setting(
        "MAJOR_FINE_ORGANISATION_YUAN",
        "ZHIFA_CASE_MAJOR_FINE_ORGANISATION_YUAN",
        "100000",
        "Fine from which a case is major for an organisation (legal review, collective discussion).",
    ),
    Setting(
        "STATEMENT_WORKING_DAYS",
        "ZHIFA_CASE_STATEMENT_WORKING_DAYS",
        "5",
        "Working days the party has for statement and defence (陈述、申辩) after the rights notice.",
    ),
    Setting(
        "SIMPLE_FILING_WORKING_DAYS",
        "ZHIFA_CASE_SIMPLE_FILING_WORKING_DAYS",
        "3",
        "Working days to file an on-the-spot decision with the agency (行政处罚法 第五十二条 sets no period).",
    ),
    Setting(
        "EXTENSION_MAX_DAYS",
        "ZHIFA_CASE_EXTENSION_MAX_DAYS",
        "30",
        "Longest single extension of the 90-day decision period an agency head may approve, in days.",
    ),
    Setting(
        "NEAR_LIMIT_DAYS", "ZHIFA_CASE_NEAR_LIMIT_DAYS", "15", "Days before a deadline a case shows as near."
    ),
    Setting(
        "MAJOR_SEIZURE_YUAN",
        "ZHIFA_CASE_MAJOR_SEIZURE_YUAN",
        "100000",
        "Value of the sealed or seized property from which a 查封/扣押 is a major decision that needs a passed "
        "legal review before the head approves it (国办发〔2018〕118号; the agency's 重大执法决定目录 sets it).",
    ),
)
_BY_KEY = {s.key: s for s in SETTINGS}


def setting(key: str) -> Any:
    """``settings.ZHIFA_CASES[key]`` if set, else the environment variable, else the default."""
    overrides = getattr(settings, "ZHIFA_CASES", None) or {}
    if key in overrides:
        return overrides[key]
    spec = _BY_KEY[key]
    return env_str(spec.env) or spec.default


def setting_int(key: str) -> int:
    return int(setting(key))


def setting_yuan(key: str) -> Decimal:
    return Decimal(str(setting(key)))


# --- date arithmetic --------------------------------------------------------------------------------------------


def add_years(d: dt.date, years: int) -> dt.date:
    """Same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def add_months(d: dt.date, months: int) -> dt.date:
    """Same day ``months`` later, or the month's last day when it is shorter."""
    index = d.month - 1 + months
    year, month = d.year + index // 12, index % 12 + 1
    return d.replace(year=year, month=month, day=min(d.day, calendar.monthrange(year, month)[1]))


def decision_due(opened_on: dt.date, extension_days: int = 0) -> dt.date:
    """行政处罚法 第六十条: the last day to decide (the opening day is not counted), plus approved extensions."""
    return opened_on + dt.timedelta(days=DECISION_DAYS + extension_days)


# 行政处罚法 第六十条 leaves room for "法律、法规、规章另有规定": a department's rule may leave periods out of the
# ninety days. 市场监督管理行政处罚程序规定 第六十四条第三款: 案件处理过程中，中止、听证、公告和检测、检验、检疫、
# 鉴定、权利人辨认或者鉴别、责令退还多收价款等时间不计入前款所指的案件办理期限. Keyed by domain code;
# ``settings.ZHIFA_CASES["DECISION_PERIOD_EXCLUDED"]`` (same shape) replaces the table; a domain not in it
# leaves nothing out.
DECISION_PERIOD_EXCLUDED_DEFAULT: dict[str, tuple[str, ...]] = {
    "market": (
        "hearing",
        "suspension",
        "notice",
        "testing",
        "appraisal",
        "identification",
        "refund",
    ),
}


# 核查期限: 市场监督管理行政处罚程序规定 第十八条: 应当自发现线索或者收到材料之日起十五个工作日内予以核查，由
# 市场监督管理部门负责人决定是否立案；特殊情况下，经市场监督管理部门负责人批准，可以延长十五个工作日. Keyed by
# domain code: (working days, longest extension in working days); ``settings.ZHIFA_CASES["SOURCE_CHECK"]``
# replaces the table; a domain not in it sets no period.
SOURCE_CHECK_DEFAULT: dict[str, tuple[int, int]] = {"market": (15, 15)}


def source_check_period(domain_code: str) -> tuple[int, int] | None:
    """(working days to check a lead, longest extension) of the domain, or ``None`` when it sets none."""
    overrides = getattr(settings, "ZHIFA_CASES", None) or {}
    table = overrides.get("SOURCE_CHECK", SOURCE_CHECK_DEFAULT)
    period = table.get(domain_code)
    return (int(period[0]), int(period[1])) if period else None


def source_check_due(received_on: dt.date, working_days: int) -> dt.date:
    """The last day to decide whether to open a case on a lead received on ``received_on``."""
    return add_working_days(received_on, working_days)


def excluded_kinds(domain_code: str) -> frozenset[str]:
    """The kinds of period (``ExcludedPeriodKind``) the domain's rules leave out of the decision period."""
    overrides = getattr(settings, "ZHIFA_CASES", None) or {}
    table = overrides.get("DECISION_PERIOD_EXCLUDED", DECISION_PERIOD_EXCLUDED_DEFAULT)
    return frozenset(table.get(domain_code, ()))


def decision_due_excluding(
    opened_on: dt.date,
    extension_days: int,
    excluded_periods: Iterable[tuple[dt.date, dt.date | None]],
) -> dt.date | None:
    """行政处罚法 第六十条: the last day to decide — ninety days, plus approved extensions, plus the days of the
    periods left out (first and last day both counted; overlapping periods count once). A period that starts
    after the running period has ended does not revive it. ``None`` while a period that counts is still open
    (the clock stands still: the case cannot be overdue)."""
    due = decision_due(opened_on, extension_days)
    merged: list[list[dt.date | None]] = []
    for first, last in sorted(excluded_periods, key=lambda p: p[0]):
        first = max(first, opened_on + dt.timedelta(days=1))
        if last is not None and last < first:
            continue
        if merged and (merged[-1][1] is None or first <= merged[-1][1] + dt.timedelta(days=1)):
            if merged[-1][1] is not None:
                merged[-1][1] = None if last is None else max(last, merged[-1][1])
            continue
        merged.append([first, last])
    for first, last in merged:
        assert first is not None
        if first > due:
            break
        if last is None:
            return None
        due += dt.timedelta(days=(last - first).days + 1)
    return due


def service_due(decided_on: dt.date) -> dt.date:
    """行政处罚法 第六十一条、第八十五条: the last day to serve a decision on an absent party."""
    return add_working_days(decided_on, SERVICE_WORKING_DAYS)


def withdrawal_due(corrected_on: dt.date) -> dt.date:
    """行政处罚法 第四十八条第二款、第八十五条: the last day to withdraw the published decision information."""
    return add_working_days(corrected_on, WITHDRAWAL_WORKING_DAYS)


def hearing_request_due(notified_on: dt.date) -> dt.date:
    """行政处罚法 第六十四条第一项、第八十五条: the last day the party may ask for a hearing."""
    return add_working_days(notified_on, HEARING_REQUEST_WORKING_DAYS)


def earliest_hearing_on(hearing_notice_on: dt.date) -> dt.date:
    """行政处罚法 第六十四条第二项、第八十五条: a hearing noticed on this day may be held from this date."""
    return add_working_days(hearing_notice_on, HEARING_NOTICE_WORKING_DAYS)


def statement_due(notified_on: dt.date) -> dt.date:
    """The last day for statement and defence (configurable; 行政处罚法 第四十四条、第四十五条 set no period)."""
    return add_working_days(notified_on, setting_int("STATEMENT_WORKING_DAYS"))


def simple_filing_due(decided_on: dt.date) -> dt.date:
    """The last day to file an on-the-spot decision with the agency (行政处罚法 第五十二条第三款)."""
    return add_working_days(decided_on, setting_int("SIMPLE_FILING_WORKING_DAYS"))


def roll_over_days_off(last_day: dt.date) -> dt.date:
    """The last day of a period counted in calendar days, moved past days off.

    民法典 第二百零三条: 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日 (the analogue
    this relies on; 民事诉讼法 第八十五条 says the same of court periods). A 法定休假日 is a public
    holiday or a weekend that is not a 调休 working day, as :func:`zhifa.core.workdays.is_working_day` says.
    Raises ``ConfigurationMissing`` when the day falls in a year whose holiday schedule is not known yet.
    """
    day = last_day
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def payment_due(served_on: dt.date) -> dt.date:
    """行政处罚法 第六十七条第三款: the last day to pay, 15 calendar days after receipt, moved past days off
    (民法典 第二百零三条); e.g. served 2026-09-16 → due 2026-10-08, after National Day."""
    return roll_over_days_off(served_on + dt.timedelta(days=PAYMENT_DAYS))


def limitation_ends(act_date: dt.date, serious: bool) -> dt.date:
    """行政处罚法 第三十六条: the last day on which the violation may still be discovered."""
    return add_years(act_date, LIMITATION_SERIOUS_YEARS if serious else LIMITATION_YEARS)


def seizure_due(decided_on: dt.date, extension_days: int = 0, testing_days: int = 0) -> dt.date:
    """行政强制法 第二十五条: 30 days, plus one extension, not counting testing/appraisal periods."""
    return decided_on + dt.timedelta(days=SEIZURE_DAYS + extension_days + testing_days)


def preservation_due(decided_on: dt.date) -> dt.date:
    """行政处罚法 第五十六条、第八十五条: the last day to decide what happens to preserved evidence."""
    return add_working_days(decided_on, PRESERVATION_WORKING_DAYS)


def demand_due(demand_served_on: dt.date) -> dt.date:
    """行政强制法 第五十四条、第六十九条: the court may be asked only after this day."""
    return add_working_days(demand_served_on, DEMAND_WORKING_DAYS)


def reconsideration_period_ends(served_on: dt.date) -> dt.date:
    """行政复议法 第二十条: the last day to apply for reconsideration, 60 calendar days after service, moved
    past days off (民法典 第二百零三条)."""
    return roll_over_days_off(served_on + dt.timedelta(days=RECONSIDERATION_DAYS))


def litigation_period_ends(served_on: dt.date) -> dt.date:
    """行政诉讼法 第四十六条: the last day to sue, six months after service, moved past days off
    (民法典 第二百零三条)."""
    return roll_over_days_off(add_months(served_on, REMEDY_MONTHS))


def remedy_period_ends(served_on: dt.date) -> dt.date:
    """The last day the party may still seek reconsideration or sue: the later of the two periods."""
    return max(reconsideration_period_ends(served_on), litigation_period_ends(served_on))


def court_application_window(served_on: dt.date) -> tuple[dt.date, dt.date]:
    """行政强制法 第五十三条: the first and last day to apply to the court for enforcement — from the day after
    the remedy periods end, for three months, the last day moved past days off (民法典 第二百零三条)."""
    remedy_end = remedy_period_ends(served_on)
    return remedy_end + dt.timedelta(days=1), roll_over_days_off(
        add_months(remedy_end, COURT_APPLICATION_MONTHS)
    )


_CENT = Decimal("0.01")


def late_payment_surcharge(
    fine_yuan: Decimal,
    due: dt.date,
    paid_on: dt.date,
    excluded_periods: Iterable[tuple[dt.date, dt.date]] = (),
) -> Decimal:
    """行政处罚法 第七十二条第一款第一项: 3 % of the fine per day late, capped at the fine itself.

    ``excluded_periods`` are ``(first_day, last_day)`` pairs, both inclusive: a late day (after ``due``, up to
    and including ``paid_on``) inside any of them earns nothing — 行政处罚法 第七十三条第三款: 当事人申请行政
    复议或者提起行政诉讼的，加处罚款的数额在行政复议或者行政诉讼期间不予计算.
    """
    periods = [(first, last) for first, last in excluded_periods if first <= last]
    days_late = 0
    day = due + dt.timedelta(days=1)
    while day <= paid_on:
        # 行政处罚法 第七十三条第三款: the days of a pending 复议/诉讼 are not counted.
        if not any(first <= day <= last for first, last in periods):
            days_late += 1
        day += dt.timedelta(days=1)
    surcharge = (fine_yuan * SURCHARGE_RATE_PER_DAY * days_late).quantize(_CENT, rounding=ROUND_HALF_UP)
    # 行政处罚法 第七十二条第一款第一项: never more than the fine.
    return min(surcharge, fine_yuan)


def is_citizen(party_kind: str) -> bool:
    """公民 for 第五十一条 and the fine thresholds: natural persons and individual businesses (个体工商户,
    which the Civil Code counts as natural persons, 民法典 第五十四条); legal persons are organisations."""
    return party_kind in ("natural_person", "individual_business")

"""示范县 — a fictional demo county: regions, agencies, officers and certificates, parties, one user per role;
and its smaller neighbour 示范县二 (860103, own judicial bureau, agencies and ``demo_supervisor2``).

Everything here is invented and marked so (``DEMO_NOTICE``; names start with "示范"). The region codes use
province 86, which GB/T 2260 does not assign: the codes have the right shape and pass the model validator,
yet cannot be mistaken for a real place. Identifiers (统一社会信用代码, 居民身份证号码) are generated with
correct check characters from an injective map of a row number, so they are unique without a lookup and the
same seed always gives the same codes.

``build_demo(scale)`` streams parties in batches of ``BATCH_SIZE`` through ``bulk_create`` (no per-row save
or query), so a million parties build in minutes in constant memory.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.http import HttpRequest

from zhifa.core import clock
from zhifa.core.models import HolidayScheduleYear, WorkingDayOverride
from zhifa.core.validators import USCC_CHARSET, resident_id_with_check, uscc_with_check
from zhifa.core.workdays import _package_knows
from zhifa.org.models import (
    Agency,
    AgencyKind,
    Certificate,
    CertificateEvent,
    CertificateEventKind,
    CertificateStatus,
    CreditClass,
    Domain,
    LegalQualification,
    Officer,
    Party,
    PartyKind,
    Region,
    RegionLevel,
    Role,
    RoleAssignment,
    ScopeKind,
    TrainingKind,
    TrainingRecord,
    Unit,
    User,
)

__all__ = [
    "BATCH_SIZE",
    "COUNTY2",
    "DEMO_LOGINS",
    "DEMO_NOTICE",
    "DemoSummary",
    "PartyRow",
    "build_demo",
    "county2_accounts",
    "demo_present",
    "party_rows",
    "party_uscc",
]

DEMO_NOTICE = "演示数据，纯属虚构"
BATCH_SIZE = 5000
DEMO_PASSWORD = "Demo@2026"  # noqa: S105 - the published demo login (演示数据)

# (role label, username, password): one login per role, shown on the login page of a demo installation.
DEMO_LOGINS: list[tuple[str, str, str]] = [
    ("执法人员", "demo_officer", DEMO_PASSWORD),
    ("法制审核人员", "demo_reviewer", DEMO_PASSWORD),
    ("机关负责人", "demo_head", DEMO_PASSWORD),
    ("执法监督人员（县司法局）", "demo_supervisor", DEMO_PASSWORD),
    ("执法监督人员（示范县二司法局）", "demo_supervisor2", DEMO_PASSWORD),
    ("执法监督人员（市司法局）", "demo_city_supervisor", DEMO_PASSWORD),
    ("系统管理员", "demo_admin", DEMO_PASSWORD),
    ("企业用户", "demo_enterprise", DEMO_PASSWORD),
    ("外聘评查人员（律师）", "demo_evaluator", DEMO_PASSWORD),
]

# --- regions ----------------------------------------------------------------------------------------------------

PROVINCE = ("860000", "示范省")
CITY = ("860100", "示范市")
COUNTY = ("860102", "示范县")
TOWNSHIPS: tuple[tuple[str, str], ...] = (
    ("860102001", "城关镇"),
    ("860102002", "东城街道"),
    ("860102003", "西城街道"),
    ("860102004", "南山镇"),
    ("860102005", "北河乡"),
    ("860102006", "青石镇"),
)

# 示范县二: a neighbouring county under the same city, smaller, with its own judicial bureau and agencies.
COUNTY2 = ("860103", "示范县二")
COUNTY2_TOWNSHIPS: tuple[tuple[str, str], ...] = (
    ("860103001", "城南镇"),
    ("860103002", "河西街道"),
    ("860103003", "白云乡"),
)

# --- agencies ---------------------------------------------------------------------------------------------------


class AgencySpec(NamedTuple):
    key: str
    name: str
    short_name: str
    domain: str
    units: tuple[str, ...]  # the first is the legal-review office (法制审核机构)


COUNTY_AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec(
        "market",
        "示范县市场监督管理局",
        "示县市监",
        "market",
        ("政策法规股", "食品安全监管股", "价格监督检查股", "办公室"),
    ),
    AgencySpec(
        "housing",
        "示范县住房和城乡建设局",
        "示县住建",
        "housing",
        ("法规股", "建筑市场监管股", "城建监察大队"),
    ),
    AgencySpec("commerce", "示范县商务局", "示县商务", "commerce", ("法规股", "市场运行股", "办公室")),
    AgencySpec(
        "emergency",
        "示范县应急管理局",
        "示县应急",
        "emergency",
        ("法规股", "安全生产执法大队", "危化品监管股"),
    ),
    AgencySpec(
        "ecology",
        "示范市生态环境局示范县分局",
        "示县环境",
        "ecology",
        ("法规股", "生态环境保护综合行政执法大队"),
    ),
    AgencySpec(
        "transport", "示范县交通运输局", "示县交通", "transport", ("政策法规股", "交通运输综合行政执法大队")
    ),
    AgencySpec(
        "agriculture",
        "示范县农业农村局",
        "示县农业",
        "agriculture",
        ("法规股", "农业综合行政执法大队", "种植业股"),
    ),
    AgencySpec(
        "culture_tourism",
        "示范县文化和旅游局",
        "示县文旅",
        "culture_tourism",
        ("法规股", "文化市场综合行政执法大队"),
    ),
    AgencySpec(
        "health", "示范县卫生健康局", "示县卫健", "health", ("法规股", "卫生健康综合监督执法大队", "医政股")
    ),
    AgencySpec(
        "comprehensive",
        "示范县综合行政执法局",
        "示县综执",
        "comprehensive",
        ("法制股", "市容管理中队", "违法建设查处中队"),
    ),
    AgencySpec(
        "natural_resources",
        "示范县自然资源局",
        "示县自然",
        "natural_resources",
        ("法规股", "执法监察大队", "耕地保护股"),
    ),
    AgencySpec("water", "示范县水利局", "示县水利", "water", ("法规股", "水政监察大队")),
)
# 派出机构: a market-supervision office in 城关镇, under the county bureau (so "本机关及下属机构" means something).
SUB_AGENCY = AgencySpec(
    "market_sub", "示范县市场监督管理局城关市场监督管理所", "示县市监城关", "market", ("综合股", "执法股")
)
COUNTY_JUSTICE = AgencySpec(
    "justice", "示范县司法局", "示县司法", "judicial", ("法制审核股", "行政执法协调监督股", "办公室")
)
CITY_JUSTICE = AgencySpec(
    "city_justice", "示范市司法局", "示市司法", "judicial", ("法制审核科", "行政执法协调监督科")
)
COUNTY2_JUSTICE = AgencySpec(
    "justice", "示范县二司法局", "示县二司法", "judicial", ("法制审核股", "行政执法协调监督股")
)
# The enforcing agencies of 示范县二; the market bureau comes first (its cases and inspections lead the demo).
COUNTY2_AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec(
        "market",
        "示范县二市场监督管理局",
        "示县二市监",
        "market",
        ("政策法规股", "食品安全监管股", "综合执法大队"),
    ),
    AgencySpec("emergency", "示范县二应急管理局", "示县二应急", "emergency", ("法规股", "安全生产执法大队")),
    AgencySpec(
        "comprehensive",
        "示范县二综合行政执法局",
        "示县二综执",
        "comprehensive",
        ("法制股", "市容管理中队"),
    ),
)

# --- words for names ----------------------------------------------------------------------------------------------

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤"
GIVEN_CHARS = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉力斌宇浩凯鹏飞晨欣怡佳琪子涵雨轩梓博俊峰婷雪琳倩颖海燕秀梅志强永刚"
TRADE_CHARS = "恒昌隆盛鑫源华泰宏达瑞祥兴旺福安康嘉和顺通利丰永信诚德远金宝新天明光正中海江山川林森凯辉腾飞博雅众联创合佳美优品鼎尚锦绣荣聚汇智益"
ROADS = (
    "人民路",
    "解放路",
    "建设路",
    "文化路",
    "新华街",
    "朝阳路",
    "滨河路",
    "团结路",
    "振兴大道",
    "工业园路",
)

# (name word, industry, suffixes for legal persons)
LEGAL_TRADES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("商贸", "批发和零售业", ("有限公司", "有限责任公司")),
    ("餐饮管理", "住宿和餐饮业", ("有限公司",)),
    ("建材", "批发和零售业", ("有限公司",)),
    ("建筑工程", "建筑业", ("有限公司", "有限责任公司")),
    ("科技", "信息传输、软件和信息技术服务业", ("有限公司",)),
    ("食品", "制造业", ("有限公司", "股份有限公司")),
    ("物流", "交通运输、仓储和邮政业", ("有限公司",)),
    ("农业开发", "农、林、牧、渔业", ("有限公司", "专业合作社")),
    ("文化传媒", "文化、体育和娱乐业", ("有限公司",)),
    ("医药", "卫生和社会工作", ("连锁有限公司", "有限公司")),
    ("环保科技", "水利、环境和公共设施管理业", ("有限公司",)),
    ("机械制造", "制造业", ("有限公司",)),
    ("房地产开发", "房地产业", ("有限公司",)),
    ("旅游开发", "租赁和商务服务业", ("有限公司",)),
    ("化工", "制造业", ("有限公司",)),
)
SHOP_TRADES: tuple[tuple[str, str], ...] = (
    ("小吃店", "住宿和餐饮业"),
    ("便利店", "批发和零售业"),
    ("五金店", "批发和零售业"),
    ("理发店", "居民服务、修理和其他服务业"),
    ("汽车修理部", "居民服务、修理和其他服务业"),
    ("农资经营部", "批发和零售业"),
    ("棋牌室", "文化、体育和娱乐业"),
    ("网吧", "文化、体育和娱乐业"),
    ("家庭农场", "农、林、牧、渔业"),
    ("诊所", "卫生和社会工作"),
)
CREDIT_WEIGHTS = ((CreditClass.A, 30), (CreditClass.B, 50), (CreditClass.C, 15), (CreditClass.D, 5))

# --- injective code maps ---------------------------------------------------------------------------------------------

_BODY_SPACE = 31**9  # 主体标识码: 9 code characters
_BODY_MULT = 1_000_003  # prime, not a multiple of 31, so i -> i*MULT + OFF is a bijection of the space


def _body9(n: int) -> str:
    chars = []
    for _ in range(9):
        n, r = divmod(n, 31)
        chars.append(USCC_CHARSET[r])
    return "".join(reversed(chars))


def _offset(seed: int, salt: str, space: int) -> int:
    return random.Random(f"{seed}:{salt}").randrange(space)


def party_uscc(index: int, kind: str, seed: int = 2026, region_code: str = COUNTY[0]) -> str:
    """The USCC of party ``index``: unique per index (a bijection on the 9-character 主体标识码).

    Legal persons use 登记管理部门码 9 + 机构类别码 1 (企业), individual businesses 9 + 2 (个体工商户).
    """
    category = "92" if kind == PartyKind.INDIVIDUAL_BUSINESS else "91"
    body = (index * _BODY_MULT + _offset(seed, "party", _BODY_SPACE)) % _BODY_SPACE
    return uscc_with_check(category + region_code + _body9(body))


def agency_uscc(index: int, region_code: str, seed: int = 2026) -> str:
    """11 = 机构编制 (登记管理部门码 1) + 机关 (机构类别码 1)."""
    body = (index * _BODY_MULT + _offset(seed, "agency", _BODY_SPACE)) % _BODY_SPACE
    return uscc_with_check("11" + region_code + _body9(body))


class _IdSpace:
    """Resident IDs of one county: birth day in [start, start+days) and 顺序码 in [seq_lo, seq_hi)."""

    def __init__(self, seed: int, salt: str, start: dt.date, days: int, seq_lo: int, seq_hi: int) -> None:
        self.start, self.days, self.seq_lo = start, days, seq_lo
        self.size = days * (seq_hi - seq_lo)
        mult = 7919
        while math.gcd(mult, self.size) != 1:
            mult += 2
        self.mult = mult
        self.offset = _offset(seed, salt, self.size)

    def number(self, index: int, region_code: str = COUNTY[0]) -> str:
        if index >= self.size:
            raise ValueError("resident-ID space of the demo county exhausted")
        j = (index * self.mult + self.offset) % self.size
        day, seq = j % self.days, self.seq_lo + j // self.days
        birth = self.start + dt.timedelta(days=day)
        return resident_id_with_check(f"{region_code}{birth:%Y%m%d}{seq:03d}")


def _officer_ids(seed: int, salt: str = "officer") -> _IdSpace:
    # Officers: born 1965–1999; 顺序码 900–999, so they never share a number with a demo party.
    return _IdSpace(seed, salt, dt.date(1965, 1, 1), 12_784, 900, 1000)


def _person_ids(seed: int) -> _IdSpace:
    # Natural persons: born 1950–2004; 顺序码 000–899.
    return _IdSpace(seed, "person", dt.date(1950, 1, 1), 20_089, 0, 900)


def _person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN_CHARS) + (rng.choice(GIVEN_CHARS) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def _weighted(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


# --- parties -----------------------------------------------------------------------------------------------------------


class PartyRow(NamedTuple):
    """One generated party as plain values (the region by code)."""

    kind: str
    name: str
    uscc: str | None
    id_number: str
    legal_representative: str
    region_code: str
    industry: str
    address: str
    phone: str
    credit_class: str


def party_rows(
    count: int,
    seed: int = 2026,
    *,
    county: tuple[str, str] = COUNTY,
    townships: tuple[tuple[str, str], ...] = TOWNSHIPS,
) -> Iterator[PartyRow]:
    """Generate ``count`` demo parties, deterministically for ``seed``, one at a time (constant memory).

    About 10 % natural persons, 25 % individual businesses, the rest legal persons. ``county`` (code, name)
    and its ``townships`` place them: the county code is in every USCC and resident ID, so two counties never
    share an identifier.
    """
    code, place = county
    rng = random.Random(f"{seed}:parties" if code == COUNTY[0] else f"{seed}:parties:{code}")
    persons = _person_ids(seed)
    person_index = 0
    for i in range(count):
        township_code, township = townships[rng.randrange(len(townships))]
        address = f"{place}{township}{rng.choice(ROADS)}{rng.randint(1, 999)}号"
        phone = f"0860-{rng.randrange(10**7):07d}"
        credit = _weighted(rng, CREDIT_WEIGHTS)
        trade_name = rng.choice(TRADE_CHARS) + rng.choice(TRADE_CHARS)
        roll = rng.random() if i else 0.99  # party 0 is a company: the enterprise user's own
        if roll < 0.10:
            name = _person_name(rng)
            yield PartyRow(
                PartyKind.NATURAL_PERSON,
                name,
                None,
                persons.number(person_index, code),
                "",
                township_code,
                "",
                address,
                phone,
                credit,
            )
            person_index += 1
        elif roll < 0.35:
            shop, industry = SHOP_TRADES[rng.randrange(len(SHOP_TRADES))]
            yield PartyRow(
                PartyKind.INDIVIDUAL_BUSINESS,
                f"{place}{township}{trade_name}{shop}",
                party_uscc(i, PartyKind.INDIVIDUAL_BUSINESS, seed, code),
                "",
                _person_name(rng),
                township_code,
                industry,
                address,
                phone,
                credit,
            )
        else:
            word, industry, suffixes = LEGAL_TRADES[rng.randrange(len(LEGAL_TRADES))]
            yield PartyRow(
                PartyKind.LEGAL_PERSON,
                f"{place}{trade_name}{word}{rng.choice(suffixes)}",
                party_uscc(i, PartyKind.LEGAL_PERSON, seed, code),
                "",
                _person_name(rng),
                township_code,
                industry,
                address,
                phone,
                credit,
            )


# --- officers ---------------------------------------------------------------------------------------------------------

SITUATION_VALID = "valid"
SITUATION_EXPIRING = "expiring"  # valid, expires within the warning window (30 days)
SITUATION_EXPIRED = "expired"
SITUATION_SUSPENDED = "suspended"
SITUATION_REVOKED = "revoked"
SITUATION_AUXILIARY = "auxiliary"  # 辅助人员: no certificate
SITUATIONS = (
    SITUATION_VALID,
    SITUATION_EXPIRING,
    SITUATION_EXPIRED,
    SITUATION_SUSPENDED,
    SITUATION_REVOKED,
    SITUATION_AUXILIARY,
)


# Officers with valid certificates that every scale has, by agency key: the market bureau's demo officer,
# demo reviewer and two colleagues (a reviewed case is never handled by its reviewer), and two officers of the
# 综合行政执法局 (城管), so cases of more than one agency exist however small the scale.
CORE_OFFICERS: tuple[str, ...] = ("market",) * 4 + ("comprehensive",) * 2


def officer_situations(count: int, scale: float, seed: int) -> list[str]:
    """The certificate situation of each officer; the ``CORE_OFFICERS`` come first and hold valid ones."""
    n_expiring = max(2, round(count * 0.08))
    n_expired = max(2, round(count * 0.06))
    n_suspended = max(1, round(scale))
    n_revoked = max(1, round(scale))
    n_auxiliary = max(2, round(count * 0.04))
    special = (
        [SITUATION_EXPIRING] * n_expiring
        + [SITUATION_EXPIRED] * n_expired
        + [SITUATION_SUSPENDED] * n_suspended
        + [SITUATION_REVOKED] * n_revoked
        + [SITUATION_AUXILIARY] * n_auxiliary
    )
    rest = [SITUATION_VALID] * max(0, count - len(CORE_OFFICERS) - len(special))
    tail = special + rest
    random.Random(f"{seed}:situations").shuffle(tail)
    return [SITUATION_VALID] * len(CORE_OFFICERS) + tail


# --- summary ---------------------------------------------------------------------------------------------------------


@dataclass
class DemoSummary:
    """What ``build_demo`` built (or found, when ``created`` is False)."""

    created: bool
    scale: float
    seed: int
    regions: int = 0
    agencies: int = 0
    units: int = 0
    officers: int = 0
    certificates: int = 0
    training_records: int = 0
    parties: int = 0
    users: int = 0
    situations: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    message: str = ""

    def lines(self) -> list[str]:
        out = [
            f"【{DEMO_NOTICE}】{self.message}",
            f"行政区划 {self.regions}，执法主体 {self.agencies}，内设机构 {self.units}",
            f"执法人员 {self.officers}，执法证件 {self.certificates}，培训记录 {self.training_records}",
            f"行政相对人 {self.parties}，用户 {self.users}",
        ]
        if self.situations:
            labels = {
                SITUATION_VALID: "有效",
                SITUATION_EXPIRING: "30 日内到期",
                SITUATION_EXPIRED: "已过期",
                SITUATION_SUSPENDED: "暂扣",
                SITUATION_REVOKED: "收回",
                SITUATION_AUXILIARY: "辅助人员",
            }
            counts = [f"{labels[k]} {self.situations[k]}" for k in SITUATIONS if k in self.situations]
            out.append("证件情况：" + "，".join(counts))
        if self.created:
            out.append(f"规模 {self.scale:g}，种子 {self.seed}，用时 {self.seconds:.1f} 秒")
        return out


def demo_present() -> bool:
    """Is a demo county already in this database?"""
    return Region.objects.filter(code=COUNTY[0]).exists()


def _existing_summary(scale: float, seed: int) -> DemoSummary:
    demo_path = f"/{PROVINCE[0]}/"  # both demo counties, as a build counts them
    return DemoSummary(
        created=False,
        scale=scale,
        seed=seed,
        regions=Region.objects.filter(path__startswith=f"/{PROVINCE[0]}/").count(),
        agencies=Agency.objects.filter(region__path__startswith=f"/{PROVINCE[0]}/").count(),
        units=Unit.objects.filter(agency__region__path__startswith=f"/{PROVINCE[0]}/").count(),
        officers=Officer.objects.filter(agency__region__path__startswith=demo_path).count(),
        certificates=Certificate.objects.filter(officer__agency__region__path__startswith=demo_path).count(),
        training_records=TrainingRecord.objects.filter(
            officer__agency__region__path__startswith=demo_path
        ).count(),
        parties=Party.objects.filter(region_path__startswith=demo_path).count(),
        users=User.objects.filter(username__in=[u for _, u, _ in DEMO_LOGINS]).count(),
        message="演示数据已存在，未重复生成。",
    )


# --- the build ----------------------------------------------------------------------------------------------------------


# The earliest day a demo can be built as of: its oldest acts lie ~7 months earlier, within the years the
# working-day calendar knows (chinese-calendar: 2004–2026).
EARLIEST_AS_OF = dt.date(2026, 1, 1)


class DemoPartFailed(RuntimeError):
    """A part of the demo county could not be built. Never swallowed: the build stops, rolls back, and says
    which part and why."""

    def __init__(self, part: str, reason: str) -> None:
        self.part, self.reason = part, reason
        super().__init__(f"演示数据未能生成「{part}」：{reason}")


def check_as_of(as_of: dt.date) -> None:
    """``zhifa demo --as-of`` takes a day from ``EARLIEST_AS_OF`` to today."""
    today = clock.today()
    if as_of > today:
        raise ValueError(f"--as-of 不能晚于今天（{today:%Y-%m-%d}）：{as_of:%Y-%m-%d}")
    if as_of < EARLIEST_AS_OF:
        raise ValueError(f"--as-of 不能早于 {EARLIEST_AS_OF:%Y-%m-%d}：{as_of:%Y-%m-%d}")


def build_demo(
    scale: float = 1.0,
    quiet: bool = False,
    seed: int = 2026,
    log: Callable[[str], Any] | None = None,
    as_of: dt.date | None = None,
) -> DemoSummary:
    """Build the 示范县 demo county and its neighbour 示范县二 (all in one transaction); returns early if one is
    already present.

    ``scale`` multiplies the parties (2,000 at scale 1) and officers (60 at scale 1) of 示范县, and a quarter as
    many in 示范县二; a small scale still gives every role, every certificate situation and at least 100
    parties (50 in 示范县二). ``as_of`` builds the county as
    it would have looked on that day (the clock is set to it during the build: every act is dated on or
    before it); without it, as of today. A part that cannot be built raises ``DemoPartFailed``.
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    if as_of is not None:
        check_as_of(as_of)
    say: Callable[[str], Any] = (
        (lambda _msg: None) if quiet else (log or (lambda m: print(m, file=sys.stdout)))
    )
    if demo_present():
        return _existing_summary(scale, seed)  # its message says that nothing was built
    started = time.monotonic()
    on_day = clock.set_during(as_of) if as_of is not None else contextlib.nullcontext()
    with on_day, transaction.atomic():
        if demo_present():  # another process built it while we waited for the write lock
            return _existing_summary(scale, seed)
        summary = _build(scale, seed, say)
    summary.seconds = time.monotonic() - started
    say(f"完成，用时 {summary.seconds:.1f} 秒。")
    return summary


@dataclass(frozen=True)
class DemoContext:
    """What a registered demo step gets: the knobs of the build and a way to report progress."""

    scale: float
    seed: int
    today: dt.date
    say: Callable[[str], Any]


_DEMO_STEPS: list[tuple[int, str, Callable[[DemoContext], Any]]] = []


def register_demo_step(order: int, name: str, fn: Callable[[DemoContext], Any]) -> None:
    """Let an app add its part of the demo county (cases, inspections, publications …), run in ``order``.

    Steps run after the organisation is built, inside the same transaction, so a failing step leaves no
    half-built county. Register in ``AppConfig.ready()``; registering the same name again replaces it.
    """
    _DEMO_STEPS[:] = [s for s in _DEMO_STEPS if s[1] != name]
    _DEMO_STEPS.append((order, name, fn))
    _DEMO_STEPS.sort(key=lambda s: (s[0], s[1]))


def _run_demo_steps(scale: float, seed: int, say: Callable[[str], Any]) -> None:
    context = DemoContext(scale=scale, seed=seed, today=clock.today(), say=say)
    for _order, _name, fn in list(_DEMO_STEPS):
        fn(context)


# 全国年节及纪念日放假办法 (2024 年修订) 第二条: the statutory holidays of a year the calendar package does not
# know yet, for the demo only: 元旦 1 日, 春节 除夕至初三 4 日, 清明 1 日, 劳动节 2 日, 端午 1 日, 中秋 1 日,
# 国庆 3 日. The State Council's notice adds 调休 every year; until an administrator enters it, the demo
# county (and only the demo) counts these days alone, and says so.
PROVISIONAL_HOLIDAYS: dict[int, tuple[dt.date, ...]] = {
    2027: (
        dt.date(2027, 1, 1),
        *(dt.date(2027, 2, d) for d in (5, 6, 7, 8)),  # 除夕 2月5日, 正月初一 2月6日
        dt.date(2027, 4, 5),  # 清明
        dt.date(2027, 5, 1),
        dt.date(2027, 5, 2),
        dt.date(2027, 6, 9),  # 端午 (五月初五)
        dt.date(2027, 9, 15),  # 中秋 (八月十五)
        *(dt.date(2027, 10, d) for d in (1, 2, 3)),
    ),
}


def _demo_calendar(say: Callable[[str], Any]) -> None:
    """Near the end of a year, deadlines reach into the next one: when the calendar package does not know it
    and no administrator entered its schedule, the demo enters the statutory holidays as a provisional one."""
    year = clock.today().year + 1
    if _package_knows(year) or WorkingDayOverride.objects.filter(date__year=year).exists():
        return
    days = PROVISIONAL_HOLIDAYS.get(year)
    if days is None:
        return  # a deadline in that year is refused by the workday calendar, and the demo names the part
    WorkingDayOverride.objects.bulk_create(
        WorkingDayOverride(
            date=d, is_working_day=False, note="演示用暂定：法定节假日，不含调休，以国务院通知为准"
        )
        for d in days
    )
    HolidayScheduleYear.objects.create(year=year, basis="演示用暂定，以国务院通知为准")
    say(f"节假日安排：{year} 年按法定节假日暂定（演示用，不含调休，以国务院通知为准）")


def _build(scale: float, seed: int, say: Callable[[str], Any]) -> DemoSummary:
    _demo_calendar(say)
    summary = _build_org(scale, seed, say)
    _run_demo_steps(scale, seed, say)
    return summary


def _agency(
    spec: AgencySpec,
    region: Region,
    index: int,
    seed: int,
    supervises: bool,
    domains: dict[str, Domain],
    *,
    house: int,
    phone: int,
) -> Agency:
    """One demo agency of ``spec`` in ``region``: its USCC, address and telephone numbered by ``index``."""
    agency = Agency(
        name=spec.name,
        short_name=spec.short_name,
        uscc=agency_uscc(index, region.code, seed),
        region=region,
        is_supervision_organ=supervises,
        address=f"{region.name}{ROADS[index % len(ROADS)]}{house + index}号",
        phone=f"0860-{phone + index * 11:07d}",
    )
    agency.save()
    agency.domains.add(domains[spec.domain])
    return agency


def _build_org(scale: float, seed: int, say: Callable[[str], Any]) -> DemoSummary:
    rng = random.Random(f"{seed}:org")
    today = clock.today()
    summary = DemoSummary(created=True, scale=scale, seed=seed, message="演示数据已生成。")

    # Regions: saved one by one (nine rows) so that save() computes the paths.
    province = Region(code=PROVINCE[0], name=PROVINCE[1], level=RegionLevel.PROVINCE)
    province.save()
    city = Region(code=CITY[0], name=CITY[1], level=RegionLevel.CITY, parent=province)
    city.save()
    county = Region(code=COUNTY[0], name=COUNTY[1], level=RegionLevel.COUNTY, parent=city)
    county.save()
    townships = {}
    for code, name in TOWNSHIPS:
        t = Region(code=code, name=name, level=RegionLevel.TOWNSHIP, parent=county)
        t.save()
        townships[code] = t
    summary.regions = 3 + len(townships)
    say(f"行政区划：{summary.regions} 个")

    # Agencies.
    domains = {d.code: d for d in Domain.objects.all()}
    agencies: dict[str, Agency] = {}
    specs = [(COUNTY_JUSTICE, county, True), (CITY_JUSTICE, city, True)]
    specs += [(spec, county, False) for spec in COUNTY_AGENCIES]
    for index, (spec, region, supervises) in enumerate(specs):
        agencies[spec.key] = _agency(spec, region, index, seed, supervises, domains, house=10, phone=6100000)
    sub = Agency(
        name=SUB_AGENCY.name,
        short_name=SUB_AGENCY.short_name,
        uscc=agency_uscc(len(specs), county.code, seed),
        region=townships[TOWNSHIPS[0][0]],
        kind=AgencyKind.AUTHORISED,
        parent=agencies["market"],
        address=f"示范县城关镇{ROADS[0]}88号",
    )
    sub.save()
    sub.domains.add(domains[SUB_AGENCY.domain])
    agencies[SUB_AGENCY.key] = sub
    summary.agencies = len(agencies)
    all_specs = [COUNTY_JUSTICE, CITY_JUSTICE, *COUNTY_AGENCIES, SUB_AGENCY]
    units = Unit.objects.bulk_create(
        Unit(
            agency=agencies[spec.key], name=name, is_legal_review_office=(i == 0 and spec.key != "market_sub")
        )
        for spec in all_specs
        for i, name in enumerate(spec.units)
    )
    units_by_agency: dict[int, list[Unit]] = {}
    for unit in units:
        units_by_agency.setdefault(unit.agency_id, []).append(unit)
    summary.units = len(units)
    say(f"执法主体：{summary.agencies} 个，内设机构 {summary.units} 个")

    # Users (one password hash: every demo login shares the published demo password).
    hashed = make_password(DEMO_PASSWORD)
    names = {
        "demo_officer": "李明",
        "demo_reviewer": "王芳",
        "demo_head": "张建国",
        "demo_supervisor": "赵丽",
        "demo_supervisor2": "孙悦",
        "demo_city_supervisor": "陈志强",
        "demo_admin": "刘洋",
        "demo_enterprise": "周嘉",
        "demo_evaluator": "钱立新",
    }
    users = {
        username: User(
            username=username,
            full_name=f"{names[username]}（演示）",
            password=hashed,
            must_change_password=False,
        )
        for _, username, _ in DEMO_LOGINS
    }
    for user in users.values():
        user.save()
    summary.users = len(users)

    # Officers and certificates.
    officer_count = max(16, round(60 * scale))
    situations = officer_situations(officer_count, scale, seed)
    enforcing = [agencies[s.key] for s in COUNTY_AGENCIES] + [sub]
    id_space = _officer_ids(seed)
    market = agencies["market"]
    officers: list[Officer] = []
    for i in range(officer_count):
        # The first two are the demo officer (a 食品安全监管股 inspector) and the demo reviewer (政策法规股).
        agency = (
            agencies[CORE_OFFICERS[i]] if i < len(CORE_OFFICERS) else enforcing[rng.randrange(len(enforcing))]
        )
        agency_units = units_by_agency[agency.pk]
        if i == 0:
            unit, post = agency_units[1], "科员"
        elif i == 1:
            unit, post = agency_units[0], "法制审核员"
        else:
            unit = agency_units[rng.randrange(len(agency_units))]
            post = rng.choice(("科员", "执法队员", "股长", "副股长", "副大队长"))
        auxiliary = situations[i] == SITUATION_AUXILIARY
        officers.append(
            Officer(
                user=users["demo_officer"] if i == 0 else users["demo_reviewer"] if i == 1 else None,
                name=_person_name(rng) if i >= 2 else users[DEMO_LOGINS[i][1]].full_name.split("（")[0],
                id_number=id_space.number(i),
                agency=agency,
                unit=unit,
                post="协管员" if auxiliary else post,
                is_auxiliary=auxiliary,
            )
        )
    officers = Officer.objects.bulk_create(officers, batch_size=BATCH_SIZE)
    summary.officers = len(officers)

    certificates: list[Certificate] = []
    for i, officer in enumerate(officers):
        situation = situations[i]
        summary.situations[situation] = summary.situations.get(situation, 0) + 1
        if situation == SITUATION_AUXILIARY:
            continue
        if situation == SITUATION_EXPIRING:
            expires = today + dt.timedelta(days=rng.randint(1, 29))
        elif situation == SITUATION_EXPIRED:
            expires = today - dt.timedelta(days=rng.randint(1, 300))
        else:
            expires = today + dt.timedelta(days=rng.randint(60, 1500))
        status = {
            SITUATION_SUSPENDED: CertificateStatus.SUSPENDED,
            SITUATION_REVOKED: CertificateStatus.REVOKED,
        }.get(situation, CertificateStatus.VALID)
        certificates.append(
            Certificate(
                officer=officer,
                number=f"86{i + 1:08d}",
                issuer="示范县人民政府" if i % 2 else "示范市人民政府",
                area="示范县",
                issued_on=expires - dt.timedelta(days=5 * 365),
                expires_on=expires,
                status=status,
                last_reviewed_year=today.year - 1 if situation != SITUATION_EXPIRED else today.year - 2,
            )
        )
    certificates = Certificate.objects.bulk_create(certificates, batch_size=BATCH_SIZE)
    agency_domain_ids = {agencies[s.key].pk: domains[s.domain].pk for s in all_specs}
    officer_domain = {o.pk: agency_domain_ids[o.agency_id] for o in officers}
    Through = Certificate.domains.through
    Through.objects.bulk_create(
        (Through(certificate_id=c.pk, domain_id=officer_domain[c.officer_id]) for c in certificates),
        batch_size=BATCH_SIZE,
    )
    events = [
        CertificateEvent(
            certificate=c, kind=CertificateEventKind.ISSUE, from_status="", to_status=CertificateStatus.VALID
        )
        for c in certificates
    ]
    events += [
        CertificateEvent(
            certificate=c,
            kind=CertificateEventKind.SUSPEND
            if c.status == CertificateStatus.SUSPENDED
            else CertificateEventKind.REVOKE,
            from_status=CertificateStatus.VALID,
            to_status=c.status,
            reason="演示：涉嫌违法违纪，暂扣证件"
            if c.status == CertificateStatus.SUSPENDED
            else "演示：调离执法岗位，收回证件",
        )
        for c in certificates
        if c.status in (CertificateStatus.SUSPENDED, CertificateStatus.REVOKED)
    ]
    CertificateEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
    summary.certificates = len(certificates)
    say(f"执法人员：{summary.officers} 名，执法证件 {summary.certificates} 本")

    summary.training_records = _build_training(officers, situations, rng, today)
    say(f"培训记录：{summary.training_records} 条")

    # Parties, streamed.
    party_count = max(100, round(2000 * scale))
    summary.parties = _create_parties(party_rows(party_count, seed), townships, party_count, say)
    say(f"行政相对人：{summary.parties} 个")

    # Roles and data scopes.
    enterprise_party = Party.objects.get(uscc=party_uscc(0, PartyKind.LEGAL_PERSON, seed))
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(
                user=users["demo_officer"], role=Role.OFFICER, scope=ScopeKind.OWN_AGENCY, agency=market
            ),
            RoleAssignment(
                user=users["demo_reviewer"],
                role=Role.LEGAL_REVIEWER,
                scope=ScopeKind.OWN_AGENCY,
                agency=market,
            ),
            RoleAssignment(
                user=users["demo_head"], role=Role.AGENCY_HEAD, scope=ScopeKind.AGENCY_TREE, agency=market
            ),
            RoleAssignment(
                user=users["demo_supervisor"], role=Role.SUPERVISOR, scope=ScopeKind.REGION, region=county
            ),
            RoleAssignment(
                user=users["demo_city_supervisor"], role=Role.SUPERVISOR, scope=ScopeKind.REGION, region=city
            ),
            RoleAssignment(
                user=users["demo_admin"], role=Role.ADMIN, scope=ScopeKind.REGION, region=province
            ),
            RoleAssignment(
                user=users["demo_enterprise"],
                role=Role.ENTERPRISE,
                scope=ScopeKind.PARTY,
                party=enterprise_party,
            ),
            # 外聘评查人员: an outside lawyer on the county's evaluation panel (seed 000, 三、3 第三方评查组); the
            # region scope names whose panels may take them — they see only the files assigned to them.
            RoleAssignment(
                user=users["demo_evaluator"], role=Role.EVALUATOR, scope=ScopeKind.REGION, region=county
            ),
        ]
    )
    # 行政处罚法 第五十八条第二款: the demo reviewer holds the 法律职业资格 a first-time reviewer needs.
    LegalQualification.objects.create(
        user=users["demo_reviewer"],
        certificate_number="A20183301000001",
        obtained_on=dt.date(2018, 12, 1),
        recorded_by=users["demo_admin"],
    )
    _build_second_county(summary, city, domains, users["demo_supervisor2"], scale, seed, say)
    return summary


def _create_parties(
    rows: Iterator[PartyRow], townships: dict[str, Region], count: int, say: Callable[[str], Any]
) -> int:
    """Stream generated parties into the database in batches; returns how many were written."""
    built = 0
    while batch := list(islice(rows, BATCH_SIZE)):
        Party.objects.bulk_create(
            [
                Party(
                    kind=r.kind,
                    name=r.name,
                    uscc=r.uscc,
                    id_number=r.id_number,
                    legal_representative=r.legal_representative,
                    region=townships[r.region_code],
                    region_path=townships[r.region_code].path,
                    industry=r.industry,
                    address=r.address,
                    phone=r.phone,
                    credit_class=r.credit_class,
                )
                for r in batch
            ],
            batch_size=BATCH_SIZE,
        )
        built += len(batch)
        if built % 100_000 == 0:
            say(f"行政相对人：已生成 {built} / {count}")
    return built


# --- the second county (示范县二) ------------------------------------------------------------------------------


def county2_party_count(scale: float) -> int:
    """示范县二 has a quarter of 示范县's parties (at least 50, so every kind of party is there)."""
    return max(50, round(500 * scale))


def county2_officer_count(scale: float) -> int:
    """A quarter of 示范县's officers (at least 8: every agency of 示范县二 has two or more who may enforce)."""
    return max(8, round(15 * scale))


def county2_certificate_number(index: int) -> str:
    """The region code and five or more digits: never the 10 characters of a 示范县 number (86 + 8 digits)."""
    return f"{COUNTY2[0]}{index + 1:05d}"


def _build_second_county(
    summary: DemoSummary,
    city: Region,
    domains: dict[str, Domain],
    supervisor: User,
    scale: float,
    seed: int,
    say: Callable[[str], Any],
) -> None:
    """示范县二 under the same city: townships, its judicial bureau and enforcing agencies with their units,
    officers who all hold valid certificates (and this year's training), parties, and ``demo_supervisor2``'s
    data scope. Its own random stream: 示范县 is the same with or without it. Adds to ``summary``."""
    rng = random.Random(f"{seed}:org:{COUNTY2[0]}")
    today = clock.today()
    county = Region(code=COUNTY2[0], name=COUNTY2[1], level=RegionLevel.COUNTY, parent=city)
    county.save()
    townships: dict[str, Region] = {}
    for code, name in COUNTY2_TOWNSHIPS:
        township = Region(code=code, name=name, level=RegionLevel.TOWNSHIP, parent=county)
        township.save()
        townships[code] = township

    specs = [(COUNTY2_JUSTICE, True), *((spec, False) for spec in COUNTY2_AGENCIES)]
    agencies: dict[str, Agency] = {}
    for index, (spec, supervises) in enumerate(specs):
        agencies[spec.key] = _agency(spec, county, index, seed, supervises, domains, house=20, phone=6200000)
    units = Unit.objects.bulk_create(
        Unit(agency=agencies[spec.key], name=name, is_legal_review_office=(i == 0))
        for spec, _ in specs
        for i, name in enumerate(spec.units)
    )
    units_by_agency: dict[int, list[Unit]] = {}
    for unit in units:
        units_by_agency.setdefault(unit.agency_id, []).append(unit)

    # Officers: the market bureau gets the first three, the others follow in turn; every one holds a valid
    # certificate for the agency's domain.
    count = county2_officer_count(scale)
    enforcing = [agencies[s.key] for s in COUNTY2_AGENCIES]
    id_space = _officer_ids(seed, salt=f"officer:{county.code}")
    officers: list[Officer] = []
    for i in range(count):
        agency = enforcing[0] if i < 3 else enforcing[(i - 2) % len(enforcing)]
        agency_units = units_by_agency[agency.pk]
        officers.append(
            Officer(
                name=_person_name(rng),
                id_number=id_space.number(i, county.code),
                agency=agency,
                unit=agency_units[min(1, len(agency_units) - 1)] if i == 0 else rng.choice(agency_units),
                post="科员" if i == 0 else rng.choice(("科员", "执法队员", "股长", "副股长")),
            )
        )
    officers = Officer.objects.bulk_create(officers, batch_size=BATCH_SIZE)
    certificates: list[Certificate] = []
    for i, officer in enumerate(officers):
        expires = today + dt.timedelta(days=rng.randint(200, 1500))
        certificates.append(
            Certificate(
                officer=officer,
                number=county2_certificate_number(i),
                issuer="示范县二人民政府" if i % 2 else "示范市人民政府",
                area=county.name,
                issued_on=expires - dt.timedelta(days=5 * 365),
                expires_on=expires,
                status=CertificateStatus.VALID,
                last_reviewed_year=today.year - 1,
            )
        )
    certificates = Certificate.objects.bulk_create(certificates, batch_size=BATCH_SIZE)
    domain_of_agency = {agencies[s.key].pk: domains[s.domain].pk for s, _ in specs}
    domain_of_officer = {o.pk: domain_of_agency[o.agency_id] for o in officers}
    Through = Certificate.domains.through
    Through.objects.bulk_create(
        (Through(certificate_id=c.pk, domain_id=domain_of_officer[c.officer_id]) for c in certificates),
        batch_size=BATCH_SIZE,
    )
    CertificateEvent.objects.bulk_create(
        (
            CertificateEvent(
                certificate=c,
                kind=CertificateEventKind.ISSUE,
                from_status="",
                to_status=CertificateStatus.VALID,
            )
            for c in certificates
        ),
        batch_size=BATCH_SIZE,
    )
    training = _build_training(officers, [SITUATION_VALID] * count, rng, today)

    party_count = county2_party_count(scale)
    rows = party_rows(party_count, seed, county=COUNTY2, townships=COUNTY2_TOWNSHIPS)
    parties = _create_parties(rows, townships, party_count, say)

    RoleAssignment.objects.create(
        user=supervisor, role=Role.SUPERVISOR, scope=ScopeKind.REGION, region=county
    )

    summary.regions += 1 + len(townships)
    summary.agencies += len(agencies)
    summary.units += len(units)
    summary.officers += len(officers)
    summary.certificates += len(certificates)
    summary.training_records += training
    summary.parties += parties
    summary.situations[SITUATION_VALID] = summary.situations.get(SITUATION_VALID, 0) + len(officers)
    say(
        f"{COUNTY2[1]}：执法主体 {len(agencies)} 个，执法人员 {len(officers)} 名（均持有效执法证件），"
        f"行政相对人 {parties} 个"
    )


class CountyAccounts(NamedTuple):
    """Who signs one 示范县二 agency's demo steps."""

    agency: Agency
    officer_user: User  # linked to the agency's first officer
    head: User


def county2_accounts() -> dict[str, CountyAccounts]:
    """The accounts that sign 示范县二's demo cases and inspections, by agency key (``COUNTY2_AGENCIES``):
    an officer account linked to the agency's first officer, and an agency head. They have no usable
    password (the ledger names who did each step; ``demo_supervisor2`` is the county's login).

    Made on first use by the demo steps, so they come after 示范县's own step accounts. Raises
    ``DemoPartFailed`` when 示范县二 was not built.
    """
    accounts: dict[str, CountyAccounts] = {}
    for spec in COUNTY2_AGENCIES:
        agency = Agency.objects.filter(name=spec.name, region__code=COUNTY2[0]).first()
        first = Officer.objects.filter(agency=agency, is_auxiliary=False).order_by("id").first()
        if agency is None or first is None:
            raise DemoPartFailed(COUNTY2[1], f"没有{spec.name}或其执法人员")
        users: dict[str, User] = {}
        for suffix, role, scope, full_name in (
            ("officer", Role.OFFICER, ScopeKind.OWN_AGENCY, f"{first.name}（演示）"),
            ("head", Role.AGENCY_HEAD, ScopeKind.AGENCY_TREE, f"{spec.short_name}负责人（演示）"),
        ):
            user, created = User.objects.get_or_create(
                username=f"demo_county2_{spec.key}_{suffix}", defaults={"full_name": full_name}
            )
            if created:
                user.password = make_password(None)  # no login
                user.must_change_password = False
                user.save(update_fields=["password", "must_change_password"])
            RoleAssignment.objects.get_or_create(user=user, role=role, scope=scope, agency=agency)
            users[suffix] = user
        if first.user_id is None:
            first.user = users["officer"]
            first.save(update_fields=["user"])
        elif first.user_id != users["officer"].pk:
            raise DemoPartFailed(COUNTY2[1], f"{spec.name}的第一名执法人员已关联其他账号")
        accounts[spec.key] = CountyAccounts(agency, users["officer"], users["head"])
    return accounts


def _build_training(
    officers: list[Officer], situations: list[str], rng: random.Random, today: dt.date
) -> int:
    """This year's training: officer 2 and about one in eight others fall short of the yearly minimum."""
    law_min = settings.ZHIFA["TRAINING_MIN_LAW_HOURS"]
    business_min = settings.ZHIFA["TRAINING_MIN_BUSINESS_HOURS"]
    year_start = dt.date(today.year, 1, 1)
    span = (today - year_start).days
    law_titles = (
        "行政处罚法专题培训",
        "行政许可法与行政强制法",
        "习近平法治思想专题学习",
        "行政复议法（2023 修订）解读",
    )
    business_titles = (
        "执法文书制作规范",
        "执法全过程记录实务",
        "双随机一公开抽查实务",
        "证据收集与固定",
        "裁量基准适用",
    )
    records: list[TrainingRecord] = []
    written = 0
    for i, officer in enumerate(officers):
        if situations[i] == SITUATION_AUXILIARY and rng.random() < 0.5:
            continue
        short = i == 2 or (i > 2 and rng.random() < 0.125)
        law_target = law_min - 8 if short and rng.random() < 0.5 else law_min + rng.choice((0, 4, 8))
        business_target = (
            business_min - 16 if short and law_target >= law_min else business_min + rng.choice((0, 8))
        )
        for kind, target, titles in (
            (TrainingKind.PUBLIC_LAW, law_target, law_titles),
            (TrainingKind.BUSINESS, business_target, business_titles),
        ):
            remaining = target
            while remaining > 0:
                hours = min(remaining, rng.choice((4, 8, 12)))
                records.append(
                    TrainingRecord(
                        officer=officer,
                        kind=kind,
                        title=rng.choice(titles),
                        held_on=year_start + dt.timedelta(days=rng.randint(0, span)),
                        hours=Decimal(hours),
                    )
                )
                remaining -= hours
        if len(records) >= BATCH_SIZE:  # flushed in batches: a large scale has hundreds of thousands
            TrainingRecord.objects.bulk_create(records)
            written += len(records)
            records = []
    TrainingRecord.objects.bulk_create(records)
    return written + len(records)


def demo_present_cached(request: HttpRequest | None) -> bool:
    """``zhifa.org.demo.demo_present()``, asked once per request."""
    if request is None:
        return False
    cached = getattr(request, "_zhifa_demo_present", None)
    if cached is None:
        cached = demo_present()
        request._zhifa_demo_present = cached  # type: ignore[attr-defined]
    return cached

"""Demo cases (演示案件) for the demo county: ~40 cases in every stage, built through the real services.

Registered in ``CasesConfig.ready()`` as demo step 100 (``zhifa.org.demo.register_demo_step``). Every case is
walked through the same services an officer uses — guards, row locks, ledger entries — with the records the
guards require stored through ``zhifa.evidence`` (a 调查取证笔录 before 调查终结, a 送达回证 before 结案, the
on-site video of a 扣押). Dates lie on or before ``DemoContext.today`` (the day the clock is set to, see
``zhifa demo --as-of``) and step over weekends and public holidays (``zhifa.core.workdays``), so the
working-day periods hold.

Most cases belong to 示范县市场监督管理局, where the demo logins work (demo_officer handles them, demo_head
decides, demo_reviewer reviews); a few belong to other county agencies, handled by two per-agency accounts this
step creates without a usable password (the ledger names who did each step). A case that a service refuses
(e.g. a holiday schedule the calendar does not know yet) stops the whole demo with an error naming the
situation: nothing is left out silently.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib.auth.hashers import make_password

from zhifa.cases import hooks, services
from zhifa.cases.hearing import case_serve_notice
from zhifa.cases.models import Case
from zhifa.core import clock
from zhifa.core.errors import DomainError
from zhifa.core.workdays import add_working_days, is_working_day
from zhifa.evidence import services as evidence_services
from zhifa.evidence.uploads import hashed_upload_from
from zhifa.org.demo import COUNTY, COUNTY2, COUNTY_AGENCIES, DemoPartFailed, county2_accounts
from zhifa.org.models import Agency, Officer, Party, PartyKind, Role, RoleAssignment, ScopeKind, User
from zhifa.org.selectors import officer_can_enforce

STEP_ORDER = 100


@dataclass
class AgencyCrew:
    """Who handles one agency's demo cases."""

    agency: Any
    domain: Any
    officer_user: Any
    head: Any
    officers: list[Any]  # entitled to enforce, the officer_user's officer first
    key: str  # the agency's key in zhifa.org.demo.COUNTY_AGENCIES: its cases take that key's TITLES
    reviewer: Any = None


@dataclass
class DemoCases:
    today: dt.date
    rng: random.Random
    say: Callable[[str], Any]
    companies: list[Any]
    people: list[Any]
    made: dict[str, int] = field(default_factory=dict)
    _party_index: int = 0

    def party(self, company: bool) -> Any:
        pool = self.companies if company else self.people
        self._party_index += 1
        return pool[self._party_index % len(pool)]


# --- dates ---------------------------------------------------------------------------------------------------------


def _last_workday() -> dt.date:
    """The last working day before the demo's today (the clock is set to the demo's day). The demo's acts
    all lie before today: the catalog takes effect today (``catalog/demo.py``), so a back-dated case that
    names no item is not gated by it."""
    d = clock.today() - dt.timedelta(days=1)
    while not is_working_day(d):
        d -= dt.timedelta(days=1)
    return d


def _workday(d: dt.date) -> dt.date:
    """``d`` or the next working day, but never on or after the demo's today: a step that would fall later
    is done on the last working day before it (on a Monday, during 春节 or 国庆, the demo acts on the last
    working day before). Monotonic, so the steps of one walk keep their order."""
    while not is_working_day(d):
        d += dt.timedelta(days=1)
    return min(d, _last_workday())


def _wd(start: dt.date, n: int) -> dt.date:
    """``n`` working days after ``start``, but never on or after the demo's today (see ``_workday``)."""
    return min(add_working_days(start, n), _last_workday())


# --- records -------------------------------------------------------------------------------------------------------

_PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b"0" * 512
_MP4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + bytes(range(256)) * 4


def _store(user: User, case: Case, stage: str, kind: str = "document", name: str = "笔录.pdf") -> None:
    """One record stored against the case through the evidence app (what the guards look for)."""
    body = (_PDF if kind == "document" else _MP4) + f"demo-{case.pk}-{stage}-{kind}".encode()
    evidence_services.evidence_store(
        actor=user,
        upload=hashed_upload_from(io.BytesIO(body), name),
        kind=kind,
        object_type="cases.case",
        object_id=str(case.pk),
        stage=stage,
        description=f"演示：{name}",
    )


# --- the offences: title, facts and the legal basis of the decision, per agency -------------------------------


@dataclass(frozen=True)
class Offence:
    """One demo 案由 with the facts, the legal basis its decision states and the fines that basis allows.

    ``basis`` names the provisions violated and the penalty provision (行政处罚法 第五十九条, 第五十二条); every law it
    names belongs to the handling agency's domain (``zhifa.org.demo_laws.DOMAIN_LAWS``). ``fine_min``/``fine_max``
    (yuan) are what the penalty provision allows for the demo's facts (small goods value; None: no bound), so the
    walks fine within the law. ``catalog_code`` is the catalogue item (``catalog/demo.py`` ITEMS) of this offence.
    ``registered_only``: only a registered 市场主体 can commit it (not a natural person). ``warning``: the penalty
    provision provides 警告 besides the fine (most of these provide a fine only).
    """

    title: str
    facts: str
    basis: str
    fine_min: int | None = None
    fine_max: int | None = None
    catalog_code: str = ""
    registered_only: bool = False
    warning: bool = False

    @property
    def kinds(self) -> tuple[str, ...]:
        """The penalty kinds the walks propose and decide: the fine, and the warning where the provision has one."""
        return ("warning", "fine") if self.warning else ("fine",)

    def fits_party(self, party: Any) -> bool:
        return not (self.registered_only and party.kind == "natural_person")

    def allows(self, fine: str) -> bool:
        amount = int(fine)
        return (self.fine_min is None or amount >= self.fine_min) and (
            self.fine_max is None or amount <= self.fine_max
        )

    def within(self, fine: str) -> str:
        """``fine`` moved into the range the penalty provision allows."""
        amount = int(fine)
        if self.fine_min is not None:
            amount = max(amount, self.fine_min)
        if self.fine_max is not None:
            amount = min(amount, self.fine_max)
        return str(amount)


def _basis(violated: str, penalty: str) -> str:
    return f"{violated}；处罚依据：{penalty}"


FSL = "《中华人民共和国食品安全法》"
# 价格法 第十三条第一款 (明码标价义务), 第四十二条 (五千元以下): verified.
PRICE_MARKING = Offence(
    "未明码标价",
    "销售商品未按规定明码标价",
    _basis("《中华人民共和国价格法》第十三条第一款", "《中华人民共和国价格法》第四十二条"),
    fine_max=5000,
    catalog_code="SJ-CF-007",
)
# 市场主体登记管理条例 第三十六条, 第四十八条第一款 (责令改正；拒不改正的，处3万元以下): verified.
LICENCE_DISPLAY = Offence(
    "未将营业执照置于经营场所醒目位置",
    "经责令改正后仍未将营业执照置于主要经营场所醒目位置",
    _basis(
        "《中华人民共和国市场主体登记管理条例》第三十六条",
        "《中华人民共和国市场主体登记管理条例》第四十八条第一款",
    ),
    fine_max=30000,
    catalog_code="SJ-CF-012",
    registered_only=True,
)
# 计量法 第九条第一款 (强制检定), 第二十五条; 计量法实施细则 第四十三条 (1000 元以下): verified (2018 texts).
UNCALIBRATED_SCALE = Offence(
    "使用未经检定的计量器具",
    "使用未经强制检定的电子计价秤进行贸易结算",
    _basis(
        "《中华人民共和国计量法》第九条第一款",
        "《中华人民共和国计量法》第二十五条、《中华人民共和国计量法实施细则》第四十三条",
    ),
    fine_max=1000,
    catalog_code="SJ-CF-014",
)

# Agency key (zhifa.org.demo.COUNTY_AGENCIES) → its offences. An agency without an entry handles no demo case.
# 食品安全法 articles: 2021 text, verified (its 2025 amendment could not be checked for renumbering).
TITLES: dict[str, tuple[Offence, ...]] = {
    "market": (
        # 第三十四条第（十）项, 第一百二十四条第一款第（五）项: 货值不足一万元的并处五万元以上十万元以下, 一万元以上的
        # 并处货值金额十倍以上二十倍以下.
        Offence(
            "销售超过保质期的食品",
            "在其经营的超市货架上销售超过保质期的预包装食品",
            _basis(f"{FSL}第三十四条第（十）项", f"{FSL}第一百二十四条第一款第（五）项"),
            fine_min=50000,
            catalog_code="SJ-CF-002",
        ),
        PRICE_MARKING,
        # 第三十四条第（二）项 (致病性微生物), 第一百二十四条第一款第（一）项.
        Offence(
            "销售不符合食品安全标准的食品",
            "销售的散装熟食经抽检检出沙门氏菌",
            _basis(f"{FSL}第三十四条第（二）项", f"{FSL}第一百二十四条第一款第（一）项"),
            fine_min=50000,
        ),
        # 广告法 第十七条 (广告不得涉及疾病治疗功能), 第五十八条第一款第（二）项 (广告费用一倍以上三倍以下；无法计算的
        # 十万元以上二十万元以下): verified (2021 text). Not the 反不正当竞争法: its 2025 revision renumbered the
        # 虚假宣传 articles and the new penalty article could not be verified.
        Offence(
            "广告涉及疾病治疗功能",
            "在店招和宣传单上宣传其销售的足浴盆具有治疗高血压的作用",
            _basis(
                "《中华人民共和国广告法》第十七条",
                "《中华人民共和国广告法》第五十八条第一款第（二）项",
            ),
            fine_max=200000,
        ),
        # 第三十五条第一款 (许可), 第一百二十二条第一款 (五万元以上十万元以下 / 十倍以上二十倍以下).
        Offence(
            "无证经营食品",
            "未取得食品经营许可从事散装熟食销售",
            _basis(f"{FSL}第三十五条第一款", f"{FSL}第一百二十二条第一款"),
            fine_min=50000,
            catalog_code="SJ-CF-001",
        ),
        UNCALIBRATED_SCALE,
        # 商标法 第五十七条第（三）项, 第六十条第二款 (违法经营额不足五万元的，可以处二十五万元以下): verified.
        Offence(
            "销售侵犯注册商标专用权的商品",
            "销售假冒知名品牌注册商标的运动鞋",
            _basis(
                "《中华人民共和国商标法》第五十七条第（三）项",
                "《中华人民共和国商标法》第六十条第二款",
            ),
            fine_max=250000,
            catalog_code="SJ-CF-008",
        ),
        # 产品质量法 第五十条 (货值金额百分之五十以上三倍以下): verified.
        Offence(
            "销售以假充真的产品",
            "以非国标电线冒充国标铜芯电线销售",
            _basis("《中华人民共和国产品质量法》第五十条", "《中华人民共和国产品质量法》第五十条"),
            catalog_code="SJ-CF-010",
        ),
        LICENCE_DISPLAY,
    ),
    # 大气污染防治法 第六十九条第三款, 第一百一十五条第一款第（一）项 (住房城乡建设等主管部门；一万元以上十万元以下):
    # verified. Building-site dust is this agency's, not the ecology bureau's.
    "housing": (
        Offence(
            "建筑工地扬尘防治措施不到位",
            "施工工地未设置硬质围挡、裸土未覆盖，车辆未冲洗驶出",
            _basis(
                "《中华人民共和国大气污染防治法》第六十九条第三款",
                "《中华人民共和国大气污染防治法》第一百一十五条第一款第（一）项",
            ),
            fine_min=10000,
            fine_max=100000,
            catalog_code="ZJ-CF-006",
        ),
    ),
    # 安全生产法 (2021) 第二十八条, 第九十七条 (十万元以下): verified.
    "emergency": (
        Offence(
            "未按照规定对从业人员进行安全生产教育和培训",
            "新招用的三名操作工未经安全生产教育和培训即上岗作业",
            _basis(
                "《中华人民共和国安全生产法》第二十八条第一款",
                "《中华人民共和国安全生产法》第九十七条第（三）项",
            ),
            fine_max=100000,
        ),
        Offence(
            "未如实记录安全生产教育和培训情况",
            "安全生产教育和培训档案记录的培训时间、参加人员与实际不符",
            _basis(
                "《中华人民共和国安全生产法》第二十八条第四款",
                "《中华人民共和国安全生产法》第九十七条第（四）项",
            ),
            fine_max=100000,
            catalog_code="YJ-CF-002",
        ),
    ),
    "ecology": (
        # 水污染防治法 第十条, 第八十三条第（二）项 (十万元以上一百万元以下): verified.
        Offence(
            "超标排放水污染物",
            "外排废水化学需氧量浓度超过水污染物排放标准",
            _basis(
                "《中华人民共和国水污染防治法》第十条",
                "《中华人民共和国水污染防治法》第八十三条第（二）项",
            ),
            fine_min=100000,
            fine_max=1000000,
            catalog_code="HJ-CF-002",
        ),
        # 大气污染防治法 第七十二条第一款, 第一百一十七条第（二）项 (一万元以上十万元以下): verified.
        Offence(
            "易产生扬尘的物料未采取覆盖措施",
            "砂石料堆场未设置严密围挡，也未采取有效覆盖措施防治扬尘污染",
            _basis(
                "《中华人民共和国大气污染防治法》第七十二条第一款",
                "《中华人民共和国大气污染防治法》第一百一十七条第（二）项",
            ),
            fine_min=10000,
            fine_max=100000,
        ),
    ),
    # 公路法 第四十四条第一款, 第七十六条第（一）项 (三万元以下): verified. (The 道路运输条例 was revised several times
    # and its current 年审 provisions could not be verified; this agency's demo case is a road matter instead.)
    "transport": (
        Offence(
            "擅自占用公路",
            "未经许可在公路上设置砂石料堆场，占用公路",
            _basis(
                "《中华人民共和国公路法》第四十四条第一款", "《中华人民共和国公路法》第七十六条第（一）项"
            ),
            fine_max=30000,
            catalog_code="JT-CF-001",
        ),
    ),
    # 农药管理条例 第四十五条第二款 (超过质量保证期按劣质农药处理), 第五十六条 (货值不足1万元的，并处2000元以上2万元
    # 以下): verified.
    "agriculture": (
        Offence(
            "经营劣质农药",
            "销售超过农药质量保证期的农药",
            _basis("《农药管理条例》第四十五条第二款", "《农药管理条例》第五十六条"),
            fine_min=2000,
            fine_max=20000,
        ),
    ),
    # 互联网上网服务营业场所管理条例 第二十一条第一款, 第三十一条第（二）项 (15000元以下): verified.
    "culture_tourism": (
        Offence(
            "接纳未成年人进入互联网上网服务营业场所",
            "网吧接纳未成年人进入营业场所上网",
            _basis(
                "《互联网上网服务营业场所管理条例》第二十一条第一款",
                "《互联网上网服务营业场所管理条例》第三十一条第（二）项",
            ),
            fine_max=15000,
            warning=True,
            catalog_code="WL-CF-001",
        ),
    ),
    # 城市市容和环境卫生管理条例 第十四条, 第三十六条第（二）项; 第十七条第一款, 第三十四条第（二）项: verified.
    # 占道经营 belongs here (城管/综合行政执法), never to the market regulator.
    "comprehensive": (
        Offence(
            "占道经营",
            "未经批准在人民路人行道上搭建遮阳棚、摆放货架经营，影响市容",
            _basis(
                "《城市市容和环境卫生管理条例》第十四条", "《城市市容和环境卫生管理条例》第三十六条第（二）项"
            ),
            catalog_code="ZF-CF-005",
        ),
        Offence(
            "在城市建筑物上涂写、刻画",
            "在临街建筑物外墙上涂写小广告",
            _basis(
                "《城市市容和环境卫生管理条例》第十七条第一款",
                "《城市市容和环境卫生管理条例》第三十四条第（二）项",
            ),
            catalog_code="ZF-CF-001",
            warning=True,
        ),
    ),
    # 土地管理法 第七十七条第一款 (可以并处罚款; the amount is set by its 实施条例, not checked here): verified.
    "natural_resources": (
        Offence(
            "非法占用土地",
            "未经批准占用集体土地建设仓库",
            _basis(
                "《中华人民共和国土地管理法》第七十七条第一款", "《中华人民共和国土地管理法》第七十七条第一款"
            ),
            catalog_code="ZR-CF-001",
        ),
    ),
    # 水法 第六十五条第一款 (一万元以上十万元以下): verified.
    "water": (
        Offence(
            "在河道管理范围内建设妨碍行洪的建筑物",
            "在河道管理范围内搭建彩钢板房，妨碍行洪",
            _basis("《中华人民共和国水法》第六十五条第一款", "《中华人民共和国水法》第六十五条第一款"),
            fine_min=10000,
            fine_max=100000,
            catalog_code="SL-CF-001",
        ),
    ),
}

# 简易程序 (行政处罚法 第五十一条: 公民二百元以下、法人或者其他组织三千元以下): offences of the market agency's own
# domain with a fixed, small penalty range. 占道经营 is not among them: it is the 综合行政执法 agency's.
SIMPLE_TITLES: dict[str, tuple[Offence, ...]] = {
    "market": (
        replace(PRICE_MARKING, facts="现场检查发现销售商品未按规定明码标价"),
        replace(LICENCE_DISPLAY, facts="现场检查发现，经责令改正后仍未将营业执照置于经营场所醒目位置"),
        replace(UNCALIBRATED_SCALE, facts="现场检查发现使用未经强制检定的电子计价秤进行贸易结算"),
    ),
}


def offence_for_item(agency_key: str, code: str) -> Offence | None:
    """The agency's offence whose catalogue item is ``code`` (a case naming the item takes its title and basis)."""
    return next((o for o in TITLES.get(agency_key, ()) if code and o.catalog_code == code), None)


# --- the walks -----------------------------------------------------------------------------------------------------


class Walk:
    """One case, walked step by step; ``stop`` names the stage it is left in."""

    def __init__(self, demo: DemoCases, crew: AgencyCrew, company: bool, start: dt.date, title_pool: str):
        self.demo, self.crew = demo, crew
        self.party = demo.party(company)
        self.start = _workday(start)
        # The offence follows the handling agency (its TITLES), whatever pool of crews the scenario drew from
        # (``title_pool``, "market" or "other").
        self._pool = tuple(o for o in TITLES[crew.key] if o.fits_party(self.party))
        self._pick = demo.rng.randrange(len(self._pool))
        self._use(self._pool[self._pick])
        self.case: Case | None = None
        self._catalog_code = ""

    def _use(self, offence: Offence) -> None:
        self.offence = offence
        self.title, self.facts = offence.title, offence.facts

    @property
    def catalog_code(self) -> str:
        return self._catalog_code

    @catalog_code.setter
    def catalog_code(self, code: str) -> None:
        """Naming a catalogue item makes the case that item's offence (title, facts, basis): decision and item agree.

        An item the agency has no demo offence for is not named.
        """
        offence = offence_for_item(self.crew.key, code)
        self._catalog_code = code if offence is not None else ""
        if offence is not None:
            self._use(offence)

    def choose(self, title: str) -> None:
        """Make the case the agency's offence ``title`` (a walk whose facts fit one offence), unless it names an item."""
        offence = next((o for o in self._pool if o.title == title), None)
        if offence is not None and not self._catalog_code:
            self._use(offence)

    def fit(self, fine: str) -> str:
        """The walk's fine, within what the penalty provision of its offence allows. Call before ``register``.

        The walk keeps its amount where it can (the hearing and legal-review thresholds depend on it): an offence
        that does not allow it gives way to the next of the agency's offences that does. A case naming a catalogue
        item keeps its offence; so does an agency none of whose offences allows the amount: the amount moves into
        the provision's range instead.
        """
        if not self.offence.allows(fine) and not self._catalog_code:
            pool = self._pool
            fitting = [pool[(self._pick + i) % len(pool)] for i in range(len(pool))]
            self._use(next((o for o in fitting if o.allows(fine)), self.offence))
        return self.offence.within(fine)

    @property
    def user(self) -> Any:
        return self.crew.officer_user

    def register(self, source_kind: str = "complaint") -> Case:
        self.case = services.case_register_source(
            actor=self.user,
            agency=self.crew.agency,
            domain=self.crew.domain,
            source_kind=source_kind,
            received_on=self.start,
            title=self.title,
            summary=f"{self.party.name}{self.facts}（演示）",
            reference=f"12345-{self.start:%Y%m%d}-{self.demo.rng.randrange(1000, 9999)}"
            if source_kind == "hotline_12345"
            else "",
            parties=[self.party],
            catalog_item_code=self.catalog_code,
        )
        return self.case

    def open(self, on: dt.date | None = None, **kwargs: Any) -> Case:
        on = _workday(on or self.start)
        kwargs.setdefault("approved_by", self.crew.head)  # 立案审批 (市场监督管理行政处罚程序规定 第十八条)
        self.case = services.case_open(
            actor=self.user,
            case=self.case,
            officers=self.crew.officers[:2],  # demo seed: a sample
            act_date=self.start - dt.timedelta(days=12),
            facts=f"{self.party.name}{self.facts}。",
            on=on,
            **kwargs,
        )
        return self.case

    def investigate(self, on: dt.date) -> Case:
        self.case = services.case_start_investigation(actor=self.user, case=self.case, on=_workday(on))
        return self.case

    def end_investigation(self, on: dt.date) -> Case:
        _store(self.user, self.case, "investigation", name="询问笔录.pdf")
        self.case = services.case_end_investigation(actor=self.user, case=self.case, on=_workday(on))
        return self.case

    def notify(self, on: dt.date, fine: str, kinds: tuple[str, ...] | None = None) -> Case:
        self.case = services.case_notify_rights(
            actor=self.user,
            case=self.case,
            kinds=list(kinds or self.offence.kinds),
            fine_yuan=fine,
            basis=self.offence.basis,
            on=_workday(on),
        )
        # 行政处罚法 第六十四条第一项: the party's periods run from service of the notice, handed over that day.
        self.case = case_serve_notice(
            actor=self.user, case=self.case, method="direct", on=self.case.notified_on
        )
        return self.case

    def waive(self) -> Case:
        assert self.case is not None and self.case.notified_on is not None
        self.case = services.case_waive_rights(actor=self.user, case=self.case, on=self.case.notified_on)
        return self.case

    def decide(self, on: dt.date, fine: str, kinds: tuple[str, ...] | None = None) -> Case:
        self.case = services.case_decide(
            actor=self.crew.head,
            case=self.case,
            kinds=list(kinds or self.offence.kinds),
            fine_yuan=fine,
            basis=self.offence.basis,
            on=_workday(on),
        )
        return self.case

    def serve(self, on: dt.date) -> Case:
        self.case = services.case_serve(actor=self.user, case=self.case, method="direct", on=_workday(on))
        return self.case

    def pay(self, on: dt.date) -> Case:
        assert self.case is not None
        self.case = services.case_record_payment(
            actor=self.user, case=self.case, amount_yuan=self.case.fine_yuan, on=_workday(on)
        )
        return self.case

    def close(self, on: dt.date) -> Case:
        _store(self.user, self.case, "service_execution", name="送达回证.pdf")
        self.case = services.case_close(actor=self.crew.head, case=self.case, on=_workday(on))
        return self.case

    def archive(self, on: dt.date) -> Case:
        self.case = services.case_archive(actor=self.crew.head, case=self.case, on=_workday(on))
        return self.case


def _decided_walk(w: Walk, fine: str) -> Walk:
    """Opened at ``w.start``, investigated for ~3 weeks, notified, rights waived, decided."""
    fine = w.fit(fine)
    w.register()
    w.open()
    w.investigate(w.start)
    w.end_investigation(w.start + dt.timedelta(days=20))
    w.notify(w.start + dt.timedelta(days=22), fine)
    w.waive()
    w.decide(w.start + dt.timedelta(days=24), fine)
    # the sealed, numbered 行政处罚决定书 (a PDF with the CJK font): what the party is served and the portal shows
    services.document_issue(actor=w.user, case=w.case, doc_type="decision", on=w.case.decided_on)
    return w


# Each scenario: (name, count at scale 1, the crew key, company?, days before today it starts, the walk).
Scenario = tuple[str, int, str, bool, int, Callable[[Walk], Any]]


def _seizure(w: Walk) -> None:
    w.choose("销售超过保质期的食品")  # 查封、扣押 under 食品安全法 第一百一十条第（四）项
    w.register("inspection")
    w.open()
    w.investigate(w.start)
    _store(w.user, w.case, "service_execution", kind="video", name="扣押现场录像.mp4")
    seizure = services.seizure_decide(
        actor=w.user,
        case=w.case,
        kind="detain",
        items=["涉嫌过期食品 18 箱", "进货单据 2 张"]
        if w.title == "销售超过保质期的食品"
        else [f"涉案物品一批（{w.title}）", "进货单据 2 张"],
        place=f"{w.crew.agency.name}物证室",
        approved_by=w.crew.head,  # 行政强制法 第十八条
        on=_workday(w.start + dt.timedelta(days=1)),
    )
    # the numbered 查封（扣押）决定书: its number is what the published 行政强制 decision shows
    services.document_issue(
        actor=w.user, case=seizure.case, doc_type="seizure_decision", seizure=seizure, on=seizure.decided_on
    )


def _preservation(w: Walk) -> None:
    w.choose(UNCALIBRATED_SCALE.title)  # the preserved 电子计价秤 and 销售台账 are its evidence
    w.register("inspection")
    w.open()
    w.investigate(w.start)
    services.seizure_decide(
        actor=w.user,
        case=w.case,
        kind="preserve",
        items=["销售台账 1 本", "电子计价秤 1 台"],
        place="当事人经营场所",
        approved_by=w.crew.head,
        on=w.start,
    )


def _overdue(w: Walk) -> None:
    # opened long ago, still under investigation, no extension: past the 90 days (行政处罚法 第六十条)
    w.register()
    w.open()
    w.investigate(w.start + dt.timedelta(days=3))


def _extended(w: Walk) -> None:
    w.register()
    w.open()
    w.investigate(w.start + dt.timedelta(days=2))
    services.case_extend_deadline(
        actor=w.crew.head,
        case=w.case,
        days=30,
        reason="需委托检验，案情复杂",
        basis="《市场监督管理行政处罚程序规定》",
        on=_workday(w.start + dt.timedelta(days=80)),
    )


def _notified_hearing_right(w: Walk) -> None:
    fine = w.fit("150000")
    w.register()
    w.open()
    w.investigate(w.start)
    w.end_investigation(w.start + dt.timedelta(days=15))
    w.notify(w.demo.today - dt.timedelta(days=1), fine, ("fine",))


def _hearing_scheduled(w: Walk) -> None:
    fine = w.fit("120000")
    w.register()
    w.open()
    w.investigate(w.start)
    w.end_investigation(w.start + dt.timedelta(days=14))
    notified = _workday(w.start + dt.timedelta(days=15))
    w.notify(notified, fine, ("fine",))
    services.case_request_hearing(actor=w.user, case=w.case, on=_wd(notified, 2))
    services.case_schedule_hearing(
        actor=w.user, case=w.case, hearing_on=_wd(_wd(notified, 3), 7), on=_wd(notified, 3)
    )


def _at_legal_review(w: Walk) -> None:
    # a major case (fine at the major threshold) waiting for the legal reviewer (行政处罚法 第五十八条)
    fine = w.fit("100000")
    w.register("referral")
    w.open(is_complex=True)
    w.investigate(w.start)
    w.end_investigation(w.start + dt.timedelta(days=20))
    notified = _workday(w.start + dt.timedelta(days=22))
    w.notify(notified, fine, ("fine",))
    w.waive()
    services.case_submit_legal_review(actor=w.user, case=w.case, on=_wd(notified, 1))


def _decided(w: Walk) -> None:
    _decided_walk(w, "3000")


def _served(w: Walk) -> None:
    _decided_walk(w, "5000")
    w.serve(w.case.decided_on + dt.timedelta(days=2))


def _executing(w: Walk) -> None:
    _decided_walk(w, "2000")
    w.serve(w.case.decided_on + dt.timedelta(days=1))
    assert w.case.payment_due is not None
    services.enforcement_demand(
        actor=w.user, case=w.case, on=_workday(w.case.payment_due + dt.timedelta(days=3))
    )


def _closed(w: Walk) -> None:
    _decided_walk(w, "8000")
    w.serve(w.case.decided_on + dt.timedelta(days=1))
    w.pay(w.case.served_on + dt.timedelta(days=7))
    w.close(w.case.paid_on + dt.timedelta(days=2))


def _archived(w: Walk) -> None:
    _closed(w)
    w.archive(w.case.closed_on + dt.timedelta(days=5))


def _source(w: Walk) -> None:
    w.register(w.demo.rng.choice(["complaint", "hotline_12345", "inspection", "assignment"]))


def _not_opened(w: Walk) -> None:
    w.register("hotline_12345")
    services.case_not_open(
        actor=w.user,
        case=w.case,
        reason="经核查，举报事项不属实",
        on=_workday(w.start + dt.timedelta(days=3)),
    )


def _opened(w: Walk) -> None:
    w.register()
    w.open(w.start + dt.timedelta(days=2))


def _investigating(w: Walk) -> None:
    w.register()
    w.open()
    w.investigate(w.start + dt.timedelta(days=1))


def _review(w: Walk) -> None:
    w.register()
    w.open()
    w.investigate(w.start)
    w.end_investigation(w.start + dt.timedelta(days=18))


def _notified(w: Walk) -> None:
    fine = w.fit("2000")
    w.register()
    w.open()
    w.investigate(w.start)
    w.end_investigation(w.start + dt.timedelta(days=10))
    w.notify(w.start + dt.timedelta(days=12), fine)


def _notified_waived(w: Walk) -> None:
    # the party waived its rights (第六十二条): the case the review demo takes through two rounds
    _notified(w)
    w.waive()


def _not_punished(w: Walk) -> None:
    # 未明码标价 is on the county's 不予处罚清单 (catalog/demo.py ENTRIES): first, minor, corrected
    w.choose(PRICE_MARKING.title)
    w.register()
    w.open()
    w.investigate(w.start)
    w.end_investigation(w.start + dt.timedelta(days=8))
    w.case = services.case_not_punish(
        actor=w.crew.head,
        case=w.case,
        reason="first_minor",
        note="初次违法，危害后果轻微并已及时改正，已进行教育",
        on=_workday(w.start + dt.timedelta(days=9)),
    )
    # the numbered 不予行政处罚决定书 (行政处罚法 第三十三条): its number is the 文号 the portal shows
    services.document_issue(actor=w.user, case=w.case, doc_type="not_punish_decision", on=w.case.ended_on)


def _transferred(w: Walk) -> None:
    w.choose("销售以假充真的产品")  # the 生产、销售伪劣产品罪 the referral names
    w.register()
    w.open()
    w.investigate(w.start)
    moved = services.case_transfer(
        actor=w.crew.head,
        case=w.case,
        target="judicial",
        target_name="示范县公安局",
        reason="涉案货值金额较大，涉嫌生产、销售伪劣产品罪",
        on=_workday(w.start + dt.timedelta(days=10)),
    )
    # 行刑衔接: the 公安机关's 回执 is recorded; its feedback (立案 or not) is still owed — the agency's 待办.
    services.transfer_acknowledge(
        actor=w.user,
        case=moved,
        receipt_no="示公（经）受字〔演示〕1号",
        on=min(_workday(w.start + dt.timedelta(days=12)), clock.today()),
    )


def _withdrawn(w: Walk) -> None:
    w.register()
    w.open()
    services.case_withdraw(
        actor=w.crew.head,
        case=w.case,
        reason="当事人主体认定有误，另行立案",
        on=_workday(w.start + dt.timedelta(days=4)),
    )


def _simple(w: Walk, *, filed: bool, paid: bool, closed: bool) -> None:
    demo, crew = w.demo, w.crew
    on = w.start
    citizen = not w.party.uscc or w.party.kind == "individual_business"
    offences = [o for o in SIMPLE_TITLES.get(crew.key, ()) if o.fits_party(w.party)]
    assert offences, f"{crew.agency.name} has no simple-procedure offence in the demo"
    offence = demo.rng.choice(offences)
    fine = offence.within("200" if citizen else "1000")
    w.case = services.case_simple_decide(
        actor=w.user,
        agency=crew.agency,
        domain=crew.domain,
        party=w.party,
        officers=crew.officers[:2],  # demo seed: a sample
        kinds=["fine"],
        fine_yuan=fine,
        title=offence.title,
        facts=offence.facts,
        basis=offence.basis,
        place="示范县城关镇人民路",
        on=on,
    )
    # the 当场处罚决定书 handed over on the spot (行政处罚法 第五十二条): numbered, its number is the portal's 文号
    services.document_issue(actor=w.user, case=w.case, doc_type="decision", on=w.case.decided_on)
    if filed:
        w.case = services.case_simple_file(actor=w.user, case=w.case, on=_wd(on, 1))
    if paid:
        w.case = services.case_record_payment(actor=w.user, case=w.case, amount_yuan=fine, on=_wd(on, 2))
    if closed:
        w.case = services.case_close(actor=crew.head, case=w.case, on=_wd(on, 3))


SCENARIOS: tuple[Scenario, ...] = (
    ("案源待处理", 3, "market", True, 3, _source),
    ("不予立案", 1, "market", False, 20, _not_opened),
    ("已立案", 2, "market", True, 8, _opened),
    ("调查取证", 3, "market", True, 30, _investigating),
    ("调查中（扣押）", 1, "market", True, 12, _seizure),
    ("调查中（先行登记保存）", 1, "market", False, 2, _preservation),
    ("超期未决", 1, "market", True, 100, _overdue),
    ("已延长办案期限", 1, "market", True, 95, _extended),
    ("案件审查", 2, "market", True, 40, _review),
    ("事先告知", 2, "market", False, 25, _notified),
    ("事先告知（放弃陈述申辩）", 1, "market", True, 28, _notified_waived),
    ("告知听证权利", 1, "market", True, 30, _notified_hearing_right),
    ("听证", 1, "market", True, 40, _hearing_scheduled),
    ("法制审核中（重大案件）", 1, "market", True, 45, _at_legal_review),
    ("已决定待送达", 1, "market", True, 27, _decided),
    ("已送达待缴款", 2, "market", False, 33, _served),
    ("催告执行", 1, "market", True, 80, _executing),
    ("已结案", 3, "market", True, 120, _closed),
    ("已归档", 3, "market", False, 200, _archived),
    ("简易程序（已结案）", 2, "market", False, 30, lambda w: _simple(w, filed=True, paid=True, closed=True)),
    (
        "简易程序（待备案）",
        1,
        "market",
        False,
        1,
        lambda w: _simple(w, filed=False, paid=False, closed=False),
    ),
    ("简易程序（待缴款）", 1, "market", True, 6, lambda w: _simple(w, filed=True, paid=False, closed=False)),
    ("不予处罚", 1, "market", False, 50, _not_punished),
    ("移送司法机关", 1, "market", True, 40, _transferred),
    ("撤案", 1, "market", True, 30, _withdrawn),
    ("其他部门：调查取证", 2, "other", True, 20, _investigating),
    ("其他部门：已送达", 1, "other", True, 45, _served),
    ("其他部门：已归档", 1, "other", True, 150, _archived),
)


# The situations whose first case names a catalogue item (when the catalog app has one for the agency).
CATALOG_SCENARIOS = frozenset({"调查取证", "已结案"})


# --- the crews -----------------------------------------------------------------------------------------------------


def _entitled(agency: Any, domain: Any, on: dt.date, first: Any = None) -> list[Any]:
    officers = [
        o
        for o in Officer.objects.filter(agency=agency, is_active=True, is_auxiliary=False).order_by("id")
        if officer_can_enforce(o, domain, on).allowed
    ]
    if first is not None and first in officers:
        officers.remove(first)
        officers.insert(0, first)
    return officers


def _crews(today: dt.date, earliest: dt.date) -> dict[str, list[AgencyCrew]]:
    crews: dict[str, list[AgencyCrew]] = {"market": [], "other": []}
    for spec in COUNTY_AGENCIES:
        agency = Agency.objects.filter(short_name=spec.short_name, region__code=COUNTY[0]).first()
        if agency is None or spec.key not in TITLES:  # an agency without demo offences handles no demo case
            continue
        domain = agency.domains.first()
        if spec.key == "market":
            officer_user = User.objects.get(username="demo_officer")
            lead = Officer.objects.filter(user=officer_user).first()
            officers = [
                o for o in _entitled(agency, domain, earliest, lead) if _entitled_today(o, domain, today)
            ]
            # the reviewer's own officer record should not handle the cases it reviews (reviewer_is_handler);
            # a tiny demo county may have no one else, then its one reviewed case is skipped
            others = [o for o in officers if not (o.user_id and o.user.username == "demo_reviewer")]
            if len(others) >= 2:
                officers = others
            if len(officers) < 2 or officers[0] != lead:
                continue
            crews["market"].append(
                AgencyCrew(
                    agency=agency,
                    domain=domain,
                    key=spec.key,
                    officer_user=officer_user,
                    head=User.objects.get(username="demo_head"),
                    officers=officers,
                    reviewer=User.objects.get(username="demo_reviewer"),
                )
            )
            continue
        officers = [o for o in _entitled(agency, domain, earliest) if _entitled_today(o, domain, today)]
        if len(officers) < 2:
            continue
        users = {}
        for role, suffix, scope in (
            (Role.OFFICER, "officer", ScopeKind.OWN_AGENCY),
            (Role.AGENCY_HEAD, "head", ScopeKind.AGENCY_TREE),
        ):
            user, _ = User.objects.get_or_create(
                username=f"demo_cases_{spec.key}_{suffix}",
                defaults={
                    "full_name": f"{spec.short_name}{'执法人员' if suffix == 'officer' else '负责人'}（演示）"
                },
            )
            user.password = make_password(None)  # no login: these accounts only sign the demo's steps
            user.must_change_password = False
            user.save(update_fields=["password", "must_change_password"])
            RoleAssignment.objects.get_or_create(user=user, role=role, scope=scope, agency=agency)
            users[suffix] = user
        crews["other"].append(
            AgencyCrew(
                agency=agency,
                domain=domain,
                key=spec.key,
                officer_user=users["officer"],
                head=users["head"],
                officers=officers,
            )
        )
    return crews


def _entitled_today(officer: Any, domain: Any, today: dt.date) -> bool:
    """Still entitled today (entitled at the earliest date too: the demo's dates lie in between)."""
    return officer_can_enforce(officer, domain, today).allowed


def _catalog_code(agency: Any, on: dt.date) -> str:
    """A catalogue item of the agency in force on ``on`` that is one of its demo offences (so the case can take
    the item's title and basis), or "" when there is none. The catalog answers through the cases hooks (its
    行政处罚 items in force, by code; every demo offence is one), as it does for the 执法事项 picker."""
    codes = {o.catalog_code for offences in TITLES.values() for o in offences if o.catalog_code}
    return next((code for code, _label in hooks.item_choices(agency, on) if code in codes), "")


# --- the step ------------------------------------------------------------------------------------------------------


def build_cases_demo(ctx: Any) -> None:
    """Demo step 100: ~40 cases of the demo county in every stage (scale 1), through the real services."""
    today = ctx.today
    earliest = today - dt.timedelta(days=max(s[4] for s in SCENARIOS) + 10)
    crews = _crews(today, earliest)
    if not crews["market"]:
        raise DemoPartFailed("演示案件", "示范县市场监督管理局没有两名以上持证执法人员")
    county_parties = Party.objects.filter(region__code__startswith=COUNTY[0][:6]).order_by("id")
    parties = list(county_parties[:400]) or list(Party.objects.order_by("id")[:400])  # demo seed: a sample
    companies = [p for p in parties if p.kind == PartyKind.LEGAL_PERSON]
    people = [p for p in parties if p.kind in (PartyKind.NATURAL_PERSON, PartyKind.INDIVIDUAL_BUSINESS)]
    if not companies or not people:
        raise DemoPartFailed("演示案件", "没有演示当事人")
    demo = DemoCases(
        today=today, rng=random.Random(f"{ctx.seed}:cases"), say=ctx.say, companies=companies, people=people
    )
    scale = max(0.25, min(float(ctx.scale), 20.0))
    for name, count, crew_key, company, days_ago, walk in SCENARIOS:
        pool = crews[crew_key] or crews["market"]
        for i in range(max(1, round(count * scale))):
            crew = pool[i % len(pool)]
            start = today - dt.timedelta(days=days_ago + demo.rng.randrange(0, 3))
            w = Walk(demo, crew, company, start, "market" if crew_key == "market" else "other")
            if i == 0 and crew_key == "market":
                w.catalog_code = _catalog_code(
                    crew.agency, w.start
                )  # 执法事项 named when the catalog has one
            try:
                walk(w)
            except DomainError as refusal:  # never swallowed: the whole demo stops and names the part
                raise DemoPartFailed(f"演示案件 — {name}", str(refusal)) from refusal
            demo.made[name] = demo.made.get(name, 0) + 1
    total = sum(demo.made.values())
    ctx.say(f"演示案件：{total} 件（{len(demo.made)} 种情形）")


# --- 示范县二 ------------------------------------------------------------------------------------------------------

COUNTY2_STEP_ORDER = 105

# 示范县二's cases, walked like 示范县's (the same walks and services, its own crews): (name, crew key, company?,
# days before today it starts, the walk). One of each at scale 1, about a quarter of 示范县's count above.
COUNTY2_SCENARIOS: tuple[tuple[str, str, bool, int, Callable[[Walk], Any]], ...] = (
    ("案源待处理", "market", True, 4, _source),
    ("调查取证", "market", True, 25, _investigating),
    ("案件审查", "market", False, 35, _review),
    ("事先告知", "market", True, 28, _notified),
    ("已送达待缴款", "market", True, 36, _served),
    ("已结案", "market", False, 110, _closed),
    ("其他部门：调查取证", "other", True, 18, _investigating),
    ("其他部门：已归档", "other", True, 160, _archived),
)


def _county2_crews(today: dt.date, earliest: dt.date) -> dict[str, list[AgencyCrew]]:
    """One crew per enforcing agency of 示范县二 (its accounts from ``zhifa.org.demo.county2_accounts``)."""
    crews: dict[str, list[AgencyCrew]] = {"market": [], "other": []}
    for key, accounts in county2_accounts().items():
        agency = accounts.agency
        domain = agency.domains.first()
        lead = accounts.officer_user.officer
        officers = [o for o in _entitled(agency, domain, earliest, lead) if _entitled_today(o, domain, today)]
        if len(officers) < 2 or officers[0] != lead:
            raise DemoPartFailed(f"{COUNTY2[1]}演示案件", f"{agency.name}没有两名以上持证执法人员")
        crews["market" if key == "market" else "other"].append(
            AgencyCrew(
                agency=agency,
                domain=domain,
                key=key,
                officer_user=accounts.officer_user,
                head=accounts.head,
                officers=officers,
            )
        )
    return crews


def build_county2_cases_demo(ctx: Any) -> None:
    """Demo step 105: 示范县二's cases in several stages, through the real services."""
    today = ctx.today
    earliest = today - dt.timedelta(days=max(s[3] for s in COUNTY2_SCENARIOS) + 10)
    crews = _county2_crews(today, earliest)
    parties = list(
        Party.objects.filter(region__code__startswith=COUNTY2[0]).order_by("id")[:400]
    )  # demo seed: a sample
    companies = [p for p in parties if p.kind == PartyKind.LEGAL_PERSON]
    people = [p for p in parties if p.kind in (PartyKind.NATURAL_PERSON, PartyKind.INDIVIDUAL_BUSINESS)]
    if not companies or not people:
        raise DemoPartFailed(f"{COUNTY2[1]}演示案件", "没有演示当事人")
    demo = DemoCases(
        today=today,
        rng=random.Random(f"{ctx.seed}:cases:{COUNTY2[0]}"),
        say=ctx.say,
        companies=companies,
        people=people,
    )
    each = max(1, round(max(0.25, min(float(ctx.scale), 20.0)) / 4))
    turns = {"market": 0, "other": 0}  # the other agencies take their cases in turn
    for name, crew_key, company, days_ago, walk in COUNTY2_SCENARIOS:
        pool = crews[crew_key] or crews["market"]
        for _ in range(each):
            crew = pool[turns[crew_key] % len(pool)]
            turns[crew_key] += 1
            start = today - dt.timedelta(days=days_ago + demo.rng.randrange(0, 3))
            w = Walk(demo, crew, company, start, "market" if crew_key == "market" else "other")
            try:
                walk(w)
            except DomainError as refusal:  # never swallowed: the whole demo stops and names the part
                raise DemoPartFailed(f"{COUNTY2[1]}演示案件 — {name}", str(refusal)) from refusal
            demo.made[name] = demo.made.get(name, 0) + 1
    ctx.say(f"{COUNTY2[1]}演示案件：{sum(demo.made.values())} 件（{len(demo.made)} 种情形）")

"""Which laws belong to which enforcement domain in the demo county — the one table the demo is checked against.

A demo decision, catalogue item or discretion benchmark may only name laws that the handling agency's domain
(执法领域, ``zhifa.org.domains``) enforces: a price-marking case of the market regulator cites the 价格法, never
the 食品安全法; 占道经营 is the 综合行政执法 agency's (城市市容和环境卫生管理条例), not market supervision's.
``cases/demo.py``, ``catalog/demo.py`` and ``discretion/demo.py`` keep to this table and
``cases/tests/test_demo_law.py`` holds the built demo to it.

A law may belong to more than one domain: the 大气污染防治法 is enforced by 生态环境 and, for dust on building
sites (第一百一十五条: 住房城乡建设等主管部门), by 住房城乡建设. Names are compared without 《》 and without the
"中华人民共和国" prefix (the 条例 of the State Council are cited both ways).
"""

from __future__ import annotations

import re

__all__ = ["DOMAIN_LAWS", "basis_problems", "law_fits_domain", "law_key", "laws_cited"]

# domain code (zhifa.org.domains.DOMAINS) → the laws the demo county's agency of that domain enforces.
DOMAIN_LAWS: dict[str, frozenset[str]] = {
    "market": frozenset(
        {
            "食品安全法",
            "价格法",
            "价格违法行为行政处罚规定",
            "明码标价和禁止价格欺诈规定",
            "计量法",
            "计量法实施细则",
            "广告法",
            "反不正当竞争法",
            "商标法",
            "产品质量法",
            "特种设备安全法",
            "市场主体登记管理条例",
            "消费者权益保护法",
        }
    ),
    "housing": frozenset({"建筑法", "建设工程质量管理条例", "建设工程安全生产管理条例", "大气污染防治法"}),
    "emergency": frozenset({"安全生产法"}),
    "ecology": frozenset(
        {"大气污染防治法", "水污染防治法", "环境影响评价法", "排污许可管理条例", "环境保护法"}
    ),
    "transport": frozenset({"公路法", "公路安全保护条例", "道路运输条例"}),
    "agriculture": frozenset({"农药管理条例"}),
    "culture_tourism": frozenset({"互联网上网服务营业场所管理条例", "旅游法", "娱乐场所管理条例"}),
    "health": frozenset({"公共场所卫生管理条例"}),
    "commerce": frozenset({"单用途商业预付卡管理办法（试行）"}),
    "comprehensive": frozenset({"城市市容和环境卫生管理条例", "城乡规划法", "城镇排水与污水处理条例"}),
    "natural_resources": frozenset({"土地管理法", "矿产资源法"}),
    "water": frozenset({"水法"}),
}

_PREFIX = "中华人民共和国"
_CITED = re.compile(r"《([^》]+)》")


def law_key(name: str) -> str:
    """``name`` without 《》, surrounding blanks and the 中华人民共和国 prefix."""
    name = name.strip().strip("《》").strip()
    return name.removeprefix(_PREFIX)


def laws_cited(text: str) -> list[str]:
    """The laws a basis text names in 《》, in order, each once (as keys, see :func:`law_key`)."""
    seen: list[str] = []
    for name in _CITED.findall(text or ""):
        key = law_key(name)
        if key not in seen:
            seen.append(key)
    return seen


def law_fits_domain(law: str, domain_code: str) -> bool:
    """Does the agency of ``domain_code`` enforce ``law``?"""
    return law_key(law) in DOMAIN_LAWS.get(domain_code, frozenset())


def basis_problems(title: str, basis: str, domain_code: str) -> list[str]:
    """What is wrong in law with a decision of ``domain_code`` titled ``title`` on ``basis`` (empty if nothing).

    The basis must name a law; every law it names must belong to the domain; the 食品安全法 only on a food matter.
    """
    laws = laws_cited(basis)
    if not laws:
        return [f"“{title}”的法律依据没有写明法律名称"]
    problems = [
        f"“{title}”引用的《{law}》不属于 {domain_code} 领域"
        for law in laws
        if not law_fits_domain(law, domain_code)
    ]
    if "食品安全法" in laws and "食品" not in title:
        problems.append(f"“{title}”不是食品案由，却引用了《中华人民共和国食品安全法》")
    return problems

"""The demo county's case library (step 165): the bureau chooses a 警示案例 from the demo's 典型差案 and up to two
指导性案例 from its excellent files."""

from __future__ import annotations

from typing import Any

from zhifa.caselib import selectors, services
from zhifa.caselib.models import LibraryKind
from zhifa.evaluation.anonymise import anonymised_case
from zhifa.org.models import User

KEY_POINTS = {
    LibraryKind.WARNING: (
        "作出行政处罚决定前，应当告知当事人拟作出处罚的内容及事实、理由、依据，并告知其依法享有陈述、申辩的权利；"
        "未告知即作出决定，属违反法定程序的“乱作为”（典型差案评查标准）。"
    ),
    LibraryKind.GUIDING: (
        "事实清楚、证据确凿，适用依据正确，裁量适当，程序合法，文书规范，执法全过程记录完整，可作为同类案件办理的参照。"
    ),
}


def demo_step(ctx: Any) -> None:
    supervisor = User.objects.filter(username="demo_supervisor").first()
    if supervisor is None:
        return
    chosen = {LibraryKind.WARNING: 0, LibraryKind.GUIDING: 0}
    limits = {LibraryKind.WARNING: 1, LibraryKind.GUIDING: 2}
    for file in list(selectors.candidates(supervisor)[:20]):
        kind = LibraryKind.WARNING if file.is_typical_bad else LibraryKind.GUIDING
        if chosen[kind] >= limits[kind]:
            continue
        summary = anonymised_case(file.case)
        services.case_choose(
            actor=supervisor,
            file=file,
            kind=kind,
            title=f"{summary['title']}案" if not summary["title"].endswith("案") else summary["title"],
            summary=summary["facts"] or f"{summary['domain']}领域{summary['title']}。",
            key_points=KEY_POINTS[kind],
            keywords=f"{summary['domain']}、{summary['title']}"[:200],
        )
        chosen[kind] += 1
    ctx.say(
        f"典型案例：指导性案例 {chosen[LibraryKind.GUIDING]} 件，警示案例 {chosen[LibraryKind.WARNING]} 件"
    )

"""脱敏案卷摘要 — what an outside evaluator, a third-party assessor or the case library may read of a case file:
parties named 当事人甲/乙…, persons' names masked to the surname, ID, phone and card numbers and addresses removed
(``zhifa.core.masking``). Seed 002 (12) sends the files to “委托社會調查機構” — outside the government, so nothing
that identifies a party or a person leaves the platform.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zhifa.cases.models import Case, PenaltyKind
from zhifa.core.masking import mask_person_name, scrub_text

PSEUDONYMS = "甲乙丙丁戊己庚辛壬癸"


def _pseudonym(n: int) -> str:
    return f"当事人{PSEUDONYMS[n]}" if n < len(PSEUDONYMS) else f"当事人{n + 1}"


def _people(case: Case) -> tuple[list[Any], list[Any]]:
    parties = [link.party for link in case.party_links.select_related("party").order_by("id")]
    officers = [link.officer for link in case.officer_links.select_related("officer").order_by("id")]
    return parties, officers


def scrubber(case: Case) -> Callable[[str], str]:
    """A function that hides the case's parties (当事人甲/乙…), persons and numbers in any text about it."""
    parties, officers = _people(case)
    persons = [p.legal_representative for p in parties] + [o.name for o in officers]
    persons += [p.name for p in parties if p.kind == "natural_person"]
    addresses = [p.address for p in parties]

    def clean(text: str) -> str:
        out = text or ""
        for n, party in sorted(enumerate(parties), key=lambda np: -len(np[1].name)):
            if len(party.name) >= 2:
                out = out.replace(party.name, _pseudonym(n))
        return scrub_text(out, person_names=persons, addresses=addresses)

    return clean


def anonymised_case(case: Case) -> dict[str, Any]:
    """The file's summary with every party and person hidden: the same text for every reader outside."""
    parties, officers = _people(case)
    clean = scrubber(case)

    kinds = [str(PenaltyKind(k).label) for k in case.penalty_kinds or [] if k in PenaltyKind.values]
    return {
        "title": clean(case.title),
        "domain": case.domain.name if case.domain_id else "",
        "procedure": case.get_procedure_display(),
        "stage": case.get_stage_display(),
        "source_kind": case.get_source_kind_display(),
        "source_received_on": case.source_received_on.isoformat() if case.source_received_on else "",
        "opened_on": case.opened_on.isoformat() if case.opened_on else "",
        "decided_on": case.decided_on.isoformat() if case.decided_on else "",
        "closed_on": case.closed_on.isoformat() if case.closed_on else "",
        "parties": [_pseudonym(n) for n in range(len(parties))],
        "officers": [mask_person_name(o.name) for o in officers],
        "facts": clean(case.facts or case.source_summary),
        "penalty_kinds": kinds,
        "fine_yuan": str(case.fine_yuan) if case.fine_yuan is not None else "",
        "decision_text": clean(case.decision_text),
        "legal_basis": clean(case.legal_basis),
    }

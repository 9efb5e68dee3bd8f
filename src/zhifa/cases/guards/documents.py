"""The evidence a case step needs (执法记录要求清单, ``zhifa.evidence.required``): which act type and stage a
step is checked against, and the check itself.
"""

from __future__ import annotations

from zhifa.cases.models import Case, Procedure, SeizureKind
from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.evidence.required import required_records_missing

# Which evidence act type and stage a case step is checked against (执法记录要求清单, zhifa.evidence.required).
# ``stage`` here is the step of the case: "investigation" (调查终结), "service_execution" (结案) or
# "seizure" (查封、扣押 on site — the measure is served and executed on the spot, 行政强制法 第二十四条, so
# docs/evidence.md checks it at the evidence stage "service_execution").
_SEIZURE_ACT = {SeizureKind.SEAL: "compulsion.seizure", SeizureKind.DETAIN: "compulsion.detention"}
_RECORD_STAGE = {
    "investigation": "investigation",
    "service_execution": "service_execution",
    "seizure": "service_execution",
}


def record_act_type(case: Case, stage: str, seizure_kind: str | None = None) -> str:
    if stage == "seizure":
        if seizure_kind not in _SEIZURE_ACT:
            raise InvalidInput("措施类型无效。", "Unknown measure.", field="kind")
        return _SEIZURE_ACT[SeizureKind(seizure_kind)]
    return "penalty.simple" if case.procedure == Procedure.SIMPLE else "penalty.general"


def _required_records_missing(case: Case, stage: str, seizure_kind: str | None = None) -> list[str]:
    """必备记录 — what the full-process record still lacks for ``stage`` of ``case`` (names, Chinese).

    Evidence counts when stored against the case itself (``cases.case`` / its id) at the mapped evidence
    stage. Written records the case app makes itself vouch for the text rules (``extra_satisfied``): the
    on-the-spot decision and its handing over (简易程序, 行政处罚法 第五十二条) and the seizure decision with
    its inventory (行政强制法 第二十四条) are written by the service; the general procedure's 笔录 and 送达回证
    must be uploaded. Audio-video can never be vouched for: the on-site seizure needs a stored video.
    """
    act_type = record_act_type(case, stage, seizure_kind)
    vouched = {"text"} if act_type != "penalty.general" else None
    return required_records_missing(
        case._meta.label_lower, str(case.pk), act_type, _RECORD_STAGE[stage], extra_satisfied=vouched
    )


def check_required_records(case: Case, stage: str, what: str, seizure_kind: str | None = None) -> None:
    missing = _required_records_missing(case, stage, seizure_kind)
    if missing:
        raise RuleViolation(
            f"{what}前须补齐必备记录：{'、'.join(missing)}。",
            f"Required records are missing: {', '.join(missing)}.",
            code="required_records_missing",
            details={"missing": missing},
        )

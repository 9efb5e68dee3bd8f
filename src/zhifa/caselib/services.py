"""State changes of the case library (典型案例库), each in one transaction and on the ledger.

* ``case_choose`` — the bureau puts a closed case in the library: a 指导性案例 (a file its evaluation passed) or a
  警示案例 (a confirmed 典型差案), with a summary, key points and the decision, all anonymised;
* ``case_withdraw`` — the bureau takes it out again, with the reason.
"""

from __future__ import annotations

from zhifa.caselib import rules
from zhifa.caselib.models import LibraryCase, LibraryKind, LibraryStatus
from zhifa.cases.models import Case, Stage
from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.core.transactions import service
from zhifa.evaluation.anonymise import anonymised_case, scrubber
from zhifa.evaluation.models import EvaluationFile, FileStatus
from zhifa.org import permissions as perms
from zhifa.org.models import User
from zhifa.records.services import record_append


def _text(value: str, field: str, label: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if (required and not value) or len(value) > limit:
        raise InvalidInput(
            f"{label}{'不能为空且' if required else ''}不超过 {limit} 字。",
            f"{field}: {'required, ' if required else ''}at most {limit} characters.",
            field=field,
            code=f"bad_{field}",
        )
    return value


def decision_of(case: Case) -> str:
    """The anonymised decision the library shows: what was decided and on which basis."""
    summary = anonymised_case(case)
    parts = []
    if summary["decision_text"]:
        parts.append(summary["decision_text"])
    elif summary["penalty_kinds"]:
        fine = f"，罚款 {summary['fine_yuan']} 元" if summary["fine_yuan"] else ""
        parts.append(f"决定给予{'、'.join(summary['penalty_kinds'])}{fine}。")
    if summary["legal_basis"]:
        parts.append(f"依据：{summary['legal_basis']}")
    return "\n".join(parts)


@service
def case_choose(
    *,
    actor: User,
    file: EvaluationFile | int,
    kind: str,
    title: str,
    summary: str,
    key_points: str,
    keywords: str = "",
) -> LibraryCase:
    """发布典型案例 — from a confirmed evaluation file of a closed case: 指导性案例 (not a 典型差案) or 警示案例
    (a 典型差案); the texts are scrubbed of the case's parties and persons before they are stored."""
    pk = file.pk if isinstance(file, EvaluationFile) else file
    file = EvaluationFile.objects.select_related("plan__region", "case__agency", "case__domain").get(pk=pk)
    item = LibraryCase(region=file.plan.region)
    perms.require(actor, rules.MANAGE, item)  # the bureau of the plan's region
    if kind not in LibraryKind.values:
        raise InvalidInput("请选择案例类别。", "Unknown kind.", field="kind", code="bad_kind")
    case = file.case
    if case.stage not in (Stage.CLOSED, Stage.ARCHIVED):
        raise RuleViolation(
            "只有已结案的案件可以列入典型案例。", "Only closed cases.", code="case_not_closed"
        )
    if file.status != FileStatus.CONFIRMED:
        raise RuleViolation(
            "评查结果确认后才能列入典型案例。", "Confirm the evaluation first.", code="file_not_confirmed"
        )
    if kind == LibraryKind.WARNING and not file.is_typical_bad:
        raise RuleViolation(
            "警示案例须是评查认定的典型差案。",
            "A warning case is a typical bad case.",
            code="not_typical_bad",
        )
    if kind == LibraryKind.GUIDING and file.is_typical_bad:
        raise RuleViolation(
            "典型差案不能作为指导性案例。",
            "A typical bad case cannot guide.",
            code="typical_bad_cannot_guide",
        )
    if LibraryCase.objects.filter(case=case).exists():
        raise RuleViolation("该案件已列入典型案例库。", "Already in the library.", code="already_in_library")
    clean = scrubber(case)
    item = LibraryCase.objects.create(
        region=file.plan.region,
        case=case,
        evaluation_file=file,
        agency=case.agency,
        domain=case.domain,
        catalog_item_code=case.catalog_item_code or "",
        kind=kind,
        title=clean(_text(title, "title", "标题", 200)),
        summary=clean(_text(summary, "summary", "基本案情", 5000)),
        key_points=clean(_text(key_points, "key_points", "要旨", 3000)),
        decision_text=decision_of(case),
        keywords=clean(_text(keywords, "keywords", "关键词", 200, required=False)),
        chosen_by=actor,
    )
    record_append(
        actor=actor,
        action="caselib.choose",
        obj=item,
        changes={"kind": kind, "title": item.title, "case_number": case.number or ""},
    )
    return item


@service
def case_withdraw(*, actor: User, item: LibraryCase | int, reason: str) -> LibraryCase:
    """撤回典型案例 — by the bureau that published it, with the reason."""
    pk = item.pk if isinstance(item, LibraryCase) else item
    item = LibraryCase.objects.select_for_update(of=("self",)).select_related("region").get(pk=pk)
    perms.require(actor, rules.MANAGE, item)
    if item.status == LibraryStatus.WITHDRAWN:
        raise RuleViolation("该案例已撤回。", "Already withdrawn.", code="already_withdrawn")
    item.status = LibraryStatus.WITHDRAWN
    item.withdrawn_reason = _text(reason, "reason", "撤回理由", 500)
    item.save(update_fields=["status", "withdrawn_reason"])
    record_append(actor=actor, action="caselib.withdraw", obj=item, changes={"reason": item.withdrawn_reason})
    return item

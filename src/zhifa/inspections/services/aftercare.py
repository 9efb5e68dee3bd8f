"""After the visit, the enterprise's side: 整改报告 (rectification with files) and 检查异议 (objection).

* ``rectification_submit`` — the inspected enterprise reports its rectification of a 责令整改 result, with a
  statement and files (evidence of ``inspections.rectification``, filed under the inspecting agency). The
  visit is then on the officer's re-check queue; ``inspection_recheck`` closes it.
* ``objection_submit`` / ``objection_answer`` — the enterprise disputes the result or the conduct of a visit;
  a supervisor (司法局) answers. Like the rating, the objection keeps no user and its ledger entry no actor:
  the inspecting agency reads counts only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from zhifa.core import clock
from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.core.transactions import service
from zhifa.evidence import formats
from zhifa.evidence import services as evidence_services
from zhifa.evidence.models import EvidenceKind, Stage
from zhifa.evidence.uploads import HashedUploadedFile
from zhifa.inspections import rules
from zhifa.inspections.models import (
    Inspection,
    InspectionObjection,
    InspectionStatus,
    ObjectionKind,
    ObjectionState,
    Outcome,
    Rectification,
)
from zhifa.inspections.services._common import _now
from zhifa.org import permissions as perms
from zhifa.org.models import User
from zhifa.records.services import record_append

MAX_FILES = 5
MAX_TEXT = 5000


def _kind_of(upload: HashedUploadedFile) -> str:
    """The evidence kind the file's content shows (a photo, a video …), or 其他."""
    detected = formats.detect(upload.head)
    if detected is None:
        return EvidenceKind.OTHER
    for kind in (EvidenceKind.PHOTO, EvidenceKind.VIDEO, EvidenceKind.AUDIO, EvidenceKind.DOCUMENT):
        if kind in detected.kinds:
            return kind
    return EvidenceKind.OTHER


def _store_files(
    user: User, object_type: str, object_id: int, files: Sequence[HashedUploadedFile]
) -> list[int]:
    ids = []
    for upload in files:
        evidence = evidence_services.evidence_store(
            actor=user,
            upload=upload,
            kind=_kind_of(upload),
            object_type=object_type,
            object_id=str(object_id),
            stage=Stage.SERVICE_EXECUTION,
            description="企业提交的整改材料",
        )
        ids.append(evidence.pk)
    return ids


@service
def rectification_submit(
    user: User,
    inspection: Inspection,
    *,
    statement: str,
    files: Sequence[HashedUploadedFile] = (),
    now: dt.datetime | None = None,
) -> Rectification:
    """整改报告 — the inspected enterprise reports that it has rectified, with a statement and files.

    行政处罚法 第二十八条第一款: the agency orders the party to correct (责令改正或者限期改正); 国办发〔2024〕54号
    (规范行政检查行为): a rectification ordered on a visit is followed up, so the report puts the visit on the
    officer's re-check (复查) queue. Refused: not the party's own inspection (404 by scope), not a 责令整改
    result, already re-checked, already reported, an empty statement. Late (after the deadline) is accepted
    and marked.
    """
    inspection = Inspection.objects.select_for_update(of=("self",)).get(pk=inspection.pk)
    perms.require(user, rules.RECTIFY, inspection)
    if inspection.status != InspectionStatus.DONE or inspection.outcome != Outcome.RECTIFY:
        raise RuleViolation(
            "该次检查的结果不是责令整改，无需提交整改报告。",
            "This inspection did not order a rectification.",
            code="not_rectify_outcome",
        )
    if inspection.recheck_at is not None:
        raise RuleViolation(
            "该整改已复查完毕，不能再提交整改报告。",
            "The rectification was re-checked.",
            code="already_rechecked",
        )
    if Rectification.objects.filter(inspection=inspection).exists():
        raise RuleViolation(
            "已提交整改报告，请等待执法人员复查。",
            "A rectification report was already submitted.",
            code="already_submitted",
        )
    statement = statement.strip()
    if not statement:
        raise InvalidInput("请填写整改情况说明。", "A statement is required.", field="statement")
    if len(statement) > MAX_TEXT:
        raise InvalidInput(
            f"整改情况说明不超过 {MAX_TEXT} 字。", "The statement is too long.", field="statement"
        )
    if len(files) > MAX_FILES:
        raise InvalidInput(f"一次最多上传 {MAX_FILES} 个文件。", "Too many files.", field="files")
    current = _now(now)
    deadline = inspection.rectify_deadline
    assert deadline is not None  # a 责令整改 result always has one (inspection_result)
    late = clock.business_date(current) > deadline
    rectification = Rectification.objects.create(
        inspection=inspection,
        statement=statement,
        submitted_by=user,
        submitted_at=current,
        deadline=deadline,
        late=late,
    )
    evidence_ids = _store_files(user, "inspections.rectification", rectification.pk, files)
    record_append(
        actor=user,
        action="inspection.rectification.submit",
        obj=rectification,
        changes={
            "inspection": inspection.pk,
            "statement": statement,
            "late": late,
            "deadline": deadline,
            "evidence": evidence_ids,
        },
    )
    return rectification


@service
def objection_submit(
    user: User, inspection: Inspection, *, kind: str, grounds: str, now: dt.datetime | None = None
) -> InspectionObjection:
    """检查异议 — the inspected enterprise disputes the result or the conduct of a visit it has had.

    国办发〔2024〕54号 (加强行政检查的执法监督): the supervising organs take up what enterprises report about
    inspections and order corrections, so the objection goes to the supervisors, not to the inspecting agency,
    which sees only counts. No user is stored and the ledger entry names no actor.
    """
    perms.require(user, rules.OBJECT, inspection)
    if inspection.entered_at is None:
        raise RuleViolation(
            "检查尚未进行，不能提出异议。", "The inspection has not taken place.", code="not_inspected"
        )
    if kind not in ObjectionKind.values:
        raise InvalidInput("请选择异议类型。", "Choose what the objection is about.", field="kind")
    if kind == ObjectionKind.RESULT and not inspection.outcome:
        raise RuleViolation(
            "检查结果尚未录入，暂不能对结果提出异议。", "No result has been entered yet.", code="no_result"
        )
    grounds = grounds.strip()
    if not grounds:
        raise InvalidInput("请填写异议理由。", "Grounds are required.", field="grounds")
    if len(grounds) > MAX_TEXT:
        raise InvalidInput(f"异议理由不超过 {MAX_TEXT} 字。", "The grounds are too long.", field="grounds")
    if InspectionObjection.objects.filter(
        inspection=inspection, kind=kind, state=ObjectionState.OPEN
    ).exists():
        raise RuleViolation(
            "同类异议正在办理中，请等待答复。",
            "An objection of this kind is awaiting an answer.",
            code="objection_open",
        )
    objection = InspectionObjection.objects.create(
        inspection=inspection, kind=kind, grounds=grounds, created_at=_now(now)
    )
    record_append(action="inspection.objection", obj=objection, changes={"kind": kind})
    return objection


@service
def objection_answer(
    user: User, objection: InspectionObjection, *, answer: str, now: dt.datetime | None = None
) -> InspectionObjection:
    """答复异议 — a supervisor (执法监督) answers the objection and closes it."""
    objection = InspectionObjection.objects.select_for_update(of=("self",)).get(pk=objection.pk)
    perms.require(user, rules.ANSWER_OBJECTION, objection)
    if objection.state != ObjectionState.OPEN:
        raise RuleViolation("该异议已答复。", "The objection has been answered.", code="already_answered")
    answer = answer.strip()
    if not answer:
        raise InvalidInput("请填写答复意见。", "An answer is required.", field="answer")
    if len(answer) > MAX_TEXT:
        raise InvalidInput(f"答复意见不超过 {MAX_TEXT} 字。", "The answer is too long.", field="answer")
    objection.state, objection.answer = ObjectionState.ANSWERED, answer
    objection.answered_by, objection.answered_at = user, _now(now)
    objection.save(update_fields=["state", "answer", "answered_by", "answered_at"])
    record_append(actor=user, action="inspection.objection.answer", obj=objection, changes={"answer": answer})
    return objection

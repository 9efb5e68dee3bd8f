"""Whether a case has reached the step a document records (``READY``), and which measure on property a
seizure-type document is about (``seizure_for``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zhifa.cases.documents.common import SEIZURE_TYPES
from zhifa.cases.models import (
    Case,
    DocumentType,
    EnforcementDemand,
    Seizure,
    SeizureKind,
    SeizureStatus,
    Stage,
)


def seizure_for(case: Case, doc_type: str, seizure: Seizure | None = None) -> Seizure | None:
    """The measure a seizure-type document is about: the one given, else the latest that fits the type."""
    if doc_type not in SEIZURE_TYPES:
        return None
    candidates = [seizure] if seizure is not None else list(case.seizures.order_by("-id"))
    for s in candidates:
        if s.case_id != case.pk:
            continue
        if doc_type == DocumentType.PRESERVATION_NOTICE and s.kind != SeizureKind.PRESERVE:
            continue
        measure_types = (DocumentType.PRESERVATION_NOTICE, DocumentType.SEIZURE_INVENTORY)
        if doc_type not in measure_types and s.kind == SeizureKind.PRESERVE:
            continue
        if doc_type == DocumentType.SEIZURE_EXTENSION and not s.extension_days:
            continue
        if doc_type == DocumentType.SEIZURE_RELEASE and s.status != SeizureStatus.RELEASED:
            continue
        return s
    return None


def _enforcement(case: Case) -> Any:
    return EnforcementDemand.objects.filter(case=case).first()


# doc type -> (the step the document records, a test whether the case has reached it)
READY: dict[str, tuple[str, Callable[[Case, Seizure | None], bool]]] = {
    # 立案审批表 is what asks the head to approve 立案: it is filled while the case is a registered source
    # awaiting 立案 (市场监督管理行政处罚程序规定 第十八条、第二十条: 核查后由负责人决定是否立案; 市场监管总局
    # 行政处罚文书格式范本（2021）“立案/不予立案审批表”), and stays on file once the case is opened.
    DocumentType.FILING_APPROVAL: (
        "登记案源",
        lambda c, s: c.opened_on is not None or c.stage == Stage.SOURCE,
    ),
    DocumentType.INQUIRY_RECORD: ("立案", lambda c, s: c.opened_on is not None),
    DocumentType.INSPECTION_RECORD: ("登记案源", lambda c, s: True),
    DocumentType.PRESERVATION_NOTICE: ("先行登记保存", lambda c, s: s is not None),
    DocumentType.SEIZURE_DECISION: ("查封、扣押", lambda c, s: s is not None),
    DocumentType.SEIZURE_INVENTORY: ("查封、扣押或先行登记保存", lambda c, s: s is not None),
    DocumentType.SEIZURE_EXTENSION: ("延长查封、扣押期限", lambda c, s: s is not None),
    DocumentType.SEIZURE_RELEASE: ("解除查封、扣押", lambda c, s: s is not None),
    DocumentType.EXTENSION_APPROVAL: ("批准延长办案期限", lambda c, s: c.extensions.exists()),
    DocumentType.PRIOR_NOTICE: ("事先告知", lambda c, s: c.notified_on is not None),
    DocumentType.HEARING_NOTICE: ("通知听证", lambda c, s: c.hearing_notice_on is not None),
    DocumentType.HEARING_RECORD: ("举行听证", lambda c, s: c.hearing_held_on is not None),
    DocumentType.DECISION: ("作出处罚决定", lambda c, s: c.decided_on is not None),
    DocumentType.NOT_PUNISH_DECISION: ("决定不予行政处罚", lambda c, s: bool(c.not_punish_reason)),
    DocumentType.SERVICE_RECEIPT: ("送达", lambda c, s: c.served_on is not None),
    DocumentType.DEMAND: ("催告", lambda c, s: _enforcement(c) is not None),
    DocumentType.COURT_APPLICATION: (
        "申请法院强制执行",
        lambda c, s: (e := _enforcement(c)) is not None and e.court_applied_on is not None,
    ),
    DocumentType.CLOSING_APPROVAL: ("结案", lambda c, s: c.closed_on is not None),
}

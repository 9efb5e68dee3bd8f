"""记录时间线 — an object's full-process record as plain values for pages, scoped to the reader.

``timeline_for(user, object_type, object_id)`` lists the ledger entries of one object (a case, an inspection,
a review …) and, with ``include_related``, those of its evidence items (``evidence.evidence:<id>``), oldest
first, each with a Chinese label for its action code and a link to its inclusion proof. Case, inspection and
review pages include ``records/timeline.html`` with it.

Who may read: whoever may view the object (``zhifa.org.permissions.can`` with the object's view action,
``<app_label>.view_<model>`` unless :data:`VIEW_ACTIONS` names another); for an object type without a scope
or a view action, only supervisors and administrators. Retrievals (``record.access``) are shown only to those
who may see access histories (调阅监督 is the supervisors' view).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse

from zhifa.core.errors import NotFound, PermissionDenied
from zhifa.org import permissions as perms
from zhifa.org.models import Role, User
from zhifa.records import hooks, labels, merkle
from zhifa.records.models import LedgerEntry
from zhifa.records.selectors import latest_signed_head, ledger_inclusion_proof

EVIDENCE_TYPE = "evidence.evidence"
VIEW_ACCESS_HISTORY = "evidence.view_access_history"  # the evidence app's action (调阅记录)
ACCESS_ACTION = "record.access"
DEFAULT_LIMIT = 500

#: Object types whose view action is not ``<app_label>.view_<model>``.
VIEW_ACTIONS: dict[str, str] = {
    "cases.seizure": "cases.view_case",
}

#: Chinese labels of the action codes of the apps below records (registered with zhifa.records.labels; apps
#: above register their own in ``ready()``).
ACTION_LABELS: dict[str, str] = {
    # cases — 案件
    "case.register_source": "登记案源",
    "case.open": "立案",
    "case.not_open": "不予立案",
    "case.start_investigation": "开始调查",
    "case.end_investigation": "调查终结",
    "case.notify_rights": "告知权利",
    "case.record_statement": "记录陈述申辩",
    "case.waive_rights": "放弃陈述申辩",
    "case.request_hearing": "申请听证",
    "case.schedule_hearing": "安排听证",
    "case.hold_hearing": "举行听证",
    "case.submit_legal_review": "提交法制审核",
    "case.record_legal_review": "法制审核意见",
    "case.collective_discussion": "集体讨论",
    "case.return_to_investigation": "退回补充调查",
    "case.extend_deadline": "延长办案期限",
    "case.decide": "作出决定",
    "case.serve": "送达",
    "case.record_payment": "缴纳罚款",
    "case.enforcement_demand": "催告",
    "case.court_application": "申请法院强制执行",
    "case.close": "结案",
    "case.archive": "归档",
    "case.not_punish": "不予处罚",
    "case.transfer": "移送",
    "case.transfer_receipt": "登记移送回执",
    "case.transfer_feedback": "登记接收机关反馈",
    "case.withdraw": "撤销",
    "case.simple_decide": "简易程序当场处罚",
    "case.simple_file": "简易程序备案",
    "case.seizure_decide": "查封扣押",
    "case.document_issue": "出具文书",
    "case.document_void": "作废文书",
    "case.seizure_extend": "延长查封扣押",
    "case.seizure_release": "解除查封扣押",
    "case.note": "备注",
    # evidence and access — 证据、调阅
    "evidence.store": "上传证据",
    "evidence.required_rule.add": "新增记录要求",
    "evidence.required_rule.change": "变更记录要求",
    "record.access": "调阅",
    # inspections — 行政检查
    "inspection.item.create": "新增抽查事项",
    "inspection.plan.create": "制定检查计划",
    "inspection.plan.item_add": "计划增加事项",
    "inspection.plan.approve": "批准检查计划",
    "inspection.plan.file": "检查计划备案",
    "inspection.plan.publish": "公布检查计划",
    "inspection.task.create": "创建检查任务",
    "inspection.task.approve": "批准检查任务",
    "inspection.task.file": "检查任务报备",
    "inspection.task.cancel": "撤销检查任务",
    "inspection.offline.sync": "离线记录同步",
    "inspection.draw": "双随机抽取",
    "inspection.check_in": "扫码入企",
    "inspection.enter_unfiled": "未报备入企",
    "inspection.code.forged": "伪造检查码",
    "inspection.result": "检查结果",
    "inspection.result.case_source": "检查发现案源",
    "inspection.recheck": "复查",
    "inspection.feedback": "企业评价",
    "inspection.conflict.record": "记录回避情形",
    "inspection.no_disturb.add": "列入无事不扰",
    "inspection.no_disturb.remove": "移出无事不扰",
    "inspection.party.tag": "标注检查领域",
    "inspection.warning.handle": "处理预警",
    "inspection.warning.dismiss": "排除预警",
    # the inspection reform (issue 19) — 综合查一次、一表通查、自动匹配、企业端、离线
    "inspection.joint.create": "创建联合检查任务",
    "inspection.joint.approve": "批准联合检查事项",
    "inspection.check.result": "录入检查事项结果",
    "inspection.check.recheck": "检查事项复查",
    "inspection.check.recognise": "检查结果互认",
    "inspection.item.equivalence": "登记互认事项",
    "inspection.checklist.record": "录入检查表单结果",
    "inspection.merge.propose": "提出合并检查建议",
    "inspection.merge.agree": "同意合并检查",
    "inspection.merge.agree_all": "全部同意合并检查",
    "inspection.merge.decline": "不同意合并检查",
    "inspection.merge": "合并检查",
    "inspection.merge.bulk": "批量合并检查",
    "inspection.visit_window.offer": "提出可选入企时间",
    "inspection.visit_time.agree": "商定入企时间",
    "inspection.rectification.submit": "企业提交整改报告",
    "inspection.objection": "企业提出检查异议",
    "inspection.objection.answer": "答复检查异议",
    "account.enterprise_signup": "企业账号自助注册",
}

ACCESS_PURPOSE_LABELS = {"view": "查看", "download": "下载", "export": "导出", "print": "打印"}

labels.register_actions(ACTION_LABELS)


def action_label(code: str) -> str:
    """The Chinese label of an action code (never the code itself: see :func:`zhifa.records.labels.action_label`)."""
    return labels.action_label(code)


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the timeline (plain values: pages never touch the ledger row)."""

    seq: int
    at: dt.datetime  # when it was recorded
    occurred_at: dt.datetime | None
    actor: str
    officer: str
    action: str
    label: str
    object_type: str
    object_id: str
    object_label: str
    related: bool
    place: str
    summary: str
    proof_url: str
    business_date: dt.date | None = None  # the day of the act (the ``on`` date the service was given)
    fields: tuple[tuple[str, str], ...] = ()  # the labelled changes, (label, value)


# --- who may read -------------------------------------------------------------------------------------------------


def _known_actions() -> frozenset[str]:
    return frozenset().union(*perms.ROLE_ACTIONS.values())


def view_action(object_type: str) -> str | None:
    """The action that lets a user view objects of this type, or None when the type has no scoped view."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return None
    if model not in perms.SCOPE_LOOKUPS:
        return None
    action = VIEW_ACTIONS.get(object_type) or f"{model._meta.app_label}.view_{model._meta.model_name}"
    return action if action in _known_actions() else None


def _is_supervisor_or_admin(user: User) -> bool:
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return True
    return bool(perms.roles(user) & {Role.SUPERVISOR, Role.ADMIN})


def _object(object_type: str, object_id: str) -> Any:
    model = apps.get_model(object_type)
    try:
        return model._default_manager.filter(pk=object_id).first()
    except (ValueError, TypeError, ValidationError):
        return None


def require_view_object(
    user: User, object_type: str, object_id: str, *, request: Any = None, obj: Any = None
) -> Any:
    """The object if ``user`` may view it (None for a type without a model row to check).

    A user whose roles lack the view action altogether gets ``PermissionDenied`` (403); an object out of the
    user's scope, or one that does not exist, ``NotFound`` (404), so that its existence is not revealed.
    ``obj``, the object itself if the caller has it loaded (with what the scope check reads), saves reading it
    again; the check is the same.
    """
    action = view_action(object_type)
    if action is None:
        if not _is_supervisor_or_admin(user):
            raise PermissionDenied(
                "只有执法监督人员和系统管理员可查看此类对象的记录。",
                "Only supervisors and administrators may read the record of this kind of object.",
            )
        if not LedgerEntry.objects.filter(object_type=object_type, object_id=object_id).exists():
            raise NotFound("该对象没有记录。", "This object has no record.", code="record_object_not_found")
        return None
    perms.require(user, action, request=request)
    if obj is None or obj._meta.label_lower != object_type or str(obj.pk) != object_id:
        obj = _object(object_type, object_id)
    if obj is None or not perms.can(user, action, obj):
        raise NotFound(
            "对象不存在或不在您的范围内。", "No such object in your scope.", code="record_object_not_found"
        )
    return obj


def can_view_object(user: User, object_type: str, object_id: str) -> bool:
    """Whether :func:`require_view_object` would allow, without auditing a refusal (for optional panels)."""
    action = view_action(object_type)
    if action is None:
        return _is_supervisor_or_admin(user)
    if not perms.can(user, action):
        return False
    obj = _object(object_type, str(object_id))
    return obj is not None and perms.can(user, action, obj)


def record_url(user: User | None, object_type: str, object_id: str) -> str:
    """The object's record page if ``user`` may open it (it would not answer 403 or 404), else ""."""
    if user is None or not can_view_object(user, object_type, str(object_id)):
        return ""
    if view_action(object_type) is None and not (
        LedgerEntry.objects.filter(object_type=object_type, object_id=str(object_id)).exists()
    ):
        return ""  # require_view_object: an unscoped type's page exists only once it has a record
    return reverse("records:object", args=[object_type, str(object_id)])


def may_see_access_records(user: User) -> bool:
    return perms.can(user, VIEW_ACCESS_HISTORY)


# --- the timeline ---------------------------------------------------------------------------------------------------


def _summaries(rows: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """Per ``(action, changes)``: a short readable line and its labelled fields (the raw changes are on the entry
    page)."""
    fields = labels.summaries(rows)
    result: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    for (action, changes), parts in zip(rows, fields, strict=True):
        if action == "evidence.store":
            size = changes.get("size_bytes")
            line = f"SM3 {str(changes.get('sm3', ''))[:16]}… · {size} 字节" if size is not None else ""
            result.append((line, ()))
        elif action == ACCESS_ACTION:
            purpose = ACCESS_PURPOSE_LABELS.get(str(changes.get("purpose")), "调阅")
            reason = changes.get("reason") or ""
            result.append((f"{purpose}{'：' + reason if reason else ''}", ()))
        else:
            result.append(("；".join(f"{label}：{value}" for label, value in parts), tuple(parts)))
    return result


def _visible_evidence(user: User, object_type: str, object_id: str) -> dict[str, str]:
    """Evidence of the object the user may see: id → file name."""
    # the evidence app answers (it sits above records)
    return hooks.evidence_names(user, object_type, object_id)


def _actor_names(actor_ids: set[int]) -> dict[int, str]:
    if not actor_ids:
        return {}

    users = get_user_model().objects.filter(pk__in=actor_ids).only("pk", "full_name")
    return {u.pk: getattr(u, "full_name", "") or "用户" for u in users}  # names, never login names


def timeline_for(
    user: User,
    object_type: str,
    object_id: str | int,
    include_related: bool = True,
    *,
    limit: int = DEFAULT_LIMIT,
    request: Any = None,
    obj: Any = None,
) -> list[TimelineEntry]:
    """The object's record, oldest first (the newest ``limit`` entries), for a user who may view it.

    Raises ``PermissionDenied`` / ``NotFound`` as :func:`require_view_object` (``obj``: the object, if loaded).
    """
    object_id = str(object_id)
    require_view_object(user, object_type, object_id, request=request, obj=obj)
    evidence = _visible_evidence(user, object_type, object_id) if include_related else {}
    condition = Q(object_type=object_type, object_id=object_id)
    if evidence:
        condition |= Q(object_type=EVIDENCE_TYPE, object_id__in=list(evidence))
    rows = LedgerEntry.objects.filter(condition)
    if not may_see_access_records(user):
        rows = rows.exclude(action=ACCESS_ACTION)
    newest = list(rows.order_by("-seq").values_list(*_ROW_FIELDS)[:limit])
    newest.reverse()
    return _entries(newest, object_type, object_id, evidence)


_ROW_FIELDS = (
    "seq", "at", "occurred_at", "actor_id", "actor_username", "officer_name", "action",
    "object_type", "object_id", "place", "changes",
)  # fmt: skip


def readable_entries(user: User, rows: Any) -> list[TimelineEntry]:
    """Ledger rows (a queryset of one object's entries, in order) as timeline entries, for a page that has
    already checked that its reader may see them (a review's log). Each links to its entry page only if the
    reader may open it."""
    values = list(rows.values_list(*_ROW_FIELDS))
    if not values:
        return []
    object_type, object_id = values[0][7], values[0][8]
    entries = _entries(values, object_type, object_id, {})
    if can_view_object(user, object_type, object_id):
        return entries
    return [replace(e, proof_url="") for e in entries]


def _entries(
    newest: list[tuple[Any, ...]], object_type: str, object_id: str, evidence: dict[str, str]
) -> list[TimelineEntry]:
    names = _actor_names({row[3] for row in newest if row[3] is not None})
    parsed = [labels.parse(row[-1]) for row in newest]
    lines = _summaries([(row[6], changes) for row, changes in zip(newest, parsed, strict=True)])
    result = []
    for row, changes, (summary, parts) in zip(newest, parsed, lines, strict=True):
        seq, at, occurred_at, actor_id, _username, officer, action, o_type, o_id, place, _text = row
        related = (o_type, o_id) != (object_type, object_id)
        result.append(
            TimelineEntry(
                seq=seq,
                at=at,
                occurred_at=occurred_at,
                actor=names.get(actor_id, "用户") if actor_id is not None else "系统",
                officer=officer,
                action=action,
                label=action_label(action),
                object_type=o_type,
                object_id=o_id,
                # the file by its name (证据「现场照片.jpg」), never by its id
                object_label=(f"证据「{evidence[o_id]}」" if evidence.get(o_id) else "证据")
                if related
                else "",
                related=related,
                place=place,
                summary=summary,
                proof_url=reverse("records:entry", args=[seq]),
                business_date=labels.business_date(changes, occurred_at),
                fields=parts,
            )
        )
    return result


# --- one entry with its proof ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryDetail:
    """An entry as its page shows it: fields, canonical changes, leaf, and its inclusion proof."""

    entry: TimelineEntry
    actor_username: str
    changes_canonical: str
    changes_pretty: str
    changes_digest: str
    leaf_data: str
    leaf_hash: str
    hash_algorithm: str
    tree_size: int
    root: str
    proof: list[str]
    proof_holds: bool
    signed_head: Any  # SignedTreeHead the proof is against, or None when no signed head covers the entry
    object_url: str  # the object's own page (an evidence item's detail page)
    record_url: str  # the record page the entry belongs to (for an evidence item: its object's)


def entry_detail(user: User, seq: int, *, request: Any = None) -> EntryDetail:
    """One entry and its RFC 6962 inclusion proof against the latest signed head that covers it.

    Readable by whoever may view the entry's object (retrievals: only by those who see access histories).
    """
    row = LedgerEntry.objects.filter(seq=seq).first()
    missing = NotFound(
        f"账本中没有第 {seq} 号记录。", f"No ledger entry with seq {seq}.", code="ledger_no_entry"
    )
    if row is None:
        raise missing
    obj = require_view_object(user, row.object_type, row.object_id, request=request)
    if row.action == ACCESS_ACTION and not may_see_access_records(user):
        raise missing
    head = latest_signed_head()
    covering = head if head is not None and head.tree_size > seq else None
    proof = ledger_inclusion_proof(seq, covering.tree_size if covering is not None else None)
    root = bytes(covering.root) if covering is not None else proof.root
    holds = merkle.verify_inclusion(
        row.leaf_data.encode("utf-8"), seq, proof.tree_size, proof.proof, root, proof.algorithm
    )
    try:
        pretty = json.dumps(json.loads(row.changes), ensure_ascii=False, indent=2, sort_keys=True)
    except ValueError:
        pretty = row.changes
    names = _actor_names({row.actor_id} if row.actor_id is not None else set())
    changes = labels.parse(row.changes)
    summary, parts = _summaries([(row.action, changes)])[0]
    line = TimelineEntry(
        seq=row.seq,
        at=row.at,
        occurred_at=row.occurred_at,
        actor=names.get(row.actor_id, "用户") if row.actor_id else "系统",
        officer=row.officer_name,
        action=row.action,
        label=action_label(row.action),
        object_type=row.object_type,
        object_id=row.object_id,
        object_label=labels.object_type_label(row.object_type),
        related=False,
        place=row.place,
        summary=summary,
        proof_url=reverse("records:entry", args=[row.seq]),
        business_date=labels.business_date(changes, row.occurred_at),
        fields=parts,
    )
    return EntryDetail(
        entry=line,
        actor_username=row.actor_username,
        changes_canonical=row.changes,
        changes_pretty=pretty,
        changes_digest=row.changes_digest,
        leaf_data=row.leaf_data,
        leaf_hash=bytes(row.leaf_hash).hex(),
        hash_algorithm=proof.algorithm,
        tree_size=proof.tree_size,
        root=root.hex(),
        proof=[p.hex() for p in proof.proof],
        proof_holds=holds,
        signed_head=covering,
        **_entry_links(obj, row.object_type, row.object_id),
    )


def _entry_links(obj: Any, object_type: str, object_id: str) -> dict[str, str]:
    own = reverse("records:object", args=[object_type, object_id])
    if object_type == EVIDENCE_TYPE and obj is not None:
        parent = reverse("records:object", args=[obj.object_type, obj.object_id])
        return {"object_url": reverse("evidence:detail", args=[obj.pk]), "record_url": parent}
    return {"object_url": own, "record_url": own}

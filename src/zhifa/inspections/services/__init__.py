"""State changes of inspections (涉企行政检查): lists, plans, tasks, draws, check-in, results, warnings, feedback.

Each service checks its guards, writes, and appends to the full-process record in one transaction
(``zhifa.core.transactions.service``). Two public entry points are plain functions on purpose:
:func:`inspection_check_in` and :func:`inspection_code_view` first verify a code *outside* any transaction,
so that a forged code's warning (伪造检查码) is committed even though the request itself is refused.

The services are split by aggregate (one module each, every public name re-exported here): ``lists``
(清单与名录库), ``plans`` (年度计划), ``tasks`` (检查任务), ``drawing`` (双随机抽取), ``visits`` (扫码进企),
``results`` (检查结果), ``remote`` (非现场检查), ``caps`` (年度检查上限、无事不扰), ``checklists`` (一表通查),
``alerts`` (预警), ``feedback`` (企业评价), ``aftercare`` (整改报告、检查异议), ``visit_window`` (商定入企时间),
``joint`` (综合查一次, 结果互认), ``offline`` (离线现场检查的同步), ``matching`` (自动匹配与合并检查) and ``_common``.
"""

from zhifa.inspections.services._common import CREDIT_CLASSES, get_or_404
from zhifa.inspections.services.aftercare import (
    objection_answer,
    objection_submit,
    rectification_submit,
)
from zhifa.inspections.services.alerts import warning_dismiss, warning_handle
from zhifa.inspections.services.caps import (
    CapsInForce,
    VisitCount,
    caps_for,
    no_disturb_check,
    no_disturb_entry,
    routine_visit_check,
    visit_cap_check,
    visit_cap_set,
    visit_count,
)
from zhifa.inspections.services.checklists import checklist_record
from zhifa.inspections.services.drawing import (
    PartyPool,
    inspector_directory,
    party_pool,
    party_shares,
    task_draw,
)
from zhifa.inspections.services.feedback import feedback_submit
from zhifa.inspections.services.joint import (
    check_recognise,
    inspection_check_recheck,
    inspection_check_result,
    item_equivalence_add,
    joint_task_approve,
    joint_task_create,
    recognisable_check,
)
from zhifa.inspections.services.lists import (
    checklist_set,
    conflict_record,
    item_create,
    no_disturb_add,
    no_disturb_remove,
    party_tag,
)
from zhifa.inspections.services.matching import (
    AcceptAllResult,
    merge_proposal_accept,
    merge_proposal_decline,
    merge_proposals_accept_all,
    merge_proposals_refresh,
    proposal_for,
    visit_merge,
)
from zhifa.inspections.services.offline import KINDS as OFFLINE_KINDS
from zhifa.inspections.services.offline import offline_action_sync, register_kind
from zhifa.inspections.services.plans import (
    plan_approve,
    plan_create,
    plan_deadline,
    plan_file,
    plan_item_add,
    plan_publish,
)
from zhifa.inspections.services.remote import inspection_remote_record
from zhifa.inspections.services.results import inspection_recheck, inspection_result
from zhifa.inspections.services.tasks import task_approve, task_cancel, task_create_random, task_file
from zhifa.inspections.services.visit_window import (
    MAX_SLOTS,
    visit_slots,
    visit_time_agree,
    visit_window_offer,
)
from zhifa.inspections.services.visits import (
    CodeView,
    forged_code_report,
    inspection_check_in,
    inspection_code_view,
    inspection_enter_unfiled,
)

__all__ = [
    "CREDIT_CLASSES",
    "MAX_SLOTS",
    "OFFLINE_KINDS",
    "AcceptAllResult",
    "CapsInForce",
    "CodeView",
    "PartyPool",
    "VisitCount",
    "caps_for",
    "check_recognise",
    "checklist_record",
    "checklist_set",
    "conflict_record",
    "feedback_submit",
    "forged_code_report",
    "get_or_404",
    "inspection_check_in",
    "inspection_check_recheck",
    "inspection_check_result",
    "inspection_code_view",
    "inspection_enter_unfiled",
    "inspection_recheck",
    "inspection_remote_record",
    "inspection_result",
    "inspector_directory",
    "item_create",
    "item_equivalence_add",
    "joint_task_approve",
    "joint_task_create",
    "merge_proposal_accept",
    "merge_proposal_decline",
    "merge_proposals_accept_all",
    "merge_proposals_refresh",
    "no_disturb_add",
    "no_disturb_check",
    "no_disturb_entry",
    "no_disturb_remove",
    "objection_answer",
    "objection_submit",
    "offline_action_sync",
    "party_pool",
    "party_shares",
    "party_tag",
    "plan_approve",
    "plan_create",
    "plan_deadline",
    "plan_file",
    "plan_item_add",
    "plan_publish",
    "proposal_for",
    "recognisable_check",
    "rectification_submit",
    "register_kind",
    "routine_visit_check",
    "task_approve",
    "task_cancel",
    "task_create_random",
    "task_draw",
    "task_file",
    "visit_cap_check",
    "visit_cap_set",
    "visit_count",
    "visit_merge",
    "visit_slots",
    "visit_time_agree",
    "visit_window_offer",
    "warning_dismiss",
    "warning_handle",
]

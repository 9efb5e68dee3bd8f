"""涉企检查记录的中文标签 — the ``changes`` fields of the inspections app's ledger entries (their action labels
are in zhifa.records.timeline), registered with zhifa.records.labels when the app is ready."""

from __future__ import annotations

from zhifa.inspections.models import (
    OfflineActionKind,
    OfflineActionState,
    Outcome,
    PlanStatus,
    RemoteMethod,
    TaskKind,
    TaskStatus,
    TriggerKind,
)
from zhifa.records.labels import (
    BOOL,
    CHOICE,
    COUNT,
    DATE,
    NAMES,
    Field,
    choices,
    names_of,
    register_actions,
    register_fields,
)


def register() -> None:
    register_actions(
        {
            "inspection.checklist.set": "制定检查表单",
            "inspection.visit_cap.set": "设定年度检查上限",
            "inspection.remote_record": "非现场检查",
        }
    )
    register_fields(
        {
            "inspection.result:outcome": Field("检查结果", CHOICE, choices(Outcome)),
            "findings": "检查情况",
            "rectify_deadline": Field("整改期限", DATE),
            "item_name": "检查事项",
            "inspection.task.file:party": Field("检查对象", NAMES, resolver=names_of("org.Party")),
            "inspection.enter_unfiled:party": Field("检查对象", NAMES, resolver=names_of("org.Party")),
            "inspection.task.file:officers": Field("检查人员", NAMES, resolver=names_of("org.Officer")),
            "entered_at": Field("入企时间", DATE),
            "emergency": Field("紧急检查", BOOL),
            "filed_after_entry": Field("入企后补报", BOOL),
            "late": Field("逾期", BOOL),
            "party_count": Field("检查对象数", COUNT, unit="家"),
            "pool_size": Field("抽取范围", COUNT, unit="家"),
            "inspectors_per_inspection": Field("每组检查人员", COUNT, unit="人"),
            # the entries of plans, items and tasks (nothing reads as 案由 or an id)
            "inspection.item.create:agency": Field("执法主体", NAMES, resolver=names_of("org.Agency")),
            "inspection.item.create:code": "事项编码",
            "inspection.item.create:name": "抽查事项",
            "inspection.plan.create:agency": Field("执法主体", NAMES, resolver=names_of("org.Agency")),
            "inspection.plan.create:title": "计划名称",
            "inspection.plan.create:year": Field("年度", COUNT, unit="年"),
            "inspection.plan.create:joint_agencies": Field(
                "联合检查机关", NAMES, resolver=names_of("org.Agency")
            ),
            "inspection.plan.approve:status": Field("状态", CHOICE, choices(PlanStatus)),
            "inspection.plan.file:filed_with": Field("备案机关", NAMES, resolver=names_of("org.Agency")),
            "inspection.plan.item_add:item": Field(
                "抽查事项", NAMES, resolver=names_of("inspections.InspectionItem")
            ),
            "inspection.task.create:kind": Field("检查类别", CHOICE, choices(TaskKind)),
            "inspection.task.create:item": Field(
                "检查事项", NAMES, resolver=names_of("inspections.InspectionItem")
            ),
            "inspection.task.create:joint_agencies": Field(
                "联合检查机关", NAMES, resolver=names_of("org.Agency")
            ),
            "inspection.task.approve:status": Field("状态", CHOICE, choices(TaskStatus)),
            "inspection.task.file:kind": Field("检查类别", CHOICE, choices(TaskKind)),
            "inspection.task.file:item": Field(
                "检查事项", NAMES, resolver=names_of("inspections.InspectionItem")
            ),
            "inspection.result.case_source:agency": Field("执法主体", NAMES, resolver=names_of("org.Agency")),
            "inspection.result.case_source:party": Field("检查对象", NAMES, resolver=names_of("org.Party")),
            "inspection.enter_unfiled:emergency_reason": "紧急情形",
            "inspection.checklist.set:version": Field("检查表单版本", COUNT, unit="版"),
            "inspection.checklist.set:effective_from": Field("施行日期", DATE),
            "inspection.checklist.set:previous_closed": Field("上一版同时废止", BOOL),
            "inspection.checklist.set:lines": "检查内容",
            "inspection.offline.sync:kind": Field("离线操作", CHOICE, choices(OfflineActionKind)),
            "inspection.offline.sync:state": Field("同步结果", CHOICE, choices(OfflineActionState)),
            "inspection.offline.sync:captured_at": Field("现场采集时间", DATE),
            "inspection.offline.sync:synced_at": Field("同步时间", DATE),
            "inspection.offline.sync:beyond_window": Field("超出补录期限", BOOL),
            "inspection.task.cancel:from": Field("原状态", CHOICE, choices(TaskStatus)),
            "inspection.task.cancel:reason": "撤销理由",
            "trigger_kind": Field("触发来源", CHOICE, choices(TriggerKind)),
            "trigger_ref": "触发来源编号",
            "inspection.remote_record:method": Field("非现场检查方式", CHOICE, choices(RemoteMethod)),
            "inspection.remote_record:checked_at": Field("检查时间", DATE),
            "inspection.remote_record:evidence_count": Field("依据材料", COUNT, unit="份"),
            "inspection.visit_cap.set:region": Field("适用区划", NAMES, resolver=names_of("org.Region")),
            "inspection.visit_cap.set:year": Field("年度", COUNT, unit="年"),
            "inspection.visit_cap.set:per_agency": Field("同一部门对同一企业年度上限", COUNT, unit="次"),
            "inspection.visit_cap.set:per_enterprise": Field("同一企业年度检查总数上限", COUNT, unit="次"),
            "inspection.visit_cap.set:basis": "依据",
            "inspection.visit_cap.set:created": Field("首次设定", BOOL),
            "inspection.no_disturb.remove:reason": "移出理由",
        }
    )

"""Inspection actions and which roles hold them; registered with ``zhifa.org.permissions`` at start-up."""

from __future__ import annotations

from zhifa.inspections import models as m
from zhifa.org import permissions as perms
from zhifa.org.models import Role

VIEW = "inspections.view"
MANAGE_LISTS = "inspections.manage_lists"
MANAGE_NO_DISTURB = "inspections.manage_no_disturb"
MANAGE_VISIT_CAPS = "inspections.manage_visit_caps"
MANAGE_PLAN = "inspections.manage_plan"
APPROVE_PLAN = "inspections.approve_plan"
MANAGE_TASK = "inspections.manage_task"
APPROVE_TASK = "inspections.approve_task"
INSPECT = "inspections.inspect"
VIEW_WARNING = "inspections.view_warning"
HANDLE_WARNING = "inspections.handle_warning"
VIEW_FEEDBACK_SUMMARY = "inspections.view_feedback_summary"
VIEW_FEEDBACK = "inspections.view_feedback"
RATE = "inspections.rate"
RECTIFY = "inspections.rectify"
OBJECT = "inspections.object"
ANSWER_OBJECTION = "inspections.answer_objection"
AGREE_VISIT_TIME = "inspections.agree_visit_time"
MANAGE_EQUIVALENCE = "inspections.manage_equivalence"

ACTIONS: tuple[str, ...] = (
    VIEW,
    MANAGE_LISTS,
    MANAGE_NO_DISTURB,
    MANAGE_VISIT_CAPS,
    MANAGE_PLAN,
    APPROVE_PLAN,
    MANAGE_TASK,
    APPROVE_TASK,
    INSPECT,
    VIEW_WARNING,
    HANDLE_WARNING,
    VIEW_FEEDBACK_SUMMARY,
    VIEW_FEEDBACK,
    RATE,
    RECTIFY,
    OBJECT,
    ANSWER_OBJECTION,
    AGREE_VISIT_TIME,
    MANAGE_EQUIVALENCE,
)

# 检查权限 — officers prepare plans and tasks and inspect; only the agency head (机关负责人, not a unit head)
# approves plans and non-random inspections; supervisors read everything in their region, handle warnings
# and see each enterprise's rating and objection (and answer the objection); the enterprise reads its own
# inspections, rates them, reports its rectification and objects.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.OFFICER: frozenset(
        {VIEW, MANAGE_LISTS, MANAGE_PLAN, MANAGE_TASK, INSPECT, VIEW_WARNING, VIEW_FEEDBACK_SUMMARY}
    ),
    Role.AGENCY_HEAD: frozenset(
        {
            VIEW,
            MANAGE_LISTS,
            MANAGE_PLAN,
            APPROVE_PLAN,
            MANAGE_TASK,
            APPROVE_TASK,
            VIEW_WARNING,
            HANDLE_WARNING,
            VIEW_FEEDBACK_SUMMARY,
        }
    ),
    Role.LEGAL_REVIEWER: frozenset({VIEW}),
    Role.SUPERVISOR: frozenset(
        {
            VIEW,
            MANAGE_NO_DISTURB,
            MANAGE_EQUIVALENCE,
            MANAGE_VISIT_CAPS,
            VIEW_WARNING,
            HANDLE_WARNING,
            VIEW_FEEDBACK_SUMMARY,
            VIEW_FEEDBACK,
            ANSWER_OBJECTION,
        }
    ),
    Role.ADMIN: frozenset(ACTIONS),
    # 商定入企时间: the enterprise picks a slot of the window its inspecting agency offers.
    Role.ENTERPRISE: frozenset({VIEW, RATE, RECTIFY, OBJECT, AGREE_VISIT_TIME}),
}


def register_permissions() -> None:
    agency = perms.ScopeLookup(agency_path="agency__path", region_path="agency__region__path")
    perms.register_scope(m.InspectionItem, agency)
    perms.register_scope(m.InspectionPlan, agency)
    perms.register_scope(m.InspectionTask, agency)
    perms.register_scope(
        m.Inspection,
        perms.ScopeLookup(
            agency_path="agency__path", region_path="agency__region__path", party_id="party_id"
        ),
    )
    perms.register_scope(m.InspectionWarning, agency)
    perms.register_scope(m.OfflineAction, agency)
    perms.register_scope(
        m.InspectionCheck,
        perms.ScopeLookup(agency_path="agency__path", region_path="agency__region__path"),
    )
    perms.register_scope(
        m.ItemEquivalence,
        perms.ScopeLookup(agency_path=None, region_path="item_a__agency__region__path"),
    )
    # A merge proposal spans agencies: it is placed by its enterprise; deciding checks each agency involved.
    perms.register_scope(
        m.MergeProposal,
        perms.ScopeLookup(agency_path=None, region_path="party__region_path", party_id="party_id"),
    )
    perms.register_scope(
        m.InspectionFeedback,
        perms.ScopeLookup(
            agency_path="inspection__agency__path", region_path="inspection__agency__region__path"
        ),
    )
    perms.register_scope(
        m.Rectification,
        perms.ScopeLookup(
            agency_path="inspection__agency__path",
            region_path="inspection__agency__region__path",
            party_id="inspection__party_id",
        ),
    )
    perms.register_scope(
        m.InspectionObjection,
        perms.ScopeLookup(
            agency_path="inspection__agency__path", region_path="inspection__agency__region__path"
        ),
    )
    # Directory entries belong to the party's place, not to an agency.
    party_place = perms.ScopeLookup(agency_path=None, region_path="party__region_path", party_id="party_id")
    perms.register_scope(m.PartyDomainTag, party_place)
    perms.register_scope(m.NoDisturbEntry, party_place)
    perms.register_scope(m.VisitCap, perms.ScopeLookup(agency_path=None, region_path="region__path"))
    perms.register_scope(
        m.ConflictOfInterest,
        perms.ScopeLookup(agency_path="officer__agency__path", region_path="officer__agency__region__path"),
    )
    for role, actions in ROLE_ACTIONS.items():
        perms.register_actions(role, actions)

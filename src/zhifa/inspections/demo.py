"""The inspections part of the demo county (示范县): lists, a published annual plan, a double-random task with
its verifiable draw, filed visits in every state for ``demo_officer``'s 今日检查, and warnings.

Everything goes through the services, so the ledger holds every step and the draw can be re-run on its
public page. Registered as a demo step (``zhifa.org.demo.register_demo_step``) after the cases (order 110).
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password

from zhifa.core import clock
from zhifa.core.errors import DomainError
from zhifa.evidence import services as evidence_services
from zhifa.evidence.uploads import hashed_upload_from
from zhifa.inspections import codes, imports, selectors, services
from zhifa.inspections.checklists import visit_checklist
from zhifa.inspections.models import (
    ChecklistLineResult,
    Inspection,
    InspectionItem,
    InspectionStatus,
    ObjectionKind,
    Outcome,
    PartyDomainTag,
    RemoteMethod,
    TaskKind,
)
from zhifa.org import signup
from zhifa.org.demo import COUNTY2, DEMO_PASSWORD, DemoPartFailed, county2_accounts
from zhifa.org.models import (
    Agency,
    Domain,
    Officer,
    Party,
    PartyKind,
    Role,
    RoleAssignment,
    ScopeKind,
    User,
)
from zhifa.org.selectors import officer_can_enforce
from zhifa.org.signup import PrintedCode

# (code, name, legal basis) of the market regulator's random-inspection list (随机抽查事项清单).
ITEMS = (
    ("SC-SJ-001", "食品经营许可情况检查", "《中华人民共和国食品安全法》第一百一十条"),
    ("SC-SJ-002", "产品质量监督抽查", "《中华人民共和国产品质量法》第十五条"),
    ("SC-SJ-003", "特种设备使用单位监督检查", "《中华人民共和国特种设备安全法》第五十七条"),
)

# 检查表单 of each item above (演示数据): (content, method and standard, article). The first item's checklist has
# two versions — last year's and this year's, which adds the check of purchase records — so that the portal
# shows a past version as of a date.
CHECKLISTS: dict[str, list[tuple[str, str, str]]] = {
    "SC-SJ-001": [
        (
            "是否取得食品经营许可证，许可事项与实际经营一致",
            "查验许可证原件，现场核对经营场所和经营项目",
            "《中华人民共和国食品安全法》第三十五条",
        ),
        (
            "从业人员是否取得健康证明",
            "抽查从业人员健康证明，核对有效期",
            "《中华人民共和国食品安全法》第四十五条",
        ),
        (
            "是否及时清理变质或者超过保质期的食品",
            "现场检查库存和货架食品的生产日期、保质期",
            "《中华人民共和国食品安全法》第五十四条",
        ),
    ],
    "SC-SJ-002": [
        (
            "产品或者其包装上的标识是否真实、符合要求",
            "抽取样品，核对产品名称、厂名厂址、合格证明",
            "《中华人民共和国产品质量法》第二十七条",
        ),
        (
            "销售者是否执行进货检查验收制度",
            "查阅进货检查验收记录和产品合格证明",
            "《中华人民共和国产品质量法》第三十三条",
        ),
    ],
    "SC-SJ-003": [
        (
            "特种设备是否办理使用登记",
            "查验使用登记证，核对设备铭牌",
            "《中华人民共和国特种设备安全法》第三十三条",
        ),
        ("是否建立特种设备安全技术档案", "查阅档案的完整性", "《中华人民共和国特种设备安全法》第三十五条"),
        (
            "是否按期申报定期检验",
            "查阅定期检验报告和检验标志的有效期",
            "《中华人民共和国特种设备安全法》第四十条",
        ),
    ],
}
CHECKLIST_V2_ADDED = (
    "是否查验供货者的许可证和食品合格证明文件，如实记录进货查验情况",
    "抽查进货查验记录和票据，记录保存期限不少于产品保质期满后六个月",
    "《中华人民共和国食品安全法》第五十三条",
)


def _lines(rows: list[tuple[str, str, str]]) -> list[dict[str, str]]:
    return [{"content": c, "method": m, "basis": b} for c, m, b in rows]


def build_checklists(head: Any, items: list[InspectionItem], today: dt.date) -> int:
    """The demo checklists (one version each, two for the first item); returns how many versions were made."""
    made = 0
    last_year = dt.date(today.year - 1, 1, 1)
    for item in items:
        rows = CHECKLISTS.get(item.code)
        if not rows or item.checklist_lines.exists():
            continue
        services.checklist_set(head, item, lines=_lines(rows), effective_from=last_year)
        made += 1
        if item.code == "SC-SJ-001":
            services.checklist_set(
                head,
                item,
                lines=_lines([*rows, CHECKLIST_V2_ADDED]),
                effective_from=dt.date(today.year, 1, 1),
            )
            made += 1
    return made


def _filed_visits(
    officer_user: Any,
    head: Any,
    agency: Any,
    items: list[Any],
    parties: list[Any],
    officer_ids: list[int],
    today: dt.date,
    reasons: tuple[str, str],
) -> list[Any]:
    """报备检查: one filed and approved task per party, a 专项检查 and a 投诉核查 in turn (``reasons`` in that
    order); returns each task's inspection."""
    visits = []
    for index, party in enumerate(parties):
        filed = services.task_file(
            officer_user,
            agency=agency,
            item=items[index % 2],
            kind=TaskKind.COMPLAINT if index % 2 else TaskKind.SPECIAL,
            party=party,
            officer_ids=officer_ids,
            title=f"{party.name}{'投诉核查' if index % 2 else '专项检查'}",
            reason=reasons[index % 2],
            starts_on=today - dt.timedelta(days=1),
            ends_on=today + dt.timedelta(days=14),
        )
        services.task_approve(head, filed)
        visits.append(filed.inspections.get())
    return visits


def build_inspections_demo(context: Any) -> None:
    officer_user = User.objects.get(username="demo_officer")
    head = User.objects.get(username="demo_head")
    me = officer_user.officer
    agency = me.agency
    market = Domain.objects.get(code="market")
    today = clock.today()
    partner = next(
        (
            o
            for o in Officer.objects.filter(agency=agency, is_active=True).exclude(pk=me.pk).order_by("pk")
            if officer_can_enforce(o, market, on=today).allowed
        ),
        None,
    )

    # 检查对象名录库: the county's organisations carry the market domain tag.
    parties = list(
        Party.objects.filter(region__path__startswith=agency.region.path)
        .exclude(kind=PartyKind.NATURAL_PERSON)
        .order_by("pk")[:400]  # demo seed: a sample
    )
    PartyDomainTag.objects.bulk_create(
        [PartyDomainTag(party=p, domain=market) for p in parties], ignore_conflicts=True
    )

    items: list[InspectionItem] = [
        services.item_create(
            head, agency=agency, code=code, name=name, domain_code="market", legal_basis=basis
        )
        for code, name, basis in ITEMS
    ]
    build_checklists(head, items, today)
    plan = services.plan_create(
        officer_user, agency=agency, year=today.year, title=f"{today.year} 年度涉企检查计划"
    )
    # 信用风险分类: fewer inspections of class A, more of D (percent of the pool per year).
    ratios = {"A": Decimal("3"), "B": Decimal("5"), "C": Decimal("10"), "D": Decimal("30")}
    plan_items = [services.plan_item_add(officer_user, plan, item=item, ratios=ratios) for item in items]
    services.plan_approve(head, plan)
    services.plan_file(head, plan)
    services.plan_publish(head, plan)
    # Next year's plan, drafted by the officer and waiting for the head's approval (his 待审批).
    draft = services.plan_create(
        officer_user, agency=agency, year=today.year + 1, title=f"{today.year + 1} 年度涉企检查计划（草案）"
    )
    services.plan_item_add(officer_user, draft, item=items[0], ratios=ratios)

    # 双随机: one task drawn now; anyone can re-run it on the public verify page.
    quarter = (today.month - 1) // 3 + 1
    task = services.task_create_random(
        officer_user,
        plan_item=plan_items[0],
        title=f"{today.year} 年第{quarter}季度食品经营许可情况抽查",
        starts_on=today - dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=25),
        quarter=quarter,
        party_count=6,
    )
    services.task_draw(officer_user, task)

    # Filed (报备) visits for demo_officer: planned today, awaiting a result, awaiting a re-check, done.
    enterprise = RoleAssignment.objects.filter(user__username="demo_enterprise").values_list(
        "party", flat=True
    )
    targets = [p for p in parties if p.pk in set(enterprise)] + [p for p in parties[-5:]]
    officers = [me.pk] + ([partner.pk] if partner else [])
    visits = []
    visits += _filed_visits(
        officer_user,
        head,
        agency,
        items,
        targets[:5],  # demo seed: a sample
        officers,
        today,
        ("节前食品安全专项检查", "群众投诉反映经营场所卫生问题"),
    )

    for index, visit in enumerate(visits[:4]):  # demo seed: a sample
        services.inspection_check_in(
            officer_user, codes.issue_code(visit), place=f"{visit.party.address or '经营场所'}"
        )
        visit.refresh_from_db()
        if index == 0:
            services.inspection_result(
                officer_user, visit, outcome=Outcome.PASS, findings="证照齐全，进货查验记录完整。"
            )
        elif index == 1:
            services.inspection_result(
                officer_user,
                visit,
                outcome=Outcome.RECTIFY,
                findings="冷藏柜温度记录缺失，责令限期整改。",
                rectify_deadline=today + dt.timedelta(days=10),
            )
        elif index == 2:
            services.inspection_result(
                officer_user, visit, outcome=Outcome.CASE, findings="发现销售超过保质期食品，转立案。"
            )
        # index 3 stays checked in, awaiting its result; visits[4] stays planned for today

    # 离线现场检查: the officer checked in at a visit without network; meanwhile the head cancelled its task. The
    # synced check-in is kept as a conflict (离线同步冲突) on the officer's page and the supervisors' list.
    spare = next(p for p in reversed(parties[:-5]) if p not in targets and p != parties[10])
    offline = _filed_visits(
        officer_user, head, agency, items, [spare], officers, today, ("停业企业核查", "")
    )[0]
    services.task_cancel(head, offline.task, reason="企业已停业，任务撤销")
    services.offline_action_sync(
        officer_user,
        offline,
        client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"zhifa-demo-offline-{offline.pk}"),
        kind="check_in",
        captured_at=clock.now() - dt.timedelta(hours=2),
        payload={"place": spare.address or "经营场所"},
    )
    signup_code = _aftercare_demo(visits, officer_user, today)
    # 自动匹配: a second planned visit to the enterprise of visits[4] within the window makes a merge proposal
    # on demo_officer's today list and demo_head's warning queue (同意合并检查 / 不同意).
    second = services.task_file(
        officer_user,
        agency=agency,
        item=items[2],
        kind=TaskKind.SPECIAL,
        party=visits[4].party,
        officer_ids=officers,
        title=f"{visits[4].party.name}专项检查",
        reason="食品安全专项整治",
        starts_on=today + dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=14),
    )
    services.task_approve(head, second)

    # Warnings: an entry with no filed task (应报备未报备), and the same item again at a party just inspected
    # (重复检查).
    services.inspection_enter_unfiled(officer_user, party=parties[10], item=items[2], place="生产车间")
    services.inspection_enter_unfiled(officer_user, party=visits[0].party, item=visits[0].item, place="门店")
    joint = _joint_visit_demo(officer_user, head, agency, items[0], parties[20], today)
    context.say(
        f"涉企检查：{len(items)} 个抽查事项、1 个年度计划、1 次双随机抽取、{len(visits)} 项报备检查（另 1 项待合并）、1 条离线同步冲突、"
        f"2 次未报备进入（生成预警）、1 次三部门综合查一次（{joint.checks.count()} 个检查事项）"
    )
    if signup_code is not None:
        context.say(
            f"企业自助注册：{visits[4].party.name} 尚无账号，其检查码页面印有一次性注册码（凭统一社会信用代码自助注册）"
        )
    _caps_demo(context, officer_user, head, agency, items, parties, officers, today)


# A small PNG (演示数据: the enterprise's photo of its rectified cold store).
_PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64 + b"demo-rectification"


def _aftercare_demo(visits: list[Any], officer_user: Any, today: dt.date) -> PrintedCode | None:
    """The enterprise's side after a visit: the rectified party (its own account, ``demo_enterprise2``) reports
    its rectification with a photo — awaiting demo_officer's re-check — and objects to the conduct of the visit
    (for the county supervisor's 检查异议); the party planned for today has no account, and its sign-up code is
    printed on its inspection code page."""
    rectified = visits[1]
    user = User.objects.create_user(
        username="demo_enterprise2", password=DEMO_PASSWORD, full_name="冷链门店负责人", phone="13800000002"
    )
    RoleAssignment.objects.create(
        user=user, role=Role.ENTERPRISE, scope=ScopeKind.PARTY, party=rectified.party
    )
    services.rectification_submit(
        user,
        rectified,
        statement="已更换冷藏柜温度计，补齐近一个月的温度记录，并指定专人每日两次记录。",
        files=[hashed_upload_from(io.BytesIO(_PNG), "冷藏柜温度记录.png")],
    )
    services.objection_submit(
        user,
        rectified,
        kind=ObjectionKind.CONDUCT,
        grounds="检查时要求提供与检查事项无关的近三年财务报表，影响正常经营。",
    )
    return signup.signup_code_print(visits[4].party)


# 综合查一次: candidate partner agencies of the demo county's joint visit, with one item each (演示数据); the first two
# with a certified officer take part.
JOINT_PARTNERS = (
    (
        "emergency",
        "示范县应急管理局",
        "YJ-AQ-001",
        "生产经营单位安全生产条件检查",
        "《中华人民共和国安全生产法》第六十五条",
    ),
    ("health", "示范县卫生健康局", "WJ-GG-001", "公共场所卫生检查", "《公共场所卫生管理条例》第十二条"),
    (
        "commerce",
        "示范县商务局",
        "SW-YF-001",
        "单用途商业预付卡发行检查",
        "《单用途商业预付卡管理办法（试行）》第三十一条",
    ),
    (
        "culture_tourism",
        "示范县文化和旅游局",
        "WL-YL-001",
        "娱乐场所经营活动检查",
        "《娱乐场所管理条例》第三十五条",
    ),
    (
        "housing",
        "示范县住房和城乡建设局",
        "ZJ-JZ-001",
        "建筑施工安全检查",
        "《建设工程安全生产管理条例》第四十条",
    ),
)


def _certified(agency: Any, domain: Domain, today: dt.date) -> Officer | None:
    return next(
        (
            o
            for o in Officer.objects.filter(agency=agency, is_active=True, is_auxiliary=False).order_by("pk")
            if officer_can_enforce(o, domain, on=today).allowed
        ),
        None,
    )


def _joint_accounts(agency: Any, key: str, domain: Domain, today: dt.date) -> tuple[User, User]:
    """A head and an officer account (no usable password) of a partner agency: the ledger names who did each
    step of the joint visit; the officer account is linked to the agency's first certified officer."""
    officer = _certified(agency, domain, today)
    if officer is None:
        raise DemoPartFailed("综合查一次", f"{agency.name}没有持证执法人员")
    users = {}
    for suffix, role, scope, name in (
        ("officer", Role.OFFICER, ScopeKind.OWN_AGENCY, f"{officer.name}（演示）"),
        (
            "head",
            Role.AGENCY_HEAD,
            ScopeKind.AGENCY_TREE,
            f"{agency.short_name or agency.name}负责人（演示）",
        ),
    ):
        user, created = User.objects.get_or_create(
            username=f"demo_joint_{key}_{suffix}", defaults={"full_name": name}
        )
        if created:
            user.password = make_password(None)  # no login
            user.must_change_password = False
            user.save(update_fields=["password", "must_change_password"])
        RoleAssignment.objects.get_or_create(user=user, role=role, scope=scope, agency=agency)
        users[suffix] = user
    if officer.user_id is None:
        officer.user = users["officer"]
        officer.save(update_fields=["user"])
    officer_user = officer.user or users["officer"]
    return User.objects.get(pk=users["head"].pk), User.objects.get(pk=officer_user.pk)


def _joint_visit_demo(
    officer_user: User, head: User, agency: Any, lead_item: InspectionItem, party: Party, today: dt.date
) -> Any:
    """综合查一次 — one visit of the market regulator with the emergency and health agencies: each head
    approves their own item, the team checks in with one code, each officer records their own item."""
    parts = [(agency.pk, lead_item.pk)]
    partners: list[tuple[User, Any]] = []
    for key, name, code, item_name, basis in JOINT_PARTNERS:
        partner = Agency.objects.filter(name=name, region=agency.region).first()
        domain = Domain.objects.get(code=key)
        if partner is None or _certified(partner, domain, today) is None:
            continue
        if len(partners) == 2:
            break
        partner_head, partner_officer = _joint_accounts(partner, key, domain, today)
        item = services.item_create(
            partner_head, agency=partner, code=code, name=item_name, domain_code=key, legal_basis=basis
        )
        PartyDomainTag.objects.get_or_create(party=party, domain=domain)
        parts.append((partner.pk, item.pk))
        partners.append((partner_head, partner_officer))
    if len(partners) < 2:
        raise DemoPartFailed("综合查一次", "示范县没有两个有持证执法人员的其他部门")
    me = officer_user.officer
    task = services.joint_task_create(
        officer_user,
        agency=agency,
        title="“综合查一次”三部门联合检查",
        reason="年度联合检查计划：进一次门、查多项事",
        starts_on=today - dt.timedelta(days=2),
        ends_on=today + dt.timedelta(days=20),
        parts=parts,
        party=party,
        officer_ids=[me.pk],
    )
    services.joint_task_approve(head, task)
    for partner_head, partner_officer in partners:
        services.joint_task_approve(partner_head, task, officer_ids=[partner_officer.officer.pk])
    visit = task.inspections.get()
    services.inspection_check_in(officer_user, codes.issue_code(visit), place=party.address or "经营场所")
    results = [
        (officer_user, Outcome.PASS, "食品经营许可证在有效期内，进货查验记录完整。", None),
        (partners[0][1], Outcome.RECTIFY, "灭火器压力不足，责令限期更换。", today + dt.timedelta(days=15)),
        (partners[1][1], Outcome.PASS, "卫生许可证有效，从业人员健康证明齐全。", None),
    ]
    for (user, outcome, findings, deadline), check in zip(results, visit.checks.order_by("id"), strict=True):
        services.inspection_check_result(
            user, check, outcome=outcome, findings=findings, rectify_deadline=deadline
        )
    return visit


def build_county2_inspections_demo(context: Any) -> None:
    """示范县二 (order 115): its market bureau's list, a published plan filed with 示范县二司法局, one double-random
    draw, filed visits (passed, to rectify, planned) and an unfiled entry on demo_supervisor2's warning queue."""
    try:
        _county2_inspections(context, county2_accounts()["market"])
    except DomainError as refusal:  # never swallowed: the whole demo stops and names the part
        raise DemoPartFailed(f"{COUNTY2[1]}涉企检查", str(refusal)) from refusal


def _county2_inspections(context: Any, accounts: Any) -> None:
    officer_user, head, agency = accounts.officer_user, accounts.head, accounts.agency
    me = officer_user.officer
    market = Domain.objects.get(code="market")
    today = clock.today()
    partner = next(
        (
            o
            for o in Officer.objects.filter(agency=agency, is_active=True).exclude(pk=me.pk).order_by("pk")
            if officer_can_enforce(o, market, on=today).allowed
        ),
        None,
    )
    if partner is None:
        raise DemoPartFailed(f"{COUNTY2[1]}涉企检查", f"{agency.name}没有第二名持证执法人员")
    parties = list(
        Party.objects.filter(region__path__startswith=agency.region.path)
        .exclude(kind=PartyKind.NATURAL_PERSON)
        .order_by("pk")[:200]  # demo seed: a sample
    )
    PartyDomainTag.objects.bulk_create(
        [PartyDomainTag(party=p, domain=market) for p in parties], ignore_conflicts=True
    )
    items = [
        services.item_create(
            head, agency=agency, code=code, name=name, domain_code="market", legal_basis=basis
        )
        for code, name, basis in ITEMS[:2]  # demo seed: a sample
    ]
    plan = services.plan_create(
        officer_user, agency=agency, year=today.year, title=f"{today.year} 年度涉企检查计划"
    )
    ratios = {"A": Decimal("3"), "B": Decimal("5"), "C": Decimal("10"), "D": Decimal("30")}
    plan_items = [services.plan_item_add(officer_user, plan, item=item, ratios=ratios) for item in items]
    services.plan_approve(head, plan)
    services.plan_file(head, plan)  # with 示范县二司法局, the nearest judicial bureau
    services.plan_publish(head, plan)
    quarter = (today.month - 1) // 3 + 1
    task = services.task_create_random(
        officer_user,
        plan_item=plan_items[0],
        title=f"{today.year} 年第{quarter}季度食品经营许可情况抽查",
        starts_on=today - dt.timedelta(days=2),
        ends_on=today + dt.timedelta(days=20),
        quarter=quarter,
        party_count=3,
    )
    services.task_draw(officer_user, task)

    visits = []
    visits += _filed_visits(
        officer_user,
        head,
        agency,
        items,
        parties[-3:],
        [me.pk, partner.pk],
        today,
        ("食品安全专项检查", "群众投诉反映产品质量问题"),
    )
    for index, visit in enumerate(visits[:2]):  # demo seed: a sample
        services.inspection_check_in(
            officer_user, codes.issue_code(visit), place=f"{visit.party.address or '经营场所'}"
        )
        visit.refresh_from_db()
        if index == 0:
            services.inspection_result(
                officer_user, visit, outcome=Outcome.PASS, findings="证照齐全，进货查验记录完整。"
            )
        else:
            services.inspection_result(
                officer_user,
                visit,
                outcome=Outcome.RECTIFY,
                findings="从业人员健康证明过期，责令限期整改。",
                rectify_deadline=today + dt.timedelta(days=10),
            )
    # visits[2] stays planned; an entry with no filed task (应报备未报备) waits on the warning queue
    services.inspection_enter_unfiled(officer_user, party=parties[0], item=items[1], place="仓库")
    context.say(
        f"示范县二涉企检查：{len(items)} 个抽查事项、1 个年度计划、1 次双随机抽取、{len(visits)} 项报备检查"
    )


# 检查表单导入 (演示数据): a new version of two items' checklists, imported from a workbook through the same path as
# the import page. Both gain the same line (same content and basis), which a visit checking both items asks once.
CHECKLIST_IMPORT_SHARED = (
    "营业执照是否置于住所或者主要经营场所的醒目位置",
    "现场查看营业执照的悬挂情况，核对登记事项",
    "《中华人民共和国市场主体登记管理条例》第三十六条",
)


def checklist_workbook(rows: list[tuple[str, int, str, str, str]]) -> bytes:
    """An import workbook (the template's columns) with these rows: (item code, number, content, method, basis)."""
    from openpyxl import Workbook  # local import: openpyxl is heavy and only the demo's workbook needs it

    wb = Workbook()
    ws = wb.active
    ws.append(["事项编码或名称*", "序号*", "检查内容*", "检查方法与标准*", "依据条款"])
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def build_checklist_demo(context: Any) -> None:
    """一表通查 (order 112): new checklist versions imported from a workbook, and line results recorded on
    demo_officer's visit that awaits its result (one line 不符合, one left for the officer to check)."""
    officer_user = User.objects.get(username="demo_officer")
    head = User.objects.get(username="demo_head")
    agency = officer_user.officer.agency
    today = clock.today()
    rows: list[tuple[str, int, str, str, str]] = []
    for code in ("SC-SJ-001", "SC-SJ-002"):
        current = selectors.checklist_on(InspectionItem.objects.get(agency=agency, code=code), today)
        if any(line.effective_from >= today for line in current):
            continue  # a version starts today already (1 January): the new one could not start today
        lines = [(line.content, line.method, line.basis) for line in current]
        rows += [(code, n, c, m, b) for n, (c, m, b) in enumerate([*lines, CHECKLIST_IMPORT_SHARED], start=1)]
    report = imports.checklist_import(
        actor=head, file=checklist_workbook(rows), effective_from=today, filename="检查表单.xlsx"
    )
    if not report.ok:
        raise DemoPartFailed(
            "检查表单导入", "；".join(f"第{e['row']}行{e['column']}：{e['reason']}" for e in report.errors)
        )
    visit = (
        Inspection.objects.filter(
            agency=agency, status=InspectionStatus.CHECKED_IN, assignments__officer__user=officer_user
        )
        .exclude(task=None)
        .order_by("id")
        .first()
    )
    recorded = 0
    if visit is not None:
        merged = visit_checklist(visit).lines
        results = [
            {"key": line.key, "result": ChecklistLineResult.CONFORMS, "note": ""} for line in merged[:-1]
        ]
        if len(results) > 1:
            results[1] = {
                "key": merged[1].key,
                "result": ChecklistLineResult.NONCONFORMING,
                "note": "进货查验记录缺少两批次的供货者资质证明",
            }
        if results:
            recorded = len(services.checklist_record(officer_user, visit, results=results))
    context.say(
        f"检查表单：导入 {len(report.created)} 个事项的新版本；一次检查录入 {recorded} 项检查表单结果"
    )


DEMO_PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b"0" * 512


def _caps_demo(
    context: Any,
    officer_user: Any,
    head: Any,
    agency: Any,
    items: list[Any],
    parties: list[Any],
    officer_ids: list[int],
    today: dt.date,
) -> None:
    """年度检查上限 (咸宁's 2 a year per agency), one enterprise at it with a complaint-triggered visit beyond
    it, one 无事不扰 enterprise, one 非现场检查 done by documents."""
    supervisor = User.objects.get(username="demo_supervisor")
    county = agency.region
    services.visit_cap_set(
        supervisor,
        county,
        year=today.year,
        per_agency=2,
        per_enterprise=4,
        basis="参照咸宁市：原则上每年同一行政执法主体对同一企业开展的行政检查总数不得超过 2 次",
    )
    sample = parties[20:120]  # demo seed: a sample
    fresh = iter(p for p in sample if services.visit_count(agency, p, today).total == 0)

    def filed(party: Any, item: Any, kind: str, title: str, reason: str, trigger_ref: str = "") -> Any:
        task = services.task_file(
            officer_user,
            agency=agency,
            item=item,
            kind=kind,
            party=party,
            officer_ids=officer_ids,
            title=title,
            reason=reason,
            starts_on=today,  # the cap counts the year of the visit: on 1 January a day earlier is last year
            ends_on=today + dt.timedelta(days=14),
            trigger_ref=trigger_ref,
        )
        services.task_approve(head, task)
        return task.inspections.get()

    capped = next(fresh)
    for index, item in enumerate(items[:2]):  # two routine visits this year: the cap
        visit = filed(capped, item, TaskKind.SPECIAL, f"{capped.name}专项检查", "节前食品安全专项检查")
        services.inspection_check_in(officer_user, codes.issue_code(visit), place="经营场所")
        visit.refresh_from_db()
        services.inspection_result(
            officer_user, visit, outcome=Outcome.PASS, findings=f"第 {index + 1} 次检查：未发现问题。"
        )
    try:
        filed(capped, items[2], TaskKind.SPECIAL, f"{capped.name}专项检查", "特种设备专项检查")
    except DomainError as refusal:
        refused = refusal.message
    else:
        raise DemoPartFailed("年度检查上限", "超过上限的日常检查未被拒绝")
    filed(
        capped,
        items[0],
        TaskKind.COMPLAINT,
        f"{capped.name}投诉核查",
        "12345 热线投诉：销售过期食品",
        trigger_ref="12345-" + today.strftime("%Y%m%d") + "-0007",
    )
    quiet = next(fresh)
    services.no_disturb_add(supervisor, quiet, reason="信用风险分类 A 类，近三年无违法记录")
    remote_party = next(fresh)
    remote = filed(
        remote_party, items[1], TaskKind.SPECIAL, f"{remote_party.name}书面核查", "产品质量书面核查"
    )
    evidence_services.evidence_store(
        actor=officer_user,
        upload=hashed_upload_from(io.BytesIO(DEMO_PDF + f"remote-{remote.pk}".encode()), "进货查验记录.pdf"),
        kind="document",
        object_type="inspections.inspection",
        object_id=str(remote.pk),
        stage="investigation",
        description="企业报送的进货查验记录和产品合格证明",
    )
    services.inspection_remote_record(
        officer_user,
        remote,
        method=RemoteMethod.DOCUMENTS,
        outcome=Outcome.PASS,
        findings="经书面审查进货查验记录和产品合格证明，符合要求。",
    )
    context.say(
        f"年度检查上限：示范县每年同一部门对同一企业 2 次；{capped.name}已达上限（日常检查被拒绝：{refused[:20]}…），"
        f"投诉核查照常报备；无事不扰：{quiet.name}；非现场检查：{remote_party.name}"
    )

"""The guides' part of the demo county. Every agency already has a guide for every kind (the statutory
defaults); here the county market bureau's head edits two of them through the service — so the public sees an
agency's own wording with its version and date, and the staff page shows a version history."""

from __future__ import annotations

from typing import Any

from zhifa.guides import selectors, services
from zhifa.guides.models import GuideKind
from zhifa.org.models import Role, RoleAssignment, User

LICENSING_MATERIALS = (
    "1. 食品经营许可申请书（窗口和网上办事大厅免费提供格式文本）；\n"
    "2. 营业执照或者其他主体资格证明文件；\n"
    "3. 与食品经营相适应的主要设备设施布局、操作流程等文件；\n"
    "4. 食品安全自查、从业人员健康管理、进货查验记录等保证食品安全的规章制度；\n"
    "5. 委托他人办理的，提交授权委托书和受托人身份证明。"
)


def build_guides_demo(context: Any) -> None:
    head = User.objects.filter(username="demo_head").first()
    grant = (
        RoleAssignment.objects.filter(user=head, role=Role.AGENCY_HEAD, agency__isnull=False)
        .select_related("agency__region")
        .first()
        if head
        else None
    )
    if head is None or grant is None or grant.agency is None:
        return
    agency = grant.agency
    licensing = selectors.default_fields(agency, GuideKind.LICENSING)
    licensing.update(
        materials=LICENSING_MATERIALS,
        promised_time="材料齐全、符合法定形式的，当场受理；自受理之日起 10 个工作日内作出决定（短于法定的 20 日）。",
        office=f"{agency.name}（县政务服务中心二楼市场监管窗口）",
        hours="法定工作日 上午 8:30—12:00，下午 14:30—17:30；周六上午 9:00—12:00 延时服务（法定节假日除外）",
    )
    services.guide_save(
        head, agency, GuideKind.LICENSING, note="按县政务服务中心窗口实际情况填写", **licensing
    )
    licensing["promised_time"] = (
        "材料齐全、符合法定形式的，当场受理；自受理之日起 7 个工作日内作出决定（短于法定的 20 日）。"
    )
    services.guide_save(head, agency, GuideKind.LICENSING, note="承诺时限压缩为 7 个工作日", **licensing)
    inspection = selectors.default_fields(agency, GuideKind.INSPECTION)
    inspection["supervision"] = (
        "12345 政务服务便民热线；\n"
        "扫描检查人员出示的“涉企检查码”评价本次检查；\n"
        "向县司法局（行政执法监督机构）投诉、举报。"
    )
    services.guide_save(head, agency, GuideKind.INSPECTION, note="增加涉企检查码评价渠道", **inspection)
    context.say(f"服务指南：{agency.name} 修改 2 类（行政许可 2 个版本），其余执法主体使用法定默认内容。")

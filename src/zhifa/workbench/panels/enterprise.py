"""The 工作台 of an enterprise (企业): its own records and the certificate check."""

from __future__ import annotations

from django.urls import reverse

from zhifa.core import clock
from zhifa.core.masking import mask_person_name, mask_phone
from zhifa.disclosure.models import PublicationStatus
from zhifa.disclosure.selectors import party_publications
from zhifa.org import permissions as perms
from zhifa.org.models import Party, User
from zhifa.workbench.panels._common import Panel

# --- enterprise ----------------------------------------------------------------------------------------------------


def enterprise_panels(user: User) -> list[Panel]:
    """企业用户: my party record (desensitised) and a box to verify an officer's certificate."""
    parties = list(perms.scoped(user, perms.VIEW_PARTY, Party.objects.select_related("region"))[:5])
    panels = []
    for party in parties:
        panels.append(
            Panel(
                f"enterprise-party-{party.pk}",
                "我的企业信息",
                icon="shop",
                facts=[
                    ("名称", party.name),
                    ("类型", party.get_kind_display()),
                    ("统一社会信用代码", party.uscc or "—"),
                    ("身份证号码", party.masked_id_number or "—"),
                    ("法定代表人/经营者", mask_person_name(party.legal_representative) or "—"),
                    ("电话", mask_phone(party.phone) or "—"),
                    ("所属区划", party.region.name),
                    ("信用风险分类", party.get_credit_class_display()),
                ],
                links=[("详细信息", reverse("org:party_detail", args=[party.pk]))],
            )
        )
    if not panels:
        panels.append(
            Panel("enterprise-party", "我的企业信息", icon="shop", empty_text="您的账号尚未关联企业。")
        )
    if parties:
        today = clock.today()
        mine = party_publications(user)
        public = sum(1 for p in mine if p.status == PublicationStatus.PUBLISHED and not p.expired(today))
        panels.append(
            Panel(
                "enterprise-publications",
                "我的公示决定",
                icon="megaphone",
                note="执法机关公示的本企业行政处罚等决定：公示状态、公示期限，以及信用修复申请。",
                facts=[("公示中", f"{public} 件"), ("全部", f"{len(mine)} 件")],
                links=[("查看并申请信用修复", reverse("disclosure:mine"))],
            )
        )
    panels.append(
        Panel(
            "enterprise-verify",
            "核验执法证件",
            icon="patch-check",
            note="执法人员上门检查时应出示行政执法证件。输入证件编号，可核验证件是否有效及其执法领域。",
            template="workbench/panels/verify.html",
        )
    )
    return panels

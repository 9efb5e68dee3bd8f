"""Forms of the officer workbench: one small form per case action, the case source and the on-the-spot decision.

Forms only parse; the services decide. Every action form carries the date of the step (``on``, today by
default) so that a step done on paper earlier can be entered the day it happened.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import NoReverseMatch, reverse

from zhifa.cases.compulsion import NOTICE_METHODS
from zhifa.cases.guards import catalog_basis
from zhifa.cases.models import (
    Case,
    CollectionGround,
    HearingClosedReason,
    HearingEndReason,
    NotPunishReason,
    PaymentPlanKind,
    PenaltyKind,
    RecusalInitiator,
    ReleaseReason,
    RemedyKind,
    SeizureHandling,
    SeizureKind,
    ServiceMethod,
    SourceKind,
    TransferTarget,
    _remedy_outcomes,
)
from zhifa.cases.periods import RECORDABLE_KINDS
from zhifa.cases.recusal import pending_recusal
from zhifa.core import clock
from zhifa.core.forms import BoundedModelChoiceField, BoundedModelMultipleChoiceField
from zhifa.core.textlimits import LINE, NAME, PARAGRAPH, limit_free_text, text_field
from zhifa.org.models import Agency, Officer, Role, User

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what <input type=date> reads


def _date(label: str = "日期") -> forms.DateField:
    return forms.DateField(label=label, widget=_DATE, initial=clock.today)


def _text(label: str, required: bool = True, rows: int = 0, max_length: int = LINE) -> forms.CharField:
    return text_field(label, limit=max_length, required=required, rows=rows)


class ItemPickerWidget(forms.TextInput):
    """执法事项 picker: a text input with the agency's items as a ``<datalist>`` (works without script), and,
    with htmx, a search of the catalog that shows the chosen item's legal basis, four-list entries and
    discretion tiers beside the field."""

    template_name = "cases/_item_picker.html"

    def __init__(self, choices: list[tuple[str, str]] | None = None, attrs: dict[str, Any] | None = None):
        super().__init__(
            attrs={"autocomplete": "off", "placeholder": "输入事项编码或名称搜索", **(attrs or {})}
        )
        self.choices = choices or []

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["choices"] = self.choices
        try:
            context["widget"]["picker_url"] = reverse("catalog:item_picker")
        except NoReverseMatch:  # the catalog app is not installed: a plain text field
            context["widget"]["picker_url"] = ""
        return context


def item_field(choices: list[tuple[str, str]], required: bool = False) -> forms.CharField:
    """执法事项 — the case's item of the agency's published catalog (权责清单), picked by code or name."""
    return forms.CharField(
        label="执法事项",
        required=required,
        max_length=64,
        widget=ItemPickerWidget(choices),
        help_text="本机关已公布执法事项目录的，须选择对应的行政处罚事项。",
        error_messages={"max_length": "执法事项编码最多 %(limit_value)d 个字符。"},
    )


def _officers(case: Case) -> forms.ModelMultipleChoiceField:
    return BoundedModelMultipleChoiceField(
        label="执法人员（至少两名）",
        queryset=Officer.objects.filter(agency_id=case.agency_id).order_by("name", "id"),
        widget=forms.CheckboxSelectMultiple,
    )


def _heads(case: Case) -> Any:
    return User.objects.filter(
        is_active=True, role_assignments__role=Role.AGENCY_HEAD, role_assignments__agency_id=case.agency_id
    ).distinct()


def _kinds() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="处罚种类", choices=PenaltyKind.choices, widget=forms.CheckboxSelectMultiple
    )


def _yuan(label: str) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=False, min_value=0, max_digits=14, decimal_places=2)


def _action_fields(code: str, case: Case, items: list[tuple[str, str]]) -> dict[str, forms.Field]:
    """The inputs of each action beyond its date; the keys are the service's keyword arguments."""
    if code == "open":
        return {
            "catalog_item_code": item_field(items),
            "officers": _officers(case),
            "act_date": _date("违法行为发生（终了）日"),
            "serious_harm": forms.BooleanField(
                label="涉及公民生命健康安全、金融安全且有危害后果", required=False
            ),
            "is_complex": forms.BooleanField(label="案情疑难复杂", required=False),
            "facts": _text("违法事实", required=False, rows=3, max_length=PARAGRAPH),
            # 市场监督管理行政处罚程序规定 第十八条、第十九条: the head decides whether to open the case
            "approved_by": BoundedModelChoiceField(
                label="批准立案的机关负责人",
                queryset=_heads(case),
                required=False,
                help_text="机关负责人本人办理的无需填写",
            ),
        }
    if code == "extend_source_check":
        return {
            "working_days": forms.IntegerField(label="延长工作日数", min_value=1, max_value=60, initial=15),
            "reason": _text("延长理由"),
        }
    if code in {"not_open", "return_to_investigation", "withdraw"}:
        return {"reason": _text("理由", rows=2)}
    if code == "end_investigation":
        return {"facts": _text("调查终结报告（违法事实）", required=False, rows=3, max_length=PARAGRAPH)}
    if code == "notify_rights":
        return {
            "kinds": _kinds(),
            "fine_yuan": _yuan("拟罚款（元）"),
            "confiscation_yuan": _yuan("拟没收金额（元）"),
            "grant_hearing": forms.BooleanField(label="告知听证权利（其他较重的行政处罚）", required=False),
            "basis": _basis(),
            "different_act_reason": _different_act(),
        }
    if code == "record_statement":
        return {"text": _text("陈述、申辩内容", rows=3, max_length=PARAGRAPH)}
    if code == "serve_notice":
        # 行政处罚法 第六十四条第一项: the periods run from this day.
        return {
            "method": forms.ChoiceField(label="告知书送达方式", choices=ServiceMethod.choices),
            "consent_confirmed": forms.BooleanField(label="当事人已签订电子送达确认书", required=False),
        }
    if code == "review_statement":
        return {
            "adopted": forms.BooleanField(label="采纳当事人的陈述、申辩", required=False),
            "opinion": _text("复核意见（不予采纳的，写明理由）", rows=2, max_length=PARAGRAPH),
        }
    if code == "schedule_hearing":
        # 行政处罚法 第六十四条第三项: public unless state secrets, business secrets or personal privacy.
        return {
            "hearing_on": _date("听证日期"),
            "closed_reason": forms.ChoiceField(
                label="是否公开举行",
                choices=[
                    ("", "公开举行"),
                    *((v, f"不公开：{lab}") for v, lab in HearingClosedReason.choices),
                ],
                required=False,
            ),
        }
    if code == "end_hearing_absent":
        return {
            "reason": forms.ChoiceField(label="终止听证的情形", choices=HearingEndReason.choices),
            "note": _text("说明", required=False, rows=2),
        }
    if code == "apply_recusal":
        return {
            "officer": BoundedModelChoiceField(
                label="申请回避的执法人员",
                queryset=Officer.objects.filter(case_links__case=case).order_by("name", "id"),
            ),
            "initiator": forms.ChoiceField(label="提出方式", choices=RecusalInitiator.choices),
            "grounds": _text("回避理由", rows=2, max_length=2000),
        }
    if code == "decide_recusal":
        pending = pending_recusal(case) if case.pk else None
        applied = (
            f"{pending.officer.name}（{pending.get_initiator_display()}，{pending.applied_on:%Y-%m-%d}）：{pending.grounds}"
            if pending
            else ""
        )
        return {
            "granted": forms.BooleanField(
                label="决定回避（不勾选为驳回申请）", required=False, help_text=applied[:300]
            ),
            "reason": _text("决定理由", rows=2, max_length=2000),
            "replacement": BoundedModelChoiceField(
                label="另行指定执法人员",
                queryset=Officer.objects.filter(agency_id=case.agency_id)
                .exclude(case_links__case=case)
                .order_by("name", "id"),
                required=False,
            ),
        }
    if code == "hold_hearing":
        return {
            "host": BoundedModelChoiceField(
                label="听证主持人",
                queryset=Officer.objects.filter(agency_id=case.agency_id).order_by("name", "id"),
            ),
            "summary": _text("听证笔录摘要", required=False, rows=2, max_length=PARAGRAPH),
        }
    if code == "record_legal_review":
        return {
            "agreed": forms.BooleanField(label="同意", required=False),
            "opinion": _text("审核意见", rows=2, max_length=PARAGRAPH),
        }
    if code == "collective_discussion":
        return {
            "participants": _text("参加人员"),
            "conclusion": _text("讨论结论", rows=2, max_length=PARAGRAPH),
        }
    if code == "decide":
        return {
            "kinds": _kinds(),
            "fine_yuan": _yuan("罚款（元）"),
            "confiscation_yuan": _yuan("没收金额（元）"),
            "text": _text("处罚内容", required=False, rows=2, max_length=PARAGRAPH),
            "basis": _basis(),
            "different_act_reason": _different_act(),
        }
    if code == "extend_deadline":
        fields: dict[str, forms.Field] = {
            "days": forms.IntegerField(label="延长天数", min_value=1, max_value=365),
            "reason": _text("延长理由"),
            "basis": _text("法律依据"),
        }
        if case.pk and case.extensions.exists():
            # 市场监督管理行政处罚程序规定 第六十四条: a further extension on the heads' collective discussion
            fields["discussion_participants"] = _text("集体讨论参加人员（继续延长须经负责人集体讨论）")
            fields["discussion_conclusion"] = _text("集体讨论结论", rows=2, max_length=PARAGRAPH)
        return fields
    if code == "record_excluded_period":
        return {
            "kind": forms.ChoiceField(label="期间类型", choices=RECORDABLE_KINDS),
            "first_day": _date("起始日"),
            "last_day": forms.DateField(label="结束日（尚未结束的不填）", widget=_DATE, required=False),
            "reason": _text("说明", required=False),
        }
    if code == "end_excluded_period":
        return {
            "kind": forms.ChoiceField(label="期间类型", choices=RECORDABLE_KINDS),
            "last_day": _date("结束日"),
        }
    if code == "serve":
        return {
            "method": forms.ChoiceField(label="送达方式", choices=ServiceMethod.choices),
            "consent_confirmed": forms.BooleanField(label="当事人已签订电子送达确认书", required=False),
            "late_reason": _text("逾期送达原因", required=False),
        }
    if code == "record_payment":
        return {"amount_yuan": forms.DecimalField(label="缴款金额（元）", min_value=0, decimal_places=2)}
    if code == "court_application":
        return {"court_name": _text("受理法院", max_length=NAME)}
    if code == "demand_statement":
        # 行政强制法 第三十六条
        return {"text": _text("当事人陈述、申辩（事实、理由和证据）", rows=3, max_length=PARAGRAPH)}
    if code == "demand_statement_review":
        return {
            "established": forms.BooleanField(
                label="当事人提出的事实、理由或者证据成立（应当采纳）", required=False
            ),
            "note": _text("复核意见（成立的，写明如何采纳）", rows=2, max_length=PARAGRAPH),
        }
    if code == "not_punish":
        return {
            "reason": forms.ChoiceField(label="不予处罚理由", choices=NotPunishReason.choices),
            "note": _text("说明", required=False, rows=2),
        }
    if code == "transfer":
        return {
            "target": forms.ChoiceField(label="移送对象", choices=TransferTarget.choices),
            "target_name": _text("接收机关", max_length=NAME),
            # 移送其他行政机关: an agency on the platform acknowledges and answers itself (seed 002: 移送协作机制)
            "receiver": BoundedModelChoiceField(
                label="平台内接收单位（移送其他行政机关时可选）",
                queryset=Agency.objects.filter(
                    region_id=case.agency.region_id, is_active=True, is_supervision_organ=False
                ).exclude(pk=case.agency_id),
                required=False,
                empty_label="不在平台内",
            ),
            "reason": _text("移送理由", rows=2),
        }
    if code == "simple_file":
        return {"late_reason": _text("逾期备案原因", required=False)}
    if code == "seizure_decide":
        return {
            # 先行登记保存 names the approving head: the API takes it (approved_by_id); this form does not
            "kind": forms.ChoiceField(
                label="措施", choices=[c for c in SeizureKind.choices if c[0] != SeizureKind.PRESERVE]
            ),
            "items": _text("清单（每行一项）", rows=3, max_length=PARAGRAPH),
            "place": _text("地点", required=False, max_length=NAME),
            "testing_days": forms.IntegerField(
                label="检测鉴定期间（天）", min_value=0, max_value=365, initial=0
            ),
            "value_yuan": forms.DecimalField(
                label="涉案财物估值（元）",
                min_value=0,
                decimal_places=2,
                required=False,
                help_text="达到重大执法决定标准的，负责人批准前须经法制审核通过",
            ),
            # 行政强制法 第十八条、第十九条: the head's approval first, or in an emergency a report within 24 hours.
            "emergency": forms.BooleanField(
                label="情况紧急，当场实施（二十四小时内报告机关负责人补办批准）",
                required=False,
                help_text="机关负责人本人办理即为批准；其他情形须经机关负责人批准后实施（行政强制法第十八条）",
            ),
        }
    if code == "revoke_decision":
        return {"reason": _text("撤销理由", rows=2)}
    if code == "change_decision":
        return {
            "kinds": _kinds(),
            "fine_yuan": _yuan("罚款（元）"),
            "confiscation_yuan": _yuan("没收金额（元）"),
            "text": _text("变更后的处罚内容", required=False, rows=2, max_length=PARAGRAPH),
            "reason": _text("变更理由", rows=2),
        }
    if code == "seizure_legal_review":
        return {
            "kind": forms.ChoiceField(
                label="措施", choices=[c for c in SeizureKind.choices if c[0] != SeizureKind.PRESERVE]
            ),
            "value_yuan": forms.DecimalField(label="涉案财物估值（元）", min_value=0, decimal_places=2),
            "agreed": forms.BooleanField(label="同意", required=False),
            "opinion": _text("审核意见", rows=2, max_length=PARAGRAPH),
        }
    if code == "record_remedy":
        return {
            "kind": forms.ChoiceField(label="类型", choices=RemedyKind.choices),
            "applied_on": forms.DateField(label="申请（起诉）日期", widget=_DATE),
            "decided_on": forms.DateField(label="决定（裁判）日期", widget=_DATE, required=False),
            "outcome": forms.ChoiceField(
                label="结果", choices=[("", "尚未作出"), *_remedy_outcomes()], required=False
            ),
            "number": _text("案号", required=False, max_length=80),
        }
    return _fine_action_fields(code)


def _fine_action_fields(code: str) -> dict[str, forms.Field]:
    """行政处罚法 第三十五条、第六十六条、第六十八条至第七十一条 (services in ``zhifa.cases.payments``)."""
    if code == "record_criminal_judgment":
        return {
            "court": _text("判决法院", max_length=NAME),
            "number": _text("判决书案号", max_length=80),
            "judged_on": _date("判决日期"),
            "criminal_fine_yuan": _yuan("判处罚金（元）"),
            "custody": _text("判处拘役、有期徒刑（如有）", required=False, max_length=NAME),
        }
    if code == "payment_plan_apply":
        return {
            "kind": forms.ChoiceField(label="申请方式", choices=PaymentPlanKind.choices),
            "reason": _text("经济困难的情况", rows=2),
            "schedule": text_field(
                "缴纳安排（每行一期：缴纳期限 金额）",
                limit=PARAGRAPH,
                rows=3,
                help_text="如：2026-12-15 1000；各期合计须等于应缴罚款（行政处罚法第六十六条）",
            ),
        }
    if code == "payment_plan_approve":
        return {
            "approve": forms.BooleanField(label="批准（不勾选为不予批准）", required=False),
            "note": _text("审批意见（不予批准时必填）", required=False, rows=2),
        }
    if code == "instalment_pay":
        return {"amount_yuan": forms.DecimalField(label="本期缴款金额（元）", min_value=0, decimal_places=2)}
    if code == "collect_on_spot":
        return {
            "ground": forms.ChoiceField(label="当场收缴的情形", choices=CollectionGround.choices),
            "receipt_number": _text("专用票据号码（财政部门统一制发）", required=False, max_length=64),
            "party_requested": forms.BooleanField(
                label="当事人缴纳确有困难，由当事人提出（第六十九条）", required=False
            ),
            "on_water": forms.BooleanField(label="在水上收缴（抵岸之日起计算交款期限）", required=False),
        }
    if code == "collection_hand_in":
        return {
            "ashore_on": forms.DateField(label="抵岸日期（水上收缴时填写）", widget=_DATE, required=False),
            "late_reason": _text("逾期原因", required=False),
        }
    if code == "collection_bank":
        return {"late_reason": _text("逾期原因", required=False)}
    return {}


def _different_act() -> forms.Field:
    # 行政处罚法 第二十九条: an earlier fine for what looks like the same act is overridden only with a reason.
    return text_field(
        "确属不同违法行为的理由",
        limit=500,
        required=False,
        rows=2,
        help_text="已对当事人同一执法事项、同一违法行为发生日的行为罚款的，须写明本次为不同违法行为的理由",
    )


def _basis() -> forms.Field:
    # 行政处罚法 第三十八条、第四十四条、第五十九条: the notice and the decision state the basis.
    return text_field(
        "法律依据（法律、条、款、项）",
        limit=PARAGRAPH,
        rows=2,
        help_text="默认取本案执法事项的依据，可修改",
    )


def action_form(
    code: str, case: Case, data: Any = None, items: list[tuple[str, str]] | None = None
) -> forms.Form:
    """The form of one case action, its fields prefixed by the action code (many forms share one page).

    ``items``: the (code, label) pairs the 执法事项 picker offers (the 立案 form); the case's item is its
    initial value.
    """
    fields: dict[str, forms.Field] = {"on": _date("办理日期"), **_action_fields(code, case, items or [])}
    form_class = type(f"{code.title().replace('_', '')}Form", (forms.Form,), dict(fields))
    initial: dict[str, Any] | None = None
    if code == "open":
        initial = {"catalog_item_code": case.catalog_item_code}
    elif code in {"notify_rights", "decide"}:
        initial = {"basis": case.legal_basis or catalog_basis(case)}
    return limit_free_text(form_class(data, prefix=code, initial=initial))


def service_kwargs(code: str, cleaned: dict[str, Any]) -> dict[str, Any]:
    kwargs = dict(cleaned)
    if code == "open" and not kwargs.get("catalog_item_code"):
        kwargs["catalog_item_code"] = None  # left empty: the item named on the 案源 stands
    if code == "seizure_decide":
        kwargs["items"] = [line for line in kwargs["items"].splitlines() if line.strip()]
    return kwargs


class _ItemForm(forms.Form):
    """A form with the 执法事项 picker (``items``: the agency's items) and limits on every text field."""

    def __init__(self, *args: Any, items: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["catalog_item_code"].widget.choices = items or []
        limit_free_text(self)


class SourceForm(_ItemForm):
    """案源登记 — a lead the agency received, before it is opened or not."""

    source_kind = forms.ChoiceField(label="案源类型", choices=SourceKind.choices)
    received_on = _date("登记日期")
    title = text_field("案由", limit=NAME)
    catalog_item_code = item_field([])
    party_code = text_field("当事人（统一社会信用代码或名称）", limit=NAME, required=False)
    reference = text_field("来源编号", limit=64, required=False, help_text="如 12345 工单号")
    summary = text_field("案源内容", limit=PARAGRAPH, required=False, rows=3)


class SourceFilterForm(forms.Form):
    """案源登记簿的检索."""

    q = text_field("检索", limit=100, required=False, help_text="案由、案件编号、来源编号或当事人")
    outcome = forms.ChoiceField(
        label="处理结果",
        required=False,
        choices=[
            ("", "全部"),
            ("pending", "待处理"),
            ("opened", "立案"),
            ("not_opened", "不予立案"),
            ("transferred", "移送"),
        ],
    )
    mine = forms.BooleanField(label="只看我登记的", required=False)


class SimpleDecisionForm(_ItemForm):
    """简易程序当场处罚 — the phone form (行政处罚法 第五十一条、第五十二条)."""

    party_code = text_field("当事人（统一社会信用代码或名称）", limit=NAME)
    partner = BoundedModelChoiceField(label="同行执法人员", queryset=Officer.objects.none())
    title = text_field("违法行为", limit=NAME)
    catalog_item_code = item_field([])
    place = text_field("地点", limit=NAME)
    kinds = forms.MultipleChoiceField(
        label="处罚种类",
        choices=[
            (PenaltyKind.WARNING, PenaltyKind.WARNING.label),
            (PenaltyKind.FINE, PenaltyKind.FINE.label),
        ],
        widget=forms.CheckboxSelectMultiple,
    )
    fine_yuan = forms.DecimalField(
        label="罚款（元）",
        required=False,
        min_value=0,
        decimal_places=2,
        help_text="公民 200 元以下、法人或者其他组织 3000 元以下（行政处罚法第五十一条）",
        widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
    )
    facts = text_field("违法事实", limit=PARAGRAPH, required=False, rows=2)
    # 行政处罚法 第三十八条、第五十二条: the 当场处罚决定书 states the basis; left empty, the 执法事项's.
    basis = text_field(
        "法律依据（法律、条、款、项）",
        limit=PARAGRAPH,
        required=False,
        rows=2,
        help_text="不填取所选执法事项的依据",
    )
    # 行政处罚法 第四十五条: the party's 陈述、申辩, heard on the spot.
    statement = text_field("当事人陈述、申辩", limit=PARAGRAPH, required=False, rows=2)
    # 行政处罚法 第二十九条
    different_act_reason = _different_act()
    on = _date("日期")


__all__ = ["SimpleDecisionForm", "SourceFilterForm", "SourceForm", "action_form", "service_kwargs"]


# --- 查封、扣押 on the case page (one small form per step of a measure) ------------------------------------------


def seizure_forms(seizure_pk: int, data: Any = None, code: str | None = None) -> dict[str, forms.Form]:
    """The forms of the steps of one active 查封/扣押: 延长 (第二十五条), 书面告知延长 (第二十五条第二款),
    处理决定 (第二十七条), 解除 (第二十八条), prefixed by the measure (a page lists several). ``data`` binds the
    form of ``code`` only."""
    releasable = [
        c for c in ReleaseReason.choices if c[0] not in {ReleaseReason.CONVERTED, ReleaseReason.REFUSED}
    ]
    specs: dict[str, dict[str, forms.Field]] = {
        "extend": {
            "days": forms.IntegerField(label="延长天数", min_value=1, max_value=30),
            "reason": _text("延长理由（情况复杂）"),
        },
        "notify_extension": {"method": forms.ChoiceField(label="书面告知方式", choices=NOTICE_METHODS)},
        "handle": {
            "handling": forms.ChoiceField(label="处理决定", choices=SeizureHandling.choices),
            "note": _text("处理决定说明（文号、依据）"),
        },
        "release": {"reason": forms.ChoiceField(label="解除理由", choices=releasable)},
    }
    built = {}
    for name, fields in specs.items():
        form_class = type(
            f"Seizure{name.title().replace('_', '')}Form", (forms.Form,), {"on": _date("办理日期"), **fields}
        )
        bound = data if name == code else None
        built[name] = limit_free_text(form_class(bound, prefix=f"seizure-{seizure_pk}-{name}"))
    return built

"""Forms of the officer workbench: one small form per case action, the case source and the on-the-spot decision.

Forms only parse; the services decide. Every action form carries the date of the step (``on``, today by
default) so that a step done on paper earlier can be entered the day it happened.
"""

from __future__ import annotations

from typing import Any

from django import forms

from zhifa.cases.models import (
    Case,
    NotPunishReason,
    PenaltyKind,
    SeizureKind,
    ServiceMethod,
    SourceKind,
    TransferTarget,
)
from zhifa.core import clock
from zhifa.org.models import Officer

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what <input type=date> reads


def _date(label: str = "日期") -> forms.DateField:
    return forms.DateField(label=label, widget=_DATE, initial=clock.today)


def _text(label: str, required: bool = True, rows: int = 0, max_length: int = 500) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(label=label, required=required, max_length=max_length, widget=widget)


def _officers(case: Case) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label="执法人员（至少两名）",
        queryset=Officer.objects.filter(agency_id=case.agency_id).order_by("name", "id"),
        widget=forms.CheckboxSelectMultiple,
    )


def _kinds() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="处罚种类", choices=PenaltyKind.choices, widget=forms.CheckboxSelectMultiple
    )


def _yuan(label: str) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=False, min_value=0, max_digits=14, decimal_places=2)


def _action_fields(code: str, case: Case) -> dict[str, forms.Field]:
    """The inputs of each action beyond its date; the keys are the service's keyword arguments."""
    if code == "open":
        return {
            "officers": _officers(case),
            "act_date": _date("违法行为发生（终了）日"),
            "serious_harm": forms.BooleanField(
                label="涉及公民生命健康安全、金融安全且有危害后果", required=False
            ),
            "is_complex": forms.BooleanField(label="案情疑难复杂", required=False),
            "facts": _text("违法事实", required=False, rows=3, max_length=5000),
        }
    if code in {"not_open", "return_to_investigation", "withdraw"}:
        return {"reason": _text("理由", rows=2)}
    if code == "end_investigation":
        return {"facts": _text("调查终结报告（违法事实）", required=False, rows=3, max_length=5000)}
    if code == "notify_rights":
        return {
            "kinds": _kinds(),
            "fine_yuan": _yuan("拟罚款（元）"),
            "confiscation_yuan": _yuan("拟没收金额（元）"),
            "grant_hearing": forms.BooleanField(label="告知听证权利（其他较重的行政处罚）", required=False),
        }
    if code == "record_statement":
        return {"text": _text("陈述、申辩内容", rows=3, max_length=5000)}
    if code == "schedule_hearing":
        return {"hearing_on": _date("听证日期")}
    if code == "hold_hearing":
        return {
            "host": forms.ModelChoiceField(
                label="听证主持人",
                queryset=Officer.objects.filter(agency_id=case.agency_id).order_by("name", "id"),
            ),
            "summary": _text("听证笔录摘要", required=False, rows=2, max_length=5000),
        }
    if code == "record_legal_review":
        return {
            "agreed": forms.BooleanField(label="同意", required=False),
            "opinion": _text("审核意见", rows=2, max_length=5000),
        }
    if code == "collective_discussion":
        return {"participants": _text("参加人员"), "conclusion": _text("讨论结论", rows=2, max_length=5000)}
    if code == "decide":
        return {
            "kinds": _kinds(),
            "fine_yuan": _yuan("罚款（元）"),
            "confiscation_yuan": _yuan("没收金额（元）"),
            "text": _text("处罚内容", required=False, rows=2, max_length=5000),
        }
    if code == "extend_deadline":
        return {
            "days": forms.IntegerField(label="延长天数", min_value=1, max_value=365),
            "reason": _text("延长理由"),
            "basis": _text("法律依据"),
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
        return {"court_name": _text("受理法院", max_length=200)}
    if code == "not_punish":
        return {
            "reason": forms.ChoiceField(label="不予处罚理由", choices=NotPunishReason.choices),
            "note": _text("说明", required=False, rows=2),
        }
    if code == "transfer":
        return {
            "target": forms.ChoiceField(label="移送对象", choices=TransferTarget.choices),
            "target_name": _text("接收机关", max_length=200),
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
            "items": _text("清单（每行一项）", rows=3, max_length=5000),
            "place": _text("地点", required=False, max_length=200),
            "testing_days": forms.IntegerField(
                label="检测鉴定期间（天）", min_value=0, max_value=365, initial=0
            ),
        }
    return {}


def action_form(code: str, case: Case, data: Any = None) -> forms.Form:
    """The form of one case action, its fields prefixed by the action code (many forms share one page)."""
    fields: dict[str, forms.Field] = {"on": _date("办理日期"), **_action_fields(code, case)}
    form_class = type(f"{code.title().replace('_', '')}Form", (forms.Form,), dict(fields))
    return form_class(data, prefix=code)


def service_kwargs(code: str, cleaned: dict[str, Any]) -> dict[str, Any]:
    kwargs = dict(cleaned)
    if code == "seizure_decide":
        kwargs["items"] = [line for line in kwargs["items"].splitlines() if line.strip()]
    return kwargs


class SourceForm(forms.Form):
    """案源登记 — a lead the agency received, before it is opened or not."""

    source_kind = forms.ChoiceField(label="案源类型", choices=SourceKind.choices)
    received_on = _date("登记日期")
    title = forms.CharField(label="案由", max_length=200)
    party_code = forms.CharField(label="当事人（统一社会信用代码或名称）", max_length=200, required=False)
    reference = forms.CharField(label="来源编号", max_length=64, required=False, help_text="如 12345 工单号")
    summary = forms.CharField(label="案源内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SimpleDecisionForm(forms.Form):
    """简易程序当场处罚 — the phone form (行政处罚法 第五十一条、第五十二条)."""

    party_code = forms.CharField(label="当事人（统一社会信用代码或名称）", max_length=200)
    partner = forms.ModelChoiceField(label="同行执法人员", queryset=Officer.objects.none())
    title = forms.CharField(label="违法行为", max_length=200)
    place = forms.CharField(label="地点", max_length=200)
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
    facts = forms.CharField(label="违法事实", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    on = _date("日期")


__all__ = ["SimpleDecisionForm", "SourceForm", "action_form", "service_kwargs"]

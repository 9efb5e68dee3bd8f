"""Forms of the inspection pages: they check the shape of the input; the services enforce the rules, and a
service's refusal goes back beside its field (``zhifa.org.forms.add_domain_error``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from zhifa.core import clock
from zhifa.core.forms import BoundedModelChoiceField, BoundedModelMultipleChoiceField
from zhifa.core.textlimits import LimitedTextForm
from zhifa.inspections.models import (
    InspectionItem,
    ObjectionKind,
    Outcome,
    PlanItem,
    RemoteMethod,
    TaskKind,
    TriggerKind,
    WarningKind,
    WarningState,
)
from zhifa.org.models import Agency, Officer, Region

RATIO_HELP = "按信用风险分类的抽查比例（%），A 类最少、D 类最多。"


class WarningFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="预警类型", choices=[("", "全部类型"), *WarningKind.choices], required=False
    )
    state = forms.ChoiceField(label="状态", choices=[("", "全部状态"), *WarningState.choices], required=False)


class WarningHandleForm(LimitedTextForm):
    """处理 (note) or 排除 (reason): the one text field is required by the service either way."""

    text = forms.CharField(label="处理情况 / 排除理由", max_length=500, required=False)


class PlanForm(LimitedTextForm):
    agency: forms.ModelChoiceField[Agency] = BoundedModelChoiceField(label="执法主体", queryset=None)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="计划名称", max_length=200)
    allow_advance_notice = forms.BooleanField(label="可提前告知企业", required=False, initial=True)

    def __init__(self, *args: Any, agencies: QuerySet, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("year", clock.today().year)
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        if agencies.count() == 1:
            self.fields["agency"].initial = agencies.first()


class PlanItemForm(LimitedTextForm):
    item: forms.ModelChoiceField[InspectionItem] = BoundedModelChoiceField(label="抽查事项", queryset=None)
    ratio_a = forms.DecimalField(
        label="A 类比例 %", min_value=0, max_value=100, initial=5, help_text=RATIO_HELP
    )
    ratio_b = forms.DecimalField(label="B 类比例 %", min_value=0, max_value=100, initial=10)
    ratio_c = forms.DecimalField(label="C 类比例 %", min_value=0, max_value=100, initial=30)
    ratio_d = forms.DecimalField(label="D 类比例 %", min_value=0, max_value=100, initial=100)
    quarters = forms.CharField(
        label="实施季度", max_length=4, initial="1234", help_text="如 “13” 表示一、三季度。"
    )
    scope = forms.CharField(label="检查对象范围", max_length=300, required=False)

    def __init__(self, *args: Any, items: QuerySet[InspectionItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items  # type: ignore[attr-defined]
        self.fields["item"].label_from_instance = lambda i: f"{i.code} {i.name}"  # type: ignore[attr-defined]


class FeedbackForm(LimitedTextForm):
    """企业评价 — anonymous: the rating is stored without the user."""

    code = forms.CharField(widget=forms.HiddenInput)
    rating = forms.TypedChoiceField(
        label="满意度",
        coerce=int,
        choices=[(5, "5 非常满意"), (4, "4 满意"), (3, "3 一般"), (2, "2 不满意"), (1, "1 非常不满意")],
    )
    comment = forms.CharField(
        label="评价意见", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    problem_text = forms.CharField(
        label="反映问题（如有）",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="评价不记录您的账号；检查部门只能看到汇总结果。",
    )


class RandomTaskForm(LimitedTextForm):
    """双随机抽查任务 under one item of an approved plan."""

    plan_item: forms.ModelChoiceField[PlanItem] = BoundedModelChoiceField(label="计划事项", queryset=None)
    title = forms.CharField(label="任务名称", max_length=200)
    starts_on = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="结束日期", widget=forms.DateInput(attrs={"type": "date"}))
    quarter = forms.TypedChoiceField(
        label="季度", coerce=int, choices=[(1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度")]
    )
    party_count = forms.IntegerField(
        label="抽取户数", min_value=1, required=False, help_text="留空则按计划的信用风险分类比例分层抽取。"
    )
    inspectors_per_inspection = forms.IntegerField(
        label="每户检查人员数", min_value=2, max_value=10, initial=2
    )

    def __init__(self, *args: Any, plan_items: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan_item"].queryset = plan_items  # type: ignore[attr-defined]
        self.fields["plan_item"].label_from_instance = lambda pi: f"{pi.item.code} {pi.item.name}"  # type: ignore[attr-defined]


class CheckInForm(LimitedTextForm):
    """扫码进企 on the phone: where (GPS filled in by the browser when allowed) and, for an offline record
    keyed in later, when the officer was actually on site."""

    place = forms.CharField(label="检查地点", max_length=200)
    at = forms.DateTimeField(
        label="实际进企时间（离线补录时填写）",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )


class ResultForm(LimitedTextForm):
    """检查结果: 合格, 责令整改 (with a deadline) or 立案."""

    outcome = forms.ChoiceField(label="检查结果", choices=Outcome.choices, widget=forms.RadioSelect)
    findings = forms.CharField(label="检查情况", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    rectify_deadline = forms.DateField(
        label="整改期限（责令整改时填写）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class RecheckForm(LimitedTextForm):
    """复查: rectified (销号) or not (a case source)."""

    passed = forms.TypedChoiceField(
        label="复查结论",
        coerce=lambda v: v == "1",
        choices=[("1", "已整改到位"), ("0", "未整改到位（转为案源）")],
        widget=forms.RadioSelect,
    )
    findings = forms.CharField(label="复查情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ChecklistForm(forms.Form):
    """检查表单 — the new version's start date and its lines (rows left blank are dropped by the service)."""

    effective_from = forms.DateField(label="施行日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, rows: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = max(1, min(rows, 200))
        for i in range(1, self.rows + 1):
            self.fields[f"content_{i}"] = forms.CharField(
                label=f"第{i}项 检查内容", max_length=1000, required=False
            )
            self.fields[f"method_{i}"] = forms.CharField(
                label=f"第{i}项 检查方法与标准", max_length=1000, required=False
            )
            self.fields[f"basis_{i}"] = forms.CharField(
                label=f"第{i}项 依据条款", max_length=300, required=False
            )

    def row_fields(self) -> list[tuple[int, Any, Any, Any]]:
        return [
            (i, self[f"content_{i}"], self[f"method_{i}"], self[f"basis_{i}"])
            for i in range(1, self.rows + 1)
        ]

    def lines(self) -> list[dict[str, str]]:
        data = self.cleaned_data
        return [
            {"content": data[f"content_{i}"], "method": data[f"method_{i}"], "basis": data[f"basis_{i}"]}
            for i in range(1, self.rows + 1)
        ]


class RectificationForm(LimitedTextForm):
    """整改报告 — the statement; files come with the same POST (field ``file``, several allowed)."""

    statement = forms.CharField(
        label="整改情况说明",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="写明针对检查发现的问题做了哪些整改；可附照片或文件（最多 5 个）。",
    )


class ObjectionForm(LimitedTextForm):
    """检查异议 — what is disputed and why; kept without the user, read in full only by the supervisors."""

    kind = forms.ChoiceField(label="异议类型", choices=ObjectionKind.choices, widget=forms.RadioSelect)
    grounds = forms.CharField(
        label="异议理由",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="异议由司法行政机关（执法监督）办理并答复；检查部门只能看到异议数量，看不到内容。",
    )


class ObjectionAnswerForm(LimitedTextForm):
    answer = forms.CharField(
        label="答复意见", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class VisitWindowForm(LimitedTextForm):
    """商定入企时间 (officer side): the days and daily hours offered, cut into slots of so many minutes."""

    first_day = forms.DateField(label="可选起始日期", widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label="可选截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    day_starts = forms.TimeField(label="每日起始时间", widget=forms.TimeInput(attrs={"type": "time"}))
    day_ends = forms.TimeField(label="每日结束时间", widget=forms.TimeInput(attrs={"type": "time"}))
    slot_minutes = forms.IntegerField(label="每个时段（分钟）", min_value=15, max_value=480, initial=60)
    note = forms.CharField(label="说明（可选）", max_length=300, required=False)


class JointTaskForm(LimitedTextForm):
    """综合查一次 — a joint task over items of several agencies: one filed visit, or a 跨部门联合抽查."""

    MODES = (("filed", "报备一次联合检查（指定企业）"), ("draw", "跨部门联合抽查（按行业随机抽取）"))

    title = forms.CharField(label="任务名称", max_length=200)
    reason = forms.CharField(label="检查事由", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    starts_on = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="结束日期", widget=forms.DateInput(attrs={"type": "date"}))
    items = BoundedModelMultipleChoiceField(
        label="检查事项（各部门）",
        queryset=InspectionItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="选择本部门和其他部门的事项；各部门负责人分别批准本部门事项。",
    )
    mode = forms.ChoiceField(label="方式", choices=MODES, widget=forms.RadioSelect, initial="filed")
    party_code = forms.CharField(
        label="检查对象（统一社会信用代码或名称，报备时填写）", max_length=200, required=False
    )
    officers = BoundedModelMultipleChoiceField(
        label="本部门检查人员（报备时选择）",
        queryset=Officer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    industries = forms.CharField(label="行业（联合抽查时填写，逗号分隔）", max_length=300, required=False)
    party_count = forms.IntegerField(
        label="抽取户数（联合抽查）", min_value=1, max_value=1000, required=False
    )
    inspectors_per_agency = forms.IntegerField(
        label="每个部门每户检查人员数（联合抽查）", min_value=1, max_value=5, initial=1
    )

    def __init__(self, *args: Any, items: Any, officers: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items  # type: ignore[attr-defined]
        self.fields["items"].label_from_instance = lambda i: f"{i.agency.name} · {i.name}"  # type: ignore[attr-defined]
        self.fields["officers"].queryset = officers  # type: ignore[attr-defined]
        self.fields["officers"].label_from_instance = lambda o: o.name  # type: ignore[attr-defined]


class JointApproveForm(forms.Form):
    """批准 — the agency head approves the agency's items of a joint task and names its officers."""

    officers = BoundedModelMultipleChoiceField(
        label="本部门检查人员",
        queryset=Officer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, officers: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = officers  # type: ignore[attr-defined]
        self.fields["officers"].label_from_instance = lambda o: o.name  # type: ignore[attr-defined]


class TaskCancelForm(LimitedTextForm):
    """撤销检查任务: the head's reason."""

    reason = forms.CharField(label="撤销理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class VisitCapForm(LimitedTextForm):
    """年度检查上限 of a place and year (the judicial bureau's page)."""

    region: forms.ModelChoiceField[Region] = BoundedModelChoiceField(label="适用区划", queryset=None)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    per_agency = forms.IntegerField(
        label="同一部门对同一企业每年不超过（次）", min_value=1, max_value=50, initial=2
    )
    per_enterprise = forms.IntegerField(
        label="同一企业每年入企检查总数不超过（次）", min_value=1, max_value=50, initial=4
    )
    basis = forms.CharField(label="依据", max_length=300, required=False)

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("year", clock.today().year)
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
        if regions.count() == 1:
            self.fields["region"].initial = regions.first()


class NoDisturbForm(LimitedTextForm):
    """列入无事不扰名单: the enterprise by its USCC or full name, the reason and how long."""

    party_code = forms.CharField(label="企业（统一社会信用代码或名称）", max_length=200)
    reason = forms.CharField(label="列入理由", max_length=300)
    until = forms.DateField(
        label="有效期至（留空为长期）", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class NoDisturbRemoveForm(LimitedTextForm):
    reason = forms.CharField(label="移出理由", max_length=300)


class FiledTaskForm(LimitedTextForm):
    """报备检查 — a non-random inspection filed before entering, with its trigger when it has one."""

    item: forms.ModelChoiceField[InspectionItem] = BoundedModelChoiceField(label="检查事项", queryset=None)
    kind = forms.ChoiceField(
        label="检查类型", choices=[c for c in TaskKind.choices if c[0] != TaskKind.RANDOM]
    )
    trigger_kind = forms.ChoiceField(
        label="触发来源",
        choices=TriggerKind.choices,
        required=False,
        help_text="日常检查受年度上限和“无事不扰”限制；投诉举报、转办移送、问题线索引起的检查不受限，须写明来源编号。",
    )
    trigger_ref = forms.CharField(
        label="来源编号（投诉编号、移送函号、案件或预警编号）", max_length=200, required=False
    )
    party_code = forms.CharField(label="检查对象（统一社会信用代码或名称）", max_length=200)
    officers: forms.ModelMultipleChoiceField[Officer] = BoundedModelMultipleChoiceField(
        label="检查人员（至少 2 名）", queryset=Officer.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    title = forms.CharField(label="任务名称", max_length=200)
    reason = forms.CharField(label="检查事由", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    # type=date inputs take ISO dates only, whatever the locale's display format
    starts_on = forms.DateField(
        label="开始日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label="结束日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(
        self, *args: Any, items: QuerySet[InspectionItem], officers: QuerySet[Officer], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items  # type: ignore[attr-defined]
        self.fields["item"].label_from_instance = lambda i: f"{i.code} {i.name}"  # type: ignore[attr-defined]
        self.fields["officers"].queryset = officers  # type: ignore[attr-defined]
        self.fields["officers"].label_from_instance = lambda o: o.name  # type: ignore[attr-defined]


class RemoteCheckForm(LimitedTextForm):
    """非现场检查: the method, when, and the result (as on site)."""

    method = forms.ChoiceField(label="检查方式", choices=RemoteMethod.choices, widget=forms.RadioSelect)
    at = forms.DateTimeField(
        label="检查时间（留空为现在）",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )
    outcome = forms.ChoiceField(label="检查结果", choices=Outcome.choices, widget=forms.RadioSelect)
    findings = forms.CharField(label="检查情况", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    rectify_deadline = forms.DateField(
        label="整改期限（责令整改时填写）", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

"""Forms of the statistics pages: the posted fields checked (types, ranges) before a service is called; the
rules of a scheme (weights summing to 100, one per region and year) stay in ``services``."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from zhifa.core.forms import int_field, text_field
from zhifa.stats.models import Indicator


def _weight(label: str) -> forms.DecimalField:
    message = f"{label}的权重须为 0–100 之间的数字。"
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=6,
        decimal_places=2,
        error_messages={
            key: message
            for key in (
                "invalid",
                "min_value",
                "max_value",
                "max_digits",
                "max_decimal_places",
                "max_whole_digits",
            )
        },
    )


def assessment_form() -> type[forms.Form]:
    """考评方案: region, year, name and one ``weight_<indicator>`` per indicator (blank: not used)."""
    fields: dict[str, forms.Field] = {
        "region": text_field("区划", 32),
        "year": int_field("年度", 2000, 2100, required=False),
        "name": text_field("方案名称", 200),
    }
    for code, label in Indicator.choices:
        fields[f"weight_{code}"] = _weight(label)
    return type("AssessmentForm", (forms.Form,), fields)


AssessmentForm = assessment_form()

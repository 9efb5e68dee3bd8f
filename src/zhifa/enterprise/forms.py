"""Forms of the enterprise's pages: shapes only; the services enforce the rules."""

from __future__ import annotations

from django import forms


class VisitTimeForm(forms.Form):
    """商定入企时间: one of the offered slots, as its local start time."""

    start = forms.DateTimeField(
        label="入企时间", input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
    )

"""``{% visit_checklist_of i as checklist %}`` — 一表通查 for the include ``inspections/_checklist.html``, so that
a page shows a visit's merged checklist with one include line and no change to its view."""

from __future__ import annotations

from django import template

from zhifa.inspections.checklists import VisitChecklist, visit_checklist
from zhifa.inspections.models import Inspection

register = template.Library()


@register.simple_tag
def visit_checklist_of(inspection: Inspection, with_results: bool = True) -> VisitChecklist:
    """The visit's merged checklist; the page found ``inspection`` in the caller's scope already."""
    return visit_checklist(inspection, with_results=with_results)

"""The admin lists every inspections model; records changed only by services are read-only there."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client

from zhifa.inspections import models as m
from zhifa.org.models import User


@pytest.mark.parametrize(
    "model",
    [
        m.InspectionItem,
        m.InspectionPlan,
        m.InspectionTask,
        m.DrawRecord,
        m.Inspection,
        m.InspectionWarning,
        m.InspectionFeedback,
        m.PartyDomainTag,
        m.NoDisturbEntry,
        m.ConflictOfInterest,
    ],
)
def test_admin_changelist_renders(db, model) -> None:
    user = User.objects.create_superuser("insp-admin", password="Zhifa@2026x")
    client = Client()
    client.force_login(user)
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    assert client.get(url).status_code == 200


def test_service_records_cannot_be_changed_in_the_admin(rf) -> None:
    request = rf.get("/")
    for model in (m.InspectionTask, m.DrawRecord, m.Inspection, m.InspectionWarning, m.InspectionFeedback):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_add_permission(request)
    assert "secret" in (admin.site._registry[m.InspectionTask].exclude or [])

from __future__ import annotations

from typing import Any

from zhifa.disclosure import services
from zhifa.disclosure.models import Publication


def publication_of(case: Any) -> Publication:
    return Publication.objects.get(source_type="cases.case", source_id=str(case.pk))


def publish(world: Any, case: Any) -> Publication:
    p = publication_of(case)
    services.publication_submit(actor=world.officer_user, publication=p)
    return services.publication_approve(actor=world.head, publication=p)

"""Which objects take evidence (证据所属对象) and who may attach evidence to one.

Evidence names its object by ``object_type`` ("app_label.model") and ``object_id``. Only the kinds of object
registered here take evidence; every other name — an unknown model, a model that exists but takes no
evidence (``org.user``) — is refused with one and the same message, so that the upload cannot be used to
learn which models exist. An object of a registered kind that the actor may not act on gets the same answer
as a missing one (404), so that it cannot be used to learn which objects exist in another county.

Apps above evidence register their kinds from their ``AppConfig.ready`` (``register_target``); evidence
registers ``org.party`` itself (org sits below it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError

from zhifa.core.errors import InvalidInput, NotFound
from zhifa.org import permissions as perms
from zhifa.org.models import User


@dataclass(frozen=True)
class EvidenceTarget:
    """A kind of object that takes evidence.

    ``actions``: the actor must hold one of them over the object (``perms.can``) to attach evidence to it.
    ``agency``: the ORM path from the object to the agency it belongs to (``"agency"``, ``"case__agency"``),
    or None for objects that belong to no agency (a party). Evidence of such an object is filed under that
    agency, and only evidence filed under it counts for the object (required records, court bundle).
    ``party_actions``: what the party itself submits (当事人提交的材料, e.g. an enterprise's rectification
    report): an actor holding one of them over the object may attach files to it without holding
    ``evidence.add_evidence``; they are filed under the object's agency (which must be set).
    """

    object_type: str
    actions: tuple[str, ...]
    agency: str | None = None
    party_actions: tuple[str, ...] = ()


TARGETS: dict[str, EvidenceTarget] = {}


def register_target(
    object_type: str, actions: Iterable[str], *, agency: str | None = None, party_actions: Iterable[str] = ()
) -> None:
    """Let objects of ``object_type`` ("app_label.model") take evidence from actors who may do ``actions``
    (and files the party submits from actors who may do ``party_actions``)."""
    TARGETS[object_type] = EvidenceTarget(object_type, tuple(actions), agency, tuple(party_actions))


def target_for(object_type: str) -> EvidenceTarget | None:
    return TARGETS.get(object_type)


def _not_an_evidence_type(object_type: str) -> InvalidInput:
    allowed = "、".join(sorted(TARGETS))
    return InvalidInput(
        f"该类对象不能关联证据：{object_type!r}（可关联：{allowed}）。",
        f"Evidence cannot be attached to objects of type {object_type!r}.",
        code="evidence_object_type_invalid",
        field="object_type",
    )


def _not_found(object_type: str, object_id: str) -> NotFound:
    return NotFound(
        f"所属对象不存在：{object_type} #{object_id}。",
        f"No {object_type} with id {object_id}.",
        code="object_not_found",
    )


def attachable_object(actor: User, object_type: str, object_id: str) -> tuple[Any, EvidenceTarget]:
    """The object evidence is about to be attached to, checked: a registered kind (else 422), existing and
    within the actor's scope for one of the kind's actions (else 404, the same answer for both)."""
    target = TARGETS.get(object_type)
    if target is None:
        raise _not_an_evidence_type(object_type)
    model = apps.get_model(object_type)
    try:
        obj = model._default_manager.filter(pk=object_id).first()
    except (ValueError, TypeError, ValidationError, OverflowError):
        obj = None
    if obj is None or not any(
        perms.can(actor, action, obj) for action in target.actions + target.party_actions
    ):
        raise _not_found(object_type, object_id)
    return obj, target


def submitted_by_party(actor: User, obj: Any, target: EvidenceTarget) -> bool:
    """Whether ``actor`` attaches the file as the party itself (one of the target's ``party_actions``)."""
    return target.agency is not None and any(perms.can(actor, action, obj) for action in target.party_actions)


def object_agency_id(obj: Any, target: EvidenceTarget) -> int | None:
    """The id of the agency ``obj`` belongs to, or None when its kind belongs to no agency."""
    if target.agency is None:
        return None
    value = obj
    for part in target.agency.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value.pk


def agency_ids(object_type: str, object_ids: Iterable[str]) -> dict[str, int | None] | None:
    """``{object_id: agency id}`` of objects of one kind (one query); None when the kind has no agency.

    The required-record check and the court bundle count only evidence filed under the object's own agency;
    an object that no longer exists maps to None (none of its evidence counts as its agency's).
    """
    target = TARGETS.get(object_type)
    if target is None or target.agency is None:
        return None
    ids = [str(i) for i in object_ids]
    model = apps.get_model(object_type)
    found: dict[str, int | None] = dict.fromkeys(ids)
    valid = []
    for i in ids:
        try:
            valid.append(model._meta.pk.to_python(i))
        except (ValidationError, ValueError, TypeError):
            continue
    for pk, agency_id in model._default_manager.filter(pk__in=valid).values_list("pk", f"{target.agency}_id"):
        found[str(pk)] = agency_id
    return found

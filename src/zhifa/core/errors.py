"""Domain errors: a stable code, a Chinese message for people and an English one for the API.

Services raise these; the API maps them to 4xx JSON ``{code, message, message_en}``; pages show the message
beside the field. A 500 is always a bug.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every refusal the platform gives on purpose."""

    status = 400
    code = "error"

    def __init__(
        self,
        message: str,
        message_en: str = "",
        *,
        code: str | None = None,
        field: str | None = None,
        details: object = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.message_en = message_en or message
        if code:
            self.code = code
        self.field = field
        self.details = details

    def as_dict(self) -> dict[str, object]:
        body: dict[str, object] = {"code": self.code, "message": self.message, "message_en": self.message_en}
        if self.field:
            body["field"] = self.field
        if self.details is not None:
            body["details"] = self.details
        return body


class RuleViolation(DomainError):
    """A rule of law or of the platform forbids this (HTTP 409 in the API)."""

    status = 409
    code = "rule_violation"


class InvalidInput(DomainError):
    """The input itself is malformed (HTTP 422)."""

    status = 422
    code = "invalid_input"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class PermissionDenied(DomainError):
    status = 403
    code = "permission_denied"


class ConfigurationMissing(DomainError):
    """An administrator must enter data first (e.g. a year's holiday schedule)."""

    status = 409
    code = "configuration_missing"

"""Desensitisation (脱敏) of what the public sees: the rules live in ``zhifa.core.masking`` (one rule for names
across the platform, docs/disclosure.md); these names stay importable from here for the disclosure app's modules."""

from zhifa.core.masking import (
    ADDRESS_REMOVED,
    COMPOUND_SURNAMES,
    REMOVED,
    mask_person_name,
    party_display,
    personal_number_in,
    scrub_code,
    scrub_text,
)

__all__ = [
    "ADDRESS_REMOVED",
    "COMPOUND_SURNAMES",
    "REMOVED",
    "mask_person_name",
    "party_display",
    "personal_number_in",
    "scrub_code",
    "scrub_text",
]

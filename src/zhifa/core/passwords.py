"""Password rules: 8+ characters (Django's validator) and at least three character classes."""

from __future__ import annotations

import string

from django.core.exceptions import ValidationError


def character_classes(password: str) -> int:
    classes = [
        any(c.islower() and c.isascii() for c in password),
        any(c.isupper() and c.isascii() for c in password),
        any(c.isdigit() for c in password),
        any(c in string.punctuation or not c.isalnum() for c in password),
    ]
    return sum(classes)


class CharacterClassValidator:
    """口令复杂度 — lower case, upper case, digits, symbols: at least ``min_classes`` of the four."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: object = None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                "密码须包含大写字母、小写字母、数字、符号中的至少 %(n)d 类。",
                code="password_too_simple",
                params={"n": self.min_classes},
            )

    def get_help_text(self) -> str:
        return f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类。"

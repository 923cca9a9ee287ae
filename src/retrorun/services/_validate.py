"""Field checks shared by the use cases; each failure names the field."""

from __future__ import annotations

import math
import re

from retrorun.services.errors import InvalidInput

# Deliberately loose: one @, something on both sides, a dot in the domain, no spaces.
# The only real proof of an address is a mail that arrives.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_EMAIL_LENGTH = 254  # RFC 5321 path limit


def email(value: object, field: str = "email") -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(field, "is required")
    cleaned = value.strip().lower()
    if len(cleaned) > MAX_EMAIL_LENGTH or not _EMAIL.match(cleaned):
        raise InvalidInput(field, f"{value!r} is not an email address")
    return cleaned


def password(value: object, *, min_length: int, max_length: int, field: str = "password") -> str:
    if not isinstance(value, str) or not value:
        raise InvalidInput(field, "is required")
    if len(value) < min_length:
        raise InvalidInput(field, f"must be at least {min_length} characters")
    if len(value) > max_length:
        raise InvalidInput(field, f"must be at most {max_length} characters")
    return value


def whole(value: object, field: str, low: int, high: int, *, optional: bool = False) -> int | None:
    """An integer in [low, high]; None allowed when optional."""
    if value is None:
        if optional:
            return None
        raise InvalidInput(field, "is required")
    if isinstance(value, bool) or not (
        isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    ):
        raise InvalidInput(field, f"got {value!r}; must be a whole number from {low} to {high}")
    number = int(value)
    if not low <= number <= high:
        raise InvalidInput(field, f"got {number}; must be from {low} to {high}")
    return number


def minutes(value: object, field: str, high: float) -> int:
    """Minutes as typed (fractions allowed) -> whole seconds."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInput(field, f"got {value!r}; must be a number of minutes")
    if not 0 <= value <= high:
        raise InvalidInput(field, f"got {value:g}; must be from 0 to {high:g} minutes")
    return round(value * 60)


def text(value: object, field: str, max_length: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(field, f"got {value!r}; must be text")
    if len(value) > max_length:
        raise InvalidInput(field, f"must be at most {max_length} characters")
    return value.strip()

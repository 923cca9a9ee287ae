"""Field checks shared by the use cases; each failure names the field."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import zoneinfo
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from retrorun.services.errors import InvalidFields, InvalidInput

if TYPE_CHECKING:
    from collections.abc import Callable

_P = ParamSpec("_P")
_T = TypeVar("_T")

# Deliberately loose: one @, something on both sides, a dot in the domain, no spaces.
# The only real proof of an address is a mail that arrives.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_EMAIL_LENGTH = 254  # RFC 5321 path limit
# C0 controls and DEL: PostgreSQL text cannot hold NUL, and none is typed on purpose.
# Free text keeps tab, line feed and carriage return (a note has lines).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TIME_OF_DAY = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
MAX_TIME_ZONE_LENGTH = 64  # the longest IANA name is about half that
# A free preview's calendar key (16 random hex digits), or a stored plan's id (32):
# it goes into calendar UIDs, so nothing but hex digits.
_CALENDAR_KEY = re.compile(r"[0-9a-f]{16,32}")
# Files in the zoneinfo folder that are not IANA zone names a person would mean.
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})


class Problems:
    """Every wrong field of one input, collected so the user hears of all of them at once.

    `check` runs one field's check and keeps its error instead of raising it;
    `raise_any` raises them together (an InvalidFields) when there is any.
    """

    def __init__(self) -> None:
        self.found: list[InvalidInput] = []

    def check(self, function: Callable[_P, _T], /, *args: _P.args,
              **kwargs: _P.kwargs) -> _T | None:
        try:
            return function(*args, **kwargs)
        except InvalidInput as error:
            self.found.append(error)
            return None

    def add(self, field: str, message: str) -> None:
        self.found.append(InvalidInput(field, message))

    def has(self, field: str) -> bool:
        return any(error.field == field for error in self.found)

    def raise_any(self) -> None:
        if self.found:
            raise InvalidFields(tuple(self.found))


def email(value: object, field: str = "email") -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(field, "is required")
    cleaned = value.strip().lower()
    if _CONTROL.search(cleaned):
        raise InvalidInput(field, "must not contain control characters")
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
    # The value is not echoed: it may be a list, a megabyte of text or a 4000-digit number.
    if isinstance(value, bool) or not (
        isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    ):
        raise InvalidInput(field, f"must be a whole number from {low} to {high}")
    if not low <= value <= high:
        raise InvalidInput(field, f"must be from {low} to {high}")
    return int(value)


def minutes(value: object, field: str, high: float) -> int:
    """Minutes as typed (fractions allowed) -> whole seconds."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int | float) or (
            isinstance(value, float) and not math.isfinite(value)):
        raise InvalidInput(field, "must be a number of minutes, e.g. 12.5")
    # Compared before any conversion: a 400-digit int does not fit a float.
    if not 0 <= value <= high:
        raise InvalidInput(field, f"must be from 0 to {high:g} minutes")
    return round(value * 60)


def text(value: object, field: str, max_length: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(field, "must be text")
    if len(value) > max_length:
        raise InvalidInput(field, f"must be at most {max_length} characters")
    if _CONTROL_IN_TEXT.search(value):
        raise InvalidInput(field, "must not contain control characters (such as NUL)")
    return value.strip()


def calendar_key(value: object, field: str) -> str | None:
    """A plan's calendar key: 16 to 32 lower-case hex digits; None when not given."""
    if value is None:
        return None
    if not isinstance(value, str) or not _CALENDAR_KEY.fullmatch(value):
        raise InvalidInput(field, f"got {value!r}; must be 16 to 32 lower-case hex digits")
    return value


@functools.cache
def _zones() -> dict[str, str]:
    """Lower-case name -> IANA name, so "europe/berlin" is taken as Europe/Berlin.

    Read once: listing the time zone database walks a folder of some 600 files.
    """
    return {name.lower(): name for name in zoneinfo.available_timezones() - _NOT_ZONES}


def time_zone_names() -> list[str]:
    """Every IANA time zone name this machine knows, sorted (for a form's suggestions)."""
    return sorted(_zones().values())


def time_zone(value: object, field: str) -> str | None:
    """An IANA time zone name, spelled as the database spells it; None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    example = "an IANA name such as Europe/Berlin or America/New_York"
    if not isinstance(value, str) or len(value) > MAX_TIME_ZONE_LENGTH:
        raise InvalidInput(field, f"got {value!r}; must be {example}")
    name = _zones().get(value.strip().lower())
    if name is None:
        raise InvalidInput(field, f"unknown time zone {value.strip()!r}; use {example}")
    return name


def time_of_day(value: object, field: str) -> dt.time | None:
    """A time of day written HH:MM (24-hour clock); None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.time) and value.tzinfo is None:
        return value.replace(second=0, microsecond=0)
    match = _TIME_OF_DAY.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise InvalidInput(field, f"got {value!r}; write a time of day as HH:MM, e.g. 07:30")
    return dt.time(int(match[1]), int(match[2]))

"""Control characters in request text, found before any handler or database sees them.

PostgreSQL text cannot hold NUL (psycopg raises DataError, which was a 500), and no
person types a control character on purpose: they are refused once, here, for every
route — the path, the query string, form fields and every string (and key) of a JSON
body. Free text keeps tab, line feed and carriage return (a note has lines); a path or a
query never has them. The OpenAPI declares the same rule as a pattern on every request
string (`REQUEST_TEXT_PATTERN`), so a client generated from the schema knows it.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from dataclasses import dataclass

# C0 controls and DEL. Tab, line feed and carriage return are allowed in bodies only.
# Lone surrogates (\ud800-\udfff, which JSON's \u escapes can carry) are no text either:
# no database can store them (psycopg refuses to encode them).
_ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
_BODY_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# The same set as a JSON Schema (ECMA 262) pattern for the OpenAPI.
REQUEST_TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
# Deeper JSON is nobody's profile or log; the walk stops there (no recursion error).
_MAX_DEPTH = 64


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a request is refused: its status, the field at fault (or None) and a message."""

    status: int
    field: str | None
    message: str
    problem: str = ""  # the message without the field's name (a form shows its label)


_CONTROL_PROBLEM = ("must not contain control characters (such as NUL) or broken "
                    "characters (a lone \\ud800-\\udfff escape)")


def _control(field: str) -> Refusal:
    return Refusal(422, field, f"{field}: {_CONTROL_PROBLEM}", _CONTROL_PROBLEM)


def check_path(path: str) -> Refusal | None:
    """A decoded path with a control character names nothing here: 404."""
    if _ANY_CONTROL.search(path):
        return Refusal(404, None, "Not found.")
    return None


def check_query(query: bytes) -> Refusal | None:
    return _check_pairs(query, _ANY_CONTROL)


def check_form(body: bytes) -> Refusal | None:
    return _check_pairs(body, _BODY_CONTROL)


def _check_pairs(encoded: bytes, pattern: re.Pattern[str]) -> Refusal | None:
    text = encoded.decode("latin-1")
    if "%" not in text and not pattern.search(text):
        return None  # the common case: nothing encoded, nothing to find
    for key, value in urllib.parse.parse_qsl(text, keep_blank_values=True):
        if pattern.search(key):
            return _control("field name")
        if pattern.search(value):
            return _control(key)
    return None


def check_json(body: bytes) -> Refusal | None:
    """Refuse a body that is not UTF-8 JSON (422, documented) or holds a control
    character in any string or key (422 naming the dotted field)."""
    if not body.strip():
        return None  # the handler says what is missing
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        return Refusal(422, None, "The request body is not UTF-8 text.")
    except (ValueError, RecursionError):
        return Refusal(422, None, "The request body is not valid JSON.")
    field = _find_control(data, "", 0)
    return None if field is None else _control(field or "body")


def _find_control(value: object, at: str, depth: int) -> str | None:
    """The dotted path of the first string holding a control character, or None."""
    if depth > _MAX_DEPTH:
        return None
    if isinstance(value, str):
        return at if _BODY_CONTROL.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{at}.{key}" if at else str(key)
            if _BODY_CONTROL.search(key):
                return at or "field name"
            found = _find_control(item, name, depth + 1)
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _find_control(item, f"{at}.{index}" if at else str(index), depth + 1)
            if found is not None:
                return found
    return None

"""Limits the app enforces in one place, declared in its OpenAPI so the schema tells the
truth: a client (or schemathesis) that follows the schema is not refused.

- every request string takes no control characters (`text_guard`): a `pattern`;
- a profile lists each day and each surface once: `uniqueItems`;
- a profile's start date lies in the domain's window (a description: JSON Schema has no
  bound for dates);
- every operation with a body may answer 413 (the body cap) and 422 for a body that is
  not UTF-8 JSON.
"""

from __future__ import annotations

from typing import Any

from retrorun.domain.profile import EARLIEST_START_DATE, LATEST_START_DATE
from retrorun.web.text_guard import REQUEST_TEXT_PATTERN

# Path and query text: not even tab or line feed.
PARAMETER_TEXT_PATTERN = r"^[^\x00-\x1f\x7f]*$"
_UNIQUE_LISTS = ("surfaces", "available_days")
_REF = "#/components/schemas/"


def declare_limits(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` (FastAPI's OpenAPI document) with the limits above added, in place."""
    components: dict[str, Any] = schema.get("components", {}).get("schemas", {})
    seen: set[str] = set()
    error = {"$ref": _REF + "ErrorResponse"} if "ErrorResponse" in components else {}
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", ()):
                _patterned(parameter.get("schema", {}), components, seen,
                           PARAMETER_TEXT_PATTERN)
            body = operation.get("requestBody")
            if body is None:
                continue
            for media in body.get("content", {}).values():
                _patterned(media.get("schema", {}), components, seen, REQUEST_TEXT_PATTERN)
            responses = operation.setdefault("responses", {})
            content = {"application/json": {"schema": error}} if error else {}
            responses.setdefault("413", {"description": "The request body is too large",
                                         "content": content})
            responses.setdefault("422", {"description": "Invalid input (also a body that is "
                                         "not UTF-8 JSON); `field` names it",
                                         "content": content})
    return schema


def _patterned(node: Any, components: dict[str, Any], seen: set[str], pattern: str) -> None:
    """Add `pattern` to every free string under `node`, following $refs once each."""
    if isinstance(node, list):
        for item in node:
            _patterned(item, components, seen, pattern)
        return
    if not isinstance(node, dict):
        return
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith(_REF):
        name = ref.removeprefix(_REF)
        if name not in seen and name in components:
            seen.add(name)
            _patterned(components[name], components, seen, pattern)
        return
    types = node.get("type")
    is_text = types == "string" or (isinstance(types, list) and "string" in types)
    if is_text and not ({"enum", "const", "format", "pattern"} & node.keys()):
        node["pattern"] = pattern
    properties = node.get("properties")
    if isinstance(properties, dict):
        _profile_limits(properties)
        for value in properties.values():
            _patterned(value, components, seen, pattern)
    for key in ("items", "anyOf", "oneOf", "allOf", "additionalProperties"):
        if key in node:
            _patterned(node[key], components, seen, pattern)


def _profile_limits(properties: dict[str, Any]) -> None:
    """A profile's start-date window and its lists without repeats."""
    start = properties.get("start_date")
    if isinstance(start, dict) and start.get("format") == "date":
        start["description"] = (f"From {EARLIEST_START_DATE} to {LATEST_START_DATE}; "
                                "other dates are a 422 naming start_date")
    for key in _UNIQUE_LISTS:
        if isinstance(properties.get(key), dict) and properties[key].get("type") == "array":
            properties[key]["uniqueItems"] = True

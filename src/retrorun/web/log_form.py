"""The session log form: browser strings → a `LogInput` the service validates."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from retrorun.services.views import LogInput

if TYPE_CHECKING:
    from retrorun.web.views import LogModel

LABELS = {
    "status": "How did it go",
    "forward_minutes": "Forward minutes",
    "backward_minutes": "Backward minutes",
    "rpe": "Session effort (RPE)",
    "pain_during": "Pain during",
    "pain_next_morning": "Pain next morning",
    "events": "Events",
    "notes": "Notes",
    "session_id": "Session",
}


@dataclass
class LogForm:
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    entry: LogInput | None = None


def empty_log_values(log: LogModel | None = None) -> dict[str, Any]:
    if log is None:
        return {"status": "", "forward_minutes": "", "backward_minutes": "", "rpe": "",
                "pain_during": "", "pain_next_morning": "", "events": [], "notes": ""}

    def show(v: float | None) -> str:
        return "" if v is None else f"{v:g}"

    return {"status": log.status, "forward_minutes": show(log.forward_minutes),
            "backward_minutes": show(log.backward_minutes), "rpe": show(log.rpe),
            "pain_during": show(log.pain_during),
            "pain_next_morning": show(log.pain_next_morning), "events": list(log.events),
            "notes": log.notes}


def _str(form: Any, key: str) -> str:
    value = form.get(key, "")
    return value.strip() if isinstance(value, str) else ""


def read_log_form(form: Any) -> LogForm:
    result = LogForm()
    values, errors = result.values, result.errors
    for key in ("status", "notes"):
        values[key] = _str(form, key)
    values["events"] = [v for v in form.getlist("events") if isinstance(v, str)]
    numbers: dict[str, Any] = {}
    for key in ("forward_minutes", "backward_minutes"):
        raw = values[key] = _str(form, key)
        try:
            numbers[key] = float(raw.replace(",", ".")) if raw else 0.0
        except ValueError:
            errors[key] = f"{LABELS[key]}: enter a number of minutes, e.g. 12.5"
    for key in ("rpe", "pain_during", "pain_next_morning"):
        raw = values[key] = _str(form, key)
        try:
            numbers[key] = int(raw) if raw else None
        except ValueError:
            errors[key] = f"{LABELS[key]}: enter a whole number from 0 to 10"
    if not values["status"]:
        errors["status"] = f"{LABELS['status']}: choose done, partly done or skipped"
    if not errors:
        result.entry = LogInput(status=values["status"], events=values["events"],
                                notes=values["notes"], **numbers)
    return result


def service_error(field_name: str, message: str) -> str:
    return f"{LABELS.get(field_name, field_name)}: {message}"

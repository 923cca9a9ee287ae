"""The session log form: browser strings → a `LogInput` the service validates."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from retrorun.services.errors import InvalidFields, InvalidInput
from retrorun.services.views import LogInput
from retrorun.web.errors import labelled

if TYPE_CHECKING:
    from retrorun.web.views import LogModel

# The words of the form's labels (templates/_log_form.html shows exactly these): every
# message under a field starts with them, never with the field's key.
LABELS = {
    "status": "How did it go?",
    "forward_minutes": "Forward minutes",
    "backward_minutes": "Backward minutes",
    "rpe": "Session effort (RPE, 0–10)",
    "pain_during": "Pain during (0–10)",
    "pain_next_morning": "Pain next morning (0–10)",
    "events": "Did any of these happen?",
    "notes": "Notes",
    "session_id": "This session",
}
# Form order: the error summary lists problems in this order too.
FIELDS = ("session_id", *(name for name in LABELS if name != "session_id"))
# The session key of the "saved" message: shown in the log section the redirect lands on,
# not in the page-top flash above the fold.
SAVED = "log_saved"


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


def _number(raw: str) -> float | str | None:
    """What was typed as a number (a comma taken as the decimal point); text that is no
    number goes to the service as it is, which names it with every other wrong field."""
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        pass
    try:
        return float(raw.replace(",", "."))
    except ValueError:
        return raw


def read_log_form(form: Any) -> LogForm:
    """The form as typed; only the service judges it, so every problem comes back at once."""
    result = LogForm()
    values = result.values
    for key in ("status", "notes"):
        values[key] = _str(form, key)
    values["events"] = [v for v in form.getlist("events") if isinstance(v, str)]
    numbers: dict[str, Any] = {}
    for key in ("forward_minutes", "backward_minutes", "rpe", "pain_during",
                "pain_next_morning"):
        values[key] = _str(form, key)
        numbers[key] = _number(values[key])
    result.entry = LogInput(status=values["status"], events=values["events"],
                            notes=values["notes"], **numbers)
    return result


# Where the service's words are the API's ("partial", "neck_pain"), the form says what
# its own choices say.
_FORM_WORDS = {
    "status": "choose done, partly done or skipped",
    "events": "only these are allowed: a stumble, dizziness, neck pain",
}


def form_errors(error: InvalidInput) -> dict[str, str]:
    """Every wrong field of a refused log, each in the words of its label, in form order."""
    found = error.errors if isinstance(error, InvalidFields) else (error,)
    messages = {e.field: service_error(e.field, _FORM_WORDS.get(e.field, e.message))
                for e in reversed(found)}
    return dict(sorted(messages.items(),
                       key=lambda item: FIELDS.index(item[0]) if item[0] in FIELDS else 99))


def service_error(field_name: str, message: str) -> str:
    # "How did it go?: choose ..." reads badly: the question mark goes before the colon.
    label = LABELS.get(field_name, "").rstrip("?")
    return labelled(field_name, message, {field_name: label} if label else None)

"""The calendar settings form: browser strings → the values `set_calendar_settings` takes.

Only the reminder needs converting (a browser sends every field as text); every rule is
the service's, checked field by field so the person sees every problem at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from retrorun.services.calendar_feed import MAX_REMINDER_MINUTES, calendar_settings_problems

if TYPE_CHECKING:
    from retrorun.services.records import CalendarSettings

# In page order: the error summary lists problems in this order too.
LABELS = {
    "timezone": "Time zone",
    "start_time": "Start time",
    "reminder_minutes": "Reminder (minutes before)",
}


@dataclass
class CalendarForm:
    """What the person typed (to show it again) and what is wrong with it, by field."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    reminder_minutes: int | None = None

    def labelled(self, name: str, message: str) -> None:
        self.errors[name] = f"{LABELS.get(name, name)}: {message}"


def form_values(settings: CalendarSettings) -> dict[str, str]:
    """The form's fields showing stored settings."""
    start = settings.start_time
    reminder = settings.reminder_minutes
    return {"timezone": settings.timezone or "",
            "start_time": start.strftime("%H:%M") if start is not None else "",
            "reminder_minutes": "" if reminder is None else str(reminder)}


def _text(form: Any, key: str) -> str:
    value = form.get(key, "")
    return value.strip() if isinstance(value, str) else ""


def read_calendar_form(form: Any) -> CalendarForm:
    result = CalendarForm(values={key: _text(form, key) for key in LABELS})
    raw = result.values["reminder_minutes"]
    problems: dict[str, str] = {}
    if raw:
        try:
            result.reminder_minutes = int(raw)
        except ValueError:
            problems["reminder_minutes"] = (
                f"enter a whole number of minutes from 0 to {MAX_REMINDER_MINUTES}, or "
                "leave it empty for no reminder")
    _, found = calendar_settings_problems(result.values["timezone"],
                                          result.values["start_time"], result.reminder_minutes)
    problems = {**found, **problems}
    for name in LABELS:
        if name in problems:
            result.labelled(name, problems[name])
    return result

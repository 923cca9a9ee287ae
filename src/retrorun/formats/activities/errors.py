"""The one exception readers raise for a file they refuse; the registry turns it into Refused."""

from __future__ import annotations

from retrorun.formats.activities.model import RefusalReason
from retrorun.formats.errors import FormatError


class ActivityRefusal(FormatError):
    def __init__(self, reason: RefusalReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message

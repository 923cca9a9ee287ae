"""Errors the exporters and readers raise; messages are meant for the user.

FormatError
├── UnknownFormat     no exporter is registered under that name
├── CalendarError     a calendar option is wrong (time zone, naive timestamp)
└── FitReadError      bytes that are not a clean FIT workout file
"""

from __future__ import annotations


class FormatError(ValueError):
    """Base of every error the formats layer raises."""


class UnknownFormat(FormatError):
    pass


class CalendarError(FormatError):
    pass


class FitReadError(FormatError):
    pass

"""Strava's bulk export: activities.csv names each file's sport, which GPX files often lack.

The CSV has (among some 80 columns) "Activity Type" (Run, Walk, Hike, Ride, ...) and
"Filename" (activities/123.gpx, activities/456.fit.gz). A file read as "generic" takes the
CSV's sport; a file that names its own sport keeps it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from retrorun.formats.activities.model import FileResult, Imported, is_on_foot

CSV_NAME = "activities.csv"
# Strava activity types (its API's `sport_type` names, as the export writes them with spaces)
# to FIT sport and sub-sport; types not listed stay generic.
STRAVA_SPORTS: dict[str, tuple[str, str | None]] = {
    "run": ("running", None), "trail run": ("running", "trail"),
    "virtual run": ("running", "treadmill"), "walk": ("walking", None),
    "hike": ("hiking", None), "ride": ("cycling", None), "virtual ride": ("cycling", None),
    "swim": ("swimming", None), "snowshoe": ("snowshoeing", None),
}


def sports_by_file(data: bytes) -> dict[str, str]:
    """Filename in the zip -> Strava activity type, from activities.csv (empty if unreadable)."""
    try:
        rows = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
        return {row["Filename"]: row["Activity Type"] for row in rows
                if row.get("Filename") and row.get("Activity Type")}
    except (UnicodeDecodeError, csv.Error, KeyError):
        return {}


def with_csv_sport(result: FileResult, strava_type: str | None) -> FileResult:
    if not isinstance(result, Imported) or strava_type is None:
        return result
    activity = result.activity
    mapped = STRAVA_SPORTS.get(strava_type.strip().lower())
    if activity.sport != "generic" or mapped is None:
        return result
    sport, sub_sport = mapped
    note = f"sport from Strava's activities.csv ({strava_type})"
    return replace(result, activity=replace(
        activity, sport=sport, sub_sport=sub_sport, on_foot=is_on_foot(sport, sub_sport),
        warnings=(*activity.warnings, note)))

"""The progress API's models: `formats.progress_json.progress_document`, typed for OpenAPI.

The document is built once (the CLI prints the same one); these models validate it so
the OpenAPI schema says what `/api/v1/progress` returns, key for key.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProgressWeek(_Strict):
    index: int
    start: dt.date
    planned_forward_min: float
    planned_backward_min: float
    done_forward_min: float
    done_backward_min: float
    sessions_planned: int
    sessions_done: int = Field(description="sessions logged done or partial")
    srpe_load: float = Field(description="session RPE x minutes done (Foster 2001)")
    pain_max: int | None = Field(description="highest pain during or next morning, 0-10")


class AdherenceWeek(_Strict):
    index: int
    sessions_due: int
    sessions_partial: int
    sessions_skipped: int
    adherence: float | None


class Adherence(_Strict):
    sessions_due: int = Field(description="sessions dated up to the athlete's today")
    sessions_done: int
    sessions_partial: int
    sessions_skipped: int
    sessions_unlogged: int
    adherence: float | None = Field(description="0-1; a partial session counts half")
    partial_counts_as: float
    weeks: list[AdherenceWeek]


class IntensityWeek(_Strict):
    index: int
    planned_easy_min: float
    planned_hard_min: float
    done_easy_min: float
    done_hard_min: float = Field(description="estimated: the planned hard part times the "
                                 "fraction of the session done")


class LoadDay(_Strict):
    date: dt.date
    load: float
    acute_mean: float
    chronic_mean: float


class Load(_Strict):
    unit: str
    acute_days: int
    chronic_days: int
    note: str
    days: list[LoadDay]


class PainEntry(_Strict):
    date: dt.date
    session_id: str
    during: int | None
    next_morning: int | None


class StageWeek(_Strict):
    index: int
    start: dt.date
    stage: Literal["walk", "jog", "run", "sprint", "none"]
    lighter: bool
    state: Literal["past", "current", "future"]
    changes: list[int] = Field(description="versions of the plan changes that start this week")


class Change(_Strict):
    version: int
    decided_on: dt.date
    effective_from: dt.date
    rule: str
    reason: str
    evidence: str
    by: str
    sessions: list[str]


class TestSessionModel(_Strict):
    session_id: str
    date: dt.date
    week: int
    title: str
    measures: list[str]


class MeasureResult(_Strict):
    date: dt.date
    session_id: str
    value: float
    change: float
    verdict: Literal["baseline", "better", "no clear change", "worse"]


class MeasureModel(_Strict):
    measure: Literal["sprint_10m_s", "sprint_20m_s", "cmj_cm", "easy_hr_bpm"]
    label: str
    unit: str
    better: Literal["lower", "higher"]
    smallest_worthwhile_change: float
    smallest_worthwhile_change_basis: str
    results: list[MeasureResult]


class FieldTests(_Strict):
    sessions: list[TestSessionModel]
    measures: list[MeasureModel]


class ProgressModel(_Strict):
    """Planned and done per week, with adherence, intensity, the load trend (descriptive
    only: no thresholds), pain, the stage timeline with the plan's changes, field tests."""

    weeks: list[ProgressWeek]
    today: dt.date
    start: dt.date
    adherence: Adherence
    intensity: list[IntensityWeek]
    load: Load
    pain: list[PainEntry]
    stages: list[StageWeek]
    changes: list[Change]
    field_tests: FieldTests


class FieldTestBody(_Strict):
    """A test session's results; a measure left out (or null) was not measured. Saving
    replaces the session's earlier results; saving none removes them."""

    sprint_10m_s: float | None = Field(None, description="10 m sprint time, seconds")
    sprint_20m_s: float | None = Field(None, description="20 m sprint time, seconds")
    cmj_cm: float | None = Field(None, description="countermovement jump height, cm")
    easy_hr_bpm: float | None = Field(None, description="heart rate at easy pace, bpm")


class FieldTestModel(_Strict):
    session_id: str
    session_date: dt.date
    values: dict[str, float]
    recorded_by: str
    updated_at: dt.datetime

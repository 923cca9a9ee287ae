"""Progress as JSON: what `retrorun progress --json` prints and `/api/v1/progress` serves.

"weeks" holds exactly the keys of issue 10 (minutes with one decimal, the week's
session-RPE load, its highest pain); the other top-level keys add adherence, intensity,
the load trend, pain, the stage timeline with the plan's changes, and field tests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from retrorun.domain.progress import ACUTE_DAYS, CHRONIC_DAYS, PARTIAL_CREDIT, PlanChange
from retrorun.formats.progress_charts import LOAD_NOTE

if TYPE_CHECKING:
    from retrorun.domain.field_tests import MeasureTrend
    from retrorun.domain.progress import Progress, WeekProgress


def _min(seconds: float) -> float:
    return round(seconds / 60, 1)


def _share(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def week_document(w: WeekProgress) -> dict[str, Any]:
    return {
        "index": w.index,
        "start": w.start.isoformat(),
        "planned_forward_min": _min(w.planned_forward_seconds),
        "planned_backward_min": _min(w.planned_backward_seconds),
        "done_forward_min": _min(w.done_forward_seconds),
        "done_backward_min": _min(w.done_backward_seconds),
        "sessions_planned": w.sessions_planned,
        "sessions_done": w.sessions_done,
        "srpe_load": round(w.srpe_load, 1),
        "pain_max": w.pain_max,
    }


def change_document(c: PlanChange) -> dict[str, Any]:
    return {"version": c.version, "decided_on": c.decided_on.isoformat(),
            "effective_from": c.effective_from.isoformat(), "rule": c.rule,
            "reason": c.reason, "evidence": c.evidence, "by": c.by,
            "sessions": list(c.sessions)}


def _measure_document(trend: MeasureTrend) -> dict[str, Any]:
    spec = trend.spec
    return {
        "measure": spec.measure.value, "label": spec.label, "unit": spec.unit,
        "better": spec.better.value, "smallest_worthwhile_change": spec.swc,
        "smallest_worthwhile_change_basis": spec.swc_basis,
        "results": [{"date": x.date.isoformat(), "session_id": x.session_id,
                     "value": x.value, "change": round(x.change, 3),
                     "verdict": x.verdict.value} for x in trend.points],
    }


def progress_document(p: Progress) -> dict[str, Any]:
    return {
        "weeks": [week_document(w) for w in p.weeks],
        "today": p.today.isoformat(),
        "start": p.start.isoformat(),
        "adherence": {
            "sessions_due": p.sessions_due, "sessions_done": p.sessions_done,
            "sessions_partial": p.sessions_partial, "sessions_skipped": p.sessions_skipped,
            "sessions_unlogged": p.sessions_unlogged, "adherence": _share(p.adherence),
            "partial_counts_as": PARTIAL_CREDIT,
            "weeks": [{"index": w.index, "sessions_due": w.sessions_due,
                       "sessions_partial": w.sessions_partial,
                       "sessions_skipped": w.sessions_skipped,
                       "adherence": _share(w.adherence)} for w in p.weeks],
        },
        "intensity": [{"index": w.index, "planned_easy_min": _min(w.planned_easy_seconds),
                       "planned_hard_min": _min(w.planned_hard_seconds),
                       "done_easy_min": _min(w.done_easy_seconds),
                       "done_hard_min": _min(w.done_hard_seconds)} for w in p.weeks],
        "load": {
            "unit": "session RPE x minutes (Foster 2001)",
            "acute_days": ACUTE_DAYS, "chronic_days": CHRONIC_DAYS, "note": LOAD_NOTE,
            "days": [{"date": d.date.isoformat(), "load": round(d.load, 1),
                      "acute_mean": round(d.acute_mean, 1),
                      "chronic_mean": round(d.chronic_mean, 1)} for d in p.days],
        },
        "pain": [{"date": x.date.isoformat(), "session_id": x.session_id,
                  "during": x.during, "next_morning": x.next_morning} for x in p.pain],
        "stages": [{"index": w.index, "start": w.start.isoformat(), "stage": w.stage.value,
                    "lighter": w.lighter, "state": w.state.value,
                    "changes": [c.version for c in w.changes]} for w in p.weeks],
        "changes": [change_document(c) for c in p.changes],
        "field_tests": {
            "sessions": [{"session_id": t.session_id, "date": t.date.isoformat(),
                          "week": t.week, "title": t.title,
                          "measures": [m.value for m in t.measures]} for t in p.tests],
            "measures": [_measure_document(t) for t in p.field_tests],
        },
    }

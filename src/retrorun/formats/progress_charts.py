"""The progress charts as views: an SVG, a one-sentence summary and the numbers behind it.

One code path for the web's progress page and the progress report PDF: both render
these `Chart`s (`templates/progress/charts.html`). The summary is the chart's text
alternative; the table holds every number the chart draws.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from retrorun.domain.field_tests import MeasureTrend, Verdict
from retrorun.domain.progress import Progress, WeekProgress
from retrorun.formats import _progress_svg as svg
from retrorun.formats._progress_svg import DateAxis, Line, PairedGroup, Part, StageCell, short

# Evidence B6: pain 0-3/10 during a session is fine; the pain summary counts what is above.
PAIN_FINE_UP_TO = 3

DIRECTION_PARTS = (Part("forward", "#c9d6df", "#3d6b85"), Part("backward", "#e8cdef", "#7a2e9a"))
INTENSITY_PARTS = (Part("easy", "#cfe3d4", "#1d6b36"), Part("hard", "#f3cdb4", "#b4410c"))
ADHERENCE_COLOUR = "#0b5cad"
DAILY_LOAD, ACUTE_LINE, CHRONIC_LINE = "#b8c2cc", "#0b5cad", "#7a2e9a"
PAIN_DURING, PAIN_MORNING = "#a3141e", "#8a4b00"
MEASURE_COLOUR = "#0b5cad"
STAGE_COLOURS = {"walk": "#3d6b85", "jog": "#7a2e9a", "run": "#b4410c", "sprint": "#1b1f24",
                 "none": "#4a5460"}

LOAD_NOTE = ("Session-RPE load is the session's effort (0-10) times its minutes (Foster "
             "2001). The 7- and 42-day averages show a trend only: there are no safe or "
             "danger zones and the ratio between them is not used to judge anything, because "
             "it does not predict injury reliably (Impellizzeri 2020; Frandsen 2025). "
             "Nothing here changes the plan.")


@dataclass(frozen=True, slots=True)
class Chart:
    key: str  # unique on the page: the figure's id is "chart-" + key
    title: str
    svg: str
    summary: str  # one sentence or two: what the chart shows, for everyone
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


def minutes(seconds: float) -> str:
    return f"{round(seconds / 60)}"


def percent(share: float | None) -> str:
    return "–" if share is None else f"{round(share * 100)} %"


def _pain(value: int | None) -> str:
    return "–" if value is None else f"{value}/10"


def progress_charts(progress: Progress) -> tuple[Chart, ...]:
    """Every chart of the progress page and report, in reading order."""
    charts = [_minutes_chart(progress), _adherence_chart(progress),
              _intensity_chart(progress), _load_chart(progress), _pain_chart(progress),
              _stage_chart(progress)]
    charts += [_measure_chart(progress, trend) for trend in progress.field_tests]
    return tuple(charts)


def _done(week: WeekProgress, *values: int) -> tuple[float, ...] | None:
    return None if week.sessions_due == 0 else tuple(v / 60 for v in values)


def _minutes_chart(p: Progress) -> Chart:
    groups = [PairedGroup(f"W{w.index}",
                          (w.planned_forward_seconds / 60, w.planned_backward_seconds / 60),
                          _done(w, w.done_forward_seconds, w.done_backward_seconds))
              for w in p.weeks]
    done_back = sum(w.done_backward_seconds for w in p.weeks)
    due = p.planned_due_seconds
    summary = (f"Up to today, {minutes(p.done_seconds)} of the {minutes(due)} minutes planned "
               f"so far were done ({percent(p.done_seconds / due if due else None)}), "
               f"{minutes(done_back)} of them backward. Each week's left bar is the plan, "
               f"the right bar what was logged." if due else
               "No session is due yet: each week's bar shows the plan; what is done appears "
               "beside it.")
    return Chart(
        "minutes", "Planned and done minutes a week, forward and backward",
        svg.paired_bars(groups, DIRECTION_PARTS, title="Planned and done minutes a week",
                        unit="min", described_by="chart-minutes-summary"),
        summary,
        ("Week", "Starts", "Planned forward", "Planned backward", "Done forward",
         "Done backward"),
        tuple((str(w.index), short(w.start), minutes(w.planned_forward_seconds),
               minutes(w.planned_backward_seconds),
               *((minutes(w.done_forward_seconds), minutes(w.done_backward_seconds))
                 if w.sessions_due else ("–", "–")))
              for w in p.weeks))


def _adherence_chart(p: Progress) -> Chart:
    if p.sessions_due:
        summary = (f"{p.sessions_done} of the {p.sessions_due} sessions due so far were done "
                   f"({p.sessions_partial} of them partly), {p.sessions_skipped} skipped and "
                   f"{p.sessions_unlogged} not logged: adherence {percent(p.adherence)}. A "
                   f"partly done session counts half.")
    else:
        summary = "No session is due yet."
    return Chart(
        "adherence", "Sessions done each week",
        svg.percent_bars([(f"W{w.index}", w.adherence) for w in p.weeks],
                         title="Adherence each week, percent", colour=ADHERENCE_COLOUR,
                         described_by="chart-adherence-summary"),
        summary,
        ("Week", "Sessions", "Due", "Done", "Of them partly", "Skipped", "Adherence"),
        tuple((str(w.index), str(w.sessions_planned), str(w.sessions_due),
               str(w.sessions_done), str(w.sessions_partial), str(w.sessions_skipped),
               percent(w.adherence)) for w in p.weeks))


def _intensity_chart(p: Progress) -> Chart:
    groups = [PairedGroup(f"W{w.index}",
                          (w.planned_easy_seconds / 60, w.planned_hard_seconds / 60),
                          _done(w, w.done_easy_seconds, w.done_hard_seconds))
              for w in p.weeks]
    planned = sum(w.planned_easy_seconds + w.planned_hard_seconds for w in p.weeks)
    hard = sum(w.planned_hard_seconds for w in p.weeks)
    done = p.done_seconds
    done_hard = sum(w.done_hard_seconds for w in p.weeks)
    summary = (f"The plan keeps {percent(hard / planned if planned else None)} of its time on "
               f"foot above easy. Done so far: {minutes(done_hard)} of {minutes(done)} "
               f"minutes above easy, estimated from how much of each session was done.")
    return Chart(
        "intensity", "Easy and hard minutes a week, planned and done",
        svg.paired_bars(groups, INTENSITY_PARTS, title="Easy and hard minutes a week",
                        unit="min", described_by="chart-intensity-summary"),
        summary,
        ("Week", "Planned easy", "Planned hard", "Done easy", "Done hard (estimated)"),
        tuple((str(w.index), minutes(w.planned_easy_seconds), minutes(w.planned_hard_seconds),
               *((minutes(w.done_easy_seconds), minutes(w.done_hard_seconds))
                 if w.sessions_due else ("–", "–")))
              for w in p.weeks))


def _axis(p: Progress) -> DateAxis:
    last_planned = max((w.start + dt.timedelta(days=6) for w in p.weeks), default=p.start)
    return DateAxis(p.start, max(p.start, min(p.today, last_planned)))


def _load_chart(p: Progress) -> Chart:
    days = p.days
    lines = (Line("7-day average", ACUTE_LINE, tuple((d.date, d.acute_mean) for d in days)),
             Line("42-day average", CHRONIC_LINE,
                  tuple((d.date, d.chronic_mean) for d in days), dash="6 3"))
    total = sum(w.srpe_load for w in p.weeks)
    unrated = sum(w.unrated_sessions for w in p.weeks)
    if total and days:
        last = days[-1]
        summary = (f"On {short(last.date)} the 7-day average was {last.acute_mean:.0f} and the "
                   f"42-day average {last.chronic_mean:.0f} a day (RPE x minutes); "
                   f"{total:.0f} in all so far.")
    else:
        summary = "No session has an RPE logged yet: the load fills in as sessions are logged."
    if unrated:
        summary += f" {unrated} session{'s' if unrated != 1 else ''} logged without an RPE " \
                   f"add{'s' if unrated == 1 else ''} no load."
    at_week_end = {d.date: d for d in days}
    rows = []
    for w in p.weeks:
        end = at_week_end.get(min(w.start + dt.timedelta(days=6), p.today))
        rows.append((str(w.index), f"{w.srpe_load:.0f}" if w.sessions_due else "–",
                     f"{end.acute_mean:.0f}" if end else "–",
                     f"{end.chronic_mean:.0f}" if end else "–", str(w.unrated_sessions)))
    has_load = any(d.load for d in days)
    return Chart(
        "load", "Session-RPE load: daily, with 7- and 42-day averages",
        svg.dated_lines(_axis(p), lines if has_load else (), title="Session-RPE load a day",
                        unit="load", daily=tuple((d.date, d.load) for d in days),
                        daily_name="a day's load",
                        empty="no session RPE logged yet",
                        described_by="chart-load-summary"),
        summary,
        ("Week", "Load", "7-day average at week end", "42-day average at week end",
         "Sessions without RPE"),
        tuple(rows), note=LOAD_NOTE)


def _pain_chart(p: Progress) -> Chart:
    during = tuple((x.date, float(x.during)) for x in p.pain if x.during is not None)
    morning = tuple((x.date, float(x.next_morning)) for x in p.pain
                    if x.next_morning is not None)
    if p.pain:
        def highest(points: tuple[tuple[dt.date, float], ...], words: str) -> str:
            if not points:
                return f"no {words} pain logged"
            day, value = max(points, key=lambda item: (item[1], item[0]))
            return f"{words} at most {value:.0f}/10 (on {short(day)})"

        above = sum(1 for x in p.pain
                    if max(x.during or 0, x.next_morning or 0) > PAIN_FINE_UP_TO)
        summary = (f"Pain {highest(during, 'during')}; {highest(morning, 'next morning')}. "
                   f"{above} of {len(p.pain)} logs with pain had some above "
                   f"{PAIN_FINE_UP_TO}/10, the level up to which pain is fine (evidence B6).")
    else:
        summary = "No pain logged yet."
    return Chart(
        "pain", "Pain during and next morning (0-10)",
        svg.dated_lines(_axis(p), (Line("during", PAIN_DURING, during, dots=True),
                                   Line("next morning", PAIN_MORNING, morning, dash="5 3",
                                        dots=True)),
                        title="Pain during and next morning, 0 to 10", unit="pain",
                        top=10.0, described_by="chart-pain-summary"),
        summary, ("Date", "Session", "During", "Next morning"),
        tuple((short(x.date), x.title or x.session_id, _pain(x.during), _pain(x.next_morning))
              for x in p.pain))


def _stage_runs(p: Progress) -> str:
    runs: list[tuple[int, int, str]] = []
    for w in p.weeks:
        if runs and runs[-1][2] == w.stage.value:
            runs[-1] = (runs[-1][0], w.index, w.stage.value)
        else:
            runs.append((w.index, w.index, w.stage.value))
    return ", ".join(f"week {a} {stage}" if a == b else f"weeks {a}-{b} {stage}"
                     for a, b, stage in runs)


def _stage_chart(p: Progress) -> Chart:
    cells = [StageCell(str(w.index), w.stage.value, STAGE_COLOURS[w.stage.value], w.lighter)
             for w in p.weeks]
    marks = [((c.effective_from - p.start).days / 7, f"v{c.version}") for c in p.changes]
    today = (p.today - p.start).days / 7 + 1 / 14  # the middle of today
    stages = [(s, STAGE_COLOURS[s], "box") for s in dict.fromkeys(w.stage.value for w in p.weeks)]
    items = [*stages, ("lighter week", svg.INK, "line:2 2"), ("today", svg.INK, "line:4 3")]
    changes = "; ".join(f"version {c.version} from {short(c.effective_from)}: {c.reason}"
                        for c in p.changes)
    summary = (f"Backward stage by week: {_stage_runs(p)}. "
               + (f"Plan changes (marked above the weeks): {changes}" if p.changes
                  else "No plan change yet."))
    by_week = {w.index: w for w in p.weeks}
    return Chart(
        "stages", "Backward stage each week, with plan changes",
        svg.stage_strip(cells, marks, today, items, title="Backward stage each week",
                        described_by="chart-stages-summary"),
        summary, ("Week", "Starts", "Stage", "Lighter week", "Changes from this week"),
        tuple((str(i), short(w.start), w.stage.value, "yes" if w.lighter else "",
               "; ".join(f"v{c.version} {c.rule}" for c in w.changes))
              for i, w in by_week.items()))


def _measure_chart(p: Progress, trend: MeasureTrend) -> Chart:
    spec = trend.spec
    points = tuple((x.date, x.value) for x in trend.points)
    band = None if trend.baseline is None else (trend.baseline - spec.swc,
                                                trend.baseline + spec.swc)
    key = f"test-{spec.measure.value.replace('_', '-')}"
    tests = [t for t in p.tests if spec.measure in t.measures]
    latest = trend.latest
    if latest is None:
        when = ", ".join(f"week {t.week} ({short(t.date)})" for t in tests)
        summary = (f"No result yet. Enter it on the test session{'s' if len(tests) > 1 else ''}"
                   f": {when}." if tests else "No result yet.")
    elif latest.verdict is Verdict.BASELINE:
        summary = (f"First result {spec.shown(latest.value)} on {short(latest.date)}: later "
                   f"tests are compared with it.")
    else:
        summary = (f"{spec.shown(trend.points[0].value)} on {short(trend.points[0].date)}, "
                   f"{spec.shown(latest.value)} on {short(latest.date)}: "
                   f"{_verdict_words(trend)}")
    return Chart(
        key, spec.label, svg.measure_chart(
            _axis(p), points, title=spec.label, unit=spec.unit, band=band,
            colour=MEASURE_COLOUR, decimals=spec.decimals, described_by=f"chart-{key}-summary"),
        summary, ("Date", "Result", "Change from the first", "Compared with the SWC"),
        tuple((short(x.date), spec.shown(x.value),
               "–" if x.verdict is Verdict.BASELINE else f"{x.change:+.{spec.decimals}f}",
               x.verdict.value) for x in trend.points),
        note=(f"Smallest worthwhile change (SWC): {spec.shown(spec.swc).strip()} "
              f"({spec.swc_basis}); {spec.better.value} is better. A change within it is "
              f"no clear change; timing by hand or a phone adds error of its own."))


def _verdict_words(trend: MeasureTrend) -> str:
    spec, latest = trend.spec, trend.latest
    assert latest is not None  # noqa: S101  (called with results)
    swc = f"the smallest worthwhile change of {spec.swc:g} {spec.unit}"
    return {Verdict.BETTER: f"better by at least {swc}.",
            Verdict.WORSE: f"worse by at least {swc}.",
            Verdict.NO_CLEAR_CHANGE: f"no clear change: within {swc}."}.get(
                latest.verdict, "")

"""The progress charts (web page and report PDF alike), their words and the JSON."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from retrorun.domain.field_tests import FieldTestResult, Measure
from retrorun.domain.progress import Completion, LoggedSession, PlanChange, progress
from retrorun.formats import _progress_svg as svg
from retrorun.formats.logs import LogStatus, SessionLog
from retrorun.formats.pdf import PdfOptions, progress_pdf
from retrorun.formats.progress_charts import progress_charts
from retrorun.formats.progress_json import progress_document
from tests.domain.test_progress import MONDAY, log, tiny_plan
from tests.formats.plans import plan_for
from tests.formats.test_pdf import page_texts

WEEK_KEYS = ["index", "start", "planned_forward_min", "planned_backward_min",
             "done_forward_min", "done_backward_min", "sessions_planned", "sessions_done",
             "srpe_load", "pain_max"]
CHANGE = PlanChange(2, MONDAY + dt.timedelta(days=7), MONDAY + dt.timedelta(days=8),
                    "pain-above-5", "Pain <b>7/10</b>: backward minutes halved.", "B6 [E*]")


def _tiny_progress() -> Any:
    logs = [log("a", 0, forward=1800, backward=360, rpe=4, pain_during=2, pain_next_morning=1),
            log("b", 3, Completion.PARTIAL, forward=1200, rpe=6, pain_during=5)]
    return progress(tiny_plan(), logs, today=MONDAY + dt.timedelta(days=9), changes=[CHANGE])


def test_each_chart_has_a_summary_and_the_numbers_it_draws() -> None:
    charts = {c.key: c for c in progress_charts(_tiny_progress())}
    assert list(charts) == ["minutes", "adherence", "intensity", "load", "pain", "stages"]
    for chart in charts.values():
        assert chart.svg.startswith("<svg")
        assert 'role="img"' in chart.svg
        assert f'aria-describedby="chart-{chart.key}-summary"' in chart.svg
        assert chart.summary.endswith(".")
        assert all(len(row) == len(chart.columns) for row in chart.rows)
    assert charts["minutes"].summary.startswith(
        "Up to today, 56 of the 96 minutes planned so far were done (58 %), 6 of them backward.")
    assert charts["minutes"].rows[0] == ("1", "2 Nov", "70", "6", "50", "6")
    assert "2 of the 3 sessions due so far were done (1 of them partly), 0 skipped and 1 " \
        "not logged: adherence 50 %" in charts["adherence"].summary
    assert "at most 5/10" in charts["pain"].summary
    assert "1 of 2 logs with pain had some above 3/10" in charts["pain"].summary
    assert "version 2 from 10 Nov" in charts["stages"].summary
    assert charts["stages"].rows[1][-1] == "v2 pain-above-5"


def test_the_load_chart_says_it_is_a_trend_and_never_a_limit() -> None:
    load = next(c for c in progress_charts(_tiny_progress()) if c.key == "load")
    assert "trend only" in load.note
    assert "no safe or danger zones" in load.note
    assert "ratio" in load.note
    assert "Nothing here changes the plan" in load.note
    for word in ("danger zone", "sweet spot", "too much"):
        assert word not in load.summary


def test_a_chart_figure_escapes_what_it_is_given() -> None:
    charts = progress_charts(_tiny_progress())
    stages = next(c for c in charts if c.key == "stages")
    html = render_macro(stages, screen=True)
    assert "<b>7/10</b>" not in html
    assert "&lt;b&gt;7/10&lt;/b&gt;" in html
    assert "<details>" in html
    assert 'id="chart-stages-summary"' in html
    assert "<details>" not in render_macro(stages, screen=False)


def render_macro(chart: Any, *, screen: bool) -> str:
    from retrorun.formats.templating import _environment

    module = _environment().get_template("progress/charts.html").module
    return str(module.chart_figure(chart, screen=screen))  # type: ignore[attr-defined]


def test_field_tests_get_a_chart_each_against_the_swc() -> None:
    plan = plan_for("speed-power-8")
    tests = [s for s in plan.sessions if s.id.endswith("field-test")]
    first, last = tests[0], tests[-1]
    results = [FieldTestResult(first.id, first.date,
                               ((Measure.SPRINT_10M, 2.10), (Measure.JUMP, 30.0))),
               FieldTestResult(last.id, last.date,
                               ((Measure.SPRINT_10M, 2.04), (Measure.JUMP, 30.4)))]
    charts = {c.key: c for c in progress_charts(
        progress(plan, [], today=last.date, field_tests=results))}
    sprint = charts["test-sprint-10m-s"]
    assert "better by at least the smallest worthwhile change of 0.02 s" in sprint.summary
    assert [row[-1] for row in sprint.rows] == ["baseline", "better"]
    assert "no clear change" in charts["test-cmj-cm"].summary
    assert "No result yet" in charts["test-sprint-20m-s"].summary
    assert "Hopkins 2004" in sprint.note
    assert "[A]" in sprint.note


def test_the_json_weeks_hold_exactly_the_issue_keys() -> None:
    document = progress_document(_tiny_progress())
    assert [list(w) for w in document["weeks"]] == [WEEK_KEYS, WEEK_KEYS]
    assert document["weeks"][0] == {
        "index": 1, "start": "2026-11-02", "planned_forward_min": 70.0,
        "planned_backward_min": 6.0, "done_forward_min": 50.0, "done_backward_min": 6.0,
        "sessions_planned": 2, "sessions_done": 2, "srpe_load": 264.0, "pain_max": 5}
    assert document["adherence"]["adherence"] == 0.5
    assert document["changes"][0]["rule"] == "pain-above-5"
    assert document["stages"][1]["changes"] == [2]
    json.dumps(document)  # plain JSON values only


_TEXT = re.compile(r'<text x="([\d.]+)" y="([\d.]+)"(?: text-anchor="(\w+)")?[^>]*>([^<]*)</text>')


def _inside(chart_svg: str) -> None:
    height = float(re.search(r'viewBox="0 0 \d+ (\d+)"', chart_svg)[1])  # type: ignore[index]
    for x, y, anchor, text in _TEXT.findall(chart_svg):
        width = svg.GLYPH * len(text.replace("&amp;", "&"))
        left = {"start": float(x), "middle": float(x) - width / 2,
                "end": float(x) - width}[anchor or "start"]
        assert left >= -0.5, (text, x, anchor)
        assert left + width <= svg.W + 0.5, (text, x, anchor)
        assert 0 < float(y) <= height, (text, y)


STARTER = plan_for("starter-8")


@settings(max_examples=25, deadline=None)
@given(st.integers(-3, 60), st.lists(st.tuples(st.integers(0, 10), st.integers(0, 3600)),
                                     max_size=24))
def test_chart_labels_stay_inside_their_charts(offset: int, entries: list[Any]) -> None:
    sessions = STARTER.sessions
    logs = [LoggedSession(s.id, s.date, Completion.DONE, seconds, 0, rpe, rpe % 11, rpe)
            for s, (rpe, seconds) in zip(sessions, entries, strict=False)]
    today = STARTER.start_date + dt.timedelta(days=offset)
    for chart in progress_charts(progress(STARTER, logs, today=today)):
        _inside(chart.svg)


def test_the_report_pdf_prints_the_progress_charts_with_changes_and_field_tests() -> None:
    plan = plan_for("speed-power-8")
    test = next(s for s in plan.sessions if s.id.endswith("field-test"))
    first = plan.sessions[0]
    logs = [SessionLog(first.id, first.date, LogStatus.DONE, 1200, 120, rpe=5, pain_during=2)]
    change = PlanChange(2, test.date, test.date + dt.timedelta(days=1), "stumble",
                        "A stumble: the next backward session repeats the stage at half volume.")
    data = progress_pdf(plan, logs, PdfOptions(generated_on=test.date),
                        changes=(change,), field_tests=(FieldTestResult(
                            test.id, test.date, ((Measure.SPRINT_10M, 2.2),)),))
    text = " ".join(page_texts(data))
    for words in ("Planned and done minutes a week", "Session-RPE load", "Backward stage "
                  "each week", "Field tests", "10 m sprint time", "First result 2.20 s",
                  "version 2 from", "not medical advice"):
        assert words in " ".join(text.split()), words

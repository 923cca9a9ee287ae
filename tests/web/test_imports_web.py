"""Imports and activities over HTTP (issue 12, item 6), on SQLite and PostgreSQL: real
watch files uploaded through the page and the API, the job's progress polled until done,
the activity page with its laps and chart, laps marked backward into the log, every bad
input a 4xx naming its field, and nothing of one athlete's seen by another."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute

from retrorun.services import import_jobs, logs, plans
from retrorun.web.app import create_app
from tests.services.watch_run import activity_fit
from tests.web._client import TestClient
from tests.web.helpers import api_headers, csrf, make_client, profile, sign_up

DATA = Path(__file__).parents[1] / "data" / "activities"
FENIX = "garmin-fenix-5-run.fit"
CORPUS = [FENIX, "run_gpxtpx.gpx", "sample.tcx", "activity-unexpected-eof.fit"]
_JOB = re.compile(r"^/imports/([0-9a-f]{32})$")


class Later:
    """A queue that only remembers, as a background worker that has not started yet."""

    def __init__(self) -> None:
        self.enqueued: list[str] = []

    def enqueue(self, job_id: str) -> None:
        self.enqueued.append(job_id)


def _signed_in(app: Any, email: str = "ann@example.com") -> TestClient:
    client = make_client(app)
    sign_up(client, email)
    return client


def _files(*names: str) -> list[tuple[str, tuple[str, bytes]]]:
    return [("files", (name, (DATA / name).read_bytes())) for name in names]


def _upload_page(client: TestClient, files: Any) -> Any:
    return client.post("/imports", data={"csrf_token": csrf(client, "/imports")},
                       files=files)


def _job_id(response: Any) -> str:
    assert response.status_code == 303, response.text
    found = _JOB.match(response.headers["location"])
    assert found, response.headers["location"]
    return found.group(1)


def test_the_upload_page_imports_real_files_and_shows_each_outcome(app: Any) -> None:
    client = _signed_in(app)
    page = client.get("/imports")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text
    assert 'href="/api/v1/imports"' in page.text  # its JSON twin
    job_id = _job_id(_upload_page(client, [*_files(*CORPUS),
                                           ("files", ("notes.txt", b"not a run"))]))
    job = client.get(f"/imports/{job_id}")
    assert job.status_code == 200
    assert "Done:" in job.text
    assert "hx-trigger" not in job.text  # finished: nothing polls
    for name in [*CORPUS, "notes.txt"]:
        assert f">{name}<" in job.text, name
    body = client.get(f"/api/v1/imports/{job_id}").json()
    statuses = {o["file"]: o["status"] for o in body["outcomes"]}
    assert statuses["notes.txt"] == "refused"
    assert statuses[FENIX] == "imported"
    assert body["status"] == "done"
    assert body["files_done"] == body["total_files"] == 5
    assert body["imported"] + body["duplicates"] + body["refused"] == len(body["outcomes"])
    fenix = next(o for o in body["outcomes"] if o["file"] == FENIX)
    assert f'href="/activities/{fenix["activity_id"]}"' in job.text
    listed = client.get("/activities")
    assert listed.status_code == 200
    assert f'/activities/{fenix["activity_id"]}' in listed.text
    assert fenix["activity_id"] in {a["id"] for a in
                                    client.get("/api/v1/activities").json()["activities"]}


def test_the_activity_page_shows_summary_laps_and_an_accessible_chart(app: Any) -> None:
    client = _signed_in(app)
    _job_id(_upload_page(client, _files(FENIX)))
    (activity,) = client.get("/api/v1/activities").json()["activities"]
    page = client.get(f"/activities/{activity['id']}")
    assert page.status_code == 200
    assert "<svg" in page.text
    assert re.search(r"<svg[^>]*role=\"img\"[^>]*aria-describedby=\"chart-activity-summary\"",
                     page.text)
    assert "<title>Pace and heart rate</title><desc>Over " in page.text
    assert "<polyline" in page.text
    assert '<table class="chart-table">' in page.text  # the numbers, for those who cannot see
    detail = client.get(f"/api/v1/activities/{activity['id']}").json()
    assert detail["laps"]
    assert page.text.count('name="laps"') == len(detail["laps"])
    assert detail["chart"]
    assert any(s["heart_rate"] for s in detail["chart"])
    assert f'{detail["distance_m"] / 1000:.2f} km' in page.text


def test_progress_polls_while_the_job_waits_and_stops_when_it_is_done(
        settings: Any, services: Any) -> None:
    later = Later()
    app = create_app(settings, dataclasses.replace(services, jobs=later))
    client = _signed_in(app)
    job_id = _job_id(_upload_page(client, _files(FENIX)))
    assert later.enqueued == [job_id]
    waiting = client.get(f"/imports/{job_id}")
    assert "Waiting to start" in waiting.text
    assert f'hx-get="/imports/{job_id}/progress"' in waiting.text
    assert 'hx-trigger="every 2s"' in waiting.text
    assert client.get(f"/api/v1/imports/{job_id}").json()["status"] == "queued"
    import_jobs.run(services.uow(), job_id=job_id, clock=services.clock)  # the worker
    fragment = client.get(f"/imports/{job_id}/progress")
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert "hx-trigger" not in fragment.text
    assert "Done:" in fragment.text
    assert f">{FENIX}<" in fragment.text


def _athlete_with_matched_run(client: TestClient) -> tuple[str, dict[str, Any]]:
    """A plan begun a week ago, and a plain watch run of its first backward session
    (laps without workout step indexes) imported through the API."""
    start = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=7)
    kept = client.put("/api/v1/plan", json=profile(start_date=start.isoformat(),
                                                   backward_stage="jog"),
                      headers=api_headers(client))
    assert kept.status_code in (200, 201), kept.text
    services = client.app.state.services  # type: ignore[attr-defined]
    plan = plans.get_plan(services.uow(), user_id=kept.json()["athlete_id"]).plan
    today = dt.datetime.now(dt.UTC).date()
    session = next(s for s in plan.sessions if s.backward_seconds and s.date < today)
    run = activity_fit(session, dt.datetime.combine(session.date, dt.time(7), tzinfo=dt.UTC),
                       with_step_index=False)
    sent = client.post("/api/v1/imports", files=[("files", ("plain.fit", run))],
                       headers=api_headers(client))
    assert sent.status_code == 202, sent.text
    assert sent.headers["location"] == f"/api/v1/imports/{sent.json()['id']}"
    (outcome,) = client.get(sent.headers["location"]).json()["outcomes"]
    assert outcome["session_id"] == session.id, outcome["message"]
    return kept.json()["athlete_id"], outcome


def test_laps_marked_backward_on_the_page_fill_the_log(app: Any) -> None:
    client = _signed_in(app)
    user_id, outcome = _athlete_with_matched_run(client)
    activity = client.get(f"/api/v1/activities/{outcome['activity_id']}").json()
    assert activity["backward_minutes"] == 0
    slow = min(lap["avg_speed_mps"] for lap in activity["laps"])
    backward = [lap for lap in activity["laps"] if lap["avg_speed_mps"] == slow]
    saved = client.post(f"/activities/{activity['id']}/laps", data={
        "csrf_token": csrf(client, "/activities"),
        "laps": [str(lap["index"]) for lap in backward]})
    assert saved.status_code == 303, saved.text
    page = client.get(saved.headers["location"].split("#")[0])
    assert "Backward laps saved" in page.text
    assert page.text.count('<span class="tag backward">backward</span>') == len(backward)
    minutes = round(sum(lap["timer_s"] for lap in backward) / 60, 1)
    after = client.get(f"/api/v1/activities/{activity['id']}").json()
    assert after["backward_minutes"] == minutes
    services = app.state.services
    log = logs.get_log(services.uow(), user_id=user_id, log_id=after["log_id"])
    assert log.backward_minutes == minutes
    # Through the API: no lap backward again.
    cleared = client.put(f"/api/v1/activities/{activity['id']}/backward-laps",
                         json={"laps": []}, headers=api_headers(client))
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["backward_minutes"] == 0


def _nul_named_upload(client: TestClient) -> Any:
    boundary = "retrorunboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
            f"filename=\"a\x00b.fit\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            f"data\r\n--{boundary}--\r\n").encode()
    return client.post("/api/v1/imports", content=body, headers={
        **api_headers(client), "Content-Type": f"multipart/form-data; boundary={boundary}"})


@pytest.mark.parametrize("case", ["none", "empty part", "huge name", "nul name", "text",
                                  "page huge name", "page text"])
def test_a_bad_upload_is_a_4xx_naming_files(app: Any, case: str) -> None:
    client = _signed_in(app)
    headers = api_headers(client)
    if case == "none":
        response = client.post("/api/v1/imports", headers=headers, data={"other": "1"})
    elif case == "empty part":
        response = _upload_page(client, [("files", ("", b""))])
    elif case == "huge name":
        response = client.post("/api/v1/imports", headers=headers,
                               files=[("files", ("r" * 400 + ".fit", b"x"))])
    elif case == "nul name":
        response = _nul_named_upload(client)
    elif case == "page huge name":
        response = _upload_page(client, [("files", ("r" * 400 + ".fit", b"x"))])
    elif case == "page text":
        response = client.post("/imports", data={"csrf_token": csrf(client, "/imports"),
                                                 "files": "text"})
    else:
        response = client.post("/api/v1/imports", headers=headers, data={"files": "text"})
    assert 400 <= response.status_code < 500, response.text
    if response.headers["content-type"].startswith("application/json"):
        # "files", or "files.0" for the first of them (errors: dotted for list items)
        assert response.json()["error"]["field"].split(".")[0] == "files", response.text
    else:
        assert "Files:" in response.text
    assert client.get("/api/v1/imports").json()["jobs"] == []


def test_empty_and_garbage_files_are_refused_by_name_not_a_500(app: Any) -> None:
    client = _signed_in(app)
    sent = client.post("/api/v1/imports", headers=api_headers(client), files=[
        ("files", ("empty.fit", b"")), ("files", ("junk.gpx", b"\x00\xff" * 500)),
        ("files", ("bomb.zip", b"PK\x03\x04" + b"\x00" * 100))])
    assert sent.status_code == 202, sent.text
    outcomes = client.get(sent.headers["location"]).json()["outcomes"]
    assert [o["status"] for o in outcomes] == ["refused"] * 3
    for outcome in outcomes:
        assert outcome["file"] in outcome["message"]


def test_a_zip_of_good_and_bad_files_reports_each_member_by_name(app: Any) -> None:
    client = _signed_in(app)
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as bundle:
        for name in CORPUS:
            bundle.write(DATA / name, f"activities/{name}")
        bundle.writestr("activities/broken.gpx", "<gpx><trk><trkseg><trkpt lat=")
    job_id = _job_id(_upload_page(client, [("files", ("export.zip", packed.getvalue()))]))
    outcomes = client.get(f"/api/v1/imports/{job_id}").json()["outcomes"]
    by_file = {o["file"]: o for o in outcomes}
    assert set(by_file) == {f"export.zip/{name}" for name in [*CORPUS, "broken.gpx"]}
    assert by_file[f"export.zip/{FENIX}"]["status"] == "imported"
    assert by_file["export.zip/broken.gpx"]["status"] == "refused"
    assert "broken.gpx" in by_file["export.zip/broken.gpx"]["message"]
    page = client.get(f"/imports/{job_id}")
    assert ">export.zip/broken.gpx<" in page.text


def test_uploads_may_pass_the_apps_body_limit_and_other_requests_may_not(app: Any) -> None:
    client = _signed_in(app)
    limit = app.state.settings.max_body_bytes
    big = (DATA / FENIX).read_bytes() + b"\x00" * (limit + 1024)  # a FIT with trailing junk
    sent = client.post("/api/v1/imports", headers=api_headers(client),
                       files=[("files", ("big.fit", big))])
    assert sent.status_code == 202, sent.text
    other = client.put("/api/v1/plan", content=b" " * (limit + 1024),
                       headers={**api_headers(client), "Content-Type": "application/json"})
    assert other.status_code == 413


@pytest.mark.parametrize("laps", [[999], [-1], ["x"], [True]])
def test_a_lap_that_is_not_there_is_a_422_naming_laps(app: Any, laps: list[Any]) -> None:
    client = _signed_in(app)
    _job_id(_upload_page(client, _files(FENIX)))
    (activity,) = client.get("/api/v1/activities").json()["activities"]
    response = client.put(f"/api/v1/activities/{activity['id']}/backward-laps",
                          json={"laps": laps}, headers=api_headers(client))
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"].split(".")[0] == "laps", response.text
    page = client.post(f"/activities/{activity['id']}/laps", data={
        "csrf_token": csrf(client, "/activities"), "laps": [str(v) for v in laps]})
    assert page.status_code == 422, page.text
    assert "Backward laps:" in page.text


def _routes_with(app: Any, names: set[str]) -> list[APIRoute]:
    found = []
    for route in app.routes:
        inner = getattr(route, "original_router", None)
        for item in inner.routes if inner is not None else [route]:
            if isinstance(item, APIRoute) and set(item.param_convertors) & names:
                found.append(item)
    return found


def test_a_stranger_gets_not_found_on_every_job_and_activity_route(app: Any) -> None:
    athlete = _signed_in(app)
    job_id = _job_id(_upload_page(athlete, _files(FENIX)))
    (activity,) = athlete.get("/api/v1/activities").json()["activities"]
    before = athlete.get(f"/api/v1/activities/{activity['id']}").json()
    ids = {"job_id": job_id, "activity_id": activity["id"]}
    stranger = _signed_in(app, "eve@example.com")
    token = csrf(stranger)
    checked = 0
    for route in _routes_with(app, set(ids)):
        url = route.path.format(**ids)
        for method in route.methods or ():
            if route.path.startswith("/api/"):
                response = stranger.request(method, url, json={"laps": [0]},
                                            headers={"X-CSRF-Token": token})
            elif method == "POST":
                response = stranger.post(url, data={"csrf_token": token, "laps": "0"})
            else:
                response = stranger.get(url)
            assert response.status_code == 404, (method, url, response.text)
            checked += 1
    assert checked == 7
    assert stranger.get("/api/v1/activities").json()["activities"] == []
    assert stranger.get("/api/v1/imports").json()["jobs"] == []
    assert athlete.get(f"/api/v1/activities/{activity['id']}").json() == before


def test_signed_out_the_pages_ask_to_sign_in_and_the_api_answers_401(app: Any) -> None:
    client = make_client(app)
    assert client.get("/imports").status_code in (302, 303, 401)
    assert client.get("/api/v1/activities").status_code == 401
    sent = client.post("/api/v1/imports", files=_files(FENIX))
    assert sent.status_code == 401


def test_the_api_is_in_the_openapi(app: Any) -> None:
    paths = make_client(app).get("/api/v1/openapi.json").json()["paths"]
    assert "multipart/form-data" in paths["/api/v1/imports"]["post"]["requestBody"]["content"]
    for path in ("/api/v1/imports/{job_id}", "/api/v1/activities",
                 "/api/v1/activities/{activity_id}",
                 "/api/v1/activities/{activity_id}/backward-laps"):
        assert path in paths, path
    assert "/imports" not in paths  # pages stay out of the API

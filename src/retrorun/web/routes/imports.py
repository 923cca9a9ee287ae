"""Watch-file imports and activities (issue 12): the upload page, the job's progress
(an htmx fragment polled until the job is done, whether the queue ran it at once or a
worker runs it later), the activities, an activity's laps and chart; and their JSON twins
under /api/v1.

Uploads are larger than any other request: `UploadBodyLimit` gives the two upload paths
the upload cap and every other path the app's RETRORUN_MAX_BODY_BYTES.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any, Protocol, cast

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, StrictInt
from starlette.datastructures import UploadFile as StarletteUpload

from retrorun.formats.activities.limits import MAX_UPLOAD_BYTES, MIB
from retrorun.formats.activity_chart import activity_chart, bucketed, duration, km, pace_text
from retrorun.services import activities, import_jobs
from retrorun.services.activities import ActivityDetail
from retrorun.services.activity_records import ActivityLap, ActivityRecord, ImportJobRecord
from retrorun.services.errors import InvalidInput
from retrorun.services.import_jobs import JobQueue
from retrorun.web.body_limit import RequestGuard
from retrorun.web.deps import Ctx, Form, User, flash, optional_user, render
from retrorun.web.errors import ERROR_RESPONSES, ErrorResponse

if TYPE_CHECKING:
    from collections.abc import Iterable

    from fastapi.templating import Jinja2Templates
    from starlette.types import ASGIApp, Receive, Scope, Send

router = APIRouter(include_in_schema=False, dependencies=[Depends(optional_user)])
api_router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)

UPLOAD_PATHS = frozenset({"/imports", "/api/v1/imports"})
# The readers' own cap on one upload (formats.activities.limits), and [A] 1 MiB more for
# the multipart framing and the other fields.
UPLOAD_BODY_BYTES = MAX_UPLOAD_BYTES + MIB
POLL_SECONDS = 2  # [A] how often the job page asks how far the job got
FINISHED = frozenset({"done", "failed"})


class UploadBodyLimit:
    """`RequestGuard` with the upload cap on POSTs to the upload paths, else the app's."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int,
                 templates: Jinja2Templates) -> None:
        self.default = RequestGuard(app, max_body_bytes=max_body_bytes, templates=templates)
        self.uploads = RequestGuard(app, max_body_bytes=max(max_body_bytes, UPLOAD_BODY_BYTES),
                                    templates=templates)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        upload = (scope["type"] == "http" and scope.get("method") == "POST"
                  and scope["path"] in UPLOAD_PATHS)
        await (self.uploads if upload else self.default)(scope, receive, send)


def _uploads(files: Iterable[object]) -> list[tuple[str, bytes]]:
    """(name, bytes) of every file sent; a file input left empty sends a nameless, empty
    part, which is no file."""
    out = []
    for item in files:
        if not isinstance(item, StarletteUpload):
            raise InvalidInput("files", "must be files sent as multipart/form-data")
        data = item.file.read()
        item.file.close()  # a page's form is the handler's to close; its spool goes now
        if item.filename or data:
            out.append((item.filename or "upload", data))
    return out


class _Queued(Protocol):
    @property
    def jobs(self) -> JobQueue: ...


def _submit(ctx: Ctx, user: User, files: Iterable[object]) -> ImportJobRecord:
    # bootstrap.Services has the queue; the web's Services protocol does not name it yet.
    queue = cast("_Queued", ctx).jobs
    return import_jobs.submit(ctx.uow(), user_id=user.id, uploads=_uploads(files),
                              clock=ctx.clock, queue=queue)


# --- view models for the templates: every number formatted here ---------------------

def _when(value: object) -> str:  # an outcome's start: our own isoformat(), or None
    if not isinstance(value, str):
        return "–"
    return dt.datetime.fromisoformat(value).strftime("%a %d %b %Y %H:%M")


def outcome_row(outcome: dict[str, Any]) -> dict[str, Any]:
    distance = outcome.get("distance_m")
    minutes = outcome.get("backward_minutes")
    return {**outcome, "start_text": _when(outcome.get("start")),
            "distance_text": km(distance if isinstance(distance, int | float) else None),
            "backward_text": "–" if minutes is None else f"{minutes:g}"}


def job_context(job: ImportJobRecord) -> dict[str, Any]:
    return {"job": job, "finished": job.status in FINISHED, "poll_seconds": POLL_SECONDS,
            "rows": [outcome_row(o) for o in job.outcomes]}


def _lap_rows(record: ActivityRecord) -> list[dict[str, Any]]:
    rows = []
    for index, lap in enumerate(record.laps):
        speed = lap.avg_speed_mps or (lap.distance_m / lap.seconds
                                      if lap.distance_m and lap.seconds else None)
        rows.append({"index": index, "number": index + 1, "backward": lap.backward,
                     "start": duration((lap.start - record.start).total_seconds()),
                     "time": duration(lap.seconds), "distance": km(lap.distance_m),
                     "pace": pace_text(1000 / speed / 60) if speed else "–",
                     "heart_rate": lap.avg_heart_rate or "–",
                     "step": "–" if lap.wkt_step_index is None else lap.wkt_step_index + 1})
    return rows


def backward_spans(record: ActivityRecord) -> list[tuple[float, float]]:
    starts = [((lap.start - record.start).total_seconds(), lap) for lap in record.laps]
    return [(start, start + lap.elapsed_s) for start, lap in starts if lap.backward]


def _activity_context(detail: ActivityDetail) -> dict[str, Any]:
    record = detail.record
    return {"activity": record, "log_id": detail.log_id, "laps": _lap_rows(record),
            "chart": activity_chart(detail.streams, backward_spans(record)),
            "start": record.local_start.strftime("%a %d %b %Y %H:%M"),
            "distance": km(record.distance_m), "elapsed": duration(record.elapsed_s),
            "moving": duration(record.moving_s),
            "backward_minutes": f"{record.backward_seconds / 60:.1f}".removesuffix(".0")}


def _list_rows(records: Iterable[ActivityRecord]) -> list[dict[str, Any]]:
    return [{"id": r.id, "start": r.local_start.strftime("%a %d %b %Y %H:%M"),
             "sport": r.sport, "distance": km(r.distance_m), "time": duration(r.elapsed_s),
             "file": r.file_name, "session_id": r.session_id,
             "backward": f"{r.backward_seconds / 60:.1f}".removesuffix(".0")}
            for r in records]


# --- pages ---------------------------------------------------------------------------

def _upload_page(request: Request, ctx: Ctx, user: User, error: str = "",
                 status: int = 200) -> Response:
    jobs = import_jobs.list_jobs(ctx.uow(), user_id=user.id)
    return render(request, "imports.html", {"jobs": jobs[:10], "error": error},
                  status=status, json_twin="/api/v1/imports")


@router.get("/imports", response_class=HTMLResponse)
def upload_page(request: Request, ctx: Ctx, user: User) -> Response:
    return _upload_page(request, ctx, user)


@router.post("/imports", response_class=HTMLResponse)
def upload(request: Request, ctx: Ctx, user: User, body: Form) -> Response:
    try:
        job = _submit(ctx, user, body.getlist("files"))
    except InvalidInput as error:
        return _upload_page(request, ctx, user, f"Files: {error.message}", status=422)
    return RedirectResponse(f"/imports/{job.id}", status_code=303)


@router.get("/imports/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, ctx: Ctx, user: User, job_id: str) -> Response:
    job = import_jobs.get_job(ctx.uow(), user_id=user.id, job_id=job_id)
    return render(request, "import_job.html", job_context(job),
                  json_twin=f"/api/v1/imports/{job.id}")


@router.get("/imports/{job_id}/progress", response_class=HTMLResponse)
def job_progress(request: Request, ctx: Ctx, user: User, job_id: str) -> Response:
    """The part of the job page that changes, for htmx to poll."""
    job = import_jobs.get_job(ctx.uow(), user_id=user.id, job_id=job_id)
    return render(request, "_import_progress.html", job_context(job))


@router.get("/activities", response_class=HTMLResponse)
def activities_page(request: Request, ctx: Ctx, user: User) -> Response:
    records = activities.list_activities(ctx.uow(), user_id=user.id)
    return render(request, "activities.html", {"rows": _list_rows(records)},
                  json_twin="/api/v1/activities")


@router.get("/activities/{activity_id}", response_class=HTMLResponse)
def activity_page(request: Request, ctx: Ctx, user: User, activity_id: str) -> Response:
    detail = activities.get_activity(ctx.uow(), user_id=user.id, activity_id=activity_id)
    return render(request, "activity.html", _activity_context(detail),
                  json_twin=f"/api/v1/activities/{activity_id}")


def _lap_numbers(values: Iterable[object]) -> list[int]:
    out = []
    for value in values:
        if not isinstance(value, str) or not value.isdigit() or len(value) > 6:
            raise InvalidInput("laps", f"got {str(value)[:20]!r}; a lap is named by its number")
        out.append(int(value))
    return out


@router.post("/activities/{activity_id}/laps", response_class=HTMLResponse)
def mark_laps(request: Request, ctx: Ctx, user: User, activity_id: str,
              body: Form) -> Response:
    detail = activities.get_activity(ctx.uow(), user_id=user.id, activity_id=activity_id)
    try:
        detail = activities.mark_backward(
            ctx.uow(), user_id=user.id, activity_id=activity_id, clock=ctx.clock,
            lap_indexes=_lap_numbers(body.getlist("laps")))
    except InvalidInput as error:
        return render(request, "activity.html", {**_activity_context(detail),
                      "error": f"Backward laps: {error.message}"}, status=422)
    minutes = f"{detail.record.backward_seconds / 60:.1f}".removesuffix(".0")
    logged = " The session's log now says so; the plan adapts." if detail.log_id else ""
    flash(request, f"Backward laps saved: {minutes} backward minutes.{logged}")
    return RedirectResponse(f"/activities/{activity_id}#laps", status_code=303)


# --- JSON ----------------------------------------------------------------------------

class OutcomeModel(BaseModel):
    """One file's outcome: the keys `retrorun import --json` prints."""

    file: str
    status: str
    sport: str | None = None
    start: dt.datetime | None = None
    distance_m: float | None = None
    elapsed_s: float | None = None
    records: int | None = None
    session_id: str | None = None
    backward_minutes: float | None = None
    message: str
    activity_id: str | None = None


class JobModel(BaseModel):
    id: str
    status: str  # queued, running, done or failed
    total_files: int
    files_done: int
    imported: int
    duplicates: int
    refused: int
    message: str
    created_at: dt.datetime
    updated_at: dt.datetime
    outcomes: list[OutcomeModel]


class JobsModel(BaseModel):
    jobs: list[JobModel]


def _job(job: ImportJobRecord) -> JobModel:
    fields = {f.name: getattr(job, f.name) for f in dataclasses.fields(job)
              if f.name in JobModel.model_fields and f.name != "outcomes"}
    return JobModel(**fields, outcomes=[OutcomeModel.model_validate(o)
                                        for o in job.outcomes])


class LapModel(BaseModel):
    index: int
    start: dt.datetime
    elapsed_s: float
    timer_s: float | None
    distance_m: float | None
    avg_heart_rate: int | None
    avg_speed_mps: float | None
    wkt_step_index: int | None
    backward: bool


class ActivitySummaryModel(BaseModel):
    id: str
    file_name: str
    source_format: str
    sport: str
    start: dt.datetime  # local time with its offset, where the file gives one
    elapsed_s: float
    moving_s: float | None
    distance_m: float | None
    records: int
    avg_heart_rate: float | None
    session_id: str | None
    session_date: dt.date | None
    backward_minutes: float


class SampleModel(BaseModel):
    time_s: int
    pace_min_per_km: float | None
    heart_rate: float | None


class ActivityModel(ActivitySummaryModel):
    log_id: str | None
    device: str | None
    warnings: list[str]
    laps: list[LapModel]
    chart: list[SampleModel]  # the samples averaged as the page's chart draws them


class ActivitiesModel(BaseModel):
    activities: list[ActivitySummaryModel]


class BackwardLapsBody(BaseModel):
    """The laps (their `index`) that were run backward; every other lap is forward."""

    model_config = ConfigDict(extra="forbid")
    laps: list[StrictInt]  # a JSON true is not lap 1


def _summary(r: ActivityRecord) -> dict[str, Any]:
    return {"id": r.id, "file_name": r.file_name, "source_format": r.source_format,
            "sport": r.sport, "start": r.local_start, "elapsed_s": r.elapsed_s,
            "moving_s": r.moving_s, "distance_m": r.distance_m, "records": r.records,
            "avg_heart_rate": r.avg_heart_rate, "session_id": r.session_id,
            "session_date": r.session_date,
            "backward_minutes": round(r.backward_seconds / 60, 1)}


def _lap(index: int, lap: ActivityLap) -> LapModel:
    return LapModel(index=index, **{f.name: getattr(lap, f.name) for f in dataclasses.fields(lap)})


def _activity(detail: ActivityDetail) -> ActivityModel:
    r = detail.record
    return ActivityModel(
        **_summary(r), log_id=detail.log_id, device=r.device, warnings=list(r.warnings),
        laps=[_lap(i, lap) for i, lap in enumerate(r.laps)],
        chart=[SampleModel(time_s=b.start_s, pace_min_per_km=b.pace, heart_rate=b.heart_rate)
               for b in bucketed(detail.streams)])


# Read as a form (as the page's), not FastAPI File parameters: any bytes are a file, so
# the schema names no type a fuzzer could "violate" with a JSON object as a file's bytes.
UPLOAD_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["files"], "properties": {"files": {
        "type": "array", "minItems": 1, "maxItems": import_jobs.MAX_FILES_PER_UPLOAD,
        "description": "FIT, GPX or TCX files, .gz of them, or zips of many (a Strava or "
                       "Garmin export), each a part with a filename",
        "items": {"contentMediaType": "application/octet-stream"}}}}}}}


@api_router.post("/imports", status_code=202, response_model=JobModel, tags=["imports"],
                 openapi_extra={"requestBody": UPLOAD_BODY}, responses={400: {
                     "model": ErrorResponse, "description": "A malformed multipart body"}})
def submit_import(ctx: Ctx, user: User, body: Form) -> JSONResponse:
    """Queue an import of the files (twin of the upload page); poll the job it answers
    at its Location until `status` is done. A part without a filename is refused."""
    job = _submit(ctx, user, body.getlist("files"))
    return JSONResponse(_job(job).model_dump(mode="json"), status_code=202,
                        headers={"Location": f"/api/v1/imports/{job.id}"})


@api_router.get("/imports", response_model=JobsModel, tags=["imports"])
def my_imports(ctx: Ctx, user: User) -> JobsModel:
    """The athlete's import jobs, newest first."""
    return JobsModel(jobs=[_job(j) for j in import_jobs.list_jobs(ctx.uow(), user_id=user.id)])


@api_router.get("/imports/{job_id}", response_model=JobModel, tags=["imports"])
def my_import(job_id: str, ctx: Ctx, user: User) -> JobModel:
    """How far the import got, and each file's outcome (twin of /imports/{job_id})."""
    return _job(import_jobs.get_job(ctx.uow(), user_id=user.id, job_id=job_id))


@api_router.get("/activities", response_model=ActivitiesModel, tags=["activities"])
def my_activities(ctx: Ctx, user: User) -> ActivitiesModel:
    """The athlete's imported activities, newest first (twin of /activities)."""
    records = activities.list_activities(ctx.uow(), user_id=user.id)
    return ActivitiesModel(activities=[ActivitySummaryModel(**_summary(r)) for r in records])


@api_router.get("/activities/{activity_id}", response_model=ActivityModel,
                tags=["activities"])
def my_activity(activity_id: str, ctx: Ctx, user: User) -> ActivityModel:
    """One activity with its laps and its chart's samples (twin of /activities/{id})."""
    return _activity(activities.get_activity(ctx.uow(), user_id=user.id,
                                             activity_id=activity_id))


@api_router.put("/activities/{activity_id}/backward-laps", response_model=ActivityModel,
                tags=["activities"])
def mark_my_laps(activity_id: str, body: BackwardLapsBody, ctx: Ctx,
                 user: User) -> ActivityModel:
    """Mark exactly these laps as backward; the matched session's log follows and the
    plan adapts."""
    return _activity(activities.mark_backward(ctx.uow(), user_id=user.id,
                                              activity_id=activity_id,
                                              lap_indexes=body.laps, clock=ctx.clock))

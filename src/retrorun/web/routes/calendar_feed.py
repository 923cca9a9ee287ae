"""The calendar subscription feed, where the athlete finds (and rotates) its URL, and
their calendar settings (all-day or timed events, time zone, reminder).

`GET /calendar/{token}.ics` needs no sign-in: calendar apps carry no cookies, so the
secret token in the URL is the credential. It answers ETag / If-None-Match, because
calendar apps poll every few minutes to hours and an unchanged plan should cost a 304.
"""

from typing import Any

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StrictInt

from retrorun.formats.ics import etag_matches
from retrorun.services import calendar_feed
from retrorun.services.errors import InvalidInput
from retrorun.services.records import CalendarSettings
from retrorun.web.calendar_form import LABELS, form_values, read_calendar_form
from retrorun.web.deps import Ctx, Form, User, flash, optional_user, render
from retrorun.web.errors import ERROR_RESPONSES

feed_router = APIRouter(include_in_schema=False)
page_router = APIRouter(include_in_schema=False, dependencies=[Depends(optional_user)])
api_router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES, tags=["calendar"])

# Clients may keep the feed but must ask again (with If-None-Match) before using it;
# "private": the URL is a secret, so no shared cache should hold the plan.
FEED_CACHE_CONTROL = "private, no-cache"


class CalendarFeed(BaseModel):
    """Where a calendar app subscribes to the plan; anyone with the URL can read it.

    The URL is given once, when made or rotated: only a hash of its token is kept. Later
    reads answer null (rotate to get a new URL; the old one then stops working).
    """

    url: str | None = Field(description="null: made earlier, rotate to see a new one")
    webcal_url: str | None


class CalendarSettingsModel(BaseModel):
    """How the athlete's calendar shows sessions, in the feed and in ICS downloads."""

    timezone: str | None = Field(
        None, max_length=64, examples=["Europe/Berlin"],
        description="IANA time zone name; required when start_time is set")
    start_time: str | None = Field(
        None, max_length=8, examples=["07:30"],
        description="HH:MM, local time each session starts; null: all-day events")
    # Strict: JSON false is not 0 minutes (the schema says integer or null).
    reminder_minutes: StrictInt | None = Field(
        None, ge=0, le=calendar_feed.MAX_REMINDER_MINUTES, examples=[30],
        description="A reminder this many minutes before each session; null: none "
                    "(for all-day events, counted back from midnight)")


class CalendarSettingsBody(CalendarSettingsModel):
    """The whole setting: a field left out is cleared."""

    model_config = ConfigDict(extra="forbid")


class CalendarSettingsOut(CalendarSettingsModel):
    all_day: bool = Field(description="True when events are all-day (no start_time)")


def settings_out(settings: CalendarSettings) -> CalendarSettingsOut:
    start = settings.start_time
    return CalendarSettingsOut(
        timezone=settings.timezone,
        start_time=start.strftime("%H:%M") if start is not None else None,
        reminder_minutes=settings.reminder_minutes, all_day=not settings.timed)


def feed_urls(request: Request, token: str | None) -> CalendarFeed:
    if token is None:
        return CalendarFeed(url=None, webcal_url=None)
    base: str = request.app.state.settings.public_url
    url = f"{base}/calendar/{token}.ics"
    # webcal:// makes a click open the calendar app's "subscribe" dialog.
    return CalendarFeed(url=url, webcal_url="webcal://" + url.split("://", 1)[-1])


# HEAD too: some calendar clients ask for the headers (ETag) before fetching.
@feed_router.api_route("/calendar/{token}.ics", methods=["GET", "HEAD"])
def feed(request: Request, ctx: Ctx, token: str,
         if_none_match: str | None = Header(None)) -> Response:
    data, tag = calendar_feed.feed_calendar(
        ctx.uow(), token=token, url=request.app.state.settings.plan_url)
    headers = {"ETag": tag, "Cache-Control": FEED_CACHE_CONTROL}
    if etag_matches(if_none_match, tag):
        return Response(status_code=304, headers=headers)
    return Response(data, media_type="text/calendar; charset=utf-8", headers=headers)


def _feed_page(request: Request, ctx: Ctx, user: User, *, values: dict[str, str] | None = None,
               errors: dict[str, str] | None = None, status: int = 200,
               token: str | None = None) -> Response:
    if token is None:
        token = calendar_feed.get_or_create_feed_token(ctx.uow(), user_id=user.id,
                                                       tokens=ctx.tokens, clock=ctx.clock)
    settings = calendar_feed.get_calendar_settings(ctx.uow(), user_id=user.id)
    context: dict[str, Any] = {
        "feed": feed_urls(request, token), "settings": settings, "labels": LABELS,
        "values": values if values is not None else form_values(settings),
        "errors": errors or {}, "zones": calendar_feed.time_zone_names(),
        "max_reminder": calendar_feed.MAX_REMINDER_MINUTES}
    return render(request, "calendar_feed.html", context, status=status,
                  json_twin="/api/v1/calendar-feed")


@page_router.get("/plan/calendar-feed", response_class=HTMLResponse)
def feed_page(request: Request, ctx: Ctx, user: User) -> Response:
    return _feed_page(request, ctx, user)


@page_router.post("/plan/calendar-feed/settings", response_class=HTMLResponse)
def settings_page(request: Request, ctx: Ctx, user: User, body: Form) -> Response:
    form = read_calendar_form(body)
    if not form.errors:
        try:
            calendar_feed.set_calendar_settings(
                ctx.uow(), user_id=user.id, timezone=form.values["timezone"],
                start_time=form.values["start_time"],
                reminder_minutes=form.reminder_minutes, clock=ctx.clock)
        except InvalidInput as error:  # the form checked the same rules; a safety net
            form.labelled(error.field, error.message)
    if form.errors:
        return _feed_page(request, ctx, user, values=form.values, errors=form.errors,
                          status=422)
    flash(request, "Calendar settings saved. Subscribed calendars show the change at "
                   "their next refresh; a downloaded file needs downloading again.")
    return RedirectResponse("/plan/calendar-feed", status_code=303)


@page_router.post("/plan/calendar-feed/rotate", response_class=HTMLResponse)
def rotate_page(request: Request, ctx: Ctx, user: User) -> Response:
    token = calendar_feed.rotate_feed_token(ctx.uow(), user_id=user.id, tokens=ctx.tokens,
                                            clock=ctx.clock)
    # Shown in this answer only (no redirect: a flash would carry the secret in the
    # readable cookie, and the next page cannot show it again).
    flash(request, "New calendar link made. The old link no longer works: "
                   "subscribe again with the new one.")
    return _feed_page(request, ctx, user, token=token)


@api_router.get("/calendar-feed")
def get_feed(request: Request, ctx: Ctx, user: User) -> CalendarFeed:
    """The signed-in athlete's calendar subscription URL, made and given on the first
    request only; later requests answer null URLs (rotate for a new one)."""
    token = calendar_feed.get_or_create_feed_token(ctx.uow(), user_id=user.id,
                                                   tokens=ctx.tokens, clock=ctx.clock)
    return feed_urls(request, token)


@api_router.post("/calendar-feed/rotate")
def rotate_feed(request: Request, ctx: Ctx, user: User) -> CalendarFeed:
    """Replace the subscription URL; the old one stops working at once."""
    token = calendar_feed.rotate_feed_token(ctx.uow(), user_id=user.id, tokens=ctx.tokens,
                                            clock=ctx.clock)
    return feed_urls(request, token)


@api_router.get("/calendar-feed/settings")
def get_settings(ctx: Ctx, user: User) -> CalendarSettingsOut:
    """How the signed-in athlete's calendar shows sessions (all-day until set)."""
    return settings_out(calendar_feed.get_calendar_settings(ctx.uow(), user_id=user.id))


@api_router.put("/calendar-feed/settings")
def put_settings(ctx: Ctx, user: User, body: CalendarSettingsBody) -> CalendarSettingsOut:
    """Replace the calendar settings; every event in the feed changes (SEQUENCE goes up).

    422 names the field at fault; nothing is stored then.
    """
    saved = calendar_feed.set_calendar_settings(
        ctx.uow(), user_id=user.id, timezone=body.timezone, start_time=body.start_time,
        reminder_minutes=body.reminder_minutes, clock=ctx.clock)
    return settings_out(saved)

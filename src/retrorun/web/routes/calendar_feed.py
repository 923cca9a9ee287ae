"""The calendar subscription feed, and where the athlete finds (and rotates) its URL.

`GET /calendar/{token}.ics` needs no sign-in: calendar apps carry no cookies, so the
secret token in the URL is the credential. It answers ETag / If-None-Match, because
calendar apps poll every few minutes to hours and an unchanged plan should cost a 304.
"""

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from retrorun.formats.ics import etag_matches
from retrorun.services import calendar_feed
from retrorun.web.deps import Ctx, User, flash, optional_user, render
from retrorun.web.errors import ERROR_RESPONSES

feed_router = APIRouter(include_in_schema=False)
page_router = APIRouter(include_in_schema=False, dependencies=[Depends(optional_user)])
api_router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES, tags=["calendar"])

# Clients may keep the feed but must ask again (with If-None-Match) before using it;
# "private": the URL is a secret, so no shared cache should hold the plan.
FEED_CACHE_CONTROL = "private, no-cache"


class CalendarFeed(BaseModel):
    """Where a calendar app subscribes to the plan; anyone with the URL can read it."""

    url: str
    webcal_url: str


def feed_urls(request: Request, token: str) -> CalendarFeed:
    base: str = request.app.state.settings.public_url
    url = f"{base}/calendar/{token}.ics"
    # webcal:// makes a click open the calendar app's "subscribe" dialog.
    return CalendarFeed(url=url, webcal_url="webcal://" + url.split("://", 1)[-1])


@feed_router.get("/calendar/{token}.ics")
def feed(request: Request, ctx: Ctx, token: str,
         if_none_match: str | None = Header(None)) -> Response:
    data, tag = calendar_feed.feed_calendar(
        ctx.uow(), token=token, url=request.app.state.settings.public_url + "/plan")
    headers = {"ETag": tag, "Cache-Control": FEED_CACHE_CONTROL}
    if etag_matches(if_none_match, tag):
        return Response(status_code=304, headers=headers)
    return Response(data, media_type="text/calendar; charset=utf-8", headers=headers)


@page_router.get("/plan/calendar-feed", response_class=HTMLResponse)
def feed_page(request: Request, ctx: Ctx, user: User) -> Response:
    token = calendar_feed.get_or_create_feed_token(ctx.uow(), user_id=user.id,
                                                   tokens=ctx.tokens, clock=ctx.clock)
    return render(request, "calendar_feed.html", {"feed": feed_urls(request, token)},
                  json_twin="/api/v1/calendar-feed")


@page_router.post("/plan/calendar-feed/rotate", response_class=HTMLResponse)
def rotate_page(request: Request, ctx: Ctx, user: User) -> Response:
    calendar_feed.rotate_feed_token(ctx.uow(), user_id=user.id, tokens=ctx.tokens,
                                    clock=ctx.clock)
    flash(request, "New calendar link made. The old link no longer works: "
                   "subscribe again with the new one.")
    return RedirectResponse("/plan/calendar-feed", status_code=303)


@api_router.get("/calendar-feed")
def get_feed(request: Request, ctx: Ctx, user: User) -> CalendarFeed:
    """The signed-in athlete's calendar subscription URL (made on first request)."""
    token = calendar_feed.get_or_create_feed_token(ctx.uow(), user_id=user.id,
                                                   tokens=ctx.tokens, clock=ctx.clock)
    return feed_urls(request, token)


@api_router.post("/calendar-feed/rotate")
def rotate_feed(request: Request, ctx: Ctx, user: User) -> CalendarFeed:
    """Replace the subscription URL; the old one stops working at once."""
    token = calendar_feed.rotate_feed_token(ctx.uow(), user_id=user.id, tokens=ctx.tokens,
                                            clock=ctx.clock)
    return feed_urls(request, token)

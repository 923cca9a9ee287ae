"""The printable plan in a browser, and the plan's safety page: the PDF's own templates.

`/plan/print` is the very document the PDF is made from (`formats.templating.plan_html`:
the same function, template and cover date as the download), linking the print
stylesheet, so what the browser prints is what the PDF shows. The safety page puts the
PDF's safety part (`plan/safety.html`) in the site's layout. Like the downloads, each has
three readers: the athlete, the free preview (no account) and an invited coach; the
services decide who may read a plan, so a stranger gets 404.
"""

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from retrorun.formats.plan_view import plan_units, safety_view
from retrorun.formats.templating import OnScreen, plan_html, print_stylesheet
from retrorun.web import free_plan, loaders
from retrorun.web.deps import Ctx, User, optional_user, render
from retrorun.web.routes.pages import pending_profile

router = APIRouter(include_in_schema=False, dependencies=[Depends(optional_user)])

STYLESHEET = "/print.css"
# The stylesheet changes only with a release; a short lifetime keeps it fresh after one.
STYLESHEET_MAX_AGE = 3600


def _printable(plan: loaders.PlanToPrint, plan_url: str) -> Response:
    screen = OnScreen(stylesheet=STYLESHEET, back=plan_url, pdf=f"{plan_url}/export/pdf")
    return HTMLResponse(plan_html(plan.plan, generated_on=plan.made_on, screen=screen))


def _safety(request: Request, plan: loaders.PlanToPrint, plan_url: str) -> Response:
    view = safety_view(plan.plan, plan_units(plan.plan))
    return render(request, "safety.html", {"view": view, "back_url": plan_url})


@router.get("/print.css")
def stylesheet() -> Response:
    return Response(print_stylesheet(), media_type="text/css",
                    headers={"Cache-Control": f"public, max-age={STYLESHEET_MAX_AGE}"})


@router.get("/plan/print", response_class=HTMLResponse)
def my_print(ctx: Ctx, user: User) -> Response:
    return _printable(loaders.stored_plan(ctx, user_id=user.id), "/plan")


@router.get("/plan/preview/print", response_class=HTMLResponse)
def preview_print(request: Request, ctx: Ctx) -> Response:
    profile = pending_profile(request)
    # The PDF download's cover date: when this browser last changed its answers.
    made_on = free_plan.free_calendar(request.session, ctx.clock.now()).made_at.date()
    return _printable(loaders.previewed_plan(ctx, profile, made_on), "/plan/preview")


@router.get("/athletes/{athlete_id}/print", response_class=HTMLResponse)
def athlete_print(ctx: Ctx, user: User, athlete_id: str) -> Response:
    plan = loaders.stored_plan(ctx, user_id=user.id, athlete_id=athlete_id)
    return _printable(plan, f"/athletes/{athlete_id}")


@router.get("/plan/safety", response_class=HTMLResponse)
def my_safety(request: Request, ctx: Ctx, user: User) -> Response:
    return _safety(request, loaders.stored_plan(ctx, user_id=user.id), "/plan")


@router.get("/plan/preview/safety", response_class=HTMLResponse)
def preview_safety(request: Request, ctx: Ctx) -> Response:
    plan = loaders.previewed_plan(ctx, pending_profile(request))
    return _safety(request, plan, "/plan/preview")


@router.get("/athletes/{athlete_id}/safety", response_class=HTMLResponse)
def athlete_safety(request: Request, ctx: Ctx, user: User, athlete_id: str) -> Response:
    plan = loaders.stored_plan(ctx, user_id=user.id, athlete_id=athlete_id)
    return _safety(request, plan, f"/athletes/{athlete_id}")

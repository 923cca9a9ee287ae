"""`retrorun plan --athlete`: an athlete's stored plan, shown or kept, through the services.

`plan --athlete WHO` shows the current version (after adaptation has caught up with time
off, which no log triggers, as the web plan page does); `plan --profile P --athlete WHO
--keep` stores a new plan, and over a kept one only with `--replace`.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from retrorun.cli._app import UserError

if TYPE_CHECKING:
    from retrorun.services.views import PlanView


def show(who: str, *, as_json: bool) -> None:
    """The athlete's current plan version: the calendar and what changed, or its JSON."""
    from retrorun.cli._athlete import athlete_id, opened
    from retrorun.services import adapting, plans
    from retrorun.services.errors import NotFound

    with opened() as services:
        user_id = athlete_id(services, who)
        adapting.catch_up(services.uow(), athlete_id=user_id, clock=services.clock)
        try:
            view = plans.get_plan(services.uow(), user_id=user_id)
        except NotFound as error:
            raise UserError(f"--athlete {who.strip()}: has no plan yet (keep one with "
                            f"`retrorun plan --profile FILE --athlete {who.strip()} --keep`)"
                            ) from error
    _print(view, as_json=as_json)


def keep(who: str, profile_data: Any, *, replace: bool, as_json: bool) -> None:
    """Store the plan of `profile_data` as the athlete's current plan."""
    from retrorun.cli._athlete import athlete_id, opened
    from retrorun.services import plans
    from retrorun.services.errors import Conflict, InvalidInput

    with opened() as services:
        user_id = athlete_id(services, who)
        try:
            view = plans.create_plan(services.uow(), user_id=user_id,
                                     profile_data=profile_data, planner=services.planner,
                                     clock=services.clock, replace=replace)
        except Conflict as error:
            # Starting over a kept plan asks first (its versions and logs stay in the
            # athlete's history either way).
            raise UserError(f"--athlete {who.strip()} already has a plan; add --replace "
                            f"to start a new one (the old one stays in the history)"
                            ) from error
        except InvalidInput as error:
            raise UserError(f"--profile: {error}") from error
    dates = [s.date for s in view.plan.sessions]
    span = f", {min(dates):%a %d %b %Y} to {max(dates):%a %d %b %Y}" if dates else ""
    line = (f"plan stored for {who.strip()}: id {view.id}, version "
            f"{view.document.get('version', 1)}{span}")
    if as_json:
        sys.stderr.write(line + "\n")
    else:
        sys.stdout.write(line + "\n")
    _print(view, as_json=as_json)


def _print(view: PlanView, *, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(view.document, indent=2, ensure_ascii=False) + "\n")
        return
    from rich.console import Console

    from retrorun.cli import render
    from retrorun.domain.profile import Units
    from retrorun.formats.plan_view import plan_units

    console = Console()
    console.print(f"Version {view.document.get('version', 1)} of plan {view.id}",
                  markup=False, highlight=False)
    render.print_plan(console, view.plan, plan_units(view.plan) is Units.IMPERIAL,
                      {session: log.status.value for session, log in view.logs.items()})
    render.print_changes(console, list(view.document.get("changes") or []))

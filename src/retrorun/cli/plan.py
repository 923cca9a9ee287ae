"""`retrorun programs`, `retrorun plan` and `retrorun explain`."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from retrorun.cli._app import UserError, app
from retrorun.domain.catalogue import load_catalogue
from retrorun.domain.document import plan_document
from retrorun.domain.generator import build_plan
from retrorun.domain.model import Plan
from retrorun.domain.profile import Profile, Units, parse_profile

MAX_PROFILE_BYTES = 1_000_000


def read_profile(path: Path) -> Profile:
    """The profile in a JSON file, or a `UserError` saying in one line what is wrong."""
    return parse_profile(read_profile_data(path))


def read_profile_data(path: Path) -> Any:
    """The JSON in a profile file (not yet checked as a profile), or a `UserError`.

    At most `MAX_PROFILE_BYTES` + 1 bytes are read, whatever the file is (a FIFO,
    /dev/stdin and /dev/zero have no useful size); a UTF-8 byte-order mark is allowed.
    """
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_PROFILE_BYTES + 1)
    except OSError as error:
        raise UserError(f"cannot read profile {path}: {error.strerror}") from error
    if len(raw) > MAX_PROFILE_BYTES:
        raise UserError(f"profile {path} is larger than the limit of "
                        f"{MAX_PROFILE_BYTES:,} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        at = len(raw) - len(error.object) + error.start + 1  # from the file start, any BOM included
        raise UserError(f"profile {path} is not UTF-8 text (byte {at} cannot be read)"
                        ) from error
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise UserError(f"profile {path} is not valid JSON: {error}") from error
    except RecursionError as error:
        raise UserError(f"profile {path} is JSON nested too deeply to be a profile"
                        ) from error
    except ValueError as error:  # a whole number longer than Python reads from text
        raise UserError(f"profile {path} has a number with more than "
                        f"{sys.get_int_max_str_digits():,} digits") from error
    return data


def _csv(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def profile_from_flags(flags: dict[str, Any]) -> Profile:
    return parse_profile(profile_data_from_flags(flags))


def profile_data_from_flags(flags: dict[str, Any]) -> dict[str, Any]:
    """The profile JSON the flags describe (not yet checked as a profile)."""
    data: dict[str, Any] = {k: v for k, v in flags.items() if v is not None}
    # The shell may read the clock; the domain never does.
    data.setdefault("start_date", dt.datetime.now(dt.UTC).date().isoformat())
    for key in ("available_days", "surfaces"):
        if key in data:
            data[key] = _csv(data[key])
    data["screen"] = dict.fromkeys(_csv(data.pop("screen_yes", None)) or [], True)
    return data


ProfileOption = Annotated[Path | None, typer.Option("--profile", "-p", help="Profile JSON "
                                                    "file (shared/contracts/profile.schema.json)")]


@app.command()
def programs(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """The program catalogue with its sources."""
    catalogue = list(load_catalogue().values())
    if as_json:
        typer.echo(json.dumps([{"id": p.id, "version": p.version, "title": p.title,
                                "weeks": p.weeks, "for": p.audience, "sources": list(p.sources)}
                               for p in catalogue], indent=2))
        return
    from rich.console import Console

    from retrorun.cli import render

    Console().print(render.programs_table(catalogue))


@app.command()
def plan(
    profile: ProfileOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan document")] = False,
    experience: Annotated[str | None, typer.Option(help="new_to_running, recreational, "
                                                   "trained, highly_trained")] = None,
    weekly_minutes: Annotated[float | None, typer.Option(help="Current running minutes a "
                                                         "week")] = None,
    days: Annotated[str | None, typer.Option(help="Available days, e.g. mon,wed,sat")] = None,
    goal: Annotated[str | None, typer.Option(help="general, economy, speed_power, "
                                             "knee_friendly, maintenance")] = None,
    age: Annotated[int | None, typer.Option()] = None,
    surfaces: Annotated[str | None, typer.Option(help="e.g. track,grass,road")] = None,
    start: Annotated[str | None, typer.Option(help="Start date YYYY-MM-DD (default today)")
                     ] = None,
    program: Annotated[str | None, typer.Option(help="Force a program id")] = None,
    weeks: Annotated[int | None, typer.Option()] = None,
    units: Annotated[str | None, typer.Option(help="metric or imperial")] = None,
    easy_pace: Annotated[float | None, typer.Option(help="Easy pace, seconds per km")] = None,
    screen_yes: Annotated[str | None, typer.Option(help="Safety-screen questions answered "
                                                   "yes, e.g. vertigo,leg_pain")] = None,
    backward_stage: Annotated[str | None, typer.Option(help="Backward running you already "
                                                       "do: never (default), walk, jog, run, "
                                                       "sprint")] = None,
    poor_balance: Annotated[bool | None, typer.Option(
        "--poor-balance/--no-poor-balance",
        help="You feel your balance is poor (asks for the 3 m backward walk test)")] = None,
    athlete: Annotated[str | None, typer.Option(
        help="A stored plan: this athlete's (email or user id). Alone, shows their current "
             "version; with --profile (or flags) and --keep, stores a new one")] = None,
    keep: Annotated[bool, typer.Option(
        "--keep", help="Store the plan as the --athlete's current plan (a past start date "
                       "is allowed)")] = False,
    replace: Annotated[bool, typer.Option(
        "--replace", help="With --keep: start the new plan even though the athlete has one "
                          "(the old one stays in their history)")] = False,
) -> None:
    """A personalized plan from a profile file or from flags, or an athlete's stored plan.

    Examples: retrorun plan --profile me.json --json;
    retrorun plan --profile me.json --athlete me@example.com --keep;
    retrorun plan --athlete me@example.com --json
    """
    flags = {
        "experience": experience, "weekly_minutes": weekly_minutes, "available_days": days,
        "goal": goal, "age": age, "surfaces": surfaces, "start_date": start,
        "program": program, "weeks": weeks, "units": units, "easy_pace_s_per_km": easy_pace,
        "screen_yes": screen_yes, "backward_stage": backward_stage,
        "poor_balance": poor_balance}
    if athlete is not None or keep or replace:
        _stored(athlete, profile, flags, keep=keep, replace=replace, as_json=as_json)
        return
    athlete_profile = _profile(profile, flags)
    result = build_plan(athlete_profile)
    if as_json:
        typer.echo(json.dumps(plan_document(result), indent=2, ensure_ascii=False))
        return
    from rich.console import Console

    from retrorun.cli import render

    render.print_plan(Console(), result, athlete_profile.units is Units.IMPERIAL)


def _stored(athlete: str | None, path: Path | None, flags: dict[str, Any], *, keep: bool,
            replace: bool, as_json: bool) -> None:
    """`--athlete`, `--keep` and `--replace`: a stored plan (see `cli.stored_plan`)."""
    from retrorun.cli import stored_plan

    if athlete is None:
        raise UserError("--keep and --replace need --athlete EMAIL (whose plan to store)")
    given = path is not None or any(v is not None for v in flags.values())
    if replace and not keep:
        raise UserError("--replace goes with --keep (store a new plan over the current one)")
    if not given:
        if keep:
            raise UserError("--keep needs the plan to store: give --profile FILE (or flags)")
        stored_plan.show(athlete, as_json=as_json)
        return
    if not keep:
        raise UserError("--athlete with --profile (or flags) stores the plan only with "
                        "--keep; without --athlete the plan is only shown")
    flagged = [k for k, v in flags.items() if v is not None]
    if path is not None and flagged:
        raise UserError(f"give either --profile or flags, not both (got {flagged[0]})")
    data = read_profile_data(path) if path is not None else profile_data_from_flags(flags)
    parse_profile(data)  # a wrong profile is refused in the words `plan --profile` uses
    stored_plan.keep(athlete, data, replace=replace, as_json=as_json)


def _profile(path: Path | None, flags: dict[str, Any]) -> Profile:
    if path is not None:
        given = [k for k, v in flags.items() if v is not None]
        if given:
            raise UserError(f"give either --profile or flags, not both (got {given[0]})")
        return read_profile(path)
    if all(flags.get(k) is None for k in ("experience", "goal", "age")):
        raise UserError("give --profile FILE, or --experience, --weekly-minutes, --days, "
                        "--goal, --age and --surfaces")
    return profile_from_flags(flags)


@app.command()
def explain(
    session_id: Annotated[str, typer.Argument(help="A session id from `retrorun plan`")],
    profile: ProfileOption = None,
) -> None:
    """A session's steps, cues, why and sources.

    Example: retrorun explain starter-8-w03-backward-1 --profile me.json
    """
    if profile is None:
        raise UserError("give --profile FILE: the plan is rebuilt from the profile")
    athlete = read_profile(profile)
    result: Plan = build_plan(athlete)
    session = result.session(session_id)
    if session is None:
        raise UserError(f"no session {session_id!r} in this plan; ids look like "
                        f"{result.sessions[0].id}")
    from rich.console import Console

    from retrorun.cli import render

    render.print_session(Console(), session, athlete.units is Units.IMPERIAL)

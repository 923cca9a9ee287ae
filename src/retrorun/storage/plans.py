"""The SQL repository of plans and their versions (`services.ports.PlanRepo`).

A module of its own beside `repositories.py`. An athlete has one current plan
(`replaced_at` NULL) and keeps the plans it replaced; every save also writes the version
into `plan_versions`, so each version stays readable as it was (the history).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, bindparam, func, insert, select, update

from retrorun.services.records import PlanState, VersionKind
from retrorun.storage import mapping
from retrorun.storage.repositories import _Repo, _unique, new_id
from retrorun.storage.tables import plan_versions, plans, session_logs

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from retrorun.services.records import (
        CoachLimits,
        JSONObject,
        PlanRecord,
        PlanVersionRecord,
    )

_CURRENT = plans.c.replaced_at.is_(None)


class SqlPlanRepo(_Repo):
    def get(self, plan_id: str) -> PlanRecord | None:
        row = self._db.execute(select(plans).where(plans.c.id == plan_id)).first()
        return mapping.plan(row) if row else None

    def for_athlete(self, athlete_id: str, *, with_document: bool = True) -> PlanRecord | None:
        columns = plans.c if with_document else [c for c in plans.c if c.name != "document"]
        row = self._db.execute(select(*columns).where(
            plans.c.athlete_id == athlete_id, _CURRENT)).first()
        return mapping.plan(row) if row else None

    def save(self, *, athlete_id: str, profile: JSONObject, limits: CoachLimits,
             document: JSONObject, at: dt.datetime, calendar_key: str | None = None,
             kind: VersionKind | None = None, new_plan: bool = False) -> PlanRecord:
        values: dict[str, Any] = {"profile": dict(profile), "limits": limits.as_json(),
                                  "document": dict(document), "updated_at": at}
        existing = self.for_athlete(athlete_id, with_document=False)
        if existing is None or new_plan:
            if existing is not None:
                # The replaced plan stays, with its versions and the logs that point at
                # it; the new one keeps its calendar UIDs (its key, or its id).
                calendar_key = existing.plan_key
                self._db.execute(update(plans).where(plans.c.id == existing.id).values(
                    replaced_at=at))
            plan_id = new_id()
            with _unique("plan", "this plan was replaced at the same time; reload it"):
                self._db.execute(insert(plans).values(
                    id=plan_id, athlete_id=athlete_id, version=1, created_at=at,
                    calendar_key=calendar_key, **values))
            made = kind or (VersionKind.KEPT if existing is None else VersionKind.REPLACED)
        else:  # the next version of the same plan: its id and calendar key stay
            plan_id = existing.id
            self._db.execute(update(plans).where(plans.c.id == plan_id).values(
                version=plans.c.version + 1, **values))
            made = kind or (VersionKind.LIMITS if limits != existing.limits
                            else VersionKind.ADAPTED)
        saved = self.get(plan_id)
        assert saved is not None  # noqa: S101  (written just above)
        self._db.execute(insert(plan_versions).values(
            athlete_id=athlete_id, plan_id=plan_id, version=saved.version, kind=made.value,
            profile=values["profile"], limits=values["limits"], document=values["document"],
            created_at=at))
        return saved

    def state(self, athlete_id: str) -> PlanState | None:
        row = self._db.execute(_PLAN_STATE, {"athlete_id": athlete_id}).first()
        if row is None:
            return None
        return PlanState(plan_id=row[0], version=row[1], log_count=int(row[2]),
                         log_revisions=int(row[3]), last_log_change=row[4])

    def versions(self, athlete_id: str) -> Sequence[PlanVersionRecord]:
        rows = self._db.execute(select(plan_versions).where(
            plan_versions.c.athlete_id == athlete_id).order_by(
            plan_versions.c.created_at, plan_versions.c.id))
        return [mapping.plan_version(r) for r in rows]

    def version(self, plan_id: str, version: int) -> PlanVersionRecord | None:
        row = self._db.execute(select(plan_versions).where(
            plan_versions.c.plan_id == plan_id, plan_versions.c.version == version)).first()
        return mapping.plan_version(row) if row else None


def _plan_state_query() -> Select[Any]:
    athlete = bindparam("athlete_id", type_=plans.c.athlete_id.type)
    of_athlete = session_logs.c.athlete_id == athlete
    return select(
        plans.c.id, plans.c.version,
        select(func.count()).where(of_athlete).scalar_subquery(),
        select(func.coalesce(func.sum(session_logs.c.revision), 0))
        .where(of_athlete).scalar_subquery(),
        select(func.max(session_logs.c.updated_at)).where(of_athlete).scalar_subquery(),
    ).where(plans.c.athlete_id == athlete, _CURRENT)


# Built once: the plan page reads it on every request (building it cost as much as
# running it). Plan id and version, then the athlete's logs: count, revisions, last change.
_PLAN_STATE = _plan_state_query()

"""The athlete's stored plan document, read back into the domain's Plan and cached.

Plans are stored as the document the athlete was shown (not regenerated on read), so the
calendar shows exactly what was generated even after the engine changes. Parsed plans
are cached with their documents by (plan id, version): a version never changes once
written, and a replaced plan gets a new version.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from retrorun.domain.document import plan_from_document

if TYPE_CHECKING:
    from collections.abc import Mapping

    from retrorun.domain.model import Plan
    from retrorun.services.ports import UnitOfWork
    from retrorun.services.records import PlanRecord

_CACHE_SIZE = 256
_cache: OrderedDict[tuple[str, int], tuple[Plan, Mapping[str, Any]]] = OrderedDict()
_lock = threading.Lock()


def current_plan(uow: UnitOfWork, athlete_id: str) -> tuple[PlanRecord, Plan] | None:
    """The athlete's plan record and typed plan; the document is read only on a miss.

    The stored document is ~80 kB of JSON; decoding it was a third of a plan read.
    """
    header = uow.plans.for_athlete(athlete_id, with_document=False)
    if header is None:
        return None
    key = (header.id, header.version)
    with _lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
    if hit is not None:
        plan, document = hit
        return replace(header, document=document), plan
    # Read the whole row again rather than only the document: its version is then the
    # version of the document even if the plan was replaced in between.
    record = uow.plans.for_athlete(athlete_id)
    if record is None:
        return None
    plan = plan_from_document(record.document)
    with _lock:
        _cache[(record.id, record.version)] = (plan, record.document)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return record, plan

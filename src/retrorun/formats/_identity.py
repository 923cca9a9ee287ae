"""Stable identities for exported things: plan keys, calendar UIDs, FIT serials, file names.

Everything is a hash of ids that the generator keeps stable (DESIGN §3 invariant 10), never
a clock or a random number, so exporting the same plan twice gives the same bytes and a
calendar or a watch updates its copy instead of adding a second one.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from retrorun.domain.model import Plan

PLAN_KEY_LENGTH = 16


def digest(*parts: str) -> str:
    """A SHA-256 hex digest of some strings, separated so ("ab", "c") != ("a", "bc")."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def plan_key(plan: Plan) -> str:
    """A default identity for a plan that has no stored id: its program, start and inputs.

    The program *version* is left out on purpose: a program update that changes sessions
    should update calendar events, not duplicate them. Stored plans and the web's free
    preview pass a key of their own instead (`ExportOptions.plan_key`), which survives
    changed answers and adaptation.
    """
    athlete = json.dumps(plan.athlete, sort_keys=True, default=str)
    return digest(plan.program, plan.start_date.isoformat(), athlete)[:PLAN_KEY_LENGTH]


def stable_uint32(*parts: str) -> int:
    """A non-zero 32-bit number from ids (FIT serial numbers are uint32z: 0 is invalid)."""
    value = int(digest(*parts)[:8], 16)
    return value or 1


_UNSAFE = re.compile(r"[^a-z0-9]+")


def slug(text: str, max_length: int = 40) -> str:
    """Lower-case letters, digits and dashes only: safe as a file or zip member name."""
    cleaned = _UNSAFE.sub("-", text.lower()).strip("-")
    return cleaned[:max_length].rstrip("-") or "x"

"""The words around a plan: its program's title and rationale, its claims and sources.

They come from the domain's catalogue and evidence registry, so the PDF cannot cite a
source the registry does not know, and a claim the registry forbids never reaches print.
"""

from __future__ import annotations

from dataclasses import dataclass

from retrorun.domain.catalogue import get_program
from retrorun.domain.errors import UnknownProgram
from retrorun.domain.evidence import CLAIMS, SOURCES, STRENGTH_LEGEND_TEXT
from retrorun.domain.model import Plan


@dataclass(frozen=True, slots=True)
class Citation:
    id: str
    text: str
    design: str
    strength: str


@dataclass(frozen=True, slots=True)
class ClaimText:
    text: str
    strength: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Story:
    title: str
    audience: str
    rationale: str
    claims: tuple[ClaimText, ...]
    sources: tuple[Citation, ...]
    # What each strength means: the registry's rule, in the same words as the landing page.
    legend: str = STRENGTH_LEGEND_TEXT


def citation(source_id: str) -> Citation:
    """A source by its id; an id the registry does not know still prints, as itself."""
    source = SOURCES.get(source_id)
    if source is None:
        return Citation(source_id, source_id, "", "")
    return Citation(source.id, source.citation, source.design, source.strength.value)


def plan_story(plan: Plan) -> Story:
    """The program's story for this plan; an unknown program still gets its sessions' sources."""
    try:
        program = get_program(plan.program)
    except UnknownProgram:
        program = None
    claim_ids = program.claims if program else ()
    claims = tuple(
        ClaimText(CLAIMS[c].text, CLAIMS[c].strength.value, CLAIMS[c].sources)
        for c in claim_ids
        if c in CLAIMS and CLAIMS[c].shown
    )
    source_ids: dict[str, None] = dict.fromkeys(program.sources if program else ())
    for session in plan.sessions:
        source_ids.update(dict.fromkeys(session.evidence))
    return Story(
        title=program.title if program else plan.program,
        audience=program.audience if program else "",
        rationale=" ".join(program.rationale.split()) if program else "",
        claims=claims,
        sources=tuple(citation(s) for s in source_ids),
    )

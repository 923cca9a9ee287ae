"""The evidence registry: strength follows study design by one rule, for sources and claims."""

from __future__ import annotations

import re

import pytest

from retrorun.domain import evidence
from retrorun.domain.evidence import (
    CLAIMS,
    FORBIDDEN_CLAIMS,
    SOURCES,
    STRENGTH_BY_DESIGN,
    STRENGTH_LEGEND,
    Design,
    Strength,
    rank,
    strength_from_sources,
)

# Designs of a study with people in it: their text must say how many.
_COUNTED = {Design.RANDOMISED_TRIAL, Design.CONTROLLED_TRIAL, Design.LARGE_OBSERVATIONAL,
            Design.SMALL_STUDY, Design.UNCONTROLLED}


def test_the_rule_gives_every_design_a_strength() -> None:
    assert set(STRENGTH_BY_DESIGN) == set(Design)
    high = {d for d, s in STRENGTH_BY_DESIGN.items() if s is Strength.HIGH}
    assert high == {Design.RANDOMISED_TRIAL, Design.META_ANALYSIS}


@pytest.mark.parametrize(("source_id", "strength"), [
    ("ordway2016", Strength.LOW),      # n = 8, no control group
    ("wright2001", Strength.LOW),      # lab, n = 4
    ("flynn1994", Strength.LOW),       # lab
    ("williford1998", Strength.LOW),   # lab, n = 13
    ("myatt1995", Strength.LOW),       # lab, n = 25
    ("hreljac2005", Strength.LOW),     # lab, n = 12
    ("hammer2021", Strength.LOW),      # single arm
    ("negra2022", Strength.MEDIUM),    # controlled, randomisation not reported
    ("uthoff2020", Strength.HIGH),     # randomised
    ("alghadir2019", Strength.HIGH),   # randomised
    ("lin2025", Strength.HIGH),        # meta-analysis
    ("lauersen2014", Strength.HIGH),   # meta-analysis
    ("expert", Strength.EXPERT),
])
def test_source_strength_follows_its_design(source_id: str, strength: Strength) -> None:
    assert SOURCES[source_id].strength is strength


def test_no_single_small_or_uncontrolled_study_is_rated_above_low() -> None:
    for source in SOURCES.values():
        assert source.strength is STRENGTH_BY_DESIGN[source.kind]
        if source.kind in (Design.SMALL_STUDY, Design.UNCONTROLLED):
            assert source.strength is Strength.LOW, source.id


def test_each_design_text_says_the_design_and_how_many() -> None:
    for source in SOURCES.values():
        text = source.design.lower()
        if source.kind in _COUNTED:
            assert "n = " in text or "n not in our copy" in text, source.id
        if source.kind is Design.META_ANALYSIS:
            assert re.search(r"meta-analysis of \d+ (randomised trials|studies)", text), source.id
        if source.kind is Design.RANDOMISED_TRIAL:
            assert "randomised" in text, source.id
        if source.kind is Design.UNCONTROLLED:
            assert "no control" in text, source.id


def test_the_claim_rule() -> None:
    assert strength_from_sources(["wright2001"]) is Strength.LOW
    assert strength_from_sources(["flynn1994", "williford1998"]) is Strength.MEDIUM
    assert strength_from_sources(["expert"]) is Strength.EXPERT
    assert strength_from_sources(["expert", "wright2001"]) is Strength.LOW
    assert strength_from_sources(["negra2022"]) is Strength.MEDIUM
    assert strength_from_sources(["uthoff2020", "negra2022"]) is Strength.HIGH
    assert strength_from_sources([]) is Strength.ASSUMPTION
    assert [rank(s) for s in (Strength.ASSUMPTION, Strength.EXPERT, Strength.LOW,
                              Strength.MEDIUM, Strength.HIGH)] == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("claim_id", sorted(CLAIMS))
def test_a_claim_is_never_stronger_than_its_sources_and_says_why_when_weaker(
        claim_id: str) -> None:
    claim = CLAIMS[claim_id]
    ruled = strength_from_sources(claim.sources)
    assert rank(claim.strength) <= rank(ruled), (claim.id, claim.strength, ruled)
    assert bool(claim.weaker_because) == (claim.strength is not ruled), claim.id


def test_the_docstring_states_the_same_rule_as_the_legend() -> None:
    doc = " ".join((evidence.__doc__ or "").split())
    for strength, meaning in STRENGTH_LEGEND:
        assert f"- {strength}: {meaning}." in doc, strength
    assert [s for s, _ in STRENGTH_LEGEND] == [Strength.HIGH, Strength.MEDIUM, Strength.LOW,
                                               Strength.EXPERT, Strength.ASSUMPTION]


def test_the_youth_claim_does_not_credit_studies_without_a_forward_group() -> None:
    text = CLAIMS["youth_sprint"].text
    assert "more than forward training" not in text
    assert "the one study with a forward-running group" in text
    # Only Uthoff 2020 had a forward-running group; the others say they had none.
    for source_id in ("negra2022", "bouguezzi2024"):
        assert "no forward-running group" in SOURCES[source_id].design


def test_the_economy_claim_says_it_is_one_small_uncontrolled_study() -> None:
    claim = CLAIMS["economy"]
    assert claim.text.startswith("One small study without a control group (8 ")
    assert claim.strength is Strength.LOW


def test_registry_texts_make_no_forbidden_claim() -> None:
    texts = [c.text for c in CLAIMS.values()] + [c.weaker_because for c in CLAIMS.values()]
    texts += [s.design for s in SOURCES.values()] + [m for _, m in STRENGTH_LEGEND]
    for text in texts:
        for phrase in FORBIDDEN_CLAIMS:
            assert phrase not in text.lower(), (phrase, text)

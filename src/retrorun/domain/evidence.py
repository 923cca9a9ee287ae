"""The evidence registry: every claim retrorun makes, with its sources and how strong
they are, and the claims it must never make (evidence B10).

Session `why` texts and `evidence` lists are built from here, so a claim cannot appear
in a plan without a source. A claim's `shown` says whether the studies showed it.

Strength comes from study design, by one rule: `STRENGTH_BY_DESIGN` for a source,
`strength_from_sources` for a claim, and `STRENGTH_LEGEND`, the words pages print:

- high: randomised trials or meta-analyses.
- medium: several consistent small studies, one modest controlled trial, or one large
  observational study. A review of small studies counts as them; an observational
  study shows a link, not a cause.
- low: a single small lab study or an uncontrolled study.
- expert practice: what experienced coaches do, and published pace or heart-rate
  methods, not tested as such.
- our assumption: our own default, with no study or coaching source behind it.

A source's `kind` is its design, read from the part (a) tables of
shared/research/evidence.md, and its `design` text says that design and its n plainly;
its strength is `STRENGTH_BY_DESIGN[kind]`, never set by hand. A claim is as strong as
its strongest study source, two or more low sources together count as medium, and a
claim with only expert sources is expert practice. A claim may be rated lower than that
(the order is high > medium > low > expert practice > our assumption), never higher,
and then `weaker_because` says why: the studies disagree, studied another question or
population, or back only part of the claim.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class Strength(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    EXPERT = "expert practice"
    ASSUMPTION = "our assumption"


class Design(StrEnum):
    """A source's study design: what its strength is read from."""

    META_ANALYSIS = "meta-analysis"
    RANDOMISED_TRIAL = "randomised controlled trial"
    CONTROLLED_TRIAL = "controlled trial, randomisation not reported"
    LARGE_OBSERVATIONAL = "large observational study (cohort or case-control)"
    REVIEW_OF_SMALL_STUDIES = "review of several small or descriptive studies"
    SMALL_STUDY = "single small lab, measurement or training study"
    UNCONTROLLED = "single uncontrolled or single-arm study"
    COACHING_PRACTICE = "coaching practice or a published coaching method"


# The rule, for one source.
STRENGTH_BY_DESIGN: Mapping[Design, Strength] = MappingProxyType({
    Design.META_ANALYSIS: Strength.HIGH,
    Design.RANDOMISED_TRIAL: Strength.HIGH,
    Design.CONTROLLED_TRIAL: Strength.MEDIUM,
    Design.LARGE_OBSERVATIONAL: Strength.MEDIUM,
    Design.REVIEW_OF_SMALL_STUDIES: Strength.MEDIUM,
    Design.SMALL_STUDY: Strength.LOW,
    Design.UNCONTROLLED: Strength.LOW,
    Design.COACHING_PRACTICE: Strength.EXPERT,
})

# The rule in the words every page prints beside a strength (landing page, PDF).
STRENGTH_LEGEND: tuple[tuple[Strength, str], ...] = (
    (Strength.HIGH, "randomised trials or meta-analyses"),
    (Strength.MEDIUM, "several consistent small studies, one modest controlled trial, or "
                      "one large observational study"),
    (Strength.LOW, "a single small lab study or an uncontrolled study"),
    (Strength.EXPERT, "what experienced coaches do, and published pace or heart-rate methods, "
                      "not tested as such"),
    (Strength.ASSUMPTION, "our own default, with no study or coaching source behind it"),
)
STRENGTH_LEGEND_TEXT = ", ".join(f"{strength} ({words})" for strength, words in STRENGTH_LEGEND)

_ORDER = (Strength.ASSUMPTION, Strength.EXPERT, Strength.LOW, Strength.MEDIUM, Strength.HIGH)


def rank(strength: Strength) -> int:
    """Where a strength stands: our assumption 0 < expert practice < low < medium < high 4."""
    return _ORDER.index(strength)


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    citation: str
    design: str
    kind: Design

    @property
    def strength(self) -> Strength:
        return STRENGTH_BY_DESIGN[self.kind]


@dataclass(frozen=True, slots=True)
class Claim:
    id: str
    text: str
    sources: tuple[str, ...]
    strength: Strength
    shown: bool = True
    weaker_because: str = ""


_D = Design
_SOURCES = (
    Source("ordway2016", "Ordway JD et al. (2016). The effects of backwards running training on "
           "forward running economy in trained males. J Strength Cond Res 30(3):763-767. "
           "doi:10.1519/JSC.0000000000001153",
           "single group, no control group: n = 8 trained male runners, 10 weeks of treadmill "
           "backward running", _D.UNCONTROLLED),
    Source("uthoff2020", "Uthoff A et al. (2020). Sprint-specific training in youth: backward "
           "running vs. forward running training. J Strength Cond Res 34(4):1113-1122. "
           "doi:10.1519/JSC.0000000000002914",
           "randomised trial: n = 43 boys 13-15 y, 26 backward and 17 forward training, and a "
           "PE-class control group of 24; 8 weeks, 2x/week", _D.RANDOMISED_TRIAL),
    Source("uthoff2018sports", "Uthoff A et al. (2018). Prescribing target running intensities "
           "for high-school athletes. Sports 6(3):77. doi:10.3390/sports6030077",
           "measurement study, no training: n = 34 boys; self-selected 40-55 / 60-75 / >90 % "
           "efforts over 20 m were repeatable", _D.SMALL_STUDY),
    Source("negra2022", "Negra Y et al. (2022). Repeated backward running training in youth male "
           "soccer players. J Sports Sci 40(24):2688-2696. doi:10.1080/02640414.2023.2184770",
           "controlled trial, randomisation not reported in our copy: n = 36 youth soccer "
           "players, 20 backward training vs 16 usual soccer training; 8 weeks, 2x/week; "
           "no forward-running group", _D.CONTROLLED_TRIAL),
    Source("bouguezzi2024", "Bouguezzi R et al. (2024). Volume-matched 1- and 2-day repeated "
           "backward sprint training in youth soccer players. J Strength Cond Res 38(10):"
           "e587-e594. doi:10.1519/JSC.0000000000004859",
           "controlled comparison of two formats: n = 30 youth soccer players, 6 weeks of "
           "backward sprints in sets of 7 x 20 m, as 1 or 2 sessions a week; no group without "
           "them, no forward-running group", _D.CONTROLLED_TRIAL),
    Source("alghadir2019", "Alghadir AH et al. (2019). 6-week retro or forward walking program "
           "in knee osteoarthritis: RCT. BMC Musculoskelet Disord 20:159. "
           "doi:10.1186/s12891-019-2537-9",
           "randomised trial: n = 68 adults with knee OA; 10 min of supervised backward "
           "walking 3x/week for 6 weeks, added to physiotherapy", _D.RANDOMISED_TRIAL),
    Source("lin2025", "Lin L-H et al. (2025). Backward walking combined with conventional "
           "rehabilitation for knee OA: systematic review and meta-analysis. Physiother Theory "
           "Pract. doi:10.1080/09593985.2025.2550532",
           "meta-analysis of 13 randomised trials in knee OA; backward walking added to usual "
           "rehabilitation; certainty not graded", _D.META_ANALYSIS),
    Source("roos2012", "Roos PE et al. (2012). Patellofemoral joint compression forces in "
           "backward and forward running. J Biomech 45(9):1656-1660. "
           "doi:10.1016/j.jbiomech.2012.03.020",
           "lab study: n = 20 healthy adults, backward and forward running at the same speed",
           _D.SMALL_STUDY),
    Source("odu1998", "Old Dominion University MS thesis (1998). Patellofemoral joint "
           "compressive forces during backward and forward running at the same speed",
           "lab study, a thesis: n = 10 runners, backward and forward running at 1.0 m/s",
           _D.SMALL_STUDY),
    Source("flynn1994", "Flynn TW et al. (1994). Cardiopulmonary responses to forward and "
           "backward walking and running. Med Sci Sports Exerc 26(1):89-94",
           "lab study: healthy adults, n not in our copy; walking and running both ways at "
           "fixed speeds", _D.SMALL_STUDY),
    Source("williford1998", "Williford HN et al. (1998). Cardiovascular and metabolic costs of "
           "forward, backward, and lateral motion. Med Sci Sports Exerc 30(9):1419-1423",
           "lab study: n = 13 athletes, treadmill at 4.8 and 8.0 km/h both ways", _D.SMALL_STUDY),
    Source("wright2001", "Wright S, Weyand PG (2001). The application of ground force explains "
           "the energetic cost of running backward and forward. J Exp Biol 204:1805-1815",
           "lab study: n = 4 trained men, treadmill at 8 speeds both ways", _D.SMALL_STUDY),
    Source("myatt1995", "Myatt G et al. (1995). The cardiopulmonary cost of backward walking at "
           "selected speeds. J Orthop Sports Phys Ther 21(3):132-138",
           "lab study: n = 25 healthy men, backward walking at 5 speeds", _D.SMALL_STUDY),
    Source("hreljac2005", "Hreljac A et al. (2005). Preferred and energetically optimal "
           "transition speeds during backward human locomotion. J Sports Sci Med 4:446-454",
           "lab study: n = 12 healthy young adults, backward walk-to-run transition speeds",
           _D.SMALL_STUDY),
    Source("sterzing2016", "Sterzing T et al. (2016). Backward compared to forward running on a "
           "treadmill. Gait Posture 46:135-141",
           "lab study: n = 19 runners, backward running at 70 % of forward speed",
           _D.SMALL_STUDY),
    Source("hammer2021", "Hammer S et al. (2021). Backward running on a negative slope for "
           "Achilles tendinopathy in runners: feasibility pilot. J Sport Rehabil",
           "single-arm pilot, no control group: n = 15 runners with Achilles tendinopathy; "
           "handrails in sessions 1-3", _D.UNCONTROLLED),
    Source("polo2025", "Polo-Ferrero L et al. (2025). The 3-meter backward walk test for falls "
           "in older adults. J Funct Morphol Kinesiol 10(2):154",
           "case-control study: n = 483 older adults, 101 of them fallers", _D.LARGE_OBSERVATIONAL),
    Source("uthoff2018review", "Uthoff A et al. (2018). A new direction to athletic performance: "
           "backward running. Sports Med 48:1083-1096",
           "narrative review of mostly small lab studies", _D.REVIEW_OF_SMALL_STUDIES),
    Source("frandsen2025", "Frandsen JSB et al. (2025). How much running is too much? Br J "
           "Sports Med 59(17):1203-1210. doi:10.1136/bjsports-2024-109380",
           "observational cohort: n = 5,205 runners followed for 18 months",
           _D.LARGE_OBSERVATIONAL),
    Source("nielsen2014", "Nielsen RO et al. (2014). Excessive progression in weekly running "
           "distance and risk of running-related injuries. J Orthop Sports Phys Ther 44(10)",
           "observational cohort: n = 874 novice runners followed for 1 year",
           _D.LARGE_OBSERVATIONAL),
    Source("seiler2010", "Seiler S (2010). Best practice for training intensity and duration "
           "distribution. Int J Sports Physiol Perform 5:276-291",
           "review of descriptive studies of elite endurance athletes",
           _D.REVIEW_OF_SMALL_STUDIES),
    Source("festa2020", "Festa L et al. (2020). Different training intensity distribution in "
           "recreational runners. Front Sports Act Living 1:70",
           "controlled trial of two training mixes, randomisation not reported in our copy: "
           "n = 38 recreational runners, 8 weeks", _D.CONTROLLED_TRIAL),
    Source("foster2001", "Foster C et al. (2001). A new approach to monitoring exercise training. "
           "J Strength Cond Res 15(1):109-115",
           "validation study: cyclists and basketball players, n not in our copy; session "
           "RPE x minutes against heart-rate load", _D.SMALL_STUDY),
    Source("silbernagel2007", "Silbernagel KG et al. (2007). Continued sports activity using a "
           "pain-monitoring model. Am J Sports Med 35(6):897-906",
           "randomised trial in Achilles tendinopathy, n not in our copy: continued activity "
           "under a pain-monitoring model vs active rest", _D.RANDOMISED_TRIAL),
    Source("lauersen2014", "Lauersen JB et al. (2014). Exercise interventions to prevent sports "
           "injuries: meta-analysis. Br J Sports Med 48:871-877",
           "meta-analysis of 25 randomised trials, 26,610 participants", _D.META_ANALYSIS),
    Source("hung2019", "Hung K-C et al. (2019). Effects of 8-week core training on core "
           "endurance and running economy. PLoS One 14(3):e0213158",
           "small training study: n = 21 male college athletes, 8 weeks", _D.SMALL_STUDY),
    Source("toresdahl2020", "Toresdahl BG et al. (2020). Strength training to prevent injuries "
           "in NYC Marathon runners. Sports Health",
           "randomised trial: n = 720 first-time marathon runners; a 10-min unsupervised "
           "routine had no effect", _D.RANDOMISED_TRIAL),
    Source("daniels", "Daniels J, Gilbert J (1979). Oxygen Power; Daniels J. Daniels' Running "
           "Formula: VDOT race equivalence and training paces",
           "published coaching method for race equivalence and training paces, not a trial",
           _D.COACHING_PRACTICE),
    Source("karvonen1957", "Karvonen MJ et al. (1957). The effects of training on heart rate. "
           "Ann Med Exp Biol Fenn 35:307-315: heart-rate reserve method",
           "published heart-rate reserve method, standard coaching practice, not a trial",
           _D.COACHING_PRACTICE),
    Source("dinoff2016", "Dinoff A et al. (2016). Exercise training and resting BDNF: "
           "meta-analysis. PLoS One 11(9):e0163037",
           "meta-analysis of 29 studies of exercise training in general, not backward running",
           _D.META_ANALYSIS),
    Source("expert", "Coaching practice of retro-running clubs and pioneers (Guardian 2006; "
           "The Age 2007)", "expert opinion", _D.COACHING_PRACTICE),
)
SOURCES: dict[str, Source] = {s.id: s for s in _SOURCES}


def strength_from_sources(source_ids: Iterable[str]) -> Strength:
    """The rule for a claim: its strongest study source; two or more low ones count as
    medium; expert sources alone give expert practice; no source, our assumption."""
    strengths = [SOURCES[s].strength for s in source_ids]
    studies = [s for s in strengths if s is not Strength.EXPERT]
    if not studies:
        return Strength.EXPERT if strengths else Strength.ASSUMPTION
    best = max(studies, key=rank)
    if best is Strength.LOW and len(studies) >= 2:
        return Strength.MEDIUM
    return best


_CLAIMS = (
    Claim("energy_cost", "In small lab studies, backward running cost about 15-35 % more energy "
          "and raised heart rate by about 20 beats a minute at the same speed, so backward "
          "targets are set by effort or heart rate, not by forward pace. Where a plan gives a "
          "backward pace range, it is derived from your easy pace and the speed ratios the "
          "studies used, and is much slower.",
          ("flynn1994", "williford1998", "wright2001"), Strength.MEDIUM),
    Claim("muscle_work", "Backward running shifts work toward concentric and isometric work of "
          "the thigh and calf muscles, in a review of mostly small lab studies.",
          ("uthoff2018review",), Strength.MEDIUM),
    Claim("economy", "One small study without a control group (8 trained male runners) found "
          "forward running economy 2.5 % better after 10 weeks of treadmill backward running. "
          "With no control group, part of that gain may be practice or the season, and it may "
          "not apply to everyone.", ("ordway2016",), Strength.LOW),
    Claim("youth_sprint", "In adolescent boys, mostly soccer players, 6-8 weeks of backward "
          "sprint training twice a week improved sprint and jump tests; in the one study with "
          "a forward-running group, backward training did slightly better on 10 m, 20 m and "
          "jump.", ("uthoff2020", "negra2022", "bouguezzi2024"), Strength.HIGH),
    Claim("knee_load", "In one lab study of 20 healthy adults, the knee-cap joint carried about "
          "24 % less force running backward than forward at the same speed; a smaller study at "
          "a very slow speed found no difference.", ("roos2012", "odu1998"), Strength.LOW,
          weaker_because="the two lab studies disagree: no difference at a very slow speed"),
    Claim("knee_oa_walking", "In trials in knee osteoarthritis, backward walking added to "
          "physiotherapy reduced pain and disability more than physiotherapy alone. It is not "
          "a treatment on its own, and a plan here is not medical advice.",
          ("alghadir2019", "lin2025"), Strength.HIGH),
    Claim("brain", "Unproven: whether backward running changes BDNF or brain health is "
          "unknown, because no study has measured it. Aerobic training in general raises "
          "resting blood BDNF somewhat, and blood levels say little about the brain.",
          ("dinoff2016",), Strength.LOW, shown=False,
          weaker_because="the meta-analysis is of exercise in general; no study measured "
                         "backward running"),
    Claim("safety_surface", "Backward work belongs on a track, a treadmill with the safety key, "
          "or flat grass or turf; off the belt, look back over alternating shoulders (before "
          "each short rep, not during it).", ("expert", "hammer2021"),
          Strength.EXPERT,
          weaker_because="the pilot backs only learning on a treadmill with handrails; the "
                         "surfaces and looking back are coaching practice"),
    Claim("ladder", "Walk before you jog, jog before you run, as experienced backward runners "
          "advise. The plan is written in advance: move up a stage only when the last one felt "
          "easy and pain-free; otherwise repeat the week before moving on.",
          ("expert", "myatt1995", "hreljac2005"), Strength.EXPERT,
          weaker_because="the lab studies give only walking and walk-to-run speeds; the order "
                         "of the stages and when to move on are coaching practice"),
    Claim("load_spikes", "In a cohort of 5,205 runners, sessions more than 10 % longer than the "
          "longest of the previous 30 days were linked to more injuries, so no session here is "
          "more than 10 % longer than your longest recent one. Weekly load rises at most 30 % "
          "over two weeks: in another cohort, faster rises went with more of some overuse "
          "injuries, though not clearly.", ("frandsen2025", "nielsen2014"), Strength.MEDIUM),
    Claim("easy_most", "Elite endurance athletes do about 80 % of their sessions easy, and about "
          "80 % or more of running time here is easy; in one trial in 38 recreational runners, "
          "a polarised and a pyramidal mix gave similar gains.",
          ("seiler2010", "festa2020"), Strength.MEDIUM),
    Claim("strength", "In trials across many sports, strength training cut injuries to about a "
          "third; in 720 first-time marathon runners, a short unsupervised routine did not "
          "reduce them.", ("lauersen2014", "toresdahl2020"), Strength.HIGH),
    Claim("core", "Core training three times a week for 8 weeks improved plank time and running "
          "economy in one small study of 21 male college athletes.", ("hung2019",),
          Strength.LOW),
    Claim("pain_rules", "Pain up to 3/10 is fine; 4-5/10 only if it settles by next morning and "
          "is not rising week to week. Above that, or if it is worse next morning, halve your "
          "backward minutes and go back a stage for a week; if it happens again, pause backward "
          "work and ask a clinician.", ("silbernagel2007",), Strength.MEDIUM,
          weaker_because="the trial compared continued activity with rest in Achilles "
                         "tendinopathy, not these thresholds; applying them to backward running "
                         "is our extrapolation"),
)
CLAIMS: dict[str, Claim] = {c.id: c for c in _CLAIMS}

# Evidence B10: what the app must never say. Tests scan every user-facing text for these.
FORBIDDEN_CLAIMS: tuple[str, ...] = (
    "boosts bdnf",
    "builds the brain",
    "prevents injury",
    "prevents injuries",
    "treats knee pain",
    "cures",
    "makes everyone faster",
    "guaranteed",
)


def sources_for(*claim_ids: str) -> tuple[str, ...]:
    """The distinct source ids behind some claims, in the order first cited."""
    seen: dict[str, None] = {}
    for claim_id in claim_ids:
        for source_id in CLAIMS[claim_id].sources:
            seen.setdefault(source_id, None)
    return tuple(seen)


def citation(source_id: str) -> str:
    return SOURCES[source_id].citation

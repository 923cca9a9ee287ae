"""The evidence registry: every claim retrorun makes, with its sources and how strong
they are, and the claims it must never make (evidence B10).

Session `why` texts and `evidence` lists are built from here, so a claim cannot appear
in a plan without a source. Strength follows the confidence legend of
shared/research/evidence.md, and a claim's `status` says whether the studies showed it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Strength(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    EXPERT = "expert practice"
    ASSUMPTION = "our assumption"


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    citation: str
    design: str
    strength: Strength


@dataclass(frozen=True, slots=True)
class Claim:
    id: str
    text: str
    sources: tuple[str, ...]
    strength: Strength
    shown: bool = True


_SOURCES = (
    Source("ordway2016", "Ordway JD et al. (2016). The effects of backwards running training on "
           "forward running economy in trained males. J Strength Cond Res 30(3):763-767. "
           "doi:10.1519/JSC.0000000000001153", "n = 8 trained men, no control group",
           Strength.LOW),
    Source("uthoff2020", "Uthoff A et al. (2020). Sprint-specific training in youth: backward "
           "running vs. forward running training. J Strength Cond Res 34(4):1113-1122. "
           "doi:10.1519/JSC.0000000000002914", "RCT, n = 43 boys 13-15 y, 8 weeks, 2x/week",
           Strength.HIGH),
    Source("uthoff2018sports", "Uthoff A et al. (2018). Prescribing target running intensities "
           "for high-school athletes. Sports 6(3):77. doi:10.3390/sports6030077",
           "n = 34 boys; self-selected 40-55 / 60-75 / >90 % efforts were reliable",
           Strength.HIGH),
    Source("negra2022", "Negra Y et al. (2022). Repeated backward running training in youth male "
           "soccer players. J Sports Sci 40(24):2688-2696. doi:10.1080/02640414.2023.2184770",
           "controlled trial, n = 36, 8 weeks, 2x/week", Strength.HIGH),
    Source("bouguezzi2024", "Bouguezzi R et al. (2024). Volume-matched 1- and 2-day repeated "
           "backward sprint training in youth soccer players. J Strength Cond Res 38(10):"
           "e587-e594. doi:10.1519/JSC.0000000000004859",
           "n = 30, 6 weeks, sets of 7 x 20 m backward sprints", Strength.HIGH),
    Source("alghadir2019", "Alghadir AH et al. (2019). 6-week retro or forward walking program "
           "in knee osteoarthritis: RCT. BMC Musculoskelet Disord 20:159. "
           "doi:10.1186/s12891-019-2537-9", "RCT, n = 68 knee OA, 10 min x 3/week, supervised",
           Strength.HIGH),
    Source("lin2025", "Lin L-H et al. (2025). Backward walking combined with conventional "
           "rehabilitation for knee OA: systematic review and meta-analysis. Physiother Theory "
           "Pract. doi:10.1080/09593985.2025.2550532", "13 RCTs, add-on design",
           Strength.HIGH),
    Source("roos2012", "Roos PE et al. (2012). Patellofemoral joint compression forces in "
           "backward and forward running. J Biomech 45(9):1656-1660. "
           "doi:10.1016/j.jbiomech.2012.03.020", "lab study, n = 20 healthy adults",
           Strength.MEDIUM),
    Source("flynn1994", "Flynn TW et al. (1994). Cardiopulmonary responses to forward and "
           "backward walking and running. Med Sci Sports Exerc 26(1):89-94",
           "lab study, healthy adults", Strength.HIGH),
    Source("williford1998", "Williford HN et al. (1998). Cardiovascular and metabolic costs of "
           "forward, backward, and lateral motion. Med Sci Sports Exerc 30(9):1419-1423",
           "lab study, n = 13", Strength.HIGH),
    Source("wright2001", "Wright S, Weyand PG (2001). The application of ground force explains "
           "the energetic cost of running backward and forward. J Exp Biol 204:1805-1815",
           "lab study, n = 4", Strength.MEDIUM),
    Source("myatt1995", "Myatt G et al. (1995). The cardiopulmonary cost of backward walking at "
           "selected speeds. J Orthop Sports Phys Ther 21(3):132-138",
           "lab study, n = 25", Strength.HIGH),
    Source("hreljac2005", "Hreljac A et al. (2005). Preferred and energetically optimal "
           "transition speeds during backward human locomotion. J Sports Sci Med 4:446-454",
           "lab study, n = 12", Strength.HIGH),
    Source("sterzing2016", "Sterzing T et al. (2016). Backward compared to forward running on a "
           "treadmill. Gait Posture 46:135-141", "lab study, n = 19", Strength.MEDIUM),
    Source("hammer2021", "Hammer S et al. (2021). Backward running on a negative slope for "
           "Achilles tendinopathy in runners: feasibility pilot. J Sport Rehabil",
           "single arm, n = 15, handrails in sessions 1-3", Strength.LOW),
    Source("polo2025", "Polo-Ferrero L et al. (2025). The 3-meter backward walk test for falls "
           "in older adults. J Funct Morphol Kinesiol 10(2):154", "case-control, n = 483",
           Strength.MEDIUM),
    Source("uthoff2018review", "Uthoff A et al. (2018). A new direction to athletic performance: "
           "backward running. Sports Med 48:1083-1096", "narrative review", Strength.MEDIUM),
    Source("frandsen2025", "Frandsen JSB et al. (2025). How much running is too much? Br J "
           "Sports Med 59(17):1203-1210. doi:10.1136/bjsports-2024-109380",
           "cohort, n = 5,205 runners", Strength.HIGH),
    Source("nielsen2014", "Nielsen RO et al. (2014). Excessive progression in weekly running "
           "distance and risk of running-related injuries. J Orthop Sports Phys Ther 44(10)",
           "cohort, n = 874 novices", Strength.MEDIUM),
    Source("seiler2010", "Seiler S (2010). Best practice for training intensity and duration "
           "distribution. Int J Sports Physiol Perform 5:276-291", "review", Strength.HIGH),
    Source("festa2020", "Festa L et al. (2020). Different training intensity distribution in "
           "recreational runners. Front Sports Act Living 1:70", "RCT, n = 38", Strength.HIGH),
    Source("foster2001", "Foster C et al. (2001). A new approach to monitoring exercise training. "
           "J Strength Cond Res 15(1):109-115", "validation study", Strength.HIGH),
    Source("silbernagel2007", "Silbernagel KG et al. (2007). Continued sports activity using a "
           "pain-monitoring model. Am J Sports Med 35(6):897-906",
           "RCT in Achilles tendinopathy", Strength.MEDIUM),
    Source("lauersen2014", "Lauersen JB et al. (2014). Exercise interventions to prevent sports "
           "injuries: meta-analysis. Br J Sports Med 48:871-877", "meta-analysis, 25 trials",
           Strength.HIGH),
    Source("hung2019", "Hung K-C et al. (2019). Effects of 8-week core training on core "
           "endurance and running economy. PLoS One 14(3):e0213158", "n = 21", Strength.MEDIUM),
    Source("toresdahl2020", "Toresdahl BG et al. (2020). Strength training to prevent injuries "
           "in NYC Marathon runners. Sports Health", "RCT, n = 720: no effect of 10 min "
           "unsupervised", Strength.HIGH),
    Source("daniels", "Daniels J, Gilbert J (1979). Oxygen Power; Daniels J. Daniels' Running "
           "Formula: VDOT race equivalence and training paces", "published method",
           Strength.MEDIUM),
    Source("karvonen1957", "Karvonen MJ et al. (1957). The effects of training on heart rate. "
           "Ann Med Exp Biol Fenn 35:307-315: heart-rate reserve method",
           "published method", Strength.MEDIUM),
    Source("dinoff2016", "Dinoff A et al. (2016). Exercise training and resting BDNF: "
           "meta-analysis. PLoS One 11(9):e0163037", "generic aerobic training, not backward",
           Strength.HIGH),
    Source("expert", "Coaching practice of retro-running clubs and pioneers (Guardian 2006; "
           "The Age 2007)", "expert opinion", Strength.EXPERT),
)
SOURCES: dict[str, Source] = {s.id: s for s in _SOURCES}

_CLAIMS = (
    Claim("energy_cost", "Backward running costs about 15-35 % more energy and raises heart "
          "rate by about 20 beats a minute at the same speed, so backward targets are set by "
          "effort or heart rate, not by forward pace (a backward pace range, where a study "
          "set one, is its own and much slower).",
          ("flynn1994", "williford1998", "wright2001"), Strength.HIGH),
    Claim("muscle_work", "Backward running shifts work toward concentric and isometric work of "
          "the thigh and calf muscles.", ("uthoff2018review",), Strength.MEDIUM),
    Claim("economy", "One small study without a control group (8 trained men) found forward "
          "running economy 2.5 % better after 10 weeks of backward running; it may not apply "
          "to everyone.", ("ordway2016",), Strength.LOW),
    Claim("youth_sprint", "In adolescent athletes, 8 weeks of backward sprint training twice a "
          "week improved sprint and jump tests, a little more than forward training did.",
          ("uthoff2020", "negra2022", "bouguezzi2024"), Strength.HIGH),
    Claim("knee_load", "At the same speed, the knee-cap joint carried about 24 % less force "
          "running backward in one lab study; at very slow speeds no difference was found.",
          ("roos2012",), Strength.MEDIUM),
    Claim("knee_oa_walking", "Backward walking added to physiotherapy reduced knee "
          "osteoarthritis pain more than physiotherapy alone in trials. It is not a treatment "
          "on its own, and a plan here is not medical advice.",
          ("alghadir2019", "lin2025"), Strength.HIGH),
    Claim("brain", "Unproven: whether backward running changes BDNF or brain health is "
          "unknown, because no study has measured it. Aerobic exercise in general raises blood "
          "BDNF a little.", ("dinoff2016",), Strength.LOW, shown=False),
    Claim("safety_surface", "Backward work belongs on a track, a treadmill with the safety key, "
          "or flat grass; look back over alternating shoulders.", ("expert", "hammer2021"),
          Strength.EXPERT),
    Claim("ladder", "Walk before you jog, jog before you run: backward stages advance only when "
          "the last one felt easy and pain-free.", ("expert", "myatt1995", "hreljac2005"),
          Strength.EXPERT),
    Claim("load_spikes", "Sessions more than 10 % longer than your longest in the last 30 days "
          "were linked to more injuries, so no session here exceeds that.",
          ("frandsen2025", "nielsen2014"), Strength.HIGH),
    Claim("easy_most", "About 80 % of running time is easy; polarised and pyramidal "
          "distributions gave similar gains in recreational runners.",
          ("seiler2010", "festa2020"), Strength.HIGH),
    Claim("strength", "Strength training cut sports injuries to about a third in trials; a "
          "short unsupervised routine alone did not.", ("lauersen2014", "toresdahl2020"),
          Strength.HIGH),
    Claim("core", "Core training three times a week for 8 weeks improved plank time and running "
          "economy in one small study.", ("hung2019",), Strength.MEDIUM),
    Claim("pain_rules", "Pain up to 3/10 is fine; 4-5/10 only if it settles by next morning; "
          "more than that halves backward minutes and drops a stage.", ("silbernagel2007",),
          Strength.MEDIUM),
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

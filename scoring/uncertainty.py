"""Uncertainty and sensitivity of the ranking (OECD/JRC Handbook, 2008, step 7).

* Bootstrap: the responses and the monitoring points are resampled with replacement within
  each prefecture, B times; complaint and spot-check scores are censuses of the year's cases and
  checked units and stay fixed.  Each replicate is imputed, normalised, aggregated and ranked
  exactly as the estimate.  Percentile intervals (Efron & Tibshirani, *An Introduction to the
  Bootstrap*, 1993, ch. 13) give the composite and rank intervals; P(top k) is the share of
  replicates in which the prefecture's rank is at most k.
* Weight sensitivity: N weight vectors from Dirichlet(c · w) (mean w; larger c, closer to w),
  applied to the estimated source scores.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .composite import aggregate, competition_rank, impute, normalise
from .method import SOURCES, Method
from .survey import SurveyMatrix, replicate_scores

CELLS_PER_CHUNK = 4_000_000  # resampling counts held at once (≈ 32 MB of float64)


def resampling_counts(rng: np.random.Generator, n: int, replicates: int) -> np.ndarray:
    """(replicates × n) counts of how often each of n units is drawn in a bootstrap sample of size n:
    one multinomial(n; 1/n, …, 1/n) vector per row."""
    drawn = rng.integers(0, n, size=(replicates, n)) + (np.arange(replicates) * n)[:, None]
    return np.bincount(drawn.ravel(), minlength=replicates * n).reshape(replicates, n).astype(float)


def replicate_chunks(total: int, n: int):
    """(start, stop) ranges of replicates whose resampling counts for n units fit in one chunk."""
    size = max(1, CELLS_PER_CHUNK // max(n, 1))
    for start in range(0, total, size):
        yield start, min(total, start + size)


def bootstrap_sources(estimates: np.ndarray, survey: list[SurveyMatrix], points: list[np.ndarray],
                      method: Method, progress: Callable[[int], None] | None = None) -> np.ndarray:
    """(B × P × S) replicate source scores; NaN where the estimate is NaN or a replicate has no answer."""
    settings = method.uncertainty
    rng = np.random.default_rng(settings.seed)
    draws = np.repeat(estimates[None, :, :], settings.replicates, axis=0)
    survey_at, monitoring_at = SOURCES.index("survey"), SOURCES.index("monitoring")
    for p, (responses, scores) in enumerate(zip(survey, points, strict=True)):
        n = len(responses.values)
        if n and not np.isnan(estimates[p, survey_at]):
            for start, stop in replicate_chunks(settings.replicates, n):
                draws[start:stop, p, survey_at] = replicate_scores(responses, resampling_counts(rng, n, stop - start))
        if len(scores):
            draws[:, p, monitoring_at] = resampling_counts(rng, len(scores), settings.replicates) @ scores / len(scores)
        if progress:
            progress(p + 1)
    return draws


@dataclass
class Intervals:
    composites: np.ndarray   # B × P replicate composites
    ranks: np.ndarray        # B × P replicate ranks

    def composite_interval(self, level: float) -> np.ndarray:
        return np.quantile(self.composites, [(1 - level) / 2, (1 + level) / 2], axis=0).T

    def rank_interval(self, level: float) -> np.ndarray:
        """The shortest run of consecutive ranks holding at least ``level`` of the replicates (P × 2).

        Ranks are discrete, so equal tails would keep the whole mass of both boundary ranks and
        overcover (96.5 % for a nominal 90 % over 200 simulated years; 94.1 % with this rule,
        bench/README.md).  Among runs of equal length the one with the most mass is taken.
        """
        replicates, units = self.ranks.shape
        mass = np.stack([np.bincount(self.ranks[:, p], minlength=units + 1)[1:] for p in range(units)]) / replicates
        cumulative = np.concatenate([np.zeros((units, 1)), mass.cumsum(axis=1)], axis=1)
        interval = np.zeros((units, 2), dtype=int)
        found = np.zeros(units, dtype=bool)
        for width in range(1, units + 1):
            held = cumulative[:, width:] - cumulative[:, :-width]  # runs of ranks start+1 … start+width
            enough = (held >= level - 1e-12) & ~found[:, None]
            start = np.where(enough, held, -1.0).argmax(axis=1)
            hit = enough.any(axis=1)
            interval[hit] = np.stack([start[hit] + 1, start[hit] + width], axis=1)
            found |= hit
        return interval

    def p_top(self, k: int) -> np.ndarray:
        return (self.ranks <= k).mean(axis=0)


def replicate_ranking(draws: np.ndarray, method: Method) -> Intervals:
    weights = np.array([method.weights[s] for s in SOURCES])
    filled, _ = impute(draws)
    composites = aggregate(normalise(filled, method.normalisation), weights, method.aggregation)
    return Intervals(composites, competition_rank(composites))


@dataclass
class WeightSensitivity:
    stability: float         # share of draws with the same set of awarded prefectures
    rank_range: np.ndarray   # P × 2: best and worst rank over the draws


def weight_sensitivity(normalised: np.ndarray, ranks: np.ndarray, method: Method) -> WeightSensitivity:
    """Rank the estimated (imputed, normalised) scores under N Dirichlet(c · w) weight draws.

    Sources with weight 0 stay at 0 (a Dirichlet parameter must be positive).
    """
    settings = method.uncertainty
    rng = np.random.default_rng(settings.seed + 1)
    base = np.array([method.weights[s] for s in SOURCES])
    used = base > 0
    weights = np.zeros((settings.weight_draws, len(SOURCES)))
    weights[:, used] = rng.dirichlet(settings.concentration * base[used], size=settings.weight_draws)
    drawn = competition_rank(aggregate(normalised, weights, method.aggregation))
    awarded = ranks <= settings.top
    stable = ((drawn <= settings.top) == awarded).all(axis=1).mean()
    return WeightSensitivity(float(stable), np.stack([drawn.min(axis=0), drawn.max(axis=0)], axis=1))


def tie_zone(ranks: np.ndarray, rank_interval: np.ndarray, composites: np.ndarray, top: int) -> bool:
    """True when the rank intervals of the last awarded place and the first place after it overlap."""
    order = np.lexsort((-composites, ranks))
    if len(order) <= top:
        return False
    last_in, first_out = order[top - 1], order[top]
    return bool(rank_interval[last_in, 1] >= rank_interval[first_out, 0])

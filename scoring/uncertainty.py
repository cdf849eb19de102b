"""Uncertainty and sensitivity of the ranking (OECD/JRC Handbook, 2008, step 7).

* Bootstrap: every source the method lists in ``[uncertainty] resample`` is resampled with
  replacement within each prefecture, B times — responses, monitoring points, complaint cases,
  spot-checked units (version 1 held complaints and spot checks fixed, as censuses).  Each replicate
  is scored (the complaint rates shrunk towards the replicate's own province rate), imputed,
  normalised, aggregated and ranked exactly as the estimate.  Percentile intervals (Efron &
  Tibshirani, *An Introduction to the Bootstrap*, 1993, ch. 13) give the composite and rank
  intervals; the replicates also give the rank confidence sets (:mod:`scoring.ranksets`).
* P(top k): the share of replicates in which the prefecture's rank is at most k (version 1), or
  (version 2) the share of draws from the empirical-Bayes posterior of the true composites
  (:func:`posterior_p_top`), which corrects the bootstrap's over-confidence at the top.
* Weight sensitivity: N weight vectors from Dirichlet(c · w) (mean w; larger c, closer to w),
  applied to the estimated source scores.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.stats import rankdata

from .composite import aggregate, competition_rank, impute, normalise
from .diagnostics import between_variance
from .method import Method
from .sources import complaint_scores, shrunk_rates
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
                      method: Method, progress: Callable[[int], None] | None = None,
                      cases: list[np.ndarray] | None = None, units: list[np.ndarray] | None = None) -> np.ndarray:
    """(B × P × S) replicate source scores; NaN where the estimate is NaN or a replicate has no answer.

    ``cases[p]`` are prefecture p's complaint cases (n × 3 measures × 2, :func:`scoring.sources.case_counts`)
    and ``units[p]`` its spot-checked units (n × 2, :func:`scoring.sources.unit_scores`); they are
    needed only when the method resamples those sources.
    """
    settings = method.uncertainty
    rng = np.random.default_rng(settings.seed)
    draws = np.repeat(estimates[None, :, :], settings.replicates, axis=0)
    at = {source: j for j, source in enumerate(method.sources)}
    resampled = set(settings.resample)
    totals = np.zeros((settings.replicates, len(survey), 3, 2))
    for p, (responses, scores) in enumerate(zip(survey, points, strict=True)):
        n = len(responses.values)
        if "survey" in resampled and n and not np.isnan(estimates[p, at["survey"]]):
            for start, stop in replicate_chunks(settings.replicates, n):
                draws[start:stop, p, at["survey"]] = replicate_scores(responses, resampling_counts(rng, n, stop - start))
        if "monitoring" in resampled and len(scores):
            draws[:, p, at["monitoring"]] = resampling_counts(rng, len(scores), settings.replicates) @ scores / len(scores)
        if "complaints" in resampled and cases and len(cases[p]):
            totals[:, p] = (resampling_counts(rng, len(cases[p]), settings.replicates)
                            @ cases[p].reshape(len(cases[p]), -1)).reshape(-1, 3, 2)
        if "spotcheck" in resampled and units and len(units[p]):
            drawn = resampling_counts(rng, len(units[p]), settings.replicates) @ units[p]
            draws[:, p, at["spotcheck"]] = np.divide(100.0 * drawn[:, 0], drawn[:, 1], out=np.full(len(drawn), np.nan),
                                                     where=drawn[:, 1] > 0)
        if progress:
            progress(p + 1)
    if "complaints" in resampled and cases:
        draws[:, :, at["complaints"]] = complaint_scores(shrunk_rates(totals, method.complaints.prior_cases))
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
    weights = np.array([method.weights[s] for s in method.sources])
    filled, _ = impute(draws, method.missing)
    composites = aggregate(normalise(filled, method.normalisation), weights, method.aggregation)
    return Intervals(composites, competition_rank(composites))


@dataclass
class Posterior:
    p_top: np.ndarray        # P: posterior probability of being among the best k
    grand_mean: float
    tau2: float              # between-prefecture variance of the true composites
    factors: np.ndarray      # P: k_p = τ² / (τ² + v_p)


def posterior_p_top(composites: np.ndarray, replicates: np.ndarray, method: Method) -> Posterior:
    """P(top k) from the empirical-Bayes (normal–normal) posterior of the true composites.

    With :math:`v_p` the bootstrap variance of prefecture p's composite, :math:`\\bar C` the mean
    composite and :math:`\\tau^2` from :func:`scoring.diagnostics.between_variance` (floored by the
    method's ``tau2_floor``), the true composite is drawn from

    .. math:: \\theta_p \\sim N\\bigl(\\bar C + k_p (C_p - \\bar C),\\; k_p v_p\\bigr), \\qquad k_p = \\frac{\\tau^2}{\\tau^2 + v_p}

    independently, ``posterior_draws`` times; P(top k) is the share of draws in which p is among the
    best k.  The bootstrap share centres every replicate on the estimate itself, so a prefecture that
    is first partly by luck looks surer than it is (the winner's curse); the posterior pulls each
    estimate towards the mean by as much as its noise warrants.  Reference: Morris (1983), *JASA* 78:47;
    Efron (2010), *Large-Scale Inference*, ch. 1.
    """
    settings = method.uncertainty
    variances = replicates.var(axis=0, ddof=1)
    grand = float(composites.mean())
    tau2 = between_variance(composites, variances, method.tau2_floor) if len(composites) > 1 else 0.0
    with np.errstate(invalid="ignore", divide="ignore"):
        factors = np.where(tau2 + variances > 0, tau2 / (tau2 + variances), 1.0)
    mean = grand + factors * (composites - grand)
    rng = np.random.default_rng(settings.seed + 2)
    draws = mean + np.sqrt(factors * variances) * rng.standard_normal((settings.posterior_draws, len(composites)))
    ranks = rankdata(-draws, method="min", axis=1)
    return Posterior((ranks <= settings.top).mean(axis=0), grand, tau2, factors)


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
    base = np.array([method.weights[s] for s in method.sources])
    used = base > 0
    weights = np.zeros((settings.weight_draws, len(base)))
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

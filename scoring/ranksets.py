"""Confidence sets for ranks after Mogstad, Romano, Shaikh & Wilhelm (2023), from the bootstrap.

Mogstad, Romano, Shaikh and Wilhelm (2023), "Inference for Ranks with Applications to Mobility
across Neighbourhoods and Academic Achievement across Countries", *Review of Economic Studies*,
doi:10.1093/restud/rdad006, in its bootstrap form: the replicates of the evaluation's own bootstrap
stand in for the normal draws of the R package ``csranks`` (which implements the same steps).

The rank of unit :math:`j` (1 = best) is :math:`1 + \\#\\{k : \\theta_k > \\theta_j\\}`.  For ordered
pairs :math:`(j, k)` let :math:`\\Delta_{jk} = \\theta_j - \\theta_k`, :math:`\\hat\\Delta_{jk}` its
estimate, :math:`\\hat\\sigma_{jk}` the bootstrap standard deviation of :math:`\\hat\\Delta^*_{jk}` and

.. math:: T^*_{jk} = \\frac{(\\hat\\Delta^*_{jk} - \\hat\\Delta_{jk})}{\\hat\\sigma_{jk}} .

For a set :math:`I` of ordered pairs, :math:`\\hat c_I` is the ``level`` quantile over replicates of
:math:`\\max_{(j,k) \\in I} T^*_{jk}`; a pair is *rejected* (:math:`\\theta_j > \\theta_k` at that level)
when :math:`\\hat\\Delta_{jk} - \\hat c_I \\hat\\sigma_{jk} > 0`.  Step-down: rejected pairs leave :math:`I` and :math:`\\hat c_I` is recomputed until nothing more is rejected.
With :math:`N^-_j` the units rejected as better than :math:`j` and :math:`N^+_j` those rejected as
worse, the rank set is :math:`[N^-_j + 1,\\ P - N^+_j]`.

* marginal (for each :math:`j` alone): :math:`I` = every pair :math:`(j, k)` and :math:`(k, j)`;
* simultaneous (all units at once): :math:`I` = every ordered pair;
* the τ-best set (units that may be among the best τ): :math:`\\{j : N^-_j + 1 \\le \\tau\\}` from the
  simultaneous procedure (with every ordered pair in :math:`I`, the one-sided procedure of
  ``cstaubest`` and the simultaneous two-sided one with step-down coincide).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class RankSets:
    marginal: np.ndarray       # P × 2: [lower, upper] rank, each unit's own confidence set
    simultaneous: np.ndarray   # P × 2: holding for every unit at once
    possibly_top: np.ndarray   # P: may be among the best ``top`` (the τ-best confidence set)
    surely_top: np.ndarray     # P: among the best ``top`` for certain at the level (simultaneous upper bound ≤ top)


def rank_sets(estimates: np.ndarray, replicates: np.ndarray, level: float, top: int) -> RankSets:
    """Marginal and simultaneous rank confidence sets and the top-``top`` statement of units whose
    estimates are ``estimates`` (P) and bootstrap replicates ``replicates`` (B × P)."""
    units = len(estimates)
    deviations = replicates - estimates
    sigma = _pair_sd(deviations)
    difference = estimates[:, None] - estimates[None, :]
    everyone = ~np.eye(units, dtype=bool)
    simultaneous = _bounds(_stepdown(difference, sigma, everyone, level, lambda pairs: _block_max(deviations, sigma,
                                                                                                    pairs)))
    marginal = np.empty((units, 2), dtype=int)
    for j in range(units):
        pairs = np.zeros((units, units), dtype=bool)
        pairs[j, :] = pairs[:, j] = True
        pairs &= everyone
        star = _star(deviations, sigma, j)
        marginal[j] = _bounds(_stepdown(difference, sigma, pairs, level,
                                        lambda remaining, star=star, j=j: _star_max(star, remaining, j)))[j]
    return RankSets(marginal, simultaneous, simultaneous[:, 0] <= top, simultaneous[:, 1] <= top)


def _pair_sd(deviations: np.ndarray) -> np.ndarray:
    """Bootstrap standard deviation of every difference of two units, P × P."""
    covariance = np.atleast_2d(np.cov(deviations, rowvar=False))
    variance = np.diag(covariance)
    return np.sqrt(np.maximum(variance[:, None] + variance[None, :] - 2 * covariance, 0.0))


def _stepdown(difference: np.ndarray, sigma: np.ndarray, pairs: np.ndarray, level: float, max_statistic) -> np.ndarray:
    """The ordered pairs (j, k) of ``pairs`` rejected in favour of θ_j > θ_k (P × P booleans).

    ``max_statistic(remaining)`` gives max over the remaining pairs of T*_jk for each replicate.  A
    pair whose difference does not vary over the replicates is decided by its estimate alone.
    """
    exact = pairs & (sigma == 0)
    rejected = exact & (difference > 0)
    remaining = pairs & ~exact
    while remaining.any():
        critical = np.quantile(max_statistic(remaining), level)
        new = remaining & (difference - critical * sigma > 0)
        if not new.any():
            break
        rejected |= new
        remaining &= ~new
    return rejected


def _block_max(deviations: np.ndarray, sigma: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """max over ``pairs`` of T*_jk for each replicate, one row j of the block at a time, with the
    replicates along the contiguous axis (the unit-major copy ``deviations.T``)."""
    rows, cols = np.flatnonzero(pairs.any(axis=1)), np.flatnonzero(pairs.any(axis=0))
    by_unit = np.ascontiguousarray(deviations.T)
    result = np.full(len(deviations), -np.inf)
    buffer = np.empty((len(cols), len(deviations)))
    for j in rows:
        inside = pairs[j, cols]
        scale = np.where(inside, sigma[j, cols], np.inf)[:, None]
        np.subtract(by_unit[j], by_unit[cols], out=buffer)
        np.divide(buffer, scale, out=buffer)
        buffer[~inside] = -np.inf
        np.maximum(result, buffer.max(axis=0), out=result)
    return result


def _star(deviations: np.ndarray, sigma: np.ndarray, j: int) -> np.ndarray:
    """T*_jk for every k, unit-major (P × B; 0 where σ_jk = 0)."""
    scale = np.where(sigma[j] > 0, sigma[j], np.inf)[:, None]
    return (deviations[:, j] - deviations.T) / scale


def _star_max(star: np.ndarray, pairs: np.ndarray, j: int) -> np.ndarray:
    """max over the remaining pairs (j, k) and (k, j) of T*, given T*_jk (and T*_kj = −T*_jk); only
    the remaining rows are read (after the first step they are the few units close to j)."""
    ahead, behind = np.flatnonzero(pairs[j]), np.flatnonzero(pairs[:, j])
    maxima = [star.take(ahead, axis=0).max(axis=0)] if len(ahead) else []
    if len(behind):
        maxima.append(-star.take(behind, axis=0).min(axis=0))
    return np.maximum.reduce(maxima)


def _bounds(rejected: np.ndarray) -> np.ndarray:
    """[N⁻ + 1, P − N⁺] for each unit from the rejected pairs."""
    units = len(rejected)
    better, worse = rejected.sum(axis=0), rejected.sum(axis=1)
    return np.stack([better + 1, units - worse], axis=1)

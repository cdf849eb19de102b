"""Imputing missing sources, normalising, aggregating into the composite, and ranking.

Every function works on arrays whose last two axes are (prefecture, source) — a single
evaluation or a whole stack of bootstrap replicates alike.
"""
from __future__ import annotations

import numpy as np
from scipy.stats import rankdata

from .method import ALL_SOURCES, LABELS

FLOOR = 0.0  # the bottom of the fixed 0–100 goalposts


def impute(scores: np.ndarray, rule: str = "mean") -> tuple[np.ndarray, np.ndarray]:
    """Fill a missing (NaN) source of a prefecture.

    ``mean`` (version 1): the mean of the other prefectures' scores for it,
    :math:`S_{ps} \\leftarrow \\frac{1}{|P_s|} \\sum_{q \\in P_s} S_{qs}` where :math:`P_s` are the
    prefectures with source :math:`s`.  ``floor`` (version 2): 0, the bottom of the scale, so that
    withholding a source can never score better than submitting it.

    Returns the filled array and the mask of imputed cells.  Raises ``ValueError`` when no
    prefecture has a source at all.
    """
    missing = np.isnan(scores)
    counted = (~missing).sum(axis=-2, keepdims=True)
    if (counted == 0).any():
        empty = [LABELS[ALL_SOURCES[s]] for s in np.flatnonzero((counted == 0).any(axis=tuple(range(counted.ndim - 1))))]
        raise ValueError(f"没有任何市州有“{'、'.join(empty)}”的得分，无法测评")
    fill = FLOOR if rule == "floor" else np.where(missing, 0.0, scores).sum(axis=-2, keepdims=True) / counted
    return np.where(missing, fill, scores), missing


def normalise(scores: np.ndarray, how: str) -> np.ndarray:
    """Put each source on a common scale across prefectures.

    ``none`` keeps the 0–100 goalposts (the published default, as in the World Bank's B-READY);
    ``minmax`` maps each source to :math:`100\\,(x - \\min)/(\\max - \\min)`; ``zscore`` to
    :math:`50 + 10\\,(x - \\bar x)/s` with :math:`s` the sample standard deviation (divisor
    :math:`P - 1`, as COINr's ``n_zscore``).  A source on which every prefecture is equal becomes 50.
    Reference: OECD/JRC Handbook (2008), step 5 (normalisation).
    """
    if how == "none":
        return scores
    if how == "minmax":
        low, high = scores.min(axis=-2, keepdims=True), scores.max(axis=-2, keepdims=True)
        spread = high - low
        return np.where(spread > 0, 100.0 * (scores - low) / np.where(spread > 0, spread, 1.0), 50.0)
    units = scores.shape[-2]
    mean = scores.mean(axis=-2, keepdims=True)
    sd = scores.std(axis=-2, keepdims=True, ddof=1) if units > 1 else np.zeros_like(mean)
    return np.where(sd > 0, 50.0 + 10.0 * (scores - mean) / np.where(sd > 0, sd, 1.0), 50.0)


def aggregate(scores: np.ndarray, weights: np.ndarray, how: str) -> np.ndarray:
    """Composite of each prefecture: arithmetic or geometric weighted mean over the sources.

    .. math:: C_p = \\sum_s w_s S_{ps} \\qquad\\text{or}\\qquad C_p = \\prod_s \\max(S_{ps}, 1)^{w_s}

    ``weights`` is one weight vector (result: ``scores.shape[:-1]``) or a stack of them,
    shape (N, S) (result: (N, P) for scores of shape (P, S)).  The geometric mean floors scores at
    1 point so that one zero does not wipe out a prefecture.
    """
    if how == "geometric":
        combined = np.exp(np.inner(np.log(np.maximum(scores, 1.0)), weights))
    else:
        combined = np.inner(scores, weights)
    return combined.T if np.ndim(weights) == 2 else combined


def competition_rank(composites: np.ndarray) -> np.ndarray:
    """Rank along the last axis, descending; composites equal when rounded to 2 decimals share
    the better rank (competition ranking: 1, 2, 2, 4)."""
    return rankdata(-np.round(composites, 2), method="min", axis=-1).astype(int)

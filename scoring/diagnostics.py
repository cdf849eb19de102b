"""Data-quality diagnostics of an evaluation."""
from __future__ import annotations

import numpy as np
from scipy import stats

from .method import ALL_SOURCES


def cronbach_alpha(items: np.ndarray, confidence: float = 0.95) -> dict | None:
    """Cronbach's α of the scored items over the complete responses, with Feldt's interval.

    .. math:: \\alpha = \\frac{k}{k-1}\\Bigl(1 - \\frac{\\sum_i \\sigma_i^2}{\\sigma_T^2}\\Bigr), \\qquad
              \\Bigl[\\,1 - (1-\\alpha) F_{1-\\gamma/2},\\; 1 - (1-\\alpha) F_{\\gamma/2}\\Bigr]

    with :math:`F_q` the q-quantile of :math:`F(n-1, (n-1)(k-1))` and :math:`\\gamma = 1 -` confidence.
    References: Cronbach (1951), *Psychometrika* 16:297; Feldt (1965), *Psychometrika* 30:357
    (the same interval as pingouin's ``cronbach_alpha``).  Items that are constant over the complete
    responses are dropped; None when fewer than 2 items or 3 responses remain, or the total is constant.
    """
    complete = items[~np.isnan(items).any(axis=1)]
    complete = complete[:, complete.var(axis=0, ddof=1) > 0] if len(complete) > 1 else complete
    n, k = complete.shape
    if n < 3 or k < 2:
        return None
    total_var = complete.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return None
    alpha = k / (k - 1) * (1 - complete.var(axis=0, ddof=1).sum() / total_var)
    gamma, df1 = 1 - confidence, n - 1
    f_high, f_low = stats.f.ppf([1 - gamma / 2, gamma / 2], df1, df1 * (k - 1))
    return {"alpha": float(alpha), "interval": [float(1 - (1 - alpha) * f_high), float(1 - (1 - alpha) * f_low)],
            "confidence": confidence, "n_complete": int(n), "items": int(k)}


def source_correlations(estimates: np.ndarray) -> dict:
    """Spearman's ρ between every pair of sources over the prefectures that have both (not imputed).

    A pair with fewer than 3 prefectures, or a constant source, gets ``None``.
    """
    result = {}
    sources = ALL_SOURCES[:estimates.shape[1]]
    for i, a in enumerate(sources):
        for j in range(i + 1, len(sources)):
            both = ~np.isnan(estimates[:, i]) & ~np.isnan(estimates[:, j])
            x, y = estimates[both, i], estimates[both, j]
            if both.sum() < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
                result[f"{a}~{sources[j]}"] = None
                continue
            rho, p = stats.spearmanr(x, y)
            result[f"{a}~{sources[j]}"] = {"rho": float(rho), "p": float(p), "n": int(both.sum())}
    return result


def kruskal_wallis(groups: list[np.ndarray]) -> dict | None:
    """Kruskal–Wallis H test that the prefectures' response scores come from one distribution.

    Reference: Kruskal & Wallis (1952), *JASA* 47:583 (``scipy.stats.kruskal``, tie-corrected).
    None when fewer than 2 prefectures have responses or every score is equal.
    """
    groups = [g[~np.isnan(g)] for g in groups]
    groups = [g for g in groups if len(g)]
    if len(groups) < 2 or np.ptp(np.concatenate(groups)) == 0:
        return None
    h, p = stats.kruskal(*groups)
    return {"H": float(h), "p": float(p), "df": len(groups) - 1, "groups": len(groups)}


def between_variance(means: np.ndarray, variances: np.ndarray, floor: float = 0.0) -> float:
    """The variance of the true values between prefectures (normal–normal model), by moments:

    .. math:: \\tau^2 = \\max\\bigl(\\operatorname{var}(y) - \\bar v,\\; f \\cdot \\operatorname{median}(v)\\bigr)

    (Morris (1983), *JASA* 78:47).  With ``floor`` :math:`f = 0` (version 1) an estimate of 0 shrinks
    every prefecture to the grand mean; a positive :math:`f` keeps at least :math:`f/(1+f)` of each
    prefecture's own deviation when :math:`v_p` is the median (version 2: f = 0.1, so shrinkage never
    collapses the scores to one value).
    """
    return max(float(means.var(ddof=1) - variances.mean()), floor * float(np.median(variances)), 0.0)


def shrinkage_factors(means: np.ndarray, groups: list[np.ndarray], floor: float = 0.0) -> dict | None:
    """Empirical-Bayes (normal–normal) shrinkage of the prefectures' survey means.

    .. math:: \\hat\\theta_p = \\bar y + k_p (y_p - \\bar y), \\quad k_p = \\frac{\\tau^2}{\\tau^2 + v_p},
              \\quad v_p = \\frac{s_p^2}{n_p}

    with :math:`\\tau^2` from :func:`between_variance` (``floor`` as there).  Prefectures with fewer
    than two scored responses keep their mean (k = 1).  None when fewer than 3 prefectures can be shrunk.
    """
    scored = [g[~np.isnan(g)] for g in groups]
    usable = np.array([len(g) >= 2 and not np.isnan(m) for g, m in zip(scored, means, strict=True)])
    if usable.sum() < 3:
        return None
    variances = np.array([g.var(ddof=1) / len(g) if ok else 0.0 for g, ok in zip(scored, usable, strict=True)])
    grand = float(means[usable].mean())
    tau2 = between_variance(means[usable], variances[usable], floor)
    factors = np.ones(len(means))
    with np.errstate(invalid="ignore", divide="ignore"):
        factors[usable] = np.where(tau2 + variances[usable] > 0, tau2 / (tau2 + variances[usable]), 1.0)
    return {"grand_mean": grand, "tau2": tau2, "factors": factors}


def shrink(values: np.ndarray, factors: dict) -> np.ndarray:
    """Apply :func:`shrinkage_factors` to survey scores (the last axis is the prefecture)."""
    return factors["grand_mean"] + factors["factors"] * (values - factors["grand_mean"])


def effective_weights(scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Each source's share of the variance of the composite across prefectures (S):

    .. math:: e_s = \\frac{w_s \\operatorname{cov}(S_s, C)}{\\operatorname{var}(C)}, \\qquad C = \\sum_s w_s S_s

    (the shares add up to 1; a source that moves against the others has a negative share).  The
    nominal weight says how many points a source is worth; this says how much of the differences
    between prefectures it makes.  For the geometric mean it is computed on the same scores as a
    first-order reading.  NaN when the composite does not vary.
    """
    composite = scores @ weights
    centred = scores - scores.mean(axis=0)
    total = float(((composite - composite.mean()) ** 2).sum())
    if total == 0:
        return np.full(len(weights), np.nan)
    return weights * (centred.T @ (composite - composite.mean())) / total

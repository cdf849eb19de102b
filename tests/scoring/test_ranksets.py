"""Rank confidence sets (Mogstad, Romano, Shaikh & Wilhelm 2023) on examples worked by hand, and
P(top k) from the empirical-Bayes posterior."""
import dataclasses
import itertools

import numpy as np
import pytest
from scipy import stats

from scoring.method import load
from scoring.ranksets import rank_sets
from scoring.uncertainty import posterior_p_top

# the full factorial of ±1 deviations of three units: each unit's bootstrap SD is √(8/7), each
# difference's σ = √(16/7) = 1.512; max over pairs of (Z_j − Z_k)/σ is 2/σ in the 6 replicates
# where the units differ, 0 in the 2 where all agree, so its 0.9 quantile is 2/σ: a pair is
# rejected when its estimated difference exceeds 2
SIGNS = np.array(list(itertools.product([-1.0, 1.0], repeat=3)))


def test_well_separated_units_have_exact_ranks():
    estimates = np.array([10.0, 5.0, 0.0])
    sets = rank_sets(estimates, estimates + SIGNS, 0.9, 1)
    assert sets.simultaneous.tolist() == [[1, 1], [2, 2], [3, 3]] == sets.marginal.tolist()
    assert sets.possibly_top.tolist() == [True, False, False] == sets.surely_top.tolist()


def test_two_close_units_share_their_ranks_by_hand():
    # Δ₁₂ = 1 < 2: not rejected; Δ₁₃ = 10 and Δ₂₃ = 9 are.  Step-down: the remaining pairs
    # (1,2), (2,1), (3,1), (3,2) have max statistic 2/σ in 5 of the 8 replicates, so the 0.9
    # quantile stays 2/σ and nothing more is rejected.
    estimates = np.array([10.0, 9.0, 0.0])
    sets = rank_sets(estimates, estimates + SIGNS, 0.9, 1)
    assert sets.simultaneous.tolist() == [[1, 2], [1, 2], [3, 3]] == sets.marginal.tolist()
    assert sets.possibly_top.tolist() == [True, True, False] and not sets.surely_top.any()
    top_two = rank_sets(estimates, estimates + SIGNS, 0.9, 2)
    assert top_two.surely_top.tolist() == [True, True, False]


def test_rank_sets_cover_the_true_ranks_of_normal_estimates():
    """A small Monte Carlo against the normal model the procedure assumes: the marginal sets cover
    at least the nominal 90 %, the simultaneous sets cover all units at once at least 90 %."""
    rng = np.random.default_rng(3)
    truth = np.linspace(0, 2, 8)
    true_rank = stats.rankdata(-truth, method="min")
    marginal, simultaneous = [], []
    for _ in range(150):
        estimates = truth + rng.normal(0, 0.5, len(truth))
        replicates = estimates + rng.normal(0, 0.5, (400, len(truth)))
        sets = rank_sets(estimates, replicates, 0.9, 3)
        marginal.append((sets.marginal[:, 0] <= true_rank) & (true_rank <= sets.marginal[:, 1]))
        simultaneous.append(((sets.simultaneous[:, 0] <= true_rank) & (true_rank <= sets.simultaneous[:, 1])).all())
    assert np.mean(marginal) >= 0.88 and np.mean(simultaneous) >= 0.88


def test_posterior_p_top_by_hand():
    method = load()
    method = dataclasses.replace(method, uncertainty=dataclasses.replace(method.uncertainty, top=1,
                                                                          posterior_draws=20000))
    composites = np.array([60.0, 50.0, 40.0])
    # replicates with variance 25 each (ddof = 1): composites ± 5 in alternate replicates
    replicates = composites + np.array([[5.0], [-5.0]] * 50) * np.sqrt(99 / 100)
    posterior = posterior_p_top(composites, replicates, method)
    # var(C) = 100 (ddof 1), v̄ = 25: τ² = 75; k = 75/100 = 0.75: posterior means 57.5, 50, 42.5, SD √18.75
    assert posterior.tau2 == pytest.approx(75) and posterior.factors == pytest.approx([0.75] * 3)
    assert posterior.grand_mean == 50
    sd = np.sqrt(0.75 * 25)
    # P(first) for the middle unit: P(X₂ > X₁ and X₂ > X₃) with independent normals, by quadrature
    grid = np.linspace(20, 80, 6001)
    density = stats.norm.pdf(grid, 50, sd)
    middle = np.trapezoid(density * stats.norm.cdf(grid, 57.5, sd) * stats.norm.cdf(grid, 42.5, sd), grid)
    assert posterior.p_top[1] == pytest.approx(middle, abs=0.01)
    assert posterior.p_top.sum() == pytest.approx(1)


def test_the_posterior_never_collapses_when_the_spread_is_all_noise():
    method = load()
    method = dataclasses.replace(method, uncertainty=dataclasses.replace(method.uncertainty, top=1))
    composites = np.array([52.0, 50.0, 48.0])
    replicates = composites + np.array([[10.0], [-10.0]] * 50)
    # var(C) = 4 < v̄ ≈ 101: the moment estimate is 0; the floor keeps τ² = 0.1 × median v
    posterior = posterior_p_top(composites, replicates, method)
    assert posterior.tau2 == pytest.approx(0.1 * replicates.var(axis=0, ddof=1)[0])
    assert posterior.factors == pytest.approx([0.1 / 1.1] * 3)
    assert posterior.p_top[0] > posterior.p_top[1] > posterior.p_top[2]  # the order survives, not a 1/3 each

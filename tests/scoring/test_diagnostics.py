"""Diagnostics pinned to examples worked by hand."""
import numpy as np
import pytest
from scipy import stats

from scoring.diagnostics import (
    between_variance,
    cronbach_alpha,
    effective_weights,
    kruskal_wallis,
    shrink,
    shrinkage_factors,
    source_correlations,
)


def test_cronbach_alpha_and_feldt_interval_by_hand():
    items = np.array([[1, 2, 3], [2, 3, 3], [3, 3, 4], [4, 5, 5], [np.nan, 1, 1]])
    # complete rows only: item variances 5/3, 19/12, 11/12 (sum 25/6); total variance 35/3
    # α = 3/2 · (1 − (25/6)/(35/3)) = 27/28; Feldt with F(3, 6): F.975 = 6.599, F.025 = 1/14.735
    result = cronbach_alpha(items)
    assert result["alpha"] == pytest.approx(27 / 28)
    assert result["interval"] == pytest.approx([1 - 6.5988 / 28, 1 - 1 / 14.735 / 28], abs=2e-4)
    assert result["n_complete"] == 4 and result["items"] == 3
    assert cronbach_alpha(np.array([[1.0, 2.0], [2.0, np.nan]])) is None  # too few complete responses


def test_spearman_between_sources_skips_imputed_and_constant_sources():
    estimates = np.array([[1, 10, 5, 7], [2, 20, 5, 6], [3, 30, 5, 5], [4, np.nan, 5, 4]], dtype=float)
    result = source_correlations(estimates)
    assert result["survey~monitoring"]["rho"] == pytest.approx(1.0) and result["survey~monitoring"]["n"] == 3
    assert result["survey~spotcheck"]["rho"] == pytest.approx(-1.0)
    assert result["survey~complaints"] is None  # constant


def test_kruskal_wallis_matches_scipy_and_needs_two_groups():
    groups = [np.array([1.0, 2, 3, np.nan]), np.array([4.0, 5, 6]), np.array([])]
    result = kruskal_wallis(groups)
    assert result["H"] == pytest.approx(stats.kruskal([1, 2, 3], [4, 5, 6]).statistic) and result["groups"] == 2
    assert kruskal_wallis([np.array([1.0, 2.0])]) is None
    assert kruskal_wallis([np.array([3.0]), np.array([3.0])]) is None


def test_empirical_bayes_shrinkage_by_hand():
    groups = [np.array([40.0, 60]), np.array([60.0, 80]), np.array([80.0, 100])]
    means = np.array([50.0, 70, 90])
    # v = s²/n = 200/2 = 100 each; var(means) = 400; τ² = 300; k = 300/400 = 0.75
    factors = shrinkage_factors(means, groups)
    assert factors["tau2"] == pytest.approx(300) and factors["factors"] == pytest.approx([0.75] * 3)
    assert shrink(means, factors) == pytest.approx([55, 70, 85])
    # no spread beyond sampling noise: everything shrinks to the grand mean
    flat = shrinkage_factors(np.array([60.0, 70, 80]), [np.array([50.0, 70]), np.array([60.0, 80]),
                                                        np.array([70.0, 90])])
    assert flat["tau2"] == 0 and shrink(np.array([60.0, 70, 80]), flat) == pytest.approx([70, 70, 70])


def test_a_positive_floor_keeps_shrinkage_from_collapsing():
    groups = [np.array([50.0, 70]), np.array([60.0, 80]), np.array([70.0, 90])]
    # v = 100 each, var(means) = 100: the moment estimate is 0; floor 0.1 × median v = 10, k = 10/110
    factors = shrinkage_factors(np.array([60.0, 70, 80]), groups, floor=0.1)
    assert factors["tau2"] == pytest.approx(10) and factors["factors"] == pytest.approx([1 / 11] * 3)
    assert shrink(np.array([60.0, 70, 80]), factors) == pytest.approx([70 - 10 / 11, 70, 70 + 10 / 11])
    assert between_variance(np.array([50.0, 70, 90]), np.array([100.0, 100, 100]), 0.1) == pytest.approx(300)


def test_effective_weights_by_hand():
    # two sources, weights ½ each; source 1 varies (0, 10, 20), source 2 is constant: all the
    # composite's variance comes from source 1
    scores = np.array([[0.0, 50], [10, 50], [20, 50]])
    assert effective_weights(scores, np.array([0.5, 0.5])) == pytest.approx([1, 0])
    # equal spread, perfectly correlated: the shares follow the weights
    scores = np.array([[0.0, 0], [10, 10], [20, 20]])
    assert effective_weights(scores, np.array([0.8, 0.2])) == pytest.approx([0.8, 0.2])
    # the survey with twice the spread of the others at weight 0.4: 0.4·2 / (0.4·2 + 0.6) = 4/7
    scores = np.array([[0.0, 0, 0, 0], [20, 10, 10, 10], [40, 20, 20, 20]])
    assert effective_weights(scores, np.array([0.4, 0.2, 0.2, 0.2]))[0] == pytest.approx(4 / 7)

"""Bootstrap intervals, P(top 3), weight sensitivity and the tie zone."""
import dataclasses

import numpy as np
import pytest

from scoring.bundle import Responses
from scoring.method import load
from scoring.survey import matrix
from scoring.uncertainty import (
    bootstrap_sources,
    replicate_ranking,
    resampling_counts,
    tie_zone,
    weight_sensitivity,
)

METHOD = load()


def _small(method, replicates=200, seed=1, concentration=50.0):
    settings = dataclasses.replace(method.uncertainty, replicates=replicates, seed=seed, concentration=concentration)
    return dataclasses.replace(method, uncertainty=settings)


def test_resampling_counts_are_bootstrap_samples_of_size_n():
    counts = resampling_counts(np.random.default_rng(0), 7, 500)
    assert counts.shape == (500, 7) and (counts.sum(axis=1) == 7).all() and (counts >= 0).all()
    assert counts.mean() == pytest.approx(1.0, abs=0.05)  # each unit is drawn once on average


def _survey(answers):
    return matrix(METHOD, Responses.from_rows([{"q1": a} for a in answers]))


def test_identical_responses_give_a_zero_width_survey_interval_and_mixed_ones_do_not():
    estimates = np.array([[100.0, 50, 50, 50], [50.0, 50, 50, 50]])
    points = [np.array([]), np.array([])]
    draws = bootstrap_sources(estimates, [_survey("AAAA"), _survey("ABAB")], points, _small(METHOD))
    assert draws[:, 0, 0].min() == draws[:, 0, 0].max() == 100
    assert draws[:, 1, 0].min() < 50 < draws[:, 1, 0].max()  # a mix of 100s and 0s around its mean of 50
    assert (draws[:, :, 1:] == 50).all()  # no points: monitoring fixed; complaints and spot checks are censuses


def test_the_seed_makes_replicates_reproducible():
    estimates = np.array([[50.0, 50, 50, 50]])
    survey, points = [_survey("ABCA")], [np.array([0.0, 100.0, 50.0])]
    first = bootstrap_sources(estimates, survey, points, _small(METHOD, seed=5))
    assert np.array_equal(first, bootstrap_sources(estimates, survey, points, _small(METHOD, seed=5)))
    assert not np.array_equal(first, bootstrap_sources(estimates, survey, points, _small(METHOD, seed=6)))


def test_p_top3_and_rank_intervals_from_replicates():
    draws = np.zeros((4, 5, 4))
    draws[:, :, 0] = [[90, 80, 70, 60, 50], [90, 80, 70, 60, 50], [90, 80, 60, 70, 50], [90, 80, 60, 70, 50]]
    replicates = replicate_ranking(draws, METHOD)
    assert replicates.p_top(3).tolist() == [1, 1, 0.5, 0.5, 0]
    assert replicates.rank_interval(0.9).tolist() == [[1, 1], [2, 2], [3, 4], [3, 4], [5, 5]]


def test_tie_zone_by_hand():
    ranks = np.array([1, 2, 3, 4])
    composites = np.array([90.0, 80, 70, 60])
    assert tie_zone(ranks, np.array([[1, 1], [2, 3], [2, 4], [3, 5]]), composites, 3)
    assert not tie_zone(ranks, np.array([[1, 1], [2, 2], [3, 3], [4, 5]]), composites, 3)


def test_weight_sensitivity_near_the_weights_keeps_the_top3_and_a_zero_weight_stays_zero():
    scores = np.array([[90.0, 0, 90, 90], [85, 100, 85, 85], [70, 0, 70, 70], [60, 0, 60, 60]])
    ranks = np.array([2, 1, 3, 4])  # 长沙 0.4·90 + 0.2·180 = 72; 株洲 0.4·85 + 0.2·270 = 88
    tight = _small(METHOD, concentration=1e7)
    sensitivity = weight_sensitivity(scores, ranks, tight)
    assert sensitivity.stability == 1.0 and sensitivity.rank_range.tolist() == [[2, 2], [1, 1], [3, 3], [4, 4]]
    ranks = np.array([1, 2, 3, 4])
    no_monitoring = dataclasses.replace(METHOD, weights={"survey": 0.5, "monitoring": 0.0, "complaints": 0.25,
                                                         "spotcheck": 0.25})
    # with monitoring weighted 0, 株洲's 100 on monitoring can never lift it
    assert weight_sensitivity(scores, ranks, no_monitoring).rank_range[1].tolist() == [2, 2]
    loose = weight_sensitivity(np.array([[80.0, 60, 80, 80], [70, 100, 70, 70], [50, 50, 50, 50],
                                         [40, 40, 40, 40]]), ranks, _small(METHOD, concentration=2.0))
    assert loose.rank_range[0].tolist() == [1, 2] and loose.stability == 1.0  # order changes, the top 3 does not

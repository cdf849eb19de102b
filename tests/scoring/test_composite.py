"""Imputation, normalisation, aggregation and ranking with ties."""
import numpy as np
import pytest
from scipy import stats

from scoring.composite import aggregate, competition_rank, impute, normalise

NAN = np.nan
WEIGHTS = np.array([0.4, 0.2, 0.2, 0.2])


def _table():
    return np.array([[80, 70, 90, 60], [70, NAN, 80, 70], [75, 60, NAN, 80]], dtype=float)


def test_imputation_composite_and_rank_by_hand():
    filled, imputed = impute(_table())
    assert filled[1, 1] == 65 and filled[2, 2] == 85
    assert imputed.tolist() == [[False] * 4, [False, True, False, False], [False, False, True, False]]
    composites = aggregate(normalise(filled, "none"), WEIGHTS, "arithmetic")
    # 长沙 0.4·80 + 0.2·(70 + 90 + 60) = 76; 株洲 0.4·70 + 0.2·(65 + 80 + 70) = 71; 湘潭 0.4·75 + 0.2·(60 + 85 + 80) = 75
    assert composites.round(6).tolist() == [76, 71, 75]
    assert competition_rank(composites).tolist() == [1, 3, 2]


def test_version_2_scores_a_missing_source_0_not_the_others_mean():
    filled, imputed = impute(_table(), "floor")
    assert filled[1, 1] == 0 and filled[2, 2] == 0 and imputed.sum() == 2
    # 株洲 0.4·70 + 0.2·(0 + 80 + 70) = 58, below the 71 the mean gave it
    assert aggregate(filled, WEIGHTS, "arithmetic")[1] == pytest.approx(58)


def test_equal_composites_share_the_better_rank():
    assert competition_rank(np.array([80.004, 80.001, 79.0, 81.0])).tolist() == [2, 2, 4, 1]


def test_ranks_are_computed_per_replicate():
    assert competition_rank(np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]])).tolist() == [[3, 2, 1], [1, 2, 3]]


def test_a_source_nobody_has_is_an_error():
    table = _table()
    table[:, 3] = NAN
    with pytest.raises(ValueError, match="没有任何市州有“抽查”的得分"):
        impute(table)


def test_minmax_and_zscore_by_hand():
    scores = np.array([[60.0, 50.0], [80.0, 50.0], [70.0, 50.0]])
    assert normalise(scores, "minmax").tolist() == [[0, 50], [100, 50], [50, 50]]
    # mean 70, sample sd √(200/2) = 10 (as COINr); 50 + 10·(−10/10) = 40
    assert normalise(scores, "zscore")[:, 0] == pytest.approx([40.0, 60.0, 50.0])
    assert normalise(scores, "zscore")[:, 0] == pytest.approx(50 + 10 * stats.zscore(scores[:, 0], ddof=1))


def test_geometric_aggregation_by_hand():
    scores = np.array([[100.0, 25.0], [0.0, 100.0]])
    # 100^0.5 · 25^0.5 = 50; a zero is floored at 1: 1^0.5 · 100^0.5 = 10
    assert aggregate(scores, np.array([0.5, 0.5]), "geometric") == pytest.approx([50.0, 10.0])


def test_a_stack_of_weights_gives_one_row_per_draw():
    scores = np.array([[100.0, 0.0], [0.0, 100.0]])
    weights = np.array([[1.0, 0.0], [0.25, 0.75]])
    assert aggregate(scores, weights, "arithmetic").tolist() == [[100, 0], [25, 75]]

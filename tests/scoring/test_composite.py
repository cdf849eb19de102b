"""Imputation, the weighted composite and ranking with ties."""
import pytest

from scoring.composite import Result, combine, impute, rank
from scoring.method import load


def _results():
    return [
        Result("430100", "长沙市", {"survey": 80, "monitoring": 70, "complaints": 90, "spotcheck": 60}),
        Result("430200", "株洲市", {"survey": 70, "monitoring": None, "complaints": 80, "spotcheck": 70}),
        Result("430300", "湘潭市", {"survey": 75, "monitoring": 60, "complaints": None, "spotcheck": 80}),
    ]


def test_imputation_composite_and_rank_by_hand():
    results = _results()
    impute(results)
    assert results[1].sources["monitoring"] == 65 and results[1].imputed == ["monitoring"]
    assert results[2].sources["complaints"] == 85 and results[2].imputed == ["complaints"]
    combine(load(), results)
    # 长沙 0.4·80 + 0.2·(70 + 90 + 60) = 76; 株洲 0.4·70 + 0.2·(65 + 80 + 70) = 71; 湘潭 0.4·75 + 0.2·(60 + 85 + 80) = 75
    assert [round(r.composite, 6) for r in results] == [76, 71, 75]
    rank(results)
    assert [(r.name, r.rank) for r in results] == [("长沙市", 1), ("湘潭市", 2), ("株洲市", 3)]


def test_equal_composites_share_the_better_rank():
    results = [Result(str(i), str(i), {}) for i in range(4)]
    for r, value in zip(results, (80.004, 80.001, 79.0, 81.0), strict=True):
        r.composite = value
    rank(results)
    assert [(r.code, r.rank) for r in results] == [("3", 1), ("0", 2), ("1", 2), ("2", 4)]


def test_a_source_nobody_has_is_an_error():
    results = _results()
    for r in results:
        r.sources["spotcheck"] = None
    with pytest.raises(ValueError, match="spotcheck"):
        impute(results)

"""The worked example of docs/methodology.md, computed by hand there, reproduced exactly."""
from pathlib import Path

import pytest

from scoring.bundle import prefectures
from scoring.evaluate import evaluate
from scoring.method import load

BUNDLE = Path(__file__).resolve().parents[2] / "docs" / "worked-example"


@pytest.fixture(scope="module")
def example():
    return evaluate(BUNDLE, 2026, load())


def test_source_scores_match_the_hand_computation(example):
    changsha, zhuzhou, xiangtan = (example.by_code(c) for c in ("430100", "430200", "430300"))
    # survey: sections (q1), (q9, q11), (q27)
    assert changsha.sources["survey"] == pytest.approx((70 + (50 + 70) / 2 + 87.5) / 3)          # 72.5
    assert zhuzhou.sources["survey"] == pytest.approx((62.5 + 75 + 62.5) / 3)                     # 66.667
    assert xiangtan.sources["survey"] == pytest.approx(250 / 3)                                   # 83.333
    assert changsha.sources["monitoring"] == pytest.approx((87.5 + 50) / 2)                       # 68.75
    assert zhuzhou.sources["monitoring"] == 75
    assert xiangtan.sources["monitoring"] == pytest.approx((68.75 + 75) / 2) and xiangtan.imputed == ["monitoring"]
    assert [p.sources["complaints"] for p in (changsha, zhuzhou, xiangtan)] == pytest.approx([100, 50, 50])
    assert [p.sources["spotcheck"] for p in (changsha, zhuzhou, xiangtan)] == pytest.approx([85, 80, 95])


def test_composites_and_ranks_match_the_hand_computation(example):
    assert [(p.name, p.rank) for p in example.prefectures] == [("长沙市", 1), ("湘潭市", 2), ("株洲市", 3)]
    assert [p.composite for p in example.prefectures] == pytest.approx([79.75, 76.708333, 67.666667])
    assert set(example.diagnostics["not_evaluated"]) == set(prefectures()) - {"430100", "430200", "430300"}
    assert all(p.small_sample for p in example.prefectures)


def test_detail_lists_every_intermediate_value(example):
    detail = example.by_code("430100").detail
    assert detail["questions"]["q9"] == {"mean": 50.0, "n": 2}
    assert detail["sections"][:2] == [70.0, 60.0] and detail["sections"][4] == 87.5
    assert detail["monitoring_points"] == {"X1": 87.5, "X2": 50.0}
    assert detail["complaints"]["closure"] == {"numerator": 1, "denominator": 1, "rate": 1.0}
    assert detail["spotcheck"] == {"units": 2, "score": 34.0, "max_score": 40.0}
    assert detail["problems"]["q9"] == {"A": 2, "B": 1}


def test_the_same_seed_gives_the_same_intervals(example):
    again = evaluate(BUNDLE, 2026, load())
    assert [p.as_json() for p in again.prefectures] == [p.as_json() for p in example.prefectures]

"""The worked examples of docs/methodology.md, computed by hand there, reproduced exactly: version 2
(the published default) and version 1, which must give today's numbers for ever."""
import json
from pathlib import Path

import pytest

from scoring.bundle import prefectures
from scoring.evaluate import evaluate
from scoring.method import load

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "docs" / "worked-example"
PINNED = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def example():
    return evaluate(BUNDLE, 2026, load("v1"))


@pytest.fixture(scope="module")
def version2():
    return evaluate(BUNDLE, 2026, load())


def test_source_scores_match_the_hand_computation(example):
    changsha, zhuzhou, xiangtan = (example.by_code(c) for c in ("430100", "430200", "430300"))
    # survey: sections (q1), (q9, q11), (q27); version 1 reads 长沙's "N" on q9 as a blank
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
    assert detail["complaints"]["closure"] == {"numerator": 1, "denominator": 1, "rate": 1.0, "shrunk": 1.0}
    assert detail["spotcheck"] == {"units": 2, "score": 34.0, "max_score": 40.0}
    assert detail["problems"]["q9"] == {"A": 2, "B": 1}  # "N" names no problem


def test_the_same_seed_gives_the_same_intervals(example):
    again = evaluate(BUNDLE, 2026, load("v1"))
    assert [p.as_json() for p in again.prefectures] == [p.as_json() for p in example.prefectures]


def _contains(expected, actual, where="") -> None:
    """Every value of ``expected`` is in ``actual`` unchanged (``actual`` may have more keys)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict) and set(expected) <= set(actual), where
        for key, value in expected.items():
            _contains(value, actual[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(expected) == len(actual), where
        for i, (a, b) in enumerate(zip(expected, actual, strict=True)):
            _contains(a, b, f"{where}[{i}]")
    else:
        assert expected == actual, f"{where}: {expected!r} ≠ {actual!r}"


@pytest.mark.parametrize("bundle, pinned", [(BUNDLE, "v1-worked-example.json"),
                                            (PINNED / "v1-bundle", "v1-bundle.json")])
def test_version_1_reproduces_the_rankings_made_with_it(bundle, pinned):
    """The full JSON of version 1 (every interval, P(top 3), diagnostic and intermediate value), as
    computed before version 2 existed, is unchanged: the worked example and a 14-prefecture bundle in
    the format of that year (no "N" answers; one prefecture without feedback, one without spot checks)."""
    expected = json.loads((PINNED / pinned).read_text("utf-8"))
    actual = json.loads(json.dumps(evaluate(bundle, 2026, load("v1")).as_json(detail=True), ensure_ascii=False))
    del expected["method"]["name"]  # the file was default.toml then, v1.toml now: same settings
    _contains(expected, actual)
    assert actual["method"]["name"] == "v1" and actual["method"]["version"] == "1"


def test_version_2_by_hand(version2):
    changsha, zhuzhou, xiangtan = (version2.by_code(c) for c in ("430100", "430200", "430300"))
    # survey: 长沙's "N" on q9 is 100, so q9 = (66.67 + 33.33 + 100) / 3 = 66.67 and section 2 = (66.67 + 70) / 2
    assert changsha.sources["survey"] == pytest.approx((70 + (200 / 3 + 70) / 2 + 87.5) / 3)      # 75.278
    assert changsha.detail["questions"]["q9"] == {"mean": 66.6667, "n": 3}
    # 湘潭 has no feedback: it scores 0 (not the others' mean), flagged
    assert xiangtan.sources["monitoring"] == 0 and xiangtan.imputed == ["monitoring"]
    # complaints: deadline = receipt + 35 days, every case the centre accepted (株洲 2, refused at
    # receipt, counts nowhere), k = 5 prior cases at the province's rates
    # province: closure 2/4, on time (1 + 0.5 + 1)/4, satisfaction (1 + 0.5)/2
    province = {"closure": 0.5, "on_time": 0.625, "satisfaction": 0.75}

    def shrunk(numerator, denominator, measure):
        return (numerator + 5 * province[measure]) / (denominator + 5)

    expected = {
        "430100": [shrunk(1, 2, "closure"), shrunk(1, 2, "on_time"), shrunk(1, 1, "satisfaction")],
        "430200": [shrunk(1, 1, "closure"), shrunk(0.5, 1, "on_time"), shrunk(0.5, 1, "satisfaction")],
        "430300": [shrunk(0, 1, "closure"), shrunk(1, 1, "on_time"), shrunk(0, 0, "satisfaction")],
    }
    for p in (changsha, zhuzhou, xiangtan):
        assert p.sources["complaints"] == pytest.approx(100 * sum(expected[p.code]) / 3)
        assert [p.detail["complaints"][m]["shrunk"] for m in province] == pytest.approx(expected[p.code], abs=1e-4)
    assert [p.sources["complaints"] for p in (changsha, zhuzhou, xiangtan)] == pytest.approx(
        [62.6984, 63.1944, 61.8056], abs=1e-4)
    assert zhuzhou.detail["complaints"]["on_time"] == {"numerator": 0.5, "denominator": 1, "rate": 0.5,
                                                       "shrunk": 0.6042}
    # composites: 0.4 survey + 0.2 (monitoring + complaints + spot check)
    assert [(p.code, p.rank) for p in version2.prefectures] == [("430100", 1), ("430200", 2), ("430300", 3)]
    assert [p.composite for p in version2.prefectures] == pytest.approx([
        0.4 * 75.27778 + 0.2 * (68.75 + 62.69841 + 85), 0.4 * 200 / 3 + 0.2 * (75 + 63.19444 + 80),
        0.4 * 250 / 3 + 0.2 * (0 + 61.80556 + 95)], abs=1e-4)                                    # 73.40 / 70.31 / 64.69
    assert version2.as_json()["method"]["version"] == "2"

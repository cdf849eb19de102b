"""Method files: the default, the alternatives, and clear errors."""
from pathlib import Path

import pytest

from scoring.evaluate import evaluate
from scoring.method import load

METHODS = Path(__file__).resolve().parents[2] / "scoring" / "methods"
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "worked-example"


@pytest.mark.parametrize("name, normalisation, aggregation",
                         [("minmax", "minmax", "arithmetic"), ("zscore", "zscore", "arithmetic"),
                          ("geometric", "none", "geometric")])
def test_alternative_methods_change_only_what_they_say(name, normalisation, aggregation):
    default, variant = load(), load(METHODS / f"{name}.toml")
    assert (variant.name, variant.normalisation, variant.aggregation) == (name, normalisation, aggregation)
    assert variant.weights == default.weights and variant.option_scores == default.option_scores
    ranked = evaluate(EXAMPLE, 2026, variant)
    assert sorted(p.rank for p in ranked.prefectures) == [1, 2, 3]


def test_minmax_on_the_worked_example_by_hand():
    ranked = evaluate(EXAMPLE, 2026, load(METHODS / "minmax.toml"))
    # survey 72.5 / 66.67 / 83.33 → 35 / 0 / 100; monitoring 68.75 / 75 / 71.875 → 0 / 100 / 50;
    # complaints 100 / 50 / 50 → 100 / 0 / 0; spot check 85 / 80 / 95 → 33.33 / 0 / 100
    expected = {"430100": 0.4 * 35 + 0.2 * (0 + 100 + 100 / 3), "430200": 0.2 * 100,
                "430300": 0.4 * 100 + 0.2 * (50 + 0 + 100)}
    assert {p.code: p.composite for p in ranked.prefectures} == pytest.approx(expected)


@pytest.mark.parametrize("text, message", [
    ('[weights]\nsurvey = 1\nmonitoring = 0\ncomplaints = 0\nspotcheck = 0\n[composite]\nnormalisation = "rank"\n',
     "normalisation 须为 none / minmax / zscore"),
    ('[weights]\nsurvey = 1\nmonitoring = 0\ncomplaints = 0\n', "[weights] 须恰好包含"),
    ('extends = "default.toml"\n[uncertainty]\nreplicate = 5\n', "[uncertainty] 没有设定 replicate"),
    ('extends = "default.toml"\n[uncertainty]\nreplicates = 5\n', "replicates 与 weight_draws 须至少为 10"),
    ("weights = [", "无法读取方法文件"),
])
def test_bad_method_files_name_the_file_and_the_setting(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=rf"bad\.toml：.*{message.replace('[', '.').replace(']', '.')}"):
        load(path)

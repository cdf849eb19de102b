"""Method files: the default, the alternatives, and clear errors."""
from pathlib import Path

import pytest

from scoring.evaluate import evaluate
from scoring.method import from_applied, load

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
    # the sources of version 2 (test_worked_example.test_version_2_by_hand), each mapped to 0–100:
    # survey 75.278 / 66.667 / 83.333 → 51.667 / 0 / 100; monitoring 68.75 / 75 / 0 → 91.667 / 100 / 0;
    # complaints 62.698 / 63.194 / 61.806 → 64.286 / 100 / 0; spot check 85 / 80 / 95 → 33.33 / 0 / 100
    complaints = (62.69841 - 61.80556) / (63.19444 - 61.80556) * 100
    expected = {"430100": 0.4 * 51.66667 + 0.2 * (91.66667 + complaints + 100 / 3), "430200": 0.2 * 200,
                "430300": 0.4 * 100 + 0.2 * (0 + 0 + 100)}
    assert {p.code: p.composite for p in ranked.prefectures} == pytest.approx(expected, abs=1e-3)


def test_version_1_is_loaded_by_name_and_the_default_is_version_2():
    assert (load("v1").name, load("v1").version, load().version) == ("v1", "1", "2")
    assert load("v1") == load(METHODS / "v1.toml")
    v1, v2 = load("v1"), load()
    assert v1.weights == v2.weights and v1.option_scores == v2.option_scores and v1.problem_lists == v2.problem_lists
    assert (v1.no_problem_score, v2.no_problem_score) == (None, 100)
    assert (v1.missing, v2.missing, v1.complaints.rule, v2.complaints.rule) == ("mean", "floor", "accepted", "received")
    assert set(v2.uncertainty.resample) == {"survey", "monitoring", "complaints", "spotcheck"}
    # the words the pages, the report and the bulletin use for the two versions
    assert (v1.missing_words, v2.missing_words) == ("用其他市州的平均补齐", "计 0 分")
    assert (v1.resampled_words, v2.resampled_words) == ("答卷、测评点", "答卷、测评点、投诉案件、抽查单位")


@pytest.mark.parametrize("text, message", [
    ('[weights]\nsurvey = 1\nmonitoring = 0\ncomplaints = 0\nspotcheck = 0\n[composite]\nnormalisation = "rank"\n',
     "normalisation 须为 none / minmax / zscore"),
    ('[weights]\nsurvey = 1\nmonitoring = 0\ncomplaints = 0\n', "[weights] 须恰好包含"),
    ('extends = "default.toml"\n[uncertainty]\nreplicate = 5\n', "[uncertainty] 没有设定 replicate"),
    ('extends = "default.toml"\n[uncertainty]\nreplicates = 5\n', "replicates 与 weight_draws 须至少为 10"),
    ("weights = [", "无法读取方法文件"),
    ('extends = "default.toml"\n[complaints]\nrule = "all"\n', "rule 须为 accepted / received"),
    ('extends = "default.toml"\n[missing]\nrule = "median"\n', "rule 须为 mean / floor"),
    ('extends = "default.toml"\n[uncertainty]\nresample = ["survey", "votes"]\n', "resample 只能列出"),
    ('extends = "default.toml"\n[uncertainty]\np_top = "guess"\n', "p_top 须为 bootstrap / posterior"),
])
def test_bad_method_files_name_the_file_and_the_setting(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=rf"bad\.toml：.*{message.replace('[', '.').replace(']', '.')}"):
        load(path)


@pytest.mark.parametrize("name", [None, "v1", "minmax", "geometric", "zscore"])
def test_a_recorded_method_reads_back_as_itself(name):
    method = load(name)
    assert from_applied(method.as_applied()) == method

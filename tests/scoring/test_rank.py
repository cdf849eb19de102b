"""Ranking the demo year from the database and from an exported bundle; bad bundles."""
import csv
import json
import shutil
from pathlib import Path

import pytest

from scoring import bundle as bundles
from scoring.evaluate import evaluate
from scoring.method import load


@pytest.fixture
def demo_bundle(app, demo_database, run_cli, tmp_path):
    folder = tmp_path / "bundle"
    result = run_cli(app, "export", "bundle", "--year", "2026", str(folder))
    assert result.exit_code == 0, result.output
    return folder


def test_bundle_and_database_give_the_same_ranking(app, run_cli, demo_bundle):
    from_bundle = json.loads(run_cli(app, "rank", "--year", "2026", "--bundle", str(demo_bundle), "--json").stdout)
    from_db = json.loads(run_cli(app, "rank", "--year", "2026", "--json").stdout)
    assert from_bundle["prefectures"] == from_db["prefectures"]
    assert len(from_bundle["prefectures"]) == 14 and len(from_bundle["top3"]) >= 3
    assert all(0 <= p["composite"] <= 100 for p in from_bundle["prefectures"])
    table = run_cli(app, "rank", "--year", "2026", "--bundle", str(demo_bundle)).output
    assert "综合测评" in table and "湘西土家族苗族自治州" in table


def test_bad_bundles_name_the_file_row_and_column(demo_bundle, tmp_path):
    method = load()
    broken = tmp_path / "broken"
    shutil.copytree(demo_bundle, broken)
    (broken / "spotchecks.csv").unlink()
    with pytest.raises(ValueError, match=r"spotchecks\.csv：文件不存在"):
        evaluate(broken, 2026, method)
    shutil.copy(demo_bundle / "spotchecks.csv", broken / "spotchecks.csv")
    lines = (demo_bundle / "feedback.csv").read_text("utf-8-sig").splitlines()
    lines[1] = lines[1].replace(",430", ",999", 1)
    (broken / "feedback.csv").write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ValueError, match=r"feedback\.csv 第 2 行 prefecture_code：未知的市州代码“999"):
        evaluate(broken, 2026, method)
    shutil.copy(demo_bundle / "feedback.csv", broken / "feedback.csv")
    lines = (demo_bundle / "responses.csv").read_text("utf-8-sig").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("q1")] = "Z"
    (broken / "responses.csv").write_text("\n".join([lines[0], ",".join(cells)]), encoding="utf-8")
    with pytest.raises(ValueError, match=r"responses\.csv 第 2 行 q1：没有选项 Z"):
        evaluate(broken, 2026, method)
    with pytest.raises(ValueError, match="2025 年没有任何数据"):
        evaluate(demo_bundle, 2025, method)


def test_a_bundle_with_none_of_the_above_is_read_and_names_no_problem(demo_bundle, tmp_path):
    """以上都没有 (N) on Q9/Q19 is a valid answer in responses.csv; it is not among the problems cited."""
    method = load()
    changed = tmp_path / "with-none"
    shutil.copytree(demo_bundle, changed)
    with (demo_bundle / "responses.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows[::3]:
        row["q9"] = row["q19"] = "N"
    with (changed / "responses.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    ranked = evaluate(changed, 2026, method).prefectures
    assert ranked and all("N" not in ticks for p in ranked for ticks in p.detail["problems"].values())
    before = {p.code: p.detail["questions"]["q9"]["mean"] for p in evaluate(demo_bundle, 2026, method).prefectures}
    assert all(p.detail["questions"]["q9"]["mean"] > before[p.code] for p in ranked)


def test_the_json_has_the_published_shape(app, run_cli, demo_bundle):
    data = json.loads(run_cli(app, "rank", "--year", "2026", "--bundle", str(demo_bundle), "--detail").stdout)
    assert set(data) == {"year", "method", "prefectures", "top3", "tie_zone", "weight_stability", "top3_statement",
                         "diagnostics"}
    method = data["method"]
    assert (method["name"], method["version"]) == ("default", "2")
    assert method["weights"] == {"survey": 0.4, "monitoring": 0.2, "complaints": 0.2, "spotcheck": 0.2}
    assert method["option_scores"]["q1"] == {"A": 100, "B": 0, "C": 50} and method["problem_lists"] == [9, 19]
    assert method["bootstrap"]["replicates"] == 2000 and method["cutoff"] == "12-31"
    first = data["prefectures"][0]
    assert {"code", "name", "rank", "composite", "sources", "imputed", "n_responses", "composite_interval",
            "rank_interval", "p_top3", "detail", "rank_set_marginal", "rank_set_simultaneous",
            "p_top3_bootstrap"} <= set(first)
    for p in data["prefectures"]:
        lo, hi = p["composite_interval"]
        assert lo - 0.005 <= p["composite"] <= hi + 0.005 and lo < hi  # the interval is rounded to 2 decimals
        assert 1 <= p["rank_interval"][0] <= p["rank_interval"][1] <= 14 and 0 <= p["p_top3"] <= 1
        # the simultaneous set holds the marginal one, and both hold the published rank
        (mlo, mhi), (slo, shi) = p["rank_set_marginal"], p["rank_set_simultaneous"]
        assert 1 <= slo <= mlo <= p["rank"] <= mhi <= shi <= 14
    # without ties, exactly three prefectures are in the top 3 in every replicate and every posterior draw
    assert sum(p["p_top3"] for p in data["prefectures"]) == pytest.approx(3, abs=0.01)
    assert sum(p["p_top3_bootstrap"] for p in data["prefectures"]) == pytest.approx(3, abs=0.01)
    statement = data["top3_statement"]
    assert set(statement["surely"]) <= set(data["top3"]) <= set(statement["possibly"])
    assert statement["separated"] == (len(statement["possibly"]) == 3) and statement["level"] == 0.9
    detail = first["detail"]
    assert {"questions", "sections", "monitoring_points", "complaints", "spotcheck", "problems"} <= set(detail)
    assert len(detail["sections"]) == 6 and detail["questions"]["q1"]["n"] > 0
    assert isinstance(data["tie_zone"], bool) and 0 <= data["weight_stability"] <= 1
    diagnostics = data["diagnostics"]
    assert 0 < diagnostics["cronbach_alpha"]["alpha"] < 1 and len(diagnostics["spearman"]) == 6
    assert diagnostics["kruskal_wallis"]["groups"] == 14 and diagnostics["shrinkage"]["applied"] is False
    effective = diagnostics["effective_weights"]
    assert {s: e["nominal"] for s, e in effective.items()} == method["weights"]
    assert sum(e["effective"] for e in effective.values()) == pytest.approx(1, abs=1e-3)
    assert set(diagnostics["complaint_leverage"]) == {p["code"] for p in data["prefectures"]}


def test_a_broken_bundle_is_a_message_not_a_traceback(app, run_cli, demo_bundle, tmp_path):
    (demo_bundle / "complaints.csv").unlink()
    result = run_cli(app, "rank", "--year", "2026", "--bundle", str(demo_bundle))
    assert result.exit_code == 1 and "complaints.csv：文件不存在" in result.output
    assert "Traceback" not in result.output
    method = tmp_path / "weights.toml"
    method.write_text("[weights]\nsurvey = 0.5\nmonitoring = 0.5\ncomplaints = 0.5\nspotcheck = 0\n", encoding="utf-8")
    result = run_cli(app, "rank", "--year", "2026", "--method", str(method))
    assert result.exit_code == 1 and "权重须都不小于 0 且合计为 1，实际合计 1.5" in result.output


def test_an_exported_bundle_ranks_by_the_project_ledger_and_without_it_as_before(app, run_cli, demo_bundle, tmp_path):
    """The demo year has projects: the exported bundle holds projects.csv, so the method with the
    fifth source ranks from the files as from the database; without the file the default method
    ranks as before and the fifth-source method says what is missing."""
    with_projects = str(Path(bundles.__file__).parent / "methods" / "with_projects.toml")
    assert (demo_bundle / "projects.csv").is_file()
    ranked = [json.loads(run_cli(app, "rank", "--year", "2026", *where, "--method", with_projects, "--json").stdout)
              for where in (["--bundle", str(demo_bundle)], [])]
    assert ranked[0]["prefectures"] == ranked[1]["prefectures"]
    assert all("projects" in p["sources"] for p in ranked[0]["prefectures"])
    without = tmp_path / "without-projects"
    shutil.copytree(demo_bundle, without)
    (without / "projects.csv").unlink()
    default = [json.loads(run_cli(app, "rank", "--year", "2026", *where, "--json").stdout)["prefectures"]
               for where in (["--bundle", str(without)], ["--bundle", str(demo_bundle)], [])]
    assert default[0] == default[1] == default[2]
    with pytest.raises(ValueError, match="没有 projects.csv"):
        evaluate(without, 2026, load("with_projects"))

"""Ranking the demo year from the database and from an exported bundle; bad bundles."""
import json
import shutil

import pytest

from scoring.evaluate import evaluate
from scoring.method import load


@pytest.fixture
def demo_bundle(app, run_cli, tmp_path):
    assert run_cli(app, "demo").exit_code == 0
    folder = tmp_path / "bundle"
    result = run_cli(app, "export", "bundle", "--year", "2026", str(folder))
    assert result.exit_code == 0, result.output
    return folder


def test_bundle_and_database_give_the_same_ranking(app, run_cli, demo_bundle):
    from_bundle = json.loads(run_cli(app, "rank", "--year", "2026", "--bundle", str(demo_bundle), "--json").output)
    from_db = json.loads(run_cli(app, "rank", "--year", "2026", "--json").output)
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

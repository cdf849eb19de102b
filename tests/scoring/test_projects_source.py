"""The project ledger as the ranking's fifth source (scoring/methods/with_projects.toml): a hand-worked
example, the default method unchanged by projects.csv, and a clear refusal without the file."""
import dataclasses
import datetime as dt

import pytest

from evaluation.report import content, document
from evaluation.service import evaluate_year, year_bundle
from investenv.tabular import csv_bytes
from projects import queries
from scoring import bundle as bundles
from scoring import projects as ledger
from scoring.evaluate import evaluate, evaluate_bundle
from scoring.method import SOURCES, load

YEAR = 2026


def _fast(method):
    return dataclasses.replace(method, uncertainty=dataclasses.replace(
        method.uncertainty, replicates=20, weight_draws=10, posterior_draws=100))


DEFAULT, WITH_PROJECTS = _fast(load()), _fast(load("with_projects"))
CODES = list(bundles.prefectures())[:3]   # A, B, C
MILESTONES = ("registration", "first_funds", "start", "production")


def _project(code: str, prefecture: str, stage: str, signed: str, promised: str, arrived: str,
             due: dict[str, str], met: dict[str, str]) -> dict[str, str]:
    return {"project_code": code, "prefecture_code": prefecture, "outside": "1", "industry": "2", "stage": stage,
            "signed_on": signed, "contract_investment": promised, "contract_funds": promised,
            **{f"due_{m}": due.get(m, "") for m in MILESTONES}, **{f"met_{m}": met.get(m, "") for m in MILESTONES},
            "terminated_on": "", "funds_year": arrived, "funds_total": arrived, "last_activity_on": signed}


# A: started on time, half its funds, not yet producing: (1 + 0.5 + 1 + 0) / 4 = 62.5.
# B: everything met and all funds arrived: 100.  C: no project at all: missing, scored 0 (floor).
PROJECTS = [
    _project("XM-A-1", CODES[0], "started", "2026-03-01", "100", "50",
             {"start": "2026-06-30", "production": "2027-06-30"}, {"start": "2026-06-01"}),
    _project("XM-B-1", CODES[1], "producing", "2026-02-01", "80", "80",
             {"start": "2026-04-30", "production": "2026-10-31"}, {"start": "2026-04-01", "production": "2026-09-01"}),
]


def _table(rows: list[dict], header: list[str]) -> bundles.Table:
    return header, [[r.get(h, "") for h in header] for r in rows]


def _tables(with_projects: bool) -> dict[str, bundles.Table]:
    """Three prefectures alike in the four sources, so that only projects set them apart."""
    same = {
        "responses": [{"prefecture_code": c, "year": str(YEAR), "q1": "A"} for c in CODES],
        "complaints": [{"case_no": f"{YEAR}-{c[:4]}-0001", "prefecture_code": c, "received_on": f"{YEAR}-03-01",
                        "accepted_on": f"{YEAR}-03-01", "due_on": f"{YEAR}-04-03", "replied_on": f"{YEAR}-03-20",
                        "closed_on": f"{YEAR}-03-25", "satisfaction": "满意"} for c in CODES],
        "feedback": [{"enterprise_code": f"{c}-1", "prefecture_code": c, "period": f"{YEAR}Q1",
                      **{f"d{i}": "4" for i in range(1, 6)}} for c in CODES],
        "spotchecks": [{"prefecture_code": c, "score": "15", "max_score": "20", "checked_on": f"{YEAR}-10-01"}
                       for c in CODES],
    }
    tables = {name: _table(rows, list(dict.fromkeys([*bundles.FILES[name], *rows[0]]))) for name, rows in same.items()}
    if with_projects:
        tables["projects"] = _table(PROJECTS, ledger.HEADER)
    return tables


def _bundle(with_projects: bool) -> bundles.Bundle:
    return bundles.assemble(_tables(with_projects), YEAR, "constructed")


def test_the_methods_sources():
    assert load().sources == SOURCES and "projects" not in load().as_applied()["weights"]
    method = load("with_projects")
    assert method.sources == (*SOURCES, "projects") and method.weights["projects"] == 0.1
    assert sum(method.weights.values()) == pytest.approx(1.0)


def test_the_fifth_source_ranks_a_hand_worked_example():
    result = evaluate_bundle(_bundle(True), YEAR, WITH_PROJECTS)
    a, b, c = (result.by_code(code) for code in CODES)
    assert [p.code for p in result.prefectures] == [CODES[1], CODES[0], CODES[2]]
    assert (b.sources["projects"], a.sources["projects"], c.sources["projects"]) == (100.0, 62.5, 0.0)
    assert c.imputed == ["projects"] and a.imputed == b.imputed == []
    # alike elsewhere: the composites differ by 0.1 × the project scores
    assert b.composite - a.composite == pytest.approx(0.1 * 37.5)
    assert a.composite - c.composite == pytest.approx(0.1 * 62.5)
    assert a.detail["projects"] == 62.5 and set(result.as_json()["method"]["weights"]) == {*SOURCES, "projects"}


def test_the_default_method_ignores_projects_csv():
    with_file = evaluate_bundle(_bundle(True), YEAR, DEFAULT).as_json(detail=True)
    without = evaluate_bundle(_bundle(False), YEAR, DEFAULT).as_json(detail=True)
    assert with_file == without and "projects" not in with_file["prefectures"][0]["sources"]


def test_a_method_with_projects_needs_projects_csv(tmp_path):
    with pytest.raises(ValueError, match="没有 projects.csv"):
        evaluate_bundle(_bundle(False), YEAR, WITH_PROJECTS)
    for name, (header, rows) in _tables(False).items():
        (tmp_path / f"{name}.csv").write_bytes(csv_bytes(header, rows))
    with pytest.raises(ValueError, match="investenv export projects"):
        evaluate(tmp_path, YEAR, WITH_PROJECTS)
    header, rows = _tables(True)["projects"]
    (tmp_path / "projects.csv").write_bytes(csv_bytes(header, rows))
    assert evaluate(tmp_path, YEAR, WITH_PROJECTS).prefectures[0].code == CODES[1]
    rows[0][header.index("funds_total")] = "很多"
    (tmp_path / "projects.csv").write_bytes(csv_bytes(header, rows))
    with pytest.raises(ValueError, match="projects.csv 第 2 行"):
        evaluate(tmp_path, YEAR, WITH_PROJECTS)


def test_the_database_ranking_counts_projects_as_the_ledger_pages_do(app, demo_database):
    """One definition: the evaluation's project source is the overview's assessment score × 100."""
    assert year_bundle(YEAR).projects is None
    assert year_bundle(YEAR, WITH_PROJECTS).projects
    evaluation = evaluate_year(YEAR, WITH_PROJECTS)
    day = dt.date(YEAR, 12, 31)
    codes = [p.code for p in evaluation.prefectures]
    rows, _ = ledger.by_prefecture(queries.facts(YEAR, day), YEAR, day, {}, codes)
    for result in evaluation.prefectures:
        score = ledger.assessment_score(rows[result.code])
        assert result.sources["projects"] == pytest.approx(0.0 if score is None else 100 * score)


def test_the_report_shows_the_fifth_source():
    data = content.build(_bundle(True), YEAR, WITH_PROJECTS)
    assert document.ranking_rows(data)[0][3:8] == ["问卷", "测评点反馈", "投诉办理", "抽查", "项目台账"]
    assert "项目台账（联引资项目考核得分）五个来源" in document.method_paragraph(data)
    assert document.report_pdf(data)[:4] == b"%PDF"

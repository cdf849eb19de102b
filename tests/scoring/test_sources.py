"""Source scores pinned to small examples worked by hand."""
import datetime as dt

import numpy as np
import pytest

from scoring.bundle import Responses, assemble
from scoring.method import load
from scoring.sources import (
    case_counts,
    complaint_rates,
    complaint_score,
    monitoring_score,
    shrunk_rates,
    spotcheck_score,
)
from scoring.survey import question_score, survey_score


def test_survey_score_by_hand():
    method = load()
    responses = [
        {"q1": "A", "q4": "D", "q9": "A"},   # q1 100, q4 100, q9 100·(1−1/3)=66.67
        {"q1": "C", "q4": "A", "q9": ""},    # q1 50,  q4 0,   q9 missing
        {"q15": "B", "q19": "AB", "q10": "D"},  # q15 67, q19 100·(1−2/4)=50, q10 其它: missing
    ]
    # Section 1: mean(q1 = 75, q4 = 50) = 62.5; section 2: q9 = 66.67; section 3: mean(q15 67, q19 50) = 58.5.
    expected = (62.5 + 200 / 3 + 58.5) / 3
    assert survey_score(method, Responses.from_rows(responses)) == pytest.approx(expected)
    assert survey_score(method, Responses.from_rows([{"q5": "A", "q32": "意见"}])) is None  # unscored only


def test_none_of_the_above_scores_as_no_problem():
    """以上都没有 (N) on a problem list is no problem ticked, 100; the listed problems stay the denominator."""
    method = load()
    assert question_score(method, 9, "N") == 100
    assert question_score(method, 19, "N") == 100 and question_score(method, 19, "AB") == 50
    assert survey_score(method, Responses.from_rows([{"q9": "N"}, {"q9": "A"}])) == pytest.approx((100 + 200 / 3) / 2)


def test_monitoring_score_by_hand():
    rows = [
        {"enterprise_code": "X", "d1": "5", "d2": "5", "d3": "5", "d4": "5", "d5": "5"},  # 100
        {"enterprise_code": "X", "d1": "3", "d2": "3", "d3": "3", "d4": "3", "d5": "3"},  # 50 → point X: 75
        {"enterprise_code": "Y", "d1": "1", "d2": "2", "d3": "3", "d4": "4", "d5": "5"},  # 50
    ]
    assert monitoring_score(rows) == pytest.approx(62.5)
    assert monitoring_score([]) is None


def test_complaint_score_by_hand():
    cutoff = dt.date(2026, 12, 31)
    cases = [
        {"accepted_on": "2026-03-01", "due_on": "2026-03-31", "replied_on": "2026-03-20", "closed_on": "2026-03-25",
         "satisfaction": "满意"},
        {"accepted_on": "2026-04-01", "due_on": "2026-05-01", "replied_on": "2026-05-10", "closed_on": "",
         "satisfaction": "基本满意"},
        {"accepted_on": "", "due_on": "", "replied_on": "", "closed_on": "", "satisfaction": ""},  # not accepted
    ]
    assert complaint_rates(cases, cutoff) == {"closure": 0.5, "on_time": 0.5, "satisfaction": 0.75}
    assert complaint_score(cases, cutoff) == pytest.approx(100 * (0.5 + 0.5 + 0.75) / 3)


def test_version_2_complaint_counts_by_hand():
    """Every received case, one deadline (receipt + 35 days), late replies half, cut-off 12-31."""
    rule = load().complaints
    cutoff = dt.date(2026, 12, 31)
    cases = [
        # replied by the deadline (02-05), closed, satisfied
        {"received_on": "2026-01-01", "accepted_on": "2026-01-02", "due_on": "2026-02-01", "replied_on": "2026-01-20",
         "closed_on": "2026-01-25", "satisfaction": "满意"},
        # replied late: half; closed
        {"received_on": "2026-03-01", "accepted_on": "2026-03-02", "due_on": "2026-04-01", "replied_on": "2026-05-01",
         "closed_on": "2026-05-02", "satisfaction": "基本满意"},
        # refused by the centre at receipt, never answered: counts nowhere
        {"received_on": "2026-04-01", "accepted_on": "", "due_on": "", "replied_on": "", "closed_on": "",
         "satisfaction": ""},
        # extended into next year and unanswered: its deadline stays receipt + 35 days, overdue
        {"received_on": "2026-09-01", "accepted_on": "2026-09-02", "due_on": "2027-03-01", "replied_on": "",
         "closed_on": "", "satisfaction": ""},
        # received 12-20: not yet due at the cut-off, unanswered: not counted
        {"received_on": "2026-12-20", "accepted_on": "2026-12-21", "due_on": "2027-01-20", "replied_on": "",
         "closed_on": "", "satisfaction": ""},
    ]
    counts = case_counts(cases, cutoff, rule).sum(axis=0)
    # closure 2/3, on time (1 + 0.5 + 0)/3, satisfaction (1 + 0.5)/2
    assert counts.tolist() == [[2, 3], [1.5, 3], [1.5, 2]]
    assert complaint_rates(cases, cutoff, rule) == pytest.approx({"closure": 2 / 3, "on_time": 0.5, "satisfaction": 0.75})
    # shrinkage: with a second prefecture of 4 perfect cases, the province rates are 6/7, 5.5/7, 3.5/4
    totals = np.array([counts, [[4, 4], [4, 4], [2, 2]]])
    rates = shrunk_rates(totals, 5)
    assert rates[0] == pytest.approx([(2 + 5 * 6 / 7) / 8, (1.5 + 5 * 5.5 / 7) / 8, (1.5 + 5 * 3.5 / 4) / 7])


def test_the_explicit_no_problem_answer():
    v1, v2 = load("v1"), load()
    rows = [{"q9": "N"}, {"q9": "AB"}, {"q9": ""}]
    # version 2: N = 100, AB = 100·(1 − 2/3); the blank is missing.  Version 1: N is a blank.
    assert survey_score(v2, Responses.from_rows(rows)) == pytest.approx((100 + 100 / 3) / 2)
    assert survey_score(v1, Responses.from_rows(rows)) == pytest.approx(100 / 3)
    header = ["prefecture_code", "year", "q9", "q19"]
    tables = {"responses": (header, [["430100", "2026", "N", "N"], ["430100", "2026", "A", ""]]),
              "complaints": (["case_no", "prefecture_code", "received_on", "accepted_on", "due_on", "replied_on",
                              "closed_on", "satisfaction"], []),
              "feedback": (["enterprise_code", "prefecture_code", "period", "d1", "d2", "d3", "d4", "d5"], []),
              "spotchecks": (["prefecture_code", "score", "max_score", "checked_on"], [])}
    assert assemble(tables, 2026, "b").responses.answers[9] == ["N", "A"]
    tables["responses"] = (header, [["430100", "2026", "AN", ""]])
    with pytest.raises(ValueError, match="第 2 行 q9：“以上都没有”（N）不能与其他选项同选"):
        assemble(tables, 2026, "b")
    tables["responses"] = (header, [["430100", "2026", "", "Z"]])
    with pytest.raises(ValueError, match="q19：没有选项 Z"):
        assemble(tables, 2026, "b")


def test_spotcheck_score_by_hand():
    rows = [{"score": "15", "max_score": "20"}, {"score": "10", "max_score": "20"}]
    assert spotcheck_score(rows) == pytest.approx(62.5)
    assert spotcheck_score([]) is None


def test_method_file_errors_name_the_file(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text("[weights]\nsurvey = 0.5\nmonitoring = 0.2\ncomplaints = 0.2\nspotcheck = 0.2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="m.toml：权重须都不小于 0 且合计为 1，实际合计 1.1"):
        load(path)


def test_scoring_loads_neither_flask_nor_the_database():
    """Every scoring module imported in a fresh interpreter: no Flask, flask_* or SQLAlchemy module is loaded."""
    import subprocess
    import sys

    code = ("import importlib, pkgutil, sys, scoring\n"
            "names = [f'scoring.{m.name}' for m in pkgutil.iter_modules(scoring.__path__)]\n"
            "for name in names: importlib.import_module(name)\n"
            "print(len(names), sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy')"
            " or m.startswith('flask_')))")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert int(output[0]) >= 8 and output[1:] == ["[]"]


def test_scoring_uses_only_pure_definitions_and_no_domain_uses_scoring():
    """The dependency rule: scoring imports the domains' pure definition modules and nothing else of
    the project; only the evaluation and the CLI import scoring, so there is no cycle."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    allowed = {"survey.questionnaire", "complaints.measures", "complaints.vocabulary", "feedback.vocabulary",
               "investenv.registry.divisions"}
    project = {"investenv", "survey", "complaints", "feedback", "spotchecks", "evaluation"}

    def imports(path: Path) -> set[str]:
        found = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                found |= {f"{node.module}.{alias.name}" for alias in node.names} | {node.module}
        return found

    for path in (root / "scoring").glob("*.py"):
        used = {name for name in imports(path) if name.split(".")[0] in project}
        assert {name for name in used if not any(name == a or name.startswith(a + ".") or a.startswith(name + ".")
                                                 for a in allowed)} == set(), path
    for package in ("investenv", "survey", "complaints", "feedback", "spotchecks"):
        for path in (root / package).rglob("*.py"):
            if not path.is_relative_to(root / "investenv" / "cli"):
                assert not {n for n in imports(path) if n.split(".")[0] == "scoring"}, path

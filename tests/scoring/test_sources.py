"""Source scores pinned to small examples worked by hand."""
import datetime as dt

import pytest

from scoring.bundle import Responses
from scoring.method import load
from scoring.sources import complaint_rates, complaint_score, monitoring_score, spotcheck_score
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

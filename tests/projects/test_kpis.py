"""The ledger's KPIs pinned to the worked example of docs/projects.md (pure: no database)."""
import datetime as dt
from decimal import Decimal

import pytest

from scoring import projects as kpis
from scoring.projects import Facts, Goal

D = dt.date
M = Decimal(1_000_000)  # figures in the example are in millions of yuan
DAY = D(2026, 6, 30)


def _project(code, outside, industry, stage, signed_on, investment, promised, due, met, funds_year=0, funds_total=0,
             last=None, terminated_on=None):
    milestones = ("registration", "first_funds", "start", "production")
    return Facts(code, "430100", outside, industry, stage, signed_on, investment * M, promised * M,
                 dict(zip(milestones, due, strict=True)), dict(zip(milestones, met, strict=True)), terminated_on,
                 funds_year * M, funds_total * M, last)


EXAMPLE = [
    _project("P1", True, "2", "started", D(2026, 1, 10), 200, 150,
             (D(2026, 2, 28), D(2026, 3, 31), D(2026, 5, 31), D(2027, 6, 30)),
             (D(2026, 2, 20), D(2026, 3, 31), D(2026, 5, 15), None), 90, 90, D(2026, 6, 30)),
    _project("P2", True, "3", "registered", D(2026, 3, 1), 60, 50,
             (D(2026, 4, 30), D(2026, 5, 31), D(2026, 9, 30), None),
             (D(2026, 4, 20), None, None, None), 0, 0, D(2026, 4, 20)),
    _project("P3", False, "2", "producing", D(2026, 2, 1), 30, 30,
             (D(2026, 3, 31), None, D(2026, 4, 30), D(2026, 6, 1)),
             (D(2026, 3, 1), D(2026, 3, 31), D(2026, 4, 10), D(2026, 5, 30)), 30, 30, D(2026, 5, 30)),
    _project("P4", True, "1", "started", D(2025, 11, 1), 120, 100,
             (D(2025, 12, 31), D(2025, 12, 31), D(2026, 3, 31), None),
             (D(2025, 12, 1), D(2025, 12, 31), D(2026, 1, 15), None), 20, 45, D(2026, 1, 15)),
    _project("P5", True, "3", "signed", D(2026, 5, 1), 150, 80,
             (D(2026, 8, 31), None, None, None), (None, None, None, None), 0, 0, D(2026, 5, 1)),
    _project("P6", True, "2", "talks", None, 500, 0, (None,) * 4, (None,) * 4),
]
GOAL = Goal(funds=100 * M, projects=4, large_projects=2)


def test_the_worked_example():
    kpi = kpis.compute(EXAMPLE, 2026, DAY, GOAL)
    assert (kpi.cohort, kpi.due, kpi.fulfilled, kpi.unfulfilled) == (4, 3, 2, 1)
    assert (kpi.funds_cohort, kpi.promised) == (120 * M, 310 * M)
    assert (kpi.started, kpi.producing, kpi.stalled) == (2, 1, 1)
    assert (kpi.outside_new, kpi.outside_large, kpi.outside_funds) == (3, 2, 110 * M)
    rates = kpi.rates()
    assert rates["fulfilment"] == pytest.approx(2 / 3)
    assert rates["funding"] == pytest.approx(120 / 310)
    assert (rates["starting"], rates["producing"]) == (0.5, 0.25)
    assert rates["target_funds"] == pytest.approx(1.1)
    assert (rates["target_projects"], rates["target_large"]) == (0.75, 1.0)
    assert {k: (b.projects, b.funds) for k, b in kpi.by_industry.items()} == {
        "1": (0, 20 * M), "2": (1, 90 * M), "3": (2, 0)}
    assert {k: (b.projects, b.funds) for k, b in kpi.by_size.items()} == {
        "1亿元以上": (2, 110 * M), "5000万至1亿元": (1, 0), "5000万元以下": (0, 0)}


def test_which_projects_are_unfulfilled_and_stalled():
    p1, p2, p3, p4, p5, p6 = EXAMPLE
    assert p2.overdue(DAY) == ["first_funds"] and p2.unfulfilled(DAY)
    assert not p1.unfulfilled(DAY) and not p3.unfulfilled(DAY) and not p5.due_by(DAY)
    assert p1.unfulfilled(D(2027, 7, 1))  # production not met by its date
    assert [p.code for p in EXAMPLE if p.stalled(DAY)] == ["P4"]
    assert not p2.stalled(DAY) and p2.stalled(D(2026, 7, 20))  # 91 days after its last activity
    terminated = _project("P7", True, "2", "terminated", D(2026, 1, 5), 10, 10, (None,) * 4, (None,) * 4,
                          terminated_on=D(2026, 3, 1))
    assert terminated.due_by(DAY) and terminated.unfulfilled(DAY) and not terminated.stalled(DAY)


def test_a_rate_with_nothing_to_count_is_none():
    rates = kpis.compute([], 2026, DAY).rates()
    assert set(rates.values()) == {None}


def test_the_csv_row_gives_back_the_same_facts():
    for facts in EXAMPLE:
        row = dict(zip(kpis.HEADER, facts.row(), strict=True))
        assert Facts.from_row(row) == facts


def test_the_assessment_ranks_on_the_capped_mean_and_leaves_empty_prefectures_unranked():
    rows, total = kpis.by_prefecture(EXAMPLE, 2026, DAY, {"430100": GOAL}, ["430100", "430200"])
    assert total.cohort == 4 and total.goal == GOAL
    order = kpis.assessment(rows)
    assert order[0][0] == "430100" and order[0][2] == 1
    assert order[0][1] == pytest.approx((2 / 3 + 120 / 310 + 0.5 + 0.25 + 1.0) / 5)
    assert order[1] == ("430200", None, None)

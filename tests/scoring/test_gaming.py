"""Version 2 cannot be gamed: none of the manoeuvres that paid under version 1 raises a prefecture's
composite or rank, on constructed bundles and on copies of the demo year's bundle; adding trivial
cases helps at most by the leverage the ranking reports; and invented complaints that the centre
refuses at receipt cannot lower anyone."""
import copy
import dataclasses
import datetime as dt

import numpy as np
import pytest

from evaluation.service import year_bundle
from scoring import bundle as bundles
from scoring.evaluate import evaluate_bundle
from scoring.method import load

YEAR = 2026
CUTOFF = dt.date(YEAR, 12, 31)
# the bootstrap does not change composites or ranks: a few replicates keep these tests fast
FAST = dataclasses.replace(load(), uncertainty=dataclasses.replace(
    load().uncertainty, replicates=20, weight_draws=10, posterior_draws=100))
DEADLINE = FAST.complaints.deadline_days


def constructed(seed: int) -> bundles.Bundle:
    """Five prefectures with random responses, feedback, complaints (some overdue and unanswered,
    some answered late, some not accepted) and spot checks."""
    rng = np.random.default_rng(seed)
    codes = list(bundles.prefectures())[:5]
    letters = bundles.options()
    responses = []
    for code in codes:
        for _ in range(int(rng.integers(4, 12))):
            row = {"prefecture_code": code, "year": str(YEAR)}
            for q in (1, 3, 8, 11, 27):
                row[f"q{q}"] = str(rng.choice(list(letters[q])))
            row["q9"] = str(rng.choice(["", "N", "A", "AB", "C"]))
            responses.append(row)
    complaints, feedback, spotchecks = [], [], []
    for p, code in enumerate(codes):
        for k in range(int(rng.integers(2, 8))):
            received = dt.date(YEAR, 1, 10) + dt.timedelta(days=int(rng.integers(0, 340)))
            reply = received + dt.timedelta(days=int(rng.integers(3, 80)))
            replied = reply if rng.random() < 0.7 else None
            closed = replied if replied and rng.random() < 0.7 else None
            complaints.append({
                "case_no": f"{YEAR}-{code[:4]}-{k:04d}", "prefecture_code": code, "received_on": received.isoformat(),
                "accepted_on": received.isoformat() if rng.random() < 0.85 else "",
                "due_on": (received + dt.timedelta(days=33)).isoformat(),
                "replied_on": replied.isoformat() if replied else "", "closed_on": closed.isoformat() if closed else "",
                "satisfaction": str(rng.choice(["满意", "基本满意", "不满意", ""])) if replied else ""})
        for point in range(int(rng.integers(1, 4))):
            for quarter in (1, 3):
                feedback.append({"enterprise_code": f"{code}-{point}", "prefecture_code": code,
                                 "period": f"{YEAR}Q{quarter}",
                                 **{f"d{i}": str(rng.integers(1, 6)) for i in range(1, 6)}})
        for unit in range(int(rng.integers(1, 4))):
            spotchecks.append({"prefecture_code": code, "unit": f"u{unit}", "score": str(rng.integers(8, 21)),
                               "max_score": "20", "checked_on": f"{YEAR}-10-0{p + 1}"})
    return bundles.assemble({name: _table(rows, bundles.FILES[name]) for name, rows in
                             (("responses", responses), ("complaints", complaints), ("feedback", feedback),
                              ("spotchecks", spotchecks))}, YEAR, "constructed")


def _table(rows: list[dict], required: tuple[str, ...]) -> bundles.Table:
    header = list(dict.fromkeys([*required, *(k for r in rows for k in r)]))
    return header, [[r.get(h, "") for h in header] for r in rows]


def standing(data: bundles.Bundle, code: str) -> tuple[float, int]:
    result = evaluate_bundle(data, YEAR, FAST).by_code(code)
    return result.composite, result.rank


def assert_no_gain(before: tuple[float, int], after: tuple[float, int]) -> None:
    assert after[0] <= before[0] + 1e-9 and after[1] >= before[1], (before, after)


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _overdue_unanswered(case: dict) -> bool:
    received = dt.date.fromisoformat(case["received_on"])
    return received + dt.timedelta(days=DEADLINE) <= CUTOFF and not case["replied_on"]


def not_accepted(data: bundles.Bundle, code: str) -> bundles.Bundle:
    """The prefecture's overdue, unanswered cases made "never accepted" (what paid under version 1)."""
    edited = copy.deepcopy(data)
    for case in edited.complaints:
        if case["prefecture_code"] == code and _overdue_unanswered(case):
            case.update(accepted_on="", due_on="")
    return edited


def refused_after_acceptance(data: bundles.Bundle, code: str) -> bundles.Bundle:
    """(a) The prefecture's overdue, unanswered cases marked as not accepted after the centre had
    accepted them (the system refuses only at receipt, by the centre; in a bundle such a case
    still carries its acceptance date)."""
    edited = copy.deepcopy(data)
    for case in edited.complaints:
        if case["prefecture_code"] == code and _overdue_unanswered(case) and case["accepted_on"]:
            case.update(status="not_accepted", due_on="")
    return edited


def invented_against(data: bundles.Bundle, code: str, cases: int) -> bundles.Bundle:
    """(g) A rival files ``cases`` invented complaints against the prefecture early in the year; the
    centre refuses them at receipt."""
    edited = copy.deepcopy(data)
    for k in range(cases):
        edited.complaints.append({"case_no": f"{YEAR}-{code[:4]}-8{k:03d}", "prefecture_code": code,
                                  "received_on": f"{YEAR}-02-{k + 1:02d}", "accepted_on": "", "due_on": "",
                                  "replied_on": "", "closed_on": "", "satisfaction": "", "status": "not_accepted"})
    return edited


def extended(data: bundles.Bundle, code: str) -> bundles.Bundle:
    """(c) Every open case of the prefecture extended past the cut-off."""
    edited = copy.deepcopy(data)
    for case in edited.complaints:
        if case["prefecture_code"] == code and not case["closed_on"]:
            case.update(due_on=f"{YEAR + 1}-03-31", extended="1")
    return edited


def replied(data: bundles.Bundle, code: str, late: bool) -> bundles.Bundle:
    """(b) Each overdue unanswered case of the prefecture answered late (before the cut-off), or not at all."""
    edited = copy.deepcopy(data)
    for case in edited.complaints:
        if case["prefecture_code"] == code and _overdue_unanswered(case):
            deadline = dt.date.fromisoformat(case["received_on"]) + dt.timedelta(days=DEADLINE)
            case["replied_on"] = min(deadline + dt.timedelta(days=1), CUTOFF).isoformat() if late else ""
    return edited


def withheld(data: bundles.Bundle, code: str, source: str) -> bundles.Bundle:
    """(d) no questionnaires or (e) no monitoring feedback from the prefecture."""
    edited = copy.deepcopy(data)
    if source == "responses":
        keep = [i for i, c in enumerate(edited.responses.prefecture) if c != code]
        edited.responses = bundles.Responses(
            prefecture=[edited.responses.prefecture[i] for i in keep],
            answers={q: [a[i] for i in keep] for q, a in edited.responses.answers.items()},
            texts={q: [t[i] for i in keep] for q, t in edited.responses.texts.items()})
    else:
        edited.feedback = [row for row in edited.feedback if row["prefecture_code"] != code]
    return edited


def trivial(data: bundles.Bundle, code: str, cases: int) -> bundles.Bundle:
    """(f) ``cases`` trivial complaints, received, replied to and closed the same day, all satisfied."""
    edited = copy.deepcopy(data)
    for k in range(cases):
        day = f"{YEAR}-06-{k + 1:02d}"
        edited.complaints.append({"case_no": f"{YEAR}-{code[:4]}-9{k:03d}", "prefecture_code": code,
                                  "received_on": day, "accepted_on": day, "due_on": day, "replied_on": day,
                                  "closed_on": day, "satisfaction": "满意"})
    return edited


def check_every_manoeuvre(data: bundles.Bundle, codes: list[str]) -> None:
    evaluation = evaluate_bundle(data, YEAR, FAST)
    for code in codes:
        before = evaluation.by_code(code).composite, evaluation.by_code(code).rank
        assert_no_gain(before, standing(refused_after_acceptance(data, code), code))          # (a)
        assert_no_gain(standing(replied(data, code, late=True), code),
                       standing(replied(data, code, late=False), code))                        # (b)
        assert_no_gain(before, standing(extended(data, code), code))                          # (c)
        for source in ("responses", "feedback"):                                               # (d), (e)
            if (source == "responses" and code in data.responses.prefecture) or (
                    source == "feedback" and any(r["prefecture_code"] == code for r in data.feedback)):
                assert_no_gain(before, standing(withheld(data, code, source), code))
        leverage = evaluation.diagnostics["complaint_leverage"][code]                          # (f)
        for cases in (1, 4):
            gained = standing(trivial(data, code, cases), code)[0] - before[0]
            assert gained <= cases * leverage + 1e-9
        invented = evaluate_bundle(invented_against(data, code, 6), YEAR, FAST)                  # (g)
        assert [(p.code, p.composite) for p in invented.prefectures] == [
            (p.code, pytest.approx(p.composite, abs=1e-9)) for p in evaluation.prefectures]


@pytest.mark.parametrize("seed", range(4))
def test_no_manoeuvre_pays_on_constructed_bundles(seed):
    data = constructed(seed)
    check_every_manoeuvre(data, list(data.units)[:5])


def test_no_manoeuvre_pays_on_the_demo_year(app, demo_database):
    data = year_bundle(YEAR)
    ranked = [p.code for p in evaluate_bundle(data, YEAR, FAST).prefectures]
    check_every_manoeuvre(data, ranked)


def test_version_1_was_gamed_on_the_demo_year(app, demo_database):
    """What version 2 defeats: under version 1, the worst prefecture on the survey gains by
    submitting no questionnaires (it got the others' mean), and a prefecture gains by marking its
    overdue, unanswered cases as not accepted."""
    data, v1 = year_bundle(YEAR), dataclasses.replace(load("v1"), uncertainty=FAST.uncertainty)
    evaluation = evaluate_bundle(data, YEAR, v1)
    worst = min(evaluation.prefectures, key=lambda p: p.sources["survey"])
    after = evaluate_bundle(withheld(data, worst.code, "responses"), YEAR, v1).by_code(worst.code)
    assert after.composite > worst.composite and after.rank < worst.rank
    gains = []
    for p in evaluation.prefectures:
        edited = evaluate_bundle(not_accepted(data, p.code), YEAR, v1).by_code(p.code)
        gains.append(edited.composite - p.composite)
    assert max(gains) > 0

"""Synthetic evaluation bundles with a planted true quality per unit (for the scoring benchmarks
and the planted-quality simulation).

Model.  Unit p has a true quality θ_p ∈ (0, 1).  A respondent's view is z = θ_p + N(0, 0.15);
on a scored question the respondent picks the option whose score is nearest to
100·clip(z + N(0, 0.2), 0, 1); on a problem list each problem is ticked with probability 1 − z,
and a respondent who ticks none answers "N" (以上都没有), as the survey stores it; 5 % of answers
are blank.  Each monitoring point has its own quality θ_p + N(0, 0.08) and reports the five
dimensions as round(1 + 4·clip(point + N(0, 0.12))).  Complaint cases and spot-checked units are
samples of the unit's handling and of its offices, both depending on θ_p; ``true_complaints`` and
``true_spotcheck`` give their scores for an infinite sample.
"""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np

from feedback.vocabulary import DIMENSIONS
from scoring.bundle import NO_PROBLEM, options
from scoring.method import Method
from scoring.sources import case_counts, complaint_scores, shrunk_rates
from survey import questionnaire

RESPONDENT_SD, ITEM_SD, POINT_SD, RECORD_SD, BLANK = 0.15, 0.2, 0.08, 0.12, 0.05


def _choose(scores: np.ndarray, z: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    target = 100 * np.clip(z + rng.normal(0, ITEM_SD, len(z)), 0, 1)
    return np.abs(scores[None, :] - target[:, None]).argmin(axis=1)


def answers(method: Method, theta: np.ndarray, rng: np.random.Generator) -> dict[int, np.ndarray]:
    """One column of answer strings per choice question, for respondents of qualities ``theta``."""
    z = theta + rng.normal(0, RESPONDENT_SD, len(theta))
    columns = {}
    for number, letters in options().items():
        if number in method.problem_lists:
            problems = letters.replace(NO_PROBLEM, "")
            ticked = rng.random((len(z), len(problems))) < np.clip(1 - z, 0, 1)[:, None]
            column = np.array(["".join(c for c, t in zip(problems, row, strict=True) if t) or NO_PROBLEM
                               for row in ticked])
        elif number in method.option_scores:
            codes = np.array(list(method.option_scores[number]))
            column = codes[_choose(np.array(list(method.option_scores[number].values())), z, rng)]
        else:
            choices = list(letters.replace(NO_PROBLEM, ""))
            column = np.array(choices)[rng.integers(0, len(choices), len(z))]
        column[rng.random(len(z)) < BLANK] = ""
        columns[number] = column
    return columns


def true_survey(method: Method, theta: float, draws: int = 200_000, seed: int = 0) -> float:
    """The survey score of an infinite sample of unit quality θ (Monte Carlo over the model)."""
    rng = np.random.default_rng(seed)
    z = theta + rng.normal(0, RESPONDENT_SD, draws)
    means = {}
    for number, scores in method.option_scores.items():
        values = np.array(list(scores.values()))
        means[number] = values[_choose(values, z, rng)].mean()
    for number in method.problem_lists:
        means[number] = 100 * np.clip(z, 0, 1).mean()
    sections = [[means[q.number] for q in s.questions if q.number in means] for s in questionnaire.load().sections]
    return float(np.mean([np.mean(s) for s in sections if s]))


def true_monitoring(theta: float, draws: int = 200_000, seed: int = 1) -> float:
    rng = np.random.default_rng(seed)
    point = theta + rng.normal(0, POINT_SD, draws)
    ratings = np.round(1 + 4 * np.clip(point[:, None] + rng.normal(0, RECORD_SD, (draws, len(DIMENSIONS))), 0, 1))
    return float((25 * (ratings.mean(axis=1) - 1)).mean())


def true_complaints(method: Method, theta: float, draws: int = 20_000, seed: int = 2) -> float:
    """The complaint score of an infinite sample of unit quality θ's cases (no shrinkage)."""
    rows = complaint_rows(2026, "430100", theta, draws, np.random.default_rng(seed))
    totals = case_counts(rows, dt.date.fromisoformat(f"2026-{method.cutoff}"), method.complaints).sum(axis=0)
    return float(complaint_scores(shrunk_rates(totals[None], 0.0))[0])


def true_spotcheck(theta: float, draws: int = 200_000, seed: int = 3) -> float:
    """The spot-check score of an infinite sample of unit quality θ's offices."""
    return float(100 * spot_scores(theta, draws, np.random.default_rng(seed)).mean() / 20)


def spot_scores(theta: float, checked: int, rng: np.random.Generator) -> np.ndarray:
    """The scores (out of 20) of ``checked`` offices of a unit of quality θ."""
    return np.clip(np.round(20 * (theta + rng.normal(0, 0.1, checked)), 1), 0, 20)


def write(directory: Path, method: Method, year: int, units: list[tuple[str, str]], theta: np.ndarray,
          responses: np.ndarray, rng: np.random.Generator, points: int = 10, cases=8, checked=12) -> None:
    """Write a bundle (with ``units.csv``) of ``responses[p]`` responses for unit p; ``cases`` and
    ``checked`` are one number for every unit or one per unit."""
    cases, checked = (np.broadcast_to(np.asarray(n), len(units)) for n in (cases, checked))
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "units.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([("code", "name"), *units])
    codes = np.repeat([c for c, _ in units], responses)
    columns = answers(method, np.repeat(theta, responses), rng)
    numbers = sorted(options())
    with (directory / "responses.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["prefecture_code", "year", *(f"q{n}" for n in numbers)])
        out.writerows(zip(codes, [str(year)] * len(codes), *(columns[n] for n in numbers), strict=True))
    _write_feedback(directory, year, units, theta, points, rng)
    _write_complaints(directory, year, units, theta, cases, rng)
    with (directory / "spotchecks.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["prefecture_code", "score", "max_score", "checked_on"])
        for (code, _), quality, count in zip(units, theta, checked, strict=True):
            out.writerows((code, s, 20, f"{year}-10-20") for s in spot_scores(quality, int(count), rng))


def _write_feedback(directory, year, units, theta, points, rng) -> None:
    with (directory / "feedback.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["enterprise_code", "prefecture_code", "period", *DIMENSIONS])
        for (code, _), quality in zip(units, theta, strict=True):
            for k, point in enumerate(quality + rng.normal(0, POINT_SD, points)):
                for quarter in range(1, 5):
                    ratings = np.round(1 + 4 * np.clip(point + rng.normal(0, RECORD_SD, len(DIMENSIONS)), 0, 1)).astype(int)
                    out.writerow([f"{code}-{k}", code, f"{year}Q{quarter}", *ratings])


def _write_complaints(directory, year, units, theta, cases, rng) -> None:
    columns = ["case_no", "prefecture_code", "received_on", "accepted_on", "due_on", "replied_on", "closed_on",
               "satisfaction"]
    with (directory / "complaints.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(columns)
        for (code, _), quality, count in zip(units, theta, cases, strict=True):
            out.writerows([row[c] for c in columns] for row in complaint_rows(year, code, quality, int(count), rng))


def complaint_rows(year: int, code: str, quality: float, cases: int, rng: np.random.Generator) -> list[dict]:
    """``cases`` complaint cases of a unit of quality θ, received over the year, as bundle rows."""
    start = dt.date(year, 1, 5)
    rows = []
    for k in range(cases):
        received = start + dt.timedelta(days=int(rng.integers(0, 300)))
        due = received + dt.timedelta(days=30)
        replied = received + dt.timedelta(days=int(rng.integers(5, 30 + int(40 * (1 - quality)))))
        closed = replied if rng.random() < 0.5 + quality / 2 else None
        satisfaction = rng.choice(["满意", "基本满意", "不满意"], p=_satisfaction(quality))
        rows.append({"case_no": f"{year}-{code}-{k}", "prefecture_code": code, "received_on": str(received),
                     "accepted_on": str(received), "due_on": str(due), "replied_on": str(replied),
                     "closed_on": str(closed or ""), "satisfaction": str(satisfaction)})
    return rows


def _satisfaction(quality: float) -> list[float]:
    good = float(np.clip(quality, 0.05, 0.9))
    return [good, (1 - good) * 0.6, (1 - good) * 0.4]

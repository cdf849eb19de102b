"""Synthetic evaluation bundles with a planted true quality per unit (for the scoring benchmarks
and the planted-quality simulation).

Model.  Unit p has a true quality θ_p ∈ (0, 1).  A respondent's view is z = θ_p + N(0, 0.15);
on a scored question the respondent picks the option whose score is nearest to
100·clip(z + N(0, 0.2), 0, 1); on a problem list each option is ticked with probability 1 − z;
5 % of answers are blank.  Each monitoring point has its own quality θ_p + N(0, 0.08) and
reports the five dimensions as round(1 + 4·clip(point + N(0, 0.12))).  Complaints and spot
checks are censuses of the year and depend on θ_p too; their observed values are the truth.
"""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np

from feedback.vocabulary import DIMENSIONS
from scoring.bundle import options
from scoring.method import Method
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
            ticked = rng.random((len(z), len(letters))) < np.clip(1 - z, 0, 1)[:, None]
            column = np.array(["".join(c for c, t in zip(letters, row, strict=True) if t) for row in ticked])
        elif number in method.option_scores:
            codes = np.array(list(method.option_scores[number]))
            column = codes[_choose(np.array(list(method.option_scores[number].values())), z, rng)]
        else:
            column = np.array(list(letters))[rng.integers(0, len(letters), len(z))]
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


def write(directory: Path, method: Method, year: int, units: list[tuple[str, str]], theta: np.ndarray,
          responses: np.ndarray, rng: np.random.Generator, points: int = 10, cases: int = 8,
          checked: int = 12) -> None:
    """Write a bundle (with ``units.csv``) of ``responses[p]`` responses for unit p."""
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
        for (code, _), quality in zip(units, theta, strict=True):
            scores = np.clip(np.round(20 * (quality + rng.normal(0, 0.1, checked)), 1), 0, 20)
            out.writerows((code, s, 20, f"{year}-10-20") for s in scores)


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
    start = dt.date(year, 1, 5)
    with (directory / "complaints.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["case_no", "prefecture_code", "received_on", "accepted_on", "due_on", "replied_on",
                      "closed_on", "satisfaction"])
        for (code, _), quality in zip(units, theta, strict=True):
            for k in range(cases):
                received = start + dt.timedelta(days=int(rng.integers(0, 300)))
                due = received + dt.timedelta(days=30)
                replied = received + dt.timedelta(days=int(rng.integers(5, 30 + int(40 * (1 - quality)))))
                closed = replied if rng.random() < 0.5 + quality / 2 else None
                satisfaction = rng.choice(["满意", "基本满意", "不满意"], p=_satisfaction(quality))
                out.writerow([f"{year}-{code}-{k}", code, received, received, due, replied, closed or "", satisfaction])


def _satisfaction(quality: float) -> list[float]:
    good = float(np.clip(quality, 0.05, 0.9))
    return [good, (1 - good) * 0.6, (1 - good) * 0.4]

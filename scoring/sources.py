"""The monitoring, complaint and spot-check scores of a prefecture, each on a 0–100 scale
(issue #6, default method); the survey score is in :mod:`scoring.survey`.

Inputs are plain rows (dicts of column → text) of the bundle's files; nothing here imports Flask or
the database (the complaint measures and the feedback dimensions come from the pure definition
modules of those domains).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np

from complaints.measures import EVALUATION, at_cutoff
from feedback.vocabulary import DIMENSIONS


def point_scores(feedback: list[dict]) -> dict[str, float]:
    """Each monitoring point's score: the mean over its records of the record score

    .. math:: f = 25\\,(\\bar d - 1), \\qquad \\bar d = \\tfrac15 \\sum_{i=1}^{5} d_i

    which maps the 5-point scale 1→0, 2→25, 3→50, 4→75, 5→100.
    """
    by_point: dict[str, list[float]] = defaultdict(list)
    for row in feedback:
        ratings = [int(row[key]) for key in DIMENSIONS]
        by_point[row["enterprise_code"]].append(25.0 * (float(np.mean(ratings)) - 1))
    return {code: float(np.mean(values)) for code, values in by_point.items()}


def monitoring_score(feedback: list[dict]) -> float | None:
    """Mean over points of the mean over their records of (mean of d1…d5 mapped 1→0 … 5→100)."""
    return mean_point_score(point_scores(feedback))


def mean_point_score(points: dict[str, float]) -> float | None:
    """The prefecture's monitoring score from its points' scores; None without points."""
    return float(np.mean(list(points.values()))) if points else None


def complaint_rates(cases: list[dict], cutoff: dt.date) -> dict[str, float | None]:
    """The evaluation's complaint measures (closure, on_time, satisfaction: defined in
    :mod:`complaints.measures`) of the cases; an empty denominator gives None."""
    counts = at_cutoff(cases, cutoff)
    return {m.key: m.rate(*counts[m.key]) for m in EVALUATION}


def complaint_score(cases: list[dict], cutoff: dt.date) -> float | None:
    """100 × the mean of the rates that have a denominator."""
    rates = [r for r in complaint_rates(cases, cutoff).values() if r is not None]
    return 100.0 * float(np.mean(rates)) if rates else None


def spotcheck_score(rows: list[dict]) -> float | None:
    """100 × Σ score ÷ Σ max_score."""
    total = sum(float(r["max_score"]) for r in rows)
    return 100.0 * sum(float(r["score"]) for r in rows) / total if total else None

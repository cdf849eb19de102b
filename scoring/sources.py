"""The four source scores of a prefecture, each on a 0–100 scale (issue #6, default method).

Inputs are plain rows (dicts of column → text) as read from the bundle's CSV files; nothing
here imports Flask or the database.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np

from .method import Method

SECTIONS = ((1, 8), (9, 14), (15, 22), (23, 25), (26, 28), (29, 33))  # question ranges of the six sections


def question_score(method: Method, number: int, answer: str, option_count: int) -> float | None:
    """One answer's score, or None when it is missing (blank, 其它, or an unscored question).

    .. math:: s = \\text{option\\_scores}[q][a] \\quad\\text{or, for problem lists,}\\quad
              s = 100\\,(1 - k / n)

    where :math:`k` is the number of ticked options and :math:`n` the number of options.
    """
    if not answer:
        return None
    if number in method.problem_lists:
        return 100.0 * (1 - len(answer) / option_count)
    return method.option_scores.get(number, {}).get(answer)


def survey_score(method: Method, responses: list[dict], option_counts: dict[int, int]) -> float | None:
    """Mean over sections of the mean over scored questions of the mean over responses.

    .. math:: S = \\frac{1}{|K|} \\sum_{k \\in K} \\frac{1}{|Q_k|} \\sum_{q \\in Q_k}
              \\frac{1}{|R_q|} \\sum_{r \\in R_q} s_{rq}

    A question nobody answered is skipped, and so is a section without such questions.
    Reference: OECD/JRC Handbook on Constructing Composite Indicators (2008), step 6 (aggregation).
    """
    section_means = []
    for first, last in SECTIONS:
        question_means = []
        for number in range(first, last + 1):
            values = [question_score(method, number, r.get(f"q{number}", ""), option_counts.get(number, 1))
                      for r in responses]
            values = [v for v in values if v is not None]
            if values:
                question_means.append(float(np.mean(values)))
        if question_means:
            section_means.append(float(np.mean(question_means)))
    return float(np.mean(section_means)) if section_means else None


def monitoring_score(feedback: list[dict]) -> float | None:
    """Mean over points of the mean over their records of (mean of d1…d5 mapped 1→0 … 5→100)."""
    by_point: dict[str, list[float]] = defaultdict(list)
    for row in feedback:
        ratings = [int(row[f"d{i}"]) for i in range(1, 6)]
        by_point[row["enterprise_code"]].append(25.0 * (float(np.mean(ratings)) - 1))
    if not by_point:
        return None
    return float(np.mean([np.mean(v) for v in by_point.values()]))


def complaint_rates(cases: list[dict], cutoff: dt.date) -> dict[str, float | None]:
    """Closure, on-time and satisfaction rates of the accepted cases (an empty denominator: None)."""
    accepted = [c for c in cases if c.get("accepted_on")]
    due = [c for c in accepted if c.get("due_on") and dt.date.fromisoformat(c["due_on"]) <= cutoff]
    closed = [c for c in due if c.get("closed_on") and dt.date.fromisoformat(c["closed_on"]) <= cutoff]
    replied = [c for c in accepted if c.get("replied_on") and dt.date.fromisoformat(c["replied_on"]) <= cutoff]
    on_time = [c for c in replied if c.get("due_on") and c["replied_on"] <= c["due_on"]]
    rated = [c for c in accepted if c.get("satisfaction")]
    points = sum({"满意": 1.0, "基本满意": 0.5}.get(c["satisfaction"], 0.0) for c in rated)
    return {
        "closure": len(closed) / len(due) if due else None,
        "on_time": len(on_time) / len(replied) if replied else None,
        "satisfaction": points / len(rated) if rated else None,
    }


def complaint_score(cases: list[dict], cutoff: dt.date) -> float | None:
    """100 × the mean of the rates that have a denominator."""
    rates = [r for r in complaint_rates(cases, cutoff).values() if r is not None]
    return 100.0 * float(np.mean(rates)) if rates else None


def spotcheck_score(rows: list[dict]) -> float | None:
    """100 × Σ score ÷ Σ max_score."""
    total = sum(float(r["max_score"]) for r in rows)
    return 100.0 * sum(float(r["score"]) for r in rows) / total if total else None

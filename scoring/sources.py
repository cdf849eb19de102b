"""The monitoring, complaint and spot-check scores of a prefecture, each on a 0–100 scale
(the method file decides how); the survey score is in :mod:`scoring.survey`.

Inputs are plain rows (dicts of column → text) of the bundle's files; nothing here imports Flask or
the database (the complaint measures and the feedback dimensions come from the pure definition
modules of those domains).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np

from complaints.measures import CLOSURE, EVALUATION, ON_TIME, SATISFACTION_RATE, at_cutoff
from complaints.vocabulary import SATISFACTION
from feedback.vocabulary import DIMENSIONS

from .method import Complaints


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


MEASURES = tuple(m.key for m in EVALUATION)   # closure, on_time, satisfaction
VERSION_1 = Complaints()                      # the complaint rule of method version 1


def case_counts(cases: list[dict], cutoff: dt.date, rule: Complaints = VERSION_1) -> np.ndarray:
    """Each case's numerator and denominator of each evaluation measure, (n × 3 measures × 2).

    The measures add up over cases, so a prefecture's counts are the column sums and a bootstrap
    replicate's are the same sums weighted by how often each case was drawn.  ``rule.rule``:

    * ``accepted`` (version 1): :func:`complaints.measures.at_cutoff` of the case alone;
    * ``received`` (version 2): :func:`from_receipt`.
    """
    def count(case: dict) -> dict[str, tuple[float, int]]:
        return at_cutoff([case], cutoff) if rule.rule == "accepted" else from_receipt(case, cutoff, rule)

    table = [[counts[key] for key in MEASURES] for counts in map(count, cases)]
    return np.array(table, dtype=float).reshape(len(cases), len(MEASURES), 2)


def from_receipt(case: dict, cutoff: dt.date, rule: Complaints) -> dict[str, tuple[float, int]]:
    """Version 2's counts of one case received in the year at cut-off :math:`t`, against one deadline
    :math:`D` = receipt + ``deadline_days`` (``due_on`` is not read, and the day of acceptance does
    not move :math:`D`: extending or accepting late never takes a case out of a measure).

    A case counts once the centre accepted it (``accepted_on`` given), whatever its later status. A
    case the centre refused at receipt counts nowhere: only the centre refuses, only before any
    prefecture handled the case, so a ranked prefecture can neither shed its own cases this way nor
    lower a rival by filing invented complaints that the centre then refuses.

    * closure: counted when :math:`D \\le t` or the case was closed by :math:`t`; 1 when closed by :math:`t`;
    * on_time: counted when :math:`D \\le t` or the case was replied to by :math:`t`; 1 for a reply by
      :math:`D`, ``late_reply`` for a later one, 0 for none;
    * satisfaction: counted when the complainant was visited; the weight of the answer.
    """
    if not case.get("accepted_on"):
        return {key: (0.0, 0) for key in MEASURES}
    deadline = dt.date.fromisoformat(case["received_on"]) + dt.timedelta(days=rule.deadline_days)
    replied, closed = (_by(case.get(key), cutoff) for key in ("replied_on", "closed_on"))
    due = deadline <= cutoff
    reply = 0.0 if replied is None else 1.0 if replied <= deadline else rule.late_reply
    answer = case.get("satisfaction") or ""
    return {CLOSURE.key: (float(closed is not None), int(due or closed is not None)),
            ON_TIME.key: (reply, int(due or replied is not None)),
            SATISFACTION_RATE.key: (SATISFACTION.get(answer, 0.0), int(bool(answer)))}


def _by(text: str | None, cutoff: dt.date) -> dt.date | None:
    """The date in ``text`` when it is on or before the cut-off, else None."""
    day = dt.date.fromisoformat(text) if text else None
    return day if day is not None and day <= cutoff else None


def shrunk_rates(totals: np.ndarray, prior_cases: float) -> np.ndarray:
    """Rates (…, P, 3) from the prefectures' summed counts (…, P, 3, 2), each shrunk towards the
    province's pooled rate :math:`\\bar r = \\sum_p a_p / \\sum_p n_p` by ``prior_cases`` :math:`k`:

    .. math:: r_p = \\frac{a_p + k\\,\\bar r}{n_p + k}

    A prefecture with no case in a denominator gets :math:`\\bar r`; with :math:`k = 0` (version 1)
    the rate is its own, NaN when its denominator is empty.  Adding :math:`m` cases can raise a rate by
    at most :math:`m / (n_p + k + m)`.
    """
    numerator, denominator = totals[..., 0], totals[..., 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        if prior_cases > 0:
            province = numerator.sum(axis=-2, keepdims=True) / denominator.sum(axis=-2, keepdims=True)
            return (numerator + prior_cases * province) / (denominator + prior_cases)
        return np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1), np.nan)


def complaint_scores(rates: np.ndarray) -> np.ndarray:
    """100 × the mean of the rates that are known (…, P); NaN when none is."""
    known = ~np.isnan(rates)
    counted = known.sum(axis=-1)
    total = np.where(known, rates, 0.0).sum(axis=-1)
    return np.divide(100.0 * total, counted, out=np.full(total.shape, np.nan), where=counted > 0)


def complaint_rates(cases: list[dict], cutoff: dt.date, rule: Complaints = VERSION_1) -> dict[str, float | None]:
    """One prefecture's rates from its own cases alone (no shrinkage); None for an empty denominator."""
    rates = shrunk_rates(case_counts(cases, cutoff, rule).sum(axis=0)[None], 0.0)[0]
    return {key: None if np.isnan(rate) else float(rate) for key, rate in zip(MEASURES, rates, strict=True)}


def complaint_score(cases: list[dict], cutoff: dt.date, rule: Complaints = VERSION_1) -> float | None:
    """One prefecture's complaint score from its own cases alone (no shrinkage): 100 × the mean of
    the rates that have a denominator; None without any."""
    score = complaint_scores(shrunk_rates(case_counts(cases, cutoff, rule).sum(axis=0)[None], 0.0))[0]
    return None if np.isnan(score) else float(score)


def unit_scores(rows: list[dict]) -> np.ndarray:
    """Each checked unit's (score, max_score), (n × 2)."""
    return np.array([[float(r["score"]), float(r["max_score"])] for r in rows]).reshape(len(rows), 2)


def spotcheck_score(rows: list[dict]) -> float | None:
    """100 × Σ score ÷ Σ max_score."""
    score, total = unit_scores(rows).sum(axis=0)
    return 100.0 * score / total if total else None

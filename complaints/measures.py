"""Complaint-handling measures, each defined once: its name, its Chinese label, the counts it is
made of, and the rate they give.  Pure (no Flask, no database): the statistics page counts from the
per-day table (:mod:`.kpis`), the evaluation from the bundle's case rows (:func:`at_cutoff`); both
turn counts into rates here.  docs/complaints.md lists the same definitions.

Handling statistics (the statistics page and its report; the cases received in a period, as they
stand today):

.. math:: \\text{clearance (结案率)} = \\frac{n_{closed}}{n_{received}}, \\qquad
          \\text{punctuality (按期率)} = \\frac{n_{replied \\le due}}{n_{replied} + n_{unreplied,\\ overdue}}

Evaluation measures (the ranking and the annual report; the accepted cases received in the year,
at the cut-off date :math:`t`):

.. math:: \\text{closure (到期结案率)} = \\frac{|\\{\\text{due} \\le t,\\ \\text{closed} \\le t\\}|}{|\\{\\text{due} \\le t\\}|},
          \\qquad \\text{on\\_time (按期答复率)} = \\frac{|\\{\\text{replied} \\le t,\\ \\text{replied} \\le \\text{due}\\}|}
          {|\\{\\text{replied} \\le t\\}|}

Both: satisfaction (满意率) = :math:`\\sum_c w(c) / n_{visited}` with the weights
:data:`.vocabulary.SATISFACTION` (满意 1, 基本满意 0.5, 不满意 0).  A rate with an empty denominator
is None (not counted).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .vocabulary import SATISFACTION


@dataclass(frozen=True)
class Measure:
    key: str          # the English name (the key in the ranking's JSON)
    label: str        # the Chinese name on pages and in reports
    numerator: str    # the counts, in words
    denominator: str

    @property
    def formula(self) -> str:
        return f"{self.label}＝{self.numerator}÷{self.denominator}"

    @staticmethod
    def rate(numerator: float, denominator: float) -> float | None:
        """numerator ÷ denominator; None when the denominator is empty."""
        return numerator / denominator if denominator else None


def _satisfaction_points() -> str:
    return "＋".join(answer if weight == 1 else f"{weight:g}×{answer}" for answer, weight in SATISFACTION.items() if weight)


CLEARANCE = Measure("clearance", "结案率", "办结", "收到")
PUNCTUALITY = Measure("punctuality", "按期率", "按期答复", "（已答复＋未答复已超期）")
SATISFACTION_RATE = Measure("satisfaction", "满意率", f"（{_satisfaction_points()}）", "已回访")
CLOSURE = Measure("closure", "到期结案率", "截止日前办结", "截止日前到期")
ON_TIME = Measure("on_time", "按期答复率", "按期答复", "截止日前已答复")

STATISTICS = (CLEARANCE, PUNCTUALITY, SATISFACTION_RATE)  # the statistics page
EVALUATION = (CLOSURE, ON_TIME, SATISFACTION_RATE)         # the ranking's complaint score and the report


def at_cutoff(cases: list[dict], cutoff: dt.date) -> dict[str, tuple[float, int]]:
    """Numerator and denominator of each evaluation measure, by key, over the accepted cases among
    ``cases`` (rows of complaints.csv: dates as ``YYYY-MM-DD`` text, blank when absent)."""
    accepted = [c for c in cases if c.get("accepted_on")]
    due = [c for c in accepted if c.get("due_on") and dt.date.fromisoformat(c["due_on"]) <= cutoff]
    closed = [c for c in due if c.get("closed_on") and dt.date.fromisoformat(c["closed_on"]) <= cutoff]
    replied = [c for c in accepted if c.get("replied_on") and dt.date.fromisoformat(c["replied_on"]) <= cutoff]
    on_time = [c for c in replied if c.get("due_on") and c["replied_on"] <= c["due_on"]]
    visited = [c for c in accepted if c.get("satisfaction")]
    points = sum(SATISFACTION.get(c["satisfaction"], 0.0) for c in visited)
    return {CLOSURE.key: (len(closed), len(due)), ON_TIME.key: (len(on_time), len(replied)),
            SATISFACTION_RATE.key: (points, len(visited))}

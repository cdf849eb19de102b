"""Combining the four sources into the composite, imputing missing sources, and ranking."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .method import SOURCES, Method


@dataclass
class Result:
    code: str
    name: str
    sources: dict[str, float | None]
    imputed: list[str] = field(default_factory=list)
    composite: float | None = None
    rank: int | None = None
    n_responses: int = 0


def impute(results: list[Result]) -> None:
    """Fill a missing source with the mean of the other prefectures' scores for that source."""
    for source in SOURCES:
        known = [r.sources[source] for r in results if r.sources[source] is not None]
        if not known:
            raise ValueError(f"没有任何市州有“{source}”的得分，无法测评")
        mean = float(np.mean(known))
        for r in results:
            if r.sources[source] is None:
                r.sources[source] = mean
                r.imputed.append(source)


def combine(method: Method, results: list[Result]) -> None:
    """Composite = Σ weight × source score (after imputation).

    .. math:: C_p = \\sum_{s} w_s \\, S_{ps}, \\qquad \\sum_s w_s = 1,\\; w_s \\ge 0
    """
    for r in results:
        r.composite = sum(method.weights[s] * r.sources[s] for s in SOURCES)


def rank(results: list[Result]) -> None:
    """Rank by composite, descending; composites equal when rounded to 2 decimals share the
    better rank (competition ranking: 1, 2, 2, 4)."""
    ordered = sorted(results, key=lambda r: (-round(r.composite, 2), r.code))
    for position, r in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        r.rank = previous.rank if previous and round(previous.composite, 2) == round(r.composite, 2) else position
    results.sort(key=lambda r: (r.rank, r.code))

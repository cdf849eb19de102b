"""The whole default evaluation of one year, from a bundle to the ranked prefectures."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

from . import bundle as bundles
from .composite import Result, combine, impute, rank
from .method import Method
from .sources import complaint_score, monitoring_score, spotcheck_score, survey_score


def evaluate(directory: str | Path, year: int, method: Method) -> list[Result]:
    data = bundles.read(directory, year)
    counts = {n: len(letters) for n, letters in bundles.options().items()}
    cutoff = dt.date.fromisoformat(f"{year}-{method.cutoff}")
    grouped: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for source in ("responses", "complaints", "feedback", "spotchecks"):
        for row in getattr(data, source):
            grouped[row["prefecture_code"].strip()][source].append(row)
    results = []
    for code, name in bundles.prefectures().items():
        rows = grouped[code]
        results.append(Result(code, name, {
            "survey": survey_score(method, rows["responses"], counts),
            "monitoring": monitoring_score(rows["feedback"]),
            "complaints": complaint_score(rows["complaints"], cutoff),
            "spotcheck": spotcheck_score(rows["spotchecks"]),
        }, n_responses=len(rows["responses"])))
    impute(results)
    combine(method, results)
    rank(results)
    return results

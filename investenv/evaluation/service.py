"""Evaluating a year straight from the database: the year is written as a bundle to a scratch
directory and ranked by the pure ``scoring`` package, exactly as ``investenv rank`` does."""
from __future__ import annotations

import tempfile
from collections.abc import Callable

from scoring.evaluate import Evaluation, evaluate
from scoring.method import Method, load

from . import bundle


def evaluate_year(year: int, method: Method | None = None,
                  progress: Callable[[str, int, int], None] | None = None) -> Evaluation:
    """Rank ``year`` from the database; ``ValueError`` (in Chinese) when the year has no data."""
    with tempfile.TemporaryDirectory(prefix="investenv-bundle-") as folder:
        bundle.write(year, folder)
        return evaluate(folder, year, method or load(), progress)

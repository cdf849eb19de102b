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


def report_data(year: int, progress: Callable[[str, int, int], None] | None = None):
    """The report's data for ``year`` from the database: this year's and last year's bundles and
    the inspection register."""
    from sqlalchemy import extract, func, select

    from complaints.models import Inspection
    from evaluation.report import content
    from investenv.extensions import db
    from investenv.registry.models import Prefecture

    registered = dict(db.session.execute(
        select(Prefecture.code, func.count(Inspection.id)).join(Inspection, Inspection.prefecture_id == Prefecture.id)
        .where(extract("year", Inspection.planned_on) == year).group_by(Prefecture.code)).all())
    with tempfile.TemporaryDirectory(prefix="investenv-report-") as folder:
        this_year, last_year = f"{folder}/this", f"{folder}/last"
        bundle.write(year, this_year)
        bundle.write(year - 1, last_year)
        return content.from_directory(this_year, year, load(), last_year, registered, progress)

"""Evaluating a year straight from the database: each domain's rows of the year assembled in
memory into the scoring package's bundle (:func:`year_bundle`), checked, cut to the year and
ranked exactly as ``investenv rank --bundle`` ranks the exported files."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import extract, func, select

from complaints.models import Inspection
from investenv.extensions import db
from investenv.registry.models import Prefecture
from scoring import bundle as bundles
from scoring.evaluate import Evaluation, evaluate_bundle
from scoring.method import Method, load

from . import bundle
from .report import content


def year_bundle(year: int) -> bundles.Bundle:
    """The database's evaluation bundle of ``year``; ``ValueError`` (in Chinese) when it has no data."""
    return bundles.assemble(bundle.tables(year), year, "数据库")


def evaluate_year(year: int, method: Method | None = None,
                  progress: Callable[[str, int, int], None] | None = None) -> Evaluation:
    """Rank ``year`` from the database; ``ValueError`` (in Chinese) when the year has no data."""
    return evaluate_bundle(year_bundle(year), year, method or load(), progress)


def report_data(year: int, progress: Callable[[str, int, int], None] | None = None) -> content.ReportData:
    """The report's data for ``year`` from the database: this year's and last year's bundles and
    the inspection register."""
    registered = dict(db.session.execute(
        select(Prefecture.code, func.count(Inspection.id)).join(Inspection, Inspection.prefecture_id == Prefecture.id)
        .where(extract("year", Inspection.planned_on) == year).group_by(Prefecture.code)).all())
    method = load()
    return content.build(year_bundle(year), year, method, content.last_year(year_bundle, year, method),
                         registered, progress)

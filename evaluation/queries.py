"""Reads of stored runs, versions and requests for review.

A stored run never changes, so its parsed results are kept in memory per process, keyed by the
run's fingerprint (the hash of all its files): the ranking page and the drill-down then only
render what was published.
"""
from __future__ import annotations

import json
from collections import OrderedDict

from sqlalchemy import select

from investenv import access
from investenv.extensions import db
from scoring.evaluate import Evaluation

from .models import Blob, EvaluationRun, Objection
from .runs import RESULTS, evaluation_from_json

KEPT_IN_MEMORY = 8
_parsed: OrderedDict[str, tuple[dict, Evaluation]] = OrderedDict()


def current_version(year: int) -> EvaluationRun | None:
    """The year's published result: its latest version."""
    return db.session.scalar(select(EvaluationRun).where(EvaluationRun.year == year, EvaluationRun.state == "published")
                             .order_by(EvaluationRun.version.desc()).limit(1))


def version(year: int, number: int) -> EvaluationRun | None:
    return db.session.scalar(select(EvaluationRun).where(EvaluationRun.year == year, EvaluationRun.version == number))


def versions(year: int) -> list[EvaluationRun]:
    """The year's published versions, first to latest."""
    return list(db.session.scalars(select(EvaluationRun).where(EvaluationRun.year == year,
                                                               EvaluationRun.state == "published")
                                   .order_by(EvaluationRun.version)))


def runs(year: int) -> list[EvaluationRun]:
    """Every run of the year, drafts and versions, newest first."""
    return list(db.session.scalars(select(EvaluationRun).where(EvaluationRun.year == year)
                                   .order_by(EvaluationRun.id.desc())))


def file_bytes(run: EvaluationRun, name: str) -> bytes:
    entry = next((f for f in run.files if f.name == name), None)
    if entry is None:
        raise KeyError(name)
    return db.session.get(Blob, entry.sha256).body


def files(run: EvaluationRun) -> dict[str, bytes]:
    return {f.name: db.session.get(Blob, f.sha256).body for f in run.files}


def _parse(run: EvaluationRun) -> tuple[dict, Evaluation]:
    found = _parsed.get(run.fingerprint)
    if found is None:
        results = json.loads(file_bytes(run, RESULTS))
        found = _parsed[run.fingerprint] = (results, evaluation_from_json(results))
        while len(_parsed) > KEPT_IN_MEMORY:
            _parsed.popitem(last=False)
    return found


def stored_results(run: EvaluationRun) -> dict:
    """The run's ``results.json`` (read-only: shared between requests)."""
    return _parse(run)[0]


def stored_evaluation(run: EvaluationRun) -> Evaluation:
    """The run's results as an :class:`Evaluation` (read-only: shared between requests)."""
    return _parse(run)[1]


def objections(year: int) -> list[Objection]:
    """The year's requests for review the user may see (prefecture staff: their own), newest first."""
    query = select(Objection).join(Objection.run).where(EvaluationRun.year == year).order_by(Objection.id.desc())
    return list(db.session.scalars(access.scope(query, Objection.prefecture_id)))


def awaiting_correction(year: int) -> list[Objection]:
    """Accepted requests for review of the year that no published version has corrected yet."""
    return list(db.session.scalars(select(Objection).join(Objection.run).where(
        EvaluationRun.year == year, Objection.state == "accepted", Objection.corrected_in_id.is_(None))
        .order_by(Objection.id)))


def corrected_by(run: EvaluationRun) -> list[Objection]:
    return list(db.session.scalars(select(Objection).where(Objection.corrected_in_id == run.id).order_by(Objection.id)))

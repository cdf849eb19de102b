"""Reads of spot checks."""
from __future__ import annotations

from sqlalchemy import select

from investenv.extensions import db

from .models import ItemScore, SampledUnit, ScoreCorrection, SpotCheckRound


def rounds() -> list[SpotCheckRound]:
    """Every round, newest first."""
    return list(db.session.scalars(select(SpotCheckRound).order_by(SpotCheckRound.year.desc(), SpotCheckRound.id.desc())))


def corrections_of(unit: SampledUnit) -> list[ScoreCorrection]:
    """The corrections of the unit's scores after locking, oldest first."""
    return list(db.session.scalars(
        select(ScoreCorrection).join(ScoreCorrection.score).where(ItemScore.unit_id == unit.id)
        .order_by(ScoreCorrection.corrected_at)
    ))

"""Reads of monitoring-point feedback.  ``visible_*`` functions return only what the current
user may see (:mod:`investenv.access`)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from investenv import access
from investenv.extensions import db
from investenv.registry.models import Enterprise, MonitoringPoint

from . import periods
from .models import Feedback, Hotline


def reported_periods(point: MonitoringPoint) -> set[str]:
    """The codes of the periods the point has reported on."""
    return set(db.session.scalars(select(Feedback.period).where(Feedback.monitoring_point_id == point.id)))


def reported_point_ids(period: periods.Period) -> set[int]:
    """The monitoring points that reported on ``period``, all prefectures."""
    return set(db.session.scalars(select(Feedback.monitoring_point_id).where(Feedback.period == period.code)))


def _active_points(period: periods.Period):
    return (
        select(MonitoringPoint).join(MonitoringPoint.enterprise)
        .where(MonitoringPoint.withdrawn_on.is_(None) | (MonitoringPoint.withdrawn_on > period.starts_on))
        .options(selectinload(MonitoringPoint.enterprise))
        .order_by(Enterprise.prefecture_id, Enterprise.name)
    )


def visible_active_points(period: periods.Period) -> list[MonitoringPoint]:
    """The monitoring points the current user may see that were not withdrawn before the period
    began, with their enterprises; by prefecture, then enterprise name."""
    return list(db.session.scalars(access.scope(_active_points(period), Enterprise.prefecture_id)))


def active_points(period: periods.Period) -> list[MonitoringPoint]:
    """Every prefecture's monitoring points of ``period`` (for ``investenv notify``, which has no user)."""
    return list(db.session.scalars(_active_points(period)))


def visible_reports_by_point(period: periods.Period) -> dict[int, Feedback]:
    """The reports on ``period`` the current user may see, by monitoring point id."""
    stmt = access.scope(select(Feedback), Feedback.prefecture_id).where(Feedback.period == period.code)
    return {f.monitoring_point_id: f for f in db.session.scalars(stmt)}


def visible_remarks(period: periods.Period, limit: int = 50) -> list[Feedback]:
    """The latest reports on ``period`` with incidents or a comment that the current user may see."""
    return list(db.session.scalars(
        access.scope(select(Feedback), Feedback.prefecture_id)
        .where(Feedback.period == period.code, (Feedback.incidents != "") | (Feedback.comment != ""))
        .order_by(Feedback.submitted_on.desc()).limit(limit)
    ))


def hotlines_by_prefecture() -> dict[int, Hotline]:
    """Every prefecture's hotline, by prefecture id."""
    return {h.prefecture_id: h for h in db.session.scalars(select(Hotline))}

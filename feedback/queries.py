"""Reads of monitoring-point feedback.  ``visible_*`` functions return only what the current
user may see (:mod:`investenv.access`)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from investenv import access, listing
from investenv.extensions import db
from investenv.registry.models import Enterprise, MonitoringPoint, Prefecture

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


# The report list's sortable columns (investenv.listing); the mean of the five ratings is a column too.
REPORT_SORTS = listing.Sorting({
    "submitted": ("报送日期", Feedback.submitted_on), "prefecture": ("市州", (Feedback.prefecture_id, Enterprise.name)),
    "point": ("测评点", Enterprise.name), "period": ("期间", Feedback.period),
    "mean": ("平均分", Feedback.d1 + Feedback.d2 + Feedback.d3 + Feedback.d4 + Feedback.d5),
}, default="submitted", tiebreak=Feedback.id, default_descending=True)

# What a report says beyond its ratings, as the list filters it: key → (label, condition).
ISSUES = {
    "incidents": ("有具体事件", Feedback.incidents != ""),
    "pending": ("有具体事件、未转投诉", (Feedback.incidents != "") & Feedback.complaint_id.is_(None)),
    "complaint": ("已转投诉", Feedback.complaint_id.is_not(None)),
    "comment": ("有文字意见", Feedback.comment != ""),
    "none": ("无意见和事件", (Feedback.incidents == "") & (Feedback.comment == "")),
}


def reports_view(prefecture_code: str = "", period_code: str = "", point: str = "", issue: str = "",
                 since: dt.date | None = None, until: dt.date | None = None, sort: str = "submitted",
                 descending: bool = True) -> Select:
    """The statement (for paging or export) of the reports the current user may see: of one
    prefecture and one period if given, of the points whose enterprise name or credit code contains
    ``point``, with an :data:`ISSUES` condition, reported between ``since`` and ``until``
    (inclusive); newest first unless sorted otherwise."""
    stmt = access.scope(select(Feedback), Feedback.prefecture_id).options(
        selectinload(Feedback.point).selectinload(MonitoringPoint.enterprise).selectinload(Enterprise.county),
        selectinload(Feedback.prefecture), selectinload(Feedback.complaint))
    if point or sort in ("point", "prefecture"):  # only then: the count and the date order read the reports alone
        stmt = stmt.join(Feedback.point).join(MonitoringPoint.enterprise)
    if prefecture_code:
        stmt = stmt.where(Feedback.prefecture_id == select(Prefecture.id).where(Prefecture.code == prefecture_code)
                          .scalar_subquery())
    if period_code:
        stmt = stmt.where(Feedback.period == period_code)
    if point:
        stmt = stmt.where(or_(Enterprise.name.like(f"%{point}%"), Enterprise.credit_code.like(f"%{point.upper()}%")))
    if issue in ISSUES:
        stmt = stmt.where(ISSUES[issue][1])
    if since:
        stmt = stmt.where(Feedback.submitted_on >= since)
    if until:
        stmt = stmt.where(Feedback.submitted_on <= until)
    return stmt.order_by(*REPORT_SORTS.order(sort, descending))


def earliest_visible_period() -> str | None:
    """The code of the earliest period the current user's visible reports are on (one read of the
    period index's first entry)."""
    return db.session.scalar(access.scope(select(func.min(Feedback.period)), Feedback.prefecture_id))


def hotlines_by_prefecture() -> dict[int, Hotline]:
    """Every prefecture's hotline, by prefecture id."""
    return {h.prefecture_id: h for h in db.session.scalars(select(Hotline))}

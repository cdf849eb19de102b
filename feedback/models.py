"""Monitoring-point feedback (测评点反馈) and each prefecture's dedicated hotline."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from complaints.models import Complaint
from investenv.extensions import db
from investenv.registry.models import MonitoringPoint, Prefecture
from investenv.timeutil import utcnow

from .vocabulary import DIMENSIONS, SCALE


class Feedback(db.Model):
    """One monitoring point's ratings of its prefecture for one period.

    A point reports once per period: a second report for the same period is refused
    (the unique constraint backs the check in the operation).
    """

    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("monitoring_point_id", "period", name="uq_feedback_point_period"),
        Index("ix_feedback_submitted", "submitted_on", "id"),  # the report list, newest first
        *(CheckConstraint(f"{key} BETWEEN {min(SCALE)} AND {max(SCALE)}", name=f"{key}_range") for key in DIMENSIONS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    monitoring_point_id: Mapped[int] = mapped_column(ForeignKey("monitoring_points.id"), index=True)
    prefecture_id: Mapped[int] = mapped_column(ForeignKey("prefectures.id"), index=True)
    period: Mapped[str] = mapped_column(String(8), index=True)
    d1: Mapped[int] = mapped_column(Integer)  # the columns of vocabulary.DIMENSIONS
    d2: Mapped[int] = mapped_column(Integer)
    d3: Mapped[int] = mapped_column(Integer)
    d4: Mapped[int] = mapped_column(Integer)
    d5: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    incidents: Mapped[str] = mapped_column(Text, default="")
    submitted_on: Mapped[dt.date] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))  # the case opened from its incidents

    point: Mapped[MonitoringPoint] = relationship()
    complaint: Mapped[Complaint | None] = relationship()
    prefecture: Mapped[Prefecture] = relationship()

    @property
    def ratings(self) -> list[int]:
        return [getattr(self, key) for key in DIMENSIONS]

    @property
    def mean(self) -> float:
        """The mean of the ratings, to one decimal (as the report list shows and exports it)."""
        return round(sum(self.ratings) / len(self.ratings), 1)


class Hotline(db.Model):
    """The dedicated hotline a prefecture publishes, with its responsible person (seed 003)."""

    __tablename__ = "hotlines"

    id: Mapped[int] = mapped_column(primary_key=True)
    prefecture_id: Mapped[int] = mapped_column(ForeignKey("prefectures.id"), unique=True)
    phone: Mapped[str] = mapped_column(String(40))
    person: Mapped[str] = mapped_column(String(60))
    office: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    prefecture: Mapped[Prefecture] = relationship()

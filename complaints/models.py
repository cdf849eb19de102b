"""Complaint-handling data.  So far: the official working-day calendar, kept in the database
so that an administrator can enter a new year's arrangement."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from investenv.extensions import db
from investenv.timeutil import utcnow


class CalendarYear(db.Model):
    """A year whose holiday arrangement is known; only then are its dates used in deadlines."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(200))
    # Reference data outlives accounts, so it names its author instead of pointing at a user.
    entered_by: Mapped[str] = mapped_column(String(40), default="")
    entered_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class CalendarDay(db.Model):
    """A date whose status differs from the weekday rule: a weekday off or a weekend working day."""

    __tablename__ = "calendar_days"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(40), default="")

"""Complaint-handling data: cases with their timeline, and the official working-day calendar
(kept in the database so that an administrator can enter a new year's arrangement)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Computed,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    or_,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from investenv.auth.models import User
from investenv.extensions import db
from investenv.registry.models import County, Enterprise, Prefecture
from investenv.timeutil import utcnow
from investenv.uploads import StoredFile

from .vocabulary import HANDLING, STATUSES


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




def _among(column: str, values) -> str:
    """SQL ``column IN ('a', 'b')`` for a vocabulary: the text of constraints and partial indexes."""
    quoted = ("'" + value.replace("'", "''") + "'" for value in values)
    return f"{column} IN ({', '.join(quoted)})"


OPEN_CONDITION = f"replied_on IS NULL AND {_among('status', HANDLING)}"  # accepted, not yet replied
AWAITING_VISIT = f"satisfaction IS NULL AND {_among('status', ('replied', 'closed'))}"
SUPERVISED = "(major OR escalated) AND status <> 'not_accepted'"
# The date the next step is due (:attr:`Complaint.deadline`), as a generated column: the urgency
# order (overdue first, then by deadline) reads it from an index instead of sorting a whole queue.
DEADLINE = (f"CASE WHEN status = 'received' THEN acknowledge_due_on WHEN {_among('status', HANDLING)} "
            "THEN due_on END")


class Complaint(db.Model):
    """A complaint case (投诉案件) from an investing enterprise about a prefecture.

    ``status`` is where the case is in the workflow; ``outcome`` is what it achieved.  They are
    kept apart, so a closed case is never counted as resolved by itself.
    """

    __tablename__ = "complaints"
    __table_args__ = (
        UniqueConstraint("year", "prefecture_code", "sequence", name="uq_complaints_number"),
        CheckConstraint(_among("status", STATUSES), name="status"),
        CheckConstraint("procedure IN ('simple', 'joint')", name="procedure"),
        Index("ix_complaints_queue", "prefecture_id", "status", "due_on"),
        Index("ix_complaints_received", "prefecture_id", "received_on"),
        # Open cases past their due date: the live part of the on-time rate, and the overdue queue.
        Index("ix_complaints_open_due", "due_on", "prefecture_id", "received_on",
              postgresql_where=text(OPEN_CONDITION), sqlite_where=text(OPEN_CONDITION)),
        Index("ix_complaints_unacknowledged", "acknowledge_due_on", "prefecture_id",
              postgresql_where=text("status = 'received'"), sqlite_where=text("status = 'received'")),
        # The queues 待回访 and 省级督办 (complaints.queries.queue_filter), counted on every list and the home page.
        Index("ix_complaints_awaiting_visit", "prefecture_id",
              postgresql_where=text(AWAITING_VISIT), sqlite_where=text(AWAITING_VISIT)),
        Index("ix_complaints_supervised", "prefecture_id",
              postgresql_where=text(SUPERVISED), sqlite_where=text(SUPERVISED)),
        # The urgency order of every list, province-wide and per prefecture (complaints.queries).
        Index("ix_complaints_urgency", "deadline_on", "id"),
        Index("ix_complaints_prefecture_urgency", "prefecture_id", "deadline_on", "id"),
        # 应通报进展 in that order, its due date and the prefecture compared inside the index.
        Index("ix_complaints_progress_due", "deadline_on", "id", "progress_due_on", "prefecture_id",
              postgresql_where=text("status = 'extended'"), sqlite_where=text("status = 'extended'")),
        # On PostgreSQL, migration 0026 adds the GIN indexes of the search (investenv.listing.contains).
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_no: Mapped[str] = mapped_column(String(20), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    prefecture_code: Mapped[str] = mapped_column(String(6))  # of the case number: fixed at intake
    sequence: Mapped[int] = mapped_column(Integer)
    secret_hash: Mapped[str] = mapped_column(String(64))  # the complainant's lookup code, hashed
    # One per intake form shown: a form sent twice (double click, resend after a lost connection)
    # finds the case it already created instead of creating another.
    intake_key: Mapped[str | None] = mapped_column(String(32), unique=True)

    prefecture_id: Mapped[int] = mapped_column(ForeignKey("prefectures.id"), index=True)  # handling prefecture
    county_id: Mapped[int | None] = mapped_column(ForeignKey("counties.id"))
    department: Mapped[str] = mapped_column(String(100), default="")

    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)  # its earlier cases
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspections.id"))  # an inspection reported as changed
    complainant: Mapped[str] = mapped_column(String(200))
    contact_name: Mapped[str] = mapped_column(String(60), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    contact_email: Mapped[str] = mapped_column(String(200), default="")  # the complainant's, for notices

    channel: Mapped[str] = mapped_column(String(10))
    received_on: Mapped[dt.date] = mapped_column(Date, index=True)
    category: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(Text)
    claims: Mapped[str] = mapped_column(Text, default="")
    amount_yuan: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))

    procedure: Mapped[str] = mapped_column(String(6), default="simple")
    major: Mapped[bool] = mapped_column(Boolean, default=False)
    rule_set: Mapped[str] = mapped_column(String(20), default="seed")

    status: Mapped[str] = mapped_column(String(12), default="received", index=True)
    outcome: Mapped[str | None] = mapped_column(String(20))
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)  # an objection went up to the province

    accepted_on: Mapped[dt.date | None] = mapped_column(Date)
    acknowledge_due_on: Mapped[dt.date | None] = mapped_column(Date)
    due_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    extended_until: Mapped[dt.date | None] = mapped_column(Date)
    progress_due_on: Mapped[dt.date | None] = mapped_column(Date)
    deadline_problem: Mapped[str] = mapped_column(String(100), default="")  # e.g. the calendar is missing
    deadline_on: Mapped[dt.date | None] = mapped_column(Date, Computed(DEADLINE, persisted=True))  # written by the database
    # 补正材料: the centre asked for more material on the first date, the complainant was to supply
    # it by the second (rules.RuleSet.supplement_answer), and did on the third.
    supplement_requested_on: Mapped[dt.date | None] = mapped_column(Date)
    supplement_due_on: Mapped[dt.date | None] = mapped_column(Date)
    supplemented_on: Mapped[dt.date | None] = mapped_column(Date)
    replied_on: Mapped[dt.date | None] = mapped_column(Date)
    reply_working_days: Mapped[int | None] = mapped_column(Integer)  # acceptance to reply, official calendar
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    loss_recovered_yuan: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    satisfaction: Mapped[str | None] = mapped_column(String(6))
    visited_on: Mapped[dt.date | None] = mapped_column(Date)
    visited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The return visit: how the complainant was reached (vocabulary.VISIT_METHODS; none for the
    # complainant's own online rating), the visitor's comment and the complainant's own words.
    visit_method: Mapped[str | None] = mapped_column(String(10))
    visit_comment: Mapped[str] = mapped_column(Text, default="", server_default="")
    visit_words: Mapped[str] = mapped_column(Text, default="", server_default="")

    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # Every timeline entry touches the case, so any change makes a new version.
    last_event_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    prefecture: Mapped[Prefecture] = relationship()
    county: Mapped[County | None] = relationship()
    enterprise: Mapped[Enterprise | None] = relationship()
    inspection: Mapped[Inspection | None] = relationship()
    events: Mapped[list[ComplaintEvent]] = relationship(back_populates="complaint", order_by="ComplaintEvent.id")
    attachments: Mapped[list[Attachment]] = relationship(back_populates="complaint", order_by="Attachment.id")

    __mapper_args__ = {"version_id_col": version}

    @hybrid_property
    def deadline(self) -> dt.date | None:
        """The date the next step is due: acceptance (or refusal) while the case is registered, the
        reply while it is handled; none once it is replied, closed or refused."""
        if self.status == "received":
            return self.acknowledge_due_on
        return self.due_on if self.status in HANDLING else None

    @deadline.inplace.expression
    @classmethod
    def _deadline_expression(cls):
        return cls.deadline_on

    # The parts of the queue conditions (complaints.queries.queue_filter) that are not plain
    # columns: named here so that the same conditions read the queue counts table.
    @hybrid_property
    def unreplied(self) -> bool:
        return self.replied_on is None

    @unreplied.inplace.expression
    @classmethod
    def _unreplied_expression(cls):
        return cls.replied_on.is_(None)

    @hybrid_property
    def unvisited(self) -> bool:
        return self.satisfaction is None

    @unvisited.inplace.expression
    @classmethod
    def _unvisited_expression(cls):
        return cls.satisfaction.is_(None)

    @hybrid_property
    def supervised(self) -> bool:
        return bool(self.major or self.escalated)

    @supervised.inplace.expression
    @classmethod
    def _supervised_expression(cls):
        return or_(cls.major, cls.escalated)


class ComplaintEvent(db.Model):
    """One line of a case's append-only timeline: a transition, note, transfer or reply.

    ``public`` lines are shown to the complainant; internal notes never are.
    """

    __tablename__ = "complaint_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)  # the queue 我经手的
    kind: Mapped[str] = mapped_column(String(12))
    status_from: Mapped[str | None] = mapped_column(String(12))
    status_to: Mapped[str | None] = mapped_column(String(12))
    text: Mapped[str] = mapped_column(Text, default="")
    public: Mapped[bool] = mapped_column(Boolean, default=False)

    complaint: Mapped[Complaint] = relationship(back_populates="events")
    user: Mapped[User | None] = relationship()


class Attachment(StoredFile, db.Model):
    """A file of a case (evidence, letters); stored outside the web root, served to staff only."""

    __tablename__ = "complaint_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    original_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))

    complaint: Mapped[Complaint] = relationship(back_populates="attachments")


class Inspection(db.Model):
    """A planned inspection of an invested enterprise, registered in advance (检查外来投资企业
    申报制度, seeds 000 and 003): who inspects whom, why, when, and the 通知单 number."""

    __tablename__ = "inspections"
    # A notice number is the issuing prefecture's: unique within it, so that registering one never
    # tells a user whether another prefecture has used the same number.
    __table_args__ = (UniqueConstraint("prefecture_id", "notice_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    prefecture_id: Mapped[int] = mapped_column(ForeignKey("prefectures.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    department: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    planned_on: Mapped[dt.date] = mapped_column(Date)
    inspectors: Mapped[str] = mapped_column(String(200))
    notice_no: Mapped[str] = mapped_column(String(40))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    enterprise: Mapped[Enterprise] = relationship()
    prefecture: Mapped[Prefecture] = relationship()


class ComplaintDayStats(db.Model):
    """The time-independent KPI counts of the cases one prefecture received on one day.

    Kept current by :mod:`complaints.daystats` whenever a case changes, so that the statistics
    page sums a few hundred rows instead of scanning every case of the period.
    """

    __tablename__ = "complaint_day_stats"

    prefecture_id: Mapped[int] = mapped_column(ForeignKey("prefectures.id"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    received: Mapped[int] = mapped_column(Integer, default=0)
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    closed: Mapped[int] = mapped_column(Integer, default=0)
    on_time: Mapped[int] = mapped_column(Integer, default=0)
    replied_late: Mapped[int] = mapped_column(Integer, default=0)
    reply_days_total: Mapped[int] = mapped_column(Integer, default=0)
    replies_timed: Mapped[int] = mapped_column(Integer, default=0)
    visits: Mapped[int] = mapped_column(Integer, default=0)
    satisfaction_points: Mapped[float] = mapped_column(Float, default=0)
    loss_recovered: Mapped[Decimal] = mapped_column(Numeric(16, 2), default=0)
    major: Mapped[int] = mapped_column(Integer, default=0)
    inspection: Mapped[int] = mapped_column(Integer, default=0)


class ComplaintQueueCount(db.Model):
    """How many cases share one combination of what the work queues ask of a case.

    The queues (complaints.queries.queue_filter) read only these columns, so every queue's count
    under the filters on prefecture, status and category is a sum over this table (a few thousand
    rows province-wide) instead of a count over the cases.  The deadlines are dates, not "is it
    overdue", so the time-dependent queues (overdue, due soon, progress report due) are correct on
    any day without a write.  A date the queues never compare is :data:`NEVER` (the key has no
    NULLs, so that an upsert finds its row).  Kept current by :mod:`complaints.queuecounts`.
    """

    __tablename__ = "complaint_queue_counts"

    prefecture_id: Mapped[int] = mapped_column(ForeignKey("prefectures.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(12), primary_key=True)
    category: Mapped[str] = mapped_column(String(20), primary_key=True)
    due_on: Mapped[dt.date] = mapped_column(Date, primary_key=True)  # while handled
    acknowledge_due_on: Mapped[dt.date] = mapped_column(Date, primary_key=True)  # while registered
    progress_due_on: Mapped[dt.date] = mapped_column(Date, primary_key=True)  # while extended
    unreplied: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    unvisited: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    supervised: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    cases: Mapped[int] = mapped_column(Integer, default=0)


NEVER = dt.date(9999, 12, 31)

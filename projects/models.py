"""The project ledger: projects and their stage events, monthly reports with funds arrived and
problems, unfulfilled-project reports, and the province's yearly targets per prefecture."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from complaints.models import Complaint
from investenv.auth.models import User
from investenv.extensions import db
from investenv.registry.models import County, Enterprise, Prefecture
from investenv.timeutil import utcnow

from .vocabulary import (
    INDUSTRIES,
    PROBLEM_KINDS,
    RESPONSIBILITIES,
    REVIEW_STATES,
    STAGES,
    is_outside,
)


def _among(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Project(db.Model):
    """An investment project of a prefecture's ledger, with one responsible leader, department
    and follow-up person (一个项目、一位领导、一套班子)."""

    __tablename__ = "projects"
    __table_args__ = (
        ForeignKeyConstraint(["county_id", "prefecture_id"], ["counties.id", "counties.prefecture_id"],
                             name="fk_projects_county_in_prefecture"),
        CheckConstraint(_among("stage", STAGES), name="stage"),
        CheckConstraint(_among("industry", INDUSTRIES), name="industry"),
        CheckConstraint("contract_investment >= 0 AND contract_funds >= 0", name="money"),
        Index("ix_projects_prefecture_stage", "prefecture_id", "stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)  # XM-4302-0001
    name: Mapped[str] = mapped_column(String(200))
    prefecture_id: Mapped[int] = mapped_column(ForeignKey("prefectures.id"), index=True)
    county_id: Mapped[int] = mapped_column(Integer, index=True)
    park: Mapped[str] = mapped_column(String(100), default="")

    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"))
    investor: Mapped[str] = mapped_column(String(200))
    origin_province: Mapped[str] = mapped_column(String(20))
    origin_city: Mapped[str] = mapped_column(String(50), default="")
    industry: Mapped[str] = mapped_column(String(1))
    sector: Mapped[str] = mapped_column(String(60), default="")

    stage: Mapped[str] = mapped_column(String(12), default="reserve")
    signed_on: Mapped[dt.date | None] = mapped_column(Date)
    venue: Mapped[str] = mapped_column(String(60), default="")
    contract_investment: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal(0))  # 合同总投资, 元
    contract_funds: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal(0))       # 拟引进资金, 元
    due_registration: Mapped[dt.date | None] = mapped_column(Date)
    due_first_funds: Mapped[dt.date | None] = mapped_column(Date)
    due_start: Mapped[dt.date | None] = mapped_column(Date)
    due_production: Mapped[dt.date | None] = mapped_column(Date)

    leader: Mapped[str] = mapped_column(String(60), default="")
    department: Mapped[str] = mapped_column(String(100), default="")
    follow_up: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    prefecture: Mapped[Prefecture] = relationship()
    county: Mapped[County] = relationship(primaryjoin="County.id == foreign(Project.county_id)", viewonly=True)
    enterprise: Mapped[Enterprise | None] = relationship()
    events: Mapped[list[StageEvent]] = relationship(back_populates="project", order_by="StageEvent.reached_on, StageEvent.id")

    __mapper_args__ = {"version_id_col": version}

    @property
    def from_outside(self) -> bool:
        return is_outside(self.origin_province)

    @property
    def stage_label(self) -> str:
        return STAGES[self.stage]

    @property
    def industry_label(self) -> str:
        return INDUSTRIES[self.industry]


class StageEvent(db.Model):
    """The date a project reached a stage, from the ledger page or a monthly report."""

    __tablename__ = "project_stage_events"
    __table_args__ = (CheckConstraint(_among("stage", STAGES), name="stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    stage: Mapped[str] = mapped_column(String(12))
    reached_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    report_id: Mapped[int | None] = mapped_column(ForeignKey("project_monthly_reports.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    project: Mapped[Project] = relationship(back_populates="events")

    @property
    def stage_label(self) -> str:
        return STAGES[self.stage]


class MonthlyReport(db.Model):
    """A prefecture's monthly report (月报) on its ledger: one per prefecture and month."""

    __tablename__ = "project_monthly_reports"
    __table_args__ = (UniqueConstraint("prefecture_id", "month", name="uq_project_monthly_reports_month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    prefecture_id: Mapped[int] = mapped_column(ForeignKey("prefectures.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))  # 2026-03
    submitted_on: Mapped[dt.date] = mapped_column(Date)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    remarks: Mapped[str] = mapped_column(Text, default="")

    prefecture: Mapped[Prefecture] = relationship()
    user: Mapped[User | None] = relationship()
    arrivals: Mapped[list[FundsArrival]] = relationship(back_populates="report", order_by="FundsArrival.id")
    problems: Mapped[list[Problem]] = relationship(back_populates="report", order_by="Problem.id")


class FundsArrival(db.Model):
    """Funds that arrived for a project in a report's month (到位资金, 元)."""

    __tablename__ = "project_funds"
    __table_args__ = (
        UniqueConstraint("report_id", "project_id", name="uq_project_funds_report_project"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("project_monthly_reports.id"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))
    arrived_on: Mapped[dt.date] = mapped_column(Date)  # the month's last day: when the KPIs count it
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))

    report: Mapped[MonthlyReport] = relationship(back_populates="arrivals")
    project: Mapped[Project] = relationship()


class Problem(db.Model):
    """A problem a monthly report raises for a project, with the help asked; the province may
    escalate it to a coordination item (协调事项) or open a linked complaint case."""

    __tablename__ = "project_problems"
    __table_args__ = (CheckConstraint(_among("kind", PROBLEM_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("project_monthly_reports.id"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    prefecture_id: Mapped[int] = mapped_column(ForeignKey("prefectures.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    description: Mapped[str] = mapped_column(Text)
    help_asked: Mapped[str] = mapped_column(Text, default="")
    escalated_on: Mapped[dt.date | None] = mapped_column(Date)
    escalated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_on: Mapped[dt.date | None] = mapped_column(Date)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))

    report: Mapped[MonthlyReport] = relationship(back_populates="problems")
    project: Mapped[Project] = relationship()
    complaint: Mapped[Complaint | None] = relationship()

    @property
    def kind_label(self) -> str:
        return PROBLEM_KINDS[self.kind]


class UnfulfilledReport(db.Model):
    """The written report on a signed project that missed a contract milestone (未履约项目报告):
    its reason, whose responsibility, the measures; reviewed by the province."""

    __tablename__ = "project_unfulfilled_reports"
    __table_args__ = (
        CheckConstraint(_among("responsibility", RESPONSIBILITIES), name="responsibility"),
        CheckConstraint(_among("state", REVIEW_STATES), name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), unique=True)
    prefecture_id: Mapped[int] = mapped_column(ForeignKey("prefectures.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    responsibility: Mapped[str] = mapped_column(String(10))
    measures: Mapped[str] = mapped_column(Text, default="")
    filed_on: Mapped[dt.date] = mapped_column(Date)
    filed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    state: Mapped[str] = mapped_column(String(10), default="filed")
    review_note: Mapped[str] = mapped_column(Text, default="")
    reviewed_on: Mapped[dt.date | None] = mapped_column(Date)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    project: Mapped[Project] = relationship()

    @property
    def responsibility_label(self) -> str:
        return RESPONSIBILITIES[self.responsibility]

    @property
    def state_label(self) -> str:
        return REVIEW_STATES[self.state]


class Target(db.Model):
    """A prefecture's yearly targets set by the province (考核目标)."""

    __tablename__ = "project_targets"
    __table_args__ = (
        UniqueConstraint("prefecture_id", "year", name="uq_project_targets_year"),
        CheckConstraint("funds >= 0 AND projects >= 0 AND large_projects >= 0", name="non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    prefecture_id: Mapped[int] = mapped_column(ForeignKey("prefectures.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    funds: Mapped[Decimal] = mapped_column(Numeric(14, 2))       # funds from outside the province, 元
    projects: Mapped[int] = mapped_column(Integer)               # new 联引资 projects signed
    large_projects: Mapped[int] = mapped_column(Integer)         # of them, contracted investment ≥ ¥100 m

    prefecture: Mapped[Prefecture] = relationship()


class StalledSpan(db.Model):
    """A stretch of days during which a project is stalled (:meth:`scoring.projects.Facts.stalled`):
    signed, neither producing nor terminated, its last activity (or signing) ``since`` more than
    :data:`scoring.projects.STALL_DAYS` days before.  From the 91st quiet day until its next
    activity (``until_on``, None while none came).  Kept current by :mod:`.totals` in the
    transaction of every change to the project, its stage events or its funds; the stalled list of
    any day is the spans that contain it."""

    __tablename__ = "project_stalled_spans"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    from_on: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    until_on: Mapped[dt.date | None] = mapped_column(Date)
    since: Mapped[dt.date] = mapped_column(Date)
    prefecture_id: Mapped[int] = mapped_column(ForeignKey("prefectures.id"), index=True)
    code: Mapped[str] = mapped_column(String(16), index=True)
    stage: Mapped[str] = mapped_column(String(12))


MEASURES = (
    "cohort", "promised", "started", "producing", "due", "unfulfilled", "outside_new", "outside_large",
    "new_industry_1", "new_industry_2", "new_industry_3", "new_band_0", "new_band_1", "new_band_2",
    "funds_cohort", "outside_funds", "funds_industry_1", "funds_industry_2", "funds_industry_3",
    "funds_band_0", "funds_band_1", "funds_band_2", "stalled",
)


class KpiDay(db.Model):
    """How much each KPI count of a prefecture changes on a day (money in fen), kept current by
    :mod:`.totals` by differences in the transaction of every change: the KPIs of a year at any day
    are the sums of the rows up to that day.  ``year`` is the year whose KPIs a change belongs to
    (the signing year of a cohort project; the year funds arrived), 0 for the stalled count, which
    belongs to no year.  Each change is kept twice: in its day's row (``grain`` D) and in its
    month's (``grain`` M, ``day`` the 1st), so that a sum reads the month rows before the day's
    month and the day rows of that month: about a dozen rows per prefecture and year.  A row of
    year 0 holds only the stalled count, a row of a year all but it."""

    __tablename__ = "project_kpi_days"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)        # the key's order: a sum reads two ranges
    grain: Mapped[str] = mapped_column(String(1), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    prefecture_id: Mapped[int] = mapped_column(ForeignKey("prefectures.id"), primary_key=True)
    cohort: Mapped[int] = mapped_column(BigInteger, default=0)
    promised: Mapped[int] = mapped_column(BigInteger, default=0)
    started: Mapped[int] = mapped_column(BigInteger, default=0)
    producing: Mapped[int] = mapped_column(BigInteger, default=0)
    due: Mapped[int] = mapped_column(BigInteger, default=0)
    unfulfilled: Mapped[int] = mapped_column(BigInteger, default=0)
    outside_new: Mapped[int] = mapped_column(BigInteger, default=0)
    outside_large: Mapped[int] = mapped_column(BigInteger, default=0)
    new_industry_1: Mapped[int] = mapped_column(BigInteger, default=0)
    new_industry_2: Mapped[int] = mapped_column(BigInteger, default=0)
    new_industry_3: Mapped[int] = mapped_column(BigInteger, default=0)
    new_band_0: Mapped[int] = mapped_column(BigInteger, default=0)
    new_band_1: Mapped[int] = mapped_column(BigInteger, default=0)
    new_band_2: Mapped[int] = mapped_column(BigInteger, default=0)
    funds_cohort: Mapped[int] = mapped_column(BigInteger, default=0)
    outside_funds: Mapped[int] = mapped_column(BigInteger, default=0)
    funds_industry_1: Mapped[int] = mapped_column(BigInteger, default=0)
    funds_industry_2: Mapped[int] = mapped_column(BigInteger, default=0)
    funds_industry_3: Mapped[int] = mapped_column(BigInteger, default=0)
    funds_band_0: Mapped[int] = mapped_column(BigInteger, default=0)
    funds_band_1: Mapped[int] = mapped_column(BigInteger, default=0)
    funds_band_2: Mapped[int] = mapped_column(BigInteger, default=0)
    stalled: Mapped[int] = mapped_column(BigInteger, default=0)

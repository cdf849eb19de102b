"""Complaint KPIs per prefecture and period, as seed 003 reports them
("收到各类投诉、协调案件71起，已处理完毕66件，结案率93%").

For the cases received in the period, the handling statistics of :mod:`.measures` (结案率, 按期率,
满意率; not accepted cases count as received), and the average working days to reply, from
acceptance (stored at reply, on the official calendar).

The time-independent counts come from the per-day statistics table (a few hundred rows per
prefecture and year); only the open cases already past their due date are counted live, through
a partial index, since they become late by the passing of time alone.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from investenv.extensions import db
from investenv.registry.models import Prefecture

from .measures import CLEARANCE, PUNCTUALITY, SATISFACTION_RATE, STATISTICS
from .models import Complaint, ComplaintDayStats, Inspection
from .vocabulary import HANDLING

HEADER = ["市州", "收到", "受理", "办结", CLEARANCE.label, PUNCTUALITY.label, "平均答复工作日", SATISFACTION_RATE.label,
          "挽回损失（元）", "重大案件", "登记的检查", "未经申报检查"]
NOTE = "；".join(m.formula for m in STATISTICS)  # the formulas, as the page and the report state them


@dataclass
class Kpi:
    prefecture: Prefecture | None  # None: the whole province
    received: int = 0
    accepted: int = 0
    closed: int = 0
    on_time: int = 0
    late: int = 0
    reply_days_total: int = 0
    replies_timed: int = 0
    visits: int = 0
    satisfaction_points: float = 0
    loss_recovered: Decimal = Decimal(0)
    major: int = 0
    registered_inspections: int = 0
    unregistered_inspections: int = 0

    @property
    def clearance_rate(self) -> float | None:
        return CLEARANCE.rate(self.closed, self.received)

    @property
    def punctuality_rate(self) -> float | None:
        return PUNCTUALITY.rate(self.on_time, self.on_time + self.late)

    @property
    def mean_reply_days(self) -> float | None:
        return self.reply_days_total / self.replies_timed if self.replies_timed else None

    @property
    def satisfaction_rate(self) -> float | None:
        return SATISFACTION_RATE.rate(self.satisfaction_points, self.visits)

    def merge(self, other: Kpi) -> None:
        for name in ("received", "accepted", "closed", "on_time", "late", "reply_days_total", "replies_timed", "visits",
                     "satisfaction_points", "loss_recovered", "major", "registered_inspections",
                     "unregistered_inspections"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def row(self) -> list:
        def pct(value):
            return f"{value:.0%}" if value is not None else "—"

        return [self.prefecture.name if self.prefecture else "全省", self.received, self.accepted, self.closed,
                pct(self.clearance_rate), pct(self.punctuality_rate),
                f"{self.mean_reply_days:.1f}" if self.mean_reply_days is not None else "—",
                pct(self.satisfaction_rate), f"{self.loss_recovered:.2f}", self.major, self.registered_inspections,
                self.unregistered_inspections]


def kpis(first: dt.date, last: dt.date, prefecture_ids: set[int] | None, day: dt.date) -> tuple[list[Kpi], Kpi]:
    """KPIs per prefecture (in code order) and for all of them, for cases received in [first, last]."""
    stmt = select(Prefecture).order_by(Prefecture.code)
    if prefecture_ids is not None:
        stmt = stmt.where(Prefecture.id.in_(prefecture_ids))
    rows = {p.id: Kpi(p) for p in db.session.scalars(stmt)}
    s = ComplaintDayStats
    sums = select(
        s.prefecture_id, func.sum(s.received), func.sum(s.accepted), func.sum(s.closed), func.sum(s.on_time),
        func.sum(s.replied_late), func.sum(s.reply_days_total), func.sum(s.replies_timed), func.sum(s.visits),
        func.sum(s.satisfaction_points), func.sum(s.loss_recovered), func.sum(s.major), func.sum(s.inspection),
    ).where(s.day.between(first, last), s.prefecture_id.in_(rows)).group_by(s.prefecture_id)
    for pid, *values in db.session.execute(sums):
        kpi, counts = rows[pid], [int(v or 0) for v in values]
        (kpi.received, kpi.accepted, kpi.closed, kpi.on_time, kpi.late, kpi.reply_days_total, kpi.replies_timed,
         kpi.visits) = counts[:8]
        kpi.satisfaction_points, kpi.loss_recovered = float(values[8] or 0), Decimal(str(values[9] or 0))
        kpi.major, kpi.unregistered_inspections = counts[10], counts[11]
    c = Complaint
    open_late = select(c.prefecture_id, func.count()).where(
        c.replied_on.is_(None), c.status.in_(HANDLING), c.due_on < day, c.received_on.between(first, last),
        c.prefecture_id.in_(rows)).group_by(c.prefecture_id)
    for pid, count in db.session.execute(open_late):
        rows[pid].late += count
    registered = db.session.execute(
        select(Inspection.prefecture_id, func.count())
        .where(Inspection.planned_on.between(first, last), Inspection.prefecture_id.in_(rows))
        .group_by(Inspection.prefecture_id))
    for pid, count in registered:
        rows[pid].registered_inspections = count
    total = Kpi(None)
    for kpi in rows.values():
        total.merge(kpi)
    return list(rows.values()), total

"""Complaint KPIs per prefecture and period, as seed 003 reports them
("收到各类投诉、协调案件71起，已处理完毕66件，结案率93%").

For the cases received in the period:

- closure rate = closed ÷ received (not accepted cases count as received);
- on-time rate = replied on or before the due date ÷ (replied + still open and already overdue);
- average working days to reply, from acceptance, for replied cases whose calendar is known;
- satisfaction rate = (满意 + 0.5 × 基本满意) ÷ cases with a return visit.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select

from investenv.extensions import db
from investenv.registry.models import Prefecture

from .calendar import CalendarMissing, WorkCalendar
from .models import Complaint, Inspection
from .operations import is_overdue

HEADER = ["市州", "收到", "受理", "办结", "结案率", "按期率", "平均答复工作日", "满意率", "挽回损失（元）", "重大案件",
          "登记的检查", "未经申报检查"]


@dataclass
class Kpi:
    prefecture: Prefecture | None  # None: the whole province
    received: int = 0
    accepted: int = 0
    closed: int = 0
    on_time: int = 0
    late: int = 0
    reply_days: list[int] = field(default_factory=list)
    visits: int = 0
    satisfaction_points: float = 0
    loss_recovered: Decimal = Decimal(0)
    major: int = 0
    registered_inspections: int = 0
    unregistered_inspections: int = 0

    @property
    def closure_rate(self) -> float | None:
        return self.closed / self.received if self.received else None

    @property
    def on_time_rate(self) -> float | None:
        total = self.on_time + self.late
        return self.on_time / total if total else None

    @property
    def mean_reply_days(self) -> float | None:
        return sum(self.reply_days) / len(self.reply_days) if self.reply_days else None

    @property
    def satisfaction_rate(self) -> float | None:
        return self.satisfaction_points / self.visits if self.visits else None

    def add(self, case: Complaint, day: dt.date, calendar: WorkCalendar) -> None:
        self.received += 1
        self.accepted += case.accepted_on is not None
        self.closed += case.status == "closed"
        if case.replied_on and case.due_on:
            if case.replied_on <= case.due_on:
                self.on_time += 1
            else:
                self.late += 1
        elif is_overdue(case, day) and case.status != "received":
            self.late += 1
        if case.replied_on and case.accepted_on:
            try:
                self.reply_days.append(_working_days(calendar, case.accepted_on, case.replied_on))
            except CalendarMissing:
                pass
        if case.satisfaction:
            self.visits += 1
            self.satisfaction_points += {"满意": 1, "基本满意": 0.5}.get(case.satisfaction, 0)
        self.loss_recovered += case.loss_recovered_yuan or 0
        self.major += case.major
        self.unregistered_inspections += case.category == "inspection"

    def row(self) -> list:
        def pct(value):
            return f"{value:.0%}" if value is not None else "—"

        return [self.prefecture.name if self.prefecture else "全省", self.received, self.accepted, self.closed,
                pct(self.closure_rate), pct(self.on_time_rate),
                f"{self.mean_reply_days:.1f}" if self.mean_reply_days is not None else "—",
                pct(self.satisfaction_rate), f"{self.loss_recovered:.2f}", self.major, self.registered_inspections,
                self.unregistered_inspections]


def _working_days(calendar: WorkCalendar, start: dt.date, end: dt.date) -> int:
    days, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        days += calendar.is_workday(day)
    return days


def kpis(first: dt.date, last: dt.date, prefecture_ids: set[int] | None, day: dt.date,
         calendar: WorkCalendar) -> tuple[list[Kpi], Kpi]:
    """KPIs per prefecture (in code order) and for all of them, for cases received in [first, last]."""
    stmt = select(Prefecture).order_by(Prefecture.code)
    if prefecture_ids is not None:
        stmt = stmt.where(Prefecture.id.in_(prefecture_ids))
    rows = {p.id: Kpi(p) for p in db.session.scalars(stmt)}
    total = Kpi(None)
    cases = db.session.scalars(select(Complaint).where(
        Complaint.received_on.between(first, last), Complaint.prefecture_id.in_(rows)))
    for case in cases:
        rows[case.prefecture_id].add(case, day, calendar)
        total.add(case, day, calendar)
    registered = db.session.execute(
        select(Inspection.prefecture_id, func.count()).where(
            Inspection.planned_on.between(first, last), Inspection.prefecture_id.in_(rows))
        .group_by(Inspection.prefecture_id))
    for pid, count in registered:
        rows[pid].registered_inspections = count
        total.registered_inspections += count
    return list(rows.values()), total

"""Each prefecture's compliance with the monitoring-point rule of seed 003.

    各市州要……选择10家以上（原则上每个区县一个）的守法、诚信企业为测评点……
    测评点于11月30日前报省经协办备案。

For an evaluation year *Y* the deadline is 30 November *Y*.  A point counts as *on time* if it
is in force on the deadline, and as *late* if it was registered after the deadline but within
*Y*.  The minimum of ten is met by on-time points only; county coverage counts every point in
force at the end of *Y*.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .models import Enterprise, MonitoringPoint, Prefecture

MINIMUM_POINTS = 10


def deadline(year: int) -> dt.date:
    return dt.date(year, 11, 30)


@dataclass
class Compliance:
    prefecture: Prefecture
    on_time: list[MonitoringPoint] = field(default_factory=list)
    late: list[MonitoringPoint] = field(default_factory=list)
    covered: list = field(default_factory=list)
    missing: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.on_time) + len(self.late)

    @property
    def meets_minimum(self) -> bool:
        return len(self.on_time) >= MINIMUM_POINTS

    @property
    def pending_filing(self) -> int:
        return sum(1 for p in self.on_time + self.late if p.filing_status != "filed")


def prefecture_compliance(
    session: Session, year: int, prefecture_ids: set[int] | None = None
) -> list[Compliance]:
    """Compliance of every prefecture (or of ``prefecture_ids``) for evaluation year ``year``."""
    stmt = select(Prefecture).options(selectinload(Prefecture.counties)).order_by(Prefecture.code)
    if prefecture_ids is not None:
        stmt = stmt.where(Prefecture.id.in_(prefecture_ids))
    result = {p.id: Compliance(p) for p in session.scalars(stmt)}
    points = session.scalars(
        select(MonitoringPoint)
        .join(MonitoringPoint.enterprise)
        .where(Enterprise.prefecture_id.in_(result))
        .options(selectinload(MonitoringPoint.enterprise))
    )
    cutoff, year_end = deadline(year), dt.date(year, 12, 31)
    for point in points:
        entry = result[point.enterprise.prefecture_id]
        if point.in_force_on(cutoff):
            entry.on_time.append(point)
        elif cutoff < point.registered_on <= year_end and point.in_force_on(year_end):
            entry.late.append(point)
    for entry in result.values():
        county_ids = {p.enterprise.county_id for p in entry.on_time + entry.late}
        entry.covered = [c for c in entry.prefecture.counties if c.id in county_ids]
        entry.missing = [c for c in entry.prefecture.counties if c.id not in county_ids]
    return list(result.values())

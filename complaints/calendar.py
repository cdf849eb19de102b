"""Working days on the official calendar, including adjusted working weekends (调休).

The calendar is data: the working days that fall on weekends and the days off that fall on
weekdays, per year, plus the set of years whose arrangement is known.  Package data covers
what ``chinese-calendar`` knows (2004–2026); an administrator enters a new year as soon as the
State Council publishes it.  A date in an unknown year raises :class:`CalendarMissing`, and
no exact deadline is ever computed by guessing.  A *provisional* deadline (:meth:`WorkCalendar.provisional`)
counts the unknown years' weekends only; it is always shown marked 预计, is recomputed as soon as the
year is entered, and never reaches the ranking (docs/complaints.md).

Deadlines count from the day after the starting day.  A deadline counted in calendar days that
ends on a day off moves to the next working day (民法典第二百零三条：期间的最后一日是法定休假日的，
以法定休假日结束的次日为期间的最后一日).
"""
from __future__ import annotations

import calendar as std_calendar
import datetime as dt
from dataclasses import dataclass, field, replace

from .rules import Period


class CalendarMissing(LookupError):
    """The official arrangement of ``year`` has not been entered yet."""

    def __init__(self, year: int):
        super().__init__(f"缺少 {year} 年的节假日安排（国务院办公厅通知公布后，由管理员在“节假日安排”中录入）")
        self.year = year


@dataclass
class WorkCalendar:
    known_years: set[int] = field(default_factory=set)
    exceptions: dict[dt.date, bool] = field(default_factory=dict)  # date → is a working day
    weekends_only_when_missing: bool = False  # a provisional calendar: unknown years have no holidays

    def is_workday(self, day: dt.date) -> bool:
        if day.year not in self.known_years and not self.weekends_only_when_missing:
            raise CalendarMissing(day.year)
        return self.exceptions.get(day, day.weekday() < 5)

    def provisional(self) -> WorkCalendar:
        """This calendar with the unknown years counted as weekends only: a deadline from it is
        a provisional one (预计), for as long as its year is missing."""
        return replace(self, weekends_only_when_missing=True)

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The ``days``-th working day after ``start``."""
        day, left = start, days
        while left > 0:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                left -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``."""
        days, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            days += self.is_workday(day)
        return days

    def next_workday(self, day: dt.date) -> dt.date:
        while not self.is_workday(day):
            day += dt.timedelta(days=1)
        return day

    def deadline(self, start: dt.date, period: Period) -> dt.date:
        """The last day of ``period`` counted from ``start``."""
        if period.working:
            return self.add_working_days(start, period.days)
        return self.next_workday(start + dt.timedelta(days=period.days))

    def add_months(self, start: dt.date, months: int) -> dt.date:
        """The same day ``months`` later (the month's last day if it has no such day), moved
        to the next working day if it is a day off."""
        month = start.month - 1 + months
        year, month = start.year + month // 12, month % 12 + 1
        day = min(start.day, std_calendar.monthrange(year, month)[1])
        return self.next_workday(dt.date(year, month, day))


def packaged_exceptions(year: int) -> dict[dt.date, bool]:
    """The weekend working days and weekday days off of ``year`` from ``chinese-calendar``."""
    import chinese_calendar

    exceptions = {}
    day = dt.date(year, 1, 1)
    while day.year == year:
        working = chinese_calendar.is_workday(day)
        if working != (day.weekday() < 5):
            exceptions[day] = working
        day += dt.timedelta(days=1)
    return exceptions


def packaged_years() -> range:
    import chinese_calendar

    years = [d.year for d in chinese_calendar.holidays] + [d.year for d in chinese_calendar.workdays]
    return range(max(min(years), 2004), max(years) + 1)

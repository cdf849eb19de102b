"""The working-day calendar in the database: loading, package seeding, a new year's entry."""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from investenv.errors import FieldErrors
from investenv.extensions import db

from .calendar import WorkCalendar, packaged_exceptions, packaged_years
from .models import CalendarDay, CalendarYear

PACKAGE_SOURCE = "chinese-calendar 程序包（国务院办公厅节假日安排通知）"


def load(session: Session | None = None, years: range | None = None) -> WorkCalendar:
    """The calendar, or only ``years`` of it (enough for deadlines that start in the first)."""
    session = session or db.session
    year_query, day_query = select(CalendarYear.year), select(CalendarDay)
    if years is not None:
        year_query = year_query.where(CalendarYear.year.in_(list(years)))
        day_query = day_query.where(CalendarDay.day.between(dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31)))
    return WorkCalendar(
        known_years=set(session.scalars(year_query)),
        exceptions={d.day: d.is_workday for d in session.scalars(day_query)},
    )


def around(day: dt.date) -> WorkCalendar:
    """The calendar of ``day``'s year and the next: every deadline counted from ``day`` fits."""
    return load(years=range(day.year, day.year + 2))


def known_years() -> set[int]:
    """The years whose arrangement is known (entered or packaged)."""
    return set(db.session.scalars(select(CalendarYear.year)))


class Deadlines:
    """Deadlines as people read them: a date, marked 预计 (provisional) when it falls in a year whose
    arrangement is missing, since it was then counted without that year's holidays (weekends only).
    Its years are read once, on first use."""

    MARK = "（预计）"

    def __init__(self, known: set[int] | None = None):
        self._known = known

    def provisional(self, day: dt.date | None) -> bool:
        if day is None:
            return False
        if self._known is None:
            self._known = known_years()
        return day.year not in self._known

    def __call__(self, day: dt.date | None, empty: str = "") -> str:
        """``day`` as text: ``2027-01-05``, ``2027-01-05（预计）``, or ``empty``."""
        if day is None:
            return empty
        return day.isoformat() + (self.MARK if self.provisional(day) else "")

    def exact(self, day: dt.date | None) -> dt.date | None:
        """``day`` if it is exact, else None: what the ranking data may carry."""
        return None if self.provisional(day) else day


def entered_years() -> list[CalendarYear]:
    """The years whose holidays are entered, latest first."""
    return list(db.session.scalars(select(CalendarYear).order_by(CalendarYear.year.desc())))


def days_per_year() -> dict[int, int]:
    """How many holidays and working weekend days each year has, by year."""
    year = func.extract("year", CalendarDay.day)
    return {int(y): n for y, n in db.session.execute(select(year, func.count()).group_by(year))}


def sync_packaged(session: Session) -> None:
    """Add every year the package knows and the database does not; never overwrite a year."""
    known = set(session.scalars(select(CalendarYear.year)))
    for year in packaged_years():
        if year in known:
            continue
        session.add(CalendarYear(year=year, source=PACKAGE_SOURCE))
        for day, working in packaged_exceptions(year).items():
            session.add(CalendarDay(day=day, is_workday=working, note="调休上班" if working else "放假"))
    session.flush()


_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\s*(?:\.\.|至|~|—)\s*(\d{4}-\d{2}-\d{2}))?$")


def parse_days(text: str, year: int, label: str) -> tuple[list[dt.date], list[str]]:
    """Dates and ranges (``2027-02-06..2027-02-14``), one per line, all within ``year``."""
    days, problems = [], []
    for line in (raw.strip() for raw in text.replace("，", "\n").replace(",", "\n").splitlines()):
        if not line:
            continue
        match = _RANGE.match(line)
        try:
            first = dt.date.fromisoformat(match.group(1)) if match else None
            last = dt.date.fromisoformat(match.group(2)) if match and match.group(2) else first
        except ValueError:
            first = None
        if first is None or last < first:
            problems.append(f"{label}：无法识别“{line}”（写作 2027-01-01 或 2027-02-06..2027-02-14）")
            continue
        if first.year != year or last.year != year:
            problems.append(f"{label}：“{line}”不在 {year} 年内")
            continue
        days += [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    return days, problems


def enter_year(year: int, holidays: str, workdays: str, source: str, entered_by: str) -> CalendarYear:
    """Record a year's arrangement: days off (holidays) and adjusted working days (调休上班)."""
    off, problems = parse_days(holidays, year, "放假日期")
    on, more = parse_days(workdays, year, "调休上班日期")
    problems += more
    both = sorted(set(off) & set(on))
    if both:
        problems.append(f"{both[0]} 不能既放假又上班")
    weekday_work = [d for d in on if d.weekday() < 5]
    if weekday_work:
        problems.append(f"调休上班日期 {weekday_work[0]} 本来就是工作日")
    if not source.strip():
        problems.append("请注明依据（如国务院办公厅通知的文号）")
    if problems:
        raise FieldErrors({"holidays": "；".join(problems)})
    db.session.execute(delete(CalendarDay).where(CalendarDay.day.between(dt.date(year, 1, 1), dt.date(year, 12, 31))))
    entry = db.session.get(CalendarYear, year) or CalendarYear(year=year)
    entry.source, entry.entered_by = source.strip(), entered_by
    db.session.add(entry)
    for day in off:
        if day.weekday() < 5:
            db.session.add(CalendarDay(day=day, is_workday=False, note="放假"))
    for day in on:
        db.session.add(CalendarDay(day=day, is_workday=True, note="调休上班"))
    db.session.flush()
    return entry

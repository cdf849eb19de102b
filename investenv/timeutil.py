"""Clock helpers: timestamps are stored as naive UTC, dates are shown in China Standard Time."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")
_as_of: dt.date | None = None


def utcnow() -> dt.datetime:
    """The current time as naive UTC, the form every timestamp column stores."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def today() -> dt.date:
    """Today's date in China, the date that deadlines and registrations refer to (or the day set
    by :func:`as_of`)."""
    return _as_of or dt.datetime.now(CHINA).date()


@contextmanager
def as_of(day: dt.date | None) -> Iterator[None]:
    """Within the block, :func:`today` is ``day`` (``None``: the real date).  For a demo year made
    as it stood on a given day, so that the same command gives the same data on any later day."""
    global _as_of
    previous, _as_of = _as_of, day
    try:
        yield
    finally:
        _as_of = previous


def utc_start_of(day: dt.date) -> dt.datetime:
    """The stored (naive-UTC) form of the moment a China day begins: a bound for filtering
    timestamps by the day people see."""
    return dt.datetime.combine(day, dt.time(), CHINA).astimezone(dt.UTC).replace(tzinfo=None)


def local(value: dt.datetime | None) -> dt.datetime | None:
    """A stored naive-UTC timestamp converted to China Standard Time."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC).astimezone(CHINA)

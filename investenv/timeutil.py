"""Clock helpers: timestamps are stored as naive UTC, dates are shown in China Standard Time."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")


def utcnow() -> dt.datetime:
    """The current time as naive UTC, the form every timestamp column stores."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def today() -> dt.date:
    """Today's date in China, the date that deadlines and registrations refer to."""
    return dt.datetime.now(CHINA).date()


def local(value: dt.datetime | None) -> dt.datetime | None:
    """A stored naive-UTC timestamp converted to China Standard Time."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC).astimezone(CHINA)

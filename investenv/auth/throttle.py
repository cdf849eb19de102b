"""A sliding-window rate limiter on the ``rate_limit_events`` table."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select

from ..extensions import db
from ..timeutil import utcnow
from .models import RateLimitEvent


def exceeded(key: str, limit: int, window: dt.timedelta) -> bool:
    """Whether ``key`` has already had ``limit`` events within the last ``window``."""
    since = utcnow() - window
    count = db.session.scalar(
        select(func.count())
        .select_from(RateLimitEvent)
        .where(RateLimitEvent.key == key, RateLimitEvent.created_at >= since)
    )
    return count >= limit


def record(key: str, window: dt.timedelta) -> None:
    """Count one event for ``key`` and forget this key's events older than ``window``."""
    now = utcnow()
    db.session.execute(
        delete(RateLimitEvent).where(
            RateLimitEvent.key == key, RateLimitEvent.created_at < now - window
        )
    )
    db.session.add(RateLimitEvent(key=key, created_at=now))
    db.session.flush()

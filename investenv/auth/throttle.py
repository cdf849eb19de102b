"""A sliding-window rate limiter on the ``rate_limit_events`` table."""
from __future__ import annotations

import datetime as dt

from flask import abort
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


TOKEN_MISS_WINDOW = dt.timedelta(minutes=10)
TOKEN_MISSES_PER_ADDRESS = 30


def count_token_miss(address: str | None) -> None:
    """Count a wrong personal-link token from ``address``; answer 429 once over the limit.

    Only misses are counted, so a real link costs no extra query; an address that keeps
    guessing is stopped (tokens have 192 bits anyway).  Commits, since the caller fails next.
    """
    key = f"token-miss:{address}"
    if exceeded(key, TOKEN_MISSES_PER_ADDRESS, TOKEN_MISS_WINDOW):
        abort(429)
    record(key, TOKEN_MISS_WINDOW)
    db.session.commit()


def clear(key: str) -> None:
    """Forget every event of ``key`` (e.g. a client's failures once it has logged in)."""
    db.session.execute(delete(RateLimitEvent).where(RateLimitEvent.key == key))


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

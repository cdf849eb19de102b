"""Keeping :class:`ComplaintDayStats` current: every flush that touches a case refreshes the
(prefecture, day received) rows it belongs to, before and after the change.

The listeners are registered explicitly, on the application's sessions only, by :func:`listen`
(called from the app factory); sessions made elsewhere (migrations, bulk loads) call
:func:`rebuild` instead."""
from __future__ import annotations

from sqlalchemy import and_, case, delete, event, func, insert, inspect, select, tuple_

from .models import Complaint, ComplaintDayStats
from .vocabulary import SATISFACTION

KEY = "complaint_stat_keys"


def _count(condition):
    return func.sum(case((condition, 1), else_=0))


def aggregate():
    """One row per (prefecture, day received), in the column order of the stats table."""
    c = Complaint
    return select(
        c.prefecture_id, c.received_on, func.count(), func.count(c.accepted_on), _count(c.status == "closed"),
        _count(and_(c.replied_on.is_not(None), c.due_on.is_not(None), c.replied_on <= c.due_on)),
        _count(and_(c.replied_on.is_not(None), c.due_on.is_not(None), c.replied_on > c.due_on)),
        func.coalesce(func.sum(c.reply_working_days), 0), func.count(c.reply_working_days), func.count(c.satisfaction),
        func.coalesce(func.sum(case(*((c.satisfaction == answer, weight) for answer, weight in SATISFACTION.items()
                                      if weight), else_=0.0)), 0),
        func.coalesce(func.sum(c.loss_recovered_yuan), 0), _count(c.major.is_(True)), _count(c.category == "inspection"),
    ).group_by(c.prefecture_id, c.received_on)


COLUMNS = ["prefecture_id", "day", "received", "accepted", "closed", "on_time", "replied_late", "reply_days_total",
           "replies_timed", "visits", "satisfaction_points", "loss_recovered", "major", "inspection"]


def refresh(connection, keys) -> None:
    """Recompute the stats rows of ``keys`` ((prefecture_id, day) pairs) from the cases."""
    keys = sorted(k for k in keys if None not in k)
    if not keys:
        return
    table, c = ComplaintDayStats.__table__, Complaint
    connection.execute(delete(table).where(tuple_(table.c.prefecture_id, table.c.day).in_(keys)))
    rows = aggregate().where(tuple_(c.prefecture_id, c.received_on).in_(keys))
    connection.execute(insert(table).from_select(COLUMNS, rows))


def rebuild(connection) -> None:
    """Recompute every stats row (after bulk loads that bypass the ORM)."""
    table = ComplaintDayStats.__table__
    connection.execute(delete(table))
    connection.execute(insert(table).from_select(COLUMNS, aggregate()))


def _collect(session, flush_context, instances) -> None:
    keys = session.info.setdefault(KEY, set())
    for obj in [*session.new, *session.dirty, *session.deleted]:
        if isinstance(obj, Complaint):
            state = inspect(obj)
            prefectures = {obj.prefecture_id, *state.attrs.prefecture_id.history.deleted}
            days = {obj.received_on, *state.attrs.received_on.history.deleted}
            keys.update((p, d) for p in prefectures for d in days)


def _refresh(session, flush_context) -> None:
    keys = session.info.pop(KEY, None)
    if keys:
        refresh(session.connection(), keys)


def listen(sessions) -> None:
    """Keep the statistics current on every flush of ``sessions`` (a session class, sessionmaker
    or scoped session); registering twice changes nothing."""
    for name, handler in (("before_flush", _collect), ("after_flush_postexec", _refresh)):
        if not event.contains(sessions, name, handler):
            event.listen(sessions, name, handler)

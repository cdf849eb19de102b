"""Reads of the audit log."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, func, select

from .. import listing
from ..extensions import db
from .models import AuditEvent

# The log's sortable columns (investenv.listing); newest first by default, read from the index on
# the time (which also serves the filter by days).
SORTS = listing.Sorting({
    "at": ("时间", AuditEvent.at), "user": ("账号", AuditEvent.username), "action": ("事件", AuditEvent.action),
    "address": ("地址", AuditEvent.address), "status": ("结果", AuditEvent.status),
}, default="at", tiebreak=AuditEvent.id, default_descending=True)


# The search by part of an event's object (a case number, an export's file name, a page's query):
# through the object's index of substrings on PostgreSQL (listing.contains, migration 0028).
TARGET_GRAMS = 3


def events(action: str | None, username: str, since: dt.date | None, until: dt.date | None, target: str,
           sort: str = "at", descending: bool = True) -> Select:
    """The statement (for paging or export) of the events of one action, one user, between two
    days (UTC, inclusive) and whose object contains ``target``, each if given; sorted by ``sort``."""
    stmt = select(AuditEvent)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if username:
        stmt = stmt.where(AuditEvent.username == username)
    if since:
        stmt = stmt.where(AuditEvent.at >= dt.datetime.combine(since, dt.time()))
    if until:
        stmt = stmt.where(AuditEvent.at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time()))
    if target:
        stmt = stmt.where(listing.contains(AuditEvent.target, target, TARGET_GRAMS))
    return stmt.order_by(*SORTS.order(sort, descending))


# The log grows by every staff page viewed: its total is counted up to this many ("10000+"), as
# counting a million events on every page would take longer than the page.
COUNT_CAP = 10000


def count(stmt: Select) -> int:
    """The number of events of ``stmt``, up to COUNT_CAP + 1."""
    capped = stmt.order_by(None).with_only_columns(AuditEvent.id).limit(COUNT_CAP + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(capped))

"""Keeping :class:`ComplaintQueueCount` current: every flush that adds, changes or deletes a case
moves it from the row of its old key to the row of its new key, in the same transaction.

Unlike the day statistics (:mod:`complaints.daystats`, which recompute their rows), the counts
change by differences: recomputing the row of, say, all closed cases of a prefecture would count
tens of thousands of cases on every write.  The difference is exact because every case change
is a versioned ORM flush (a concurrent change of the same case fails its version check), and the
row is changed by one atomic ``UPDATE … SET cases = cases + n`` (an upsert).  Writes that bypass
the ORM (bulk loads, SQL in migrations) call :func:`rebuild` afterwards.  The listeners are
registered by :func:`listen` from the app factory, as the day statistics' are."""
from __future__ import annotations

from collections import Counter

from sqlalchemy import and_, case, delete, event, func, insert, inspect, literal, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from .models import NEVER, Complaint, ComplaintQueueCount
from .vocabulary import HANDLING

KEY = ("prefecture_id", "status", "category", "due_on", "acknowledge_due_on", "progress_due_on", "unreplied",
       "unvisited", "supervised")
PENDING = "complaint_queue_count_changes"
LEAVING = "complaint_queue_count_leaving"


def key_of(values) -> tuple:
    """The counts row of a case whose columns are ``values`` (a mapping): each deadline only while
    the status in which the queues compare it lasts, else :data:`NEVER`."""
    status = values["status"]
    return (values["prefecture_id"], status, values["category"],
            values["due_on"] if status in HANDLING and values["due_on"] else NEVER,
            values["acknowledge_due_on"] if status == "received" and values["acknowledge_due_on"] else NEVER,
            values["progress_due_on"] if status == "extended" and values["progress_due_on"] else NEVER,
            values["replied_on"] is None, values["satisfaction"] is None, bool(values["major"] or values["escalated"]))


def aggregate():
    """The counts of every case, in the column order of :data:`KEY` and ``cases`` (for rebuilds;
    the same rule as :func:`key_of`)."""
    c = Complaint

    def only(condition, column):
        return func.coalesce(case((condition, column), else_=None), literal(NEVER))

    columns = [c.prefecture_id, c.status, c.category, only(c.status.in_(HANDLING), c.due_on),
               only(c.status == "received", c.acknowledge_due_on), only(c.status == "extended", c.progress_due_on),
               c.replied_on.is_(None), c.satisfaction.is_(None), or_(c.major, c.escalated)]
    return select(*columns, func.count()).group_by(*columns)


def rebuild(connection) -> None:
    """Recompute every row (after writes that bypass the ORM)."""
    table = ComplaintQueueCount.__table__
    connection.execute(delete(table))
    connection.execute(insert(table).from_select([*KEY, "cases"], aggregate()))


COLUMNS = ("prefecture_id", "status", "category", "due_on", "acknowledge_due_on", "progress_due_on", "replied_on",
           "satisfaction", "major", "escalated")


def _values(obj) -> dict:
    return {name: getattr(obj, name) for name in COLUMNS}


def _leaving(session, flush_context, instances) -> None:
    """Before a flush: the key each changed or deleted case is about to leave, read from the
    database (which holds what the earlier flushes wrote; attribute histories do not always know
    the old value).  A flush that failed left nothing behind: this starts afresh."""
    cases = {obj.id: obj for obj in [*session.dirty, *session.deleted]
             if isinstance(obj, Complaint) and inspect(obj).persistent}
    rows = [] if not cases else session.connection().execute(
        select(Complaint.id, *(Complaint.__table__.c[name] for name in COLUMNS)).where(Complaint.id.in_(cases)))
    session.info[LEAVING] = {id(cases[row.id]): (cases[row.id], key_of(row._mapping)) for row in rows}


def _joining(session, flush_context) -> None:
    """After the flush's statements (defaults and foreign keys filled in): the differences, the
    key each new or changed case joined less the key it left."""
    leaving = session.info.pop(LEAVING, {})
    changes = Counter(key for _, key in leaving.values())
    changes = Counter({key: -n for key, n in changes.items()})
    for obj in [*session.new, *(obj for obj, _ in leaving.values() if obj not in session.deleted)]:
        if isinstance(obj, Complaint):
            changes[key_of(_values(obj))] += 1
    session.info[PENDING] = changes


def apply(connection, changes: Counter) -> None:
    """Add ``changes`` (key → difference) to the counts, in key order (concurrent writers lock
    rows in the same order), and drop the rows that reach zero."""
    table = ComplaintQueueCount.__table__
    changed = sorted((key, n) for key, n in changes.items() if n)
    if not changed:
        return
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    for key, n in changed:
        row = dict(zip(KEY, key, strict=True))
        upsert = dialect.insert(table).values(**row, cases=n)
        connection.execute(upsert.on_conflict_do_update(index_elements=list(KEY),
                                                        set_={"cases": table.c.cases + upsert.excluded.cases}))
    emptied = [and_(*(table.c[name] == value for name, value in zip(KEY, key, strict=True))) for key, n in changed if n < 0]
    if emptied:
        connection.execute(delete(table).where(or_(*emptied), table.c.cases <= 0))


def _apply(session, flush_context) -> None:
    changes = session.info.pop(PENDING, None)
    if changes:
        apply(session.connection(), changes)


def listen(sessions) -> None:
    """Keep the counts current on every flush of ``sessions``; registering twice changes nothing."""
    for name, handler in (("before_flush", _leaving), ("after_flush", _joining), ("after_flush_postexec", _apply)):
        if not event.contains(sessions, name, handler):
            event.listen(sessions, name, handler)

"""Keeping :class:`.models.LedgerRevision` current: every flush that touches a project, a stage
event or funds arrived gives the prefectures concerned a new token, in the same transaction, so
that KPI figures kept for a token (:func:`.queries.prefecture_kpis`) are never those of older data.

The listeners are registered explicitly, on the application's sessions only, by :func:`listen`
(called from the app factory); bulk loads that bypass the ORM call :func:`rebuild`.  A prefecture
without a token (before its first change) is never served from what was kept."""
from __future__ import annotations

import uuid

from sqlalchemy import delete, event, insert, inspect, select, update

from .models import FundsArrival, LedgerRevision, Project, StageEvent

__all__ = ["LedgerRevision", "listen", "rebuild", "renew", "tokens"]

KEY = "project_revision_keys"


def tokens(prefecture_ids: set[int], session) -> dict[int, str]:
    rows = session.execute(select(LedgerRevision.prefecture_id, LedgerRevision.token)
                           .where(LedgerRevision.prefecture_id.in_(prefecture_ids)))
    return dict(rows.all())


def renew(connection, prefecture_ids: set[int]) -> None:
    """New tokens for ``prefecture_ids``."""
    table = LedgerRevision.__table__
    ids = sorted(i for i in prefecture_ids if i is not None)
    if not ids:
        return
    present = set(connection.scalars(select(table.c.prefecture_id).where(table.c.prefecture_id.in_(ids))))
    for pid in ids:
        if pid in present:
            connection.execute(update(table).where(table.c.prefecture_id == pid).values(token=uuid.uuid4().hex))
    missing = [{"prefecture_id": pid, "token": uuid.uuid4().hex} for pid in ids if pid not in present]
    if missing:
        connection.execute(insert(table), missing)


def rebuild(connection) -> None:
    """A new token for every prefecture that has a project (after bulk loads that bypass the ORM)."""
    connection.execute(delete(LedgerRevision.__table__))
    renew(connection, set(connection.scalars(select(Project.prefecture_id).distinct())))


def _collect(session, flush_context, instances) -> None:
    keys = session.info.setdefault(KEY, (set(), set()))
    prefectures, projects = keys
    for obj in [*session.new, *session.dirty, *session.deleted]:
        if isinstance(obj, Project):
            prefectures.update({obj.prefecture_id, *inspect(obj).attrs.prefecture_id.history.deleted})
        elif isinstance(obj, StageEvent | FundsArrival):
            projects.add(obj.project_id if obj.project_id is not None else obj.project and obj.project.id)


def _refresh(session, flush_context) -> None:
    keys = session.info.pop(KEY, None)
    if not keys:
        return
    prefectures, projects = keys
    connection = session.connection()
    projects.discard(None)
    if projects:
        prefectures |= set(connection.scalars(select(Project.prefecture_id).where(Project.id.in_(projects))))
    renew(connection, prefectures)


def listen(sessions) -> None:
    """Keep the tokens current on every flush of ``sessions``; registering twice changes nothing."""
    for name, handler in (("before_flush", _collect), ("after_flush_postexec", _refresh)):
        if not event.contains(sessions, name, handler):
            event.listen(sessions, name, handler)

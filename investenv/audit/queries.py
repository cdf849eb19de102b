"""Reads of the audit log."""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from .models import AuditEvent


def events(action: str | None, username: str, before: int | None, limit: int) -> list[AuditEvent]:
    """The latest ``limit`` events, newest first: of one action and one user if given, and
    older than event id ``before`` if given (the next page)."""
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc())
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if username:
        stmt = stmt.where(AuditEvent.username == username)
    if before:
        stmt = stmt.where(AuditEvent.id < before)
    return list(db.session.scalars(stmt.limit(limit)))

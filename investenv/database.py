"""Engine settings per backend (SQLite in WAL mode with foreign keys, PostgreSQL with pre-ping),
and ending a request's session safely."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError

from .extensions import db


def engine_options(url: str) -> dict:
    """Options for ``create_engine`` that suit the database behind ``url``."""
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        # Wait for a writer instead of failing at once: gunicorn workers share the file.
        return {"connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True, "pool_recycle": 1800}


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """Turn on foreign keys and write-ahead logging for every new SQLite connection."""
    if type(dbapi_connection).__module__.split(".")[0] != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def finish_session(error=None) -> None:
    """End the request's session even when the database has gone away meanwhile.

    Rolling back on a dead connection raises; SQLAlchemy then invalidates that connection, so a
    second attempt succeeds.  Registered after Flask-SQLAlchemy's own teardown, it runs before it.
    """
    try:
        db.session.remove()
    except DBAPIError as exc:
        current_app.logger.warning("session ended on a lost connection: %s", exc.__class__.__name__)
        db.session.remove()

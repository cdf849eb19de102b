"""Engine settings per backend: SQLite in WAL mode with foreign keys, PostgreSQL with pre-ping."""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url


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

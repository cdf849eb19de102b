"""Schema migrations with Alembic, run against the application's own engine.

``upgrade`` also synchronises the packaged reference data (prefectures and counties), so one
command leaves a database ready to use on SQLite and on PostgreSQL alike, and fills the tables of
figures derived from the data that a revision it applied created (:data:`DERIVED`).
"""
from __future__ import annotations

from contextlib import contextmanager
from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from complaints.calendar_store import sync_packaged
from projects import totals as project_totals

from .extensions import db
from .registry.reference import sync_divisions


@contextmanager
def _migration_connection():
    """A connection for Alembic, all of a migration in one transaction.

    On SQLite, foreign keys are off while migrating: batch mode rebuilds a table (copy, drop,
    rename), and the drop would fail while other tables refer to it; the pragma only takes
    effect outside a transaction, so it is set first.  And the transaction is opened explicitly,
    since the sqlite3 driver would otherwise run DDL outside any transaction, and a failed
    migration would leave a half-changed schema behind."""
    with db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                if sqlite:
                    connection.exec_driver_sql("BEGIN")
                yield connection
                if sqlite:
                    problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if problems:
                        raise RuntimeError(f"迁移后外键不一致：{problems[:5]}")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def alembic_config(connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(files(__package__).joinpath("migrations")))
    config.attributes["connection"] = connection
    return config


# Revisions that create tables of figures derived from the data by the application's own rule
# (a copy of the rule in the migration would be a second definition): the upgrade that applies one
# fills them, in the migration's transaction.  A later change to such a table fills it again.
DERIVED = {"0025": project_totals.rebuild}   # the project ledger's KPI rows and stalled spans


def upgrade(revision: str = "head") -> None:
    """Migrate the current app's database to ``revision``, fill the derived tables created on the
    way, and load the reference data (prefectures and counties; the working-day calendar) once the
    schema is complete."""
    with _migration_connection() as connection:
        before = MigrationContext.configure(connection).get_current_revision()
        command.upgrade(alembic_config(connection), revision)
        after = MigrationContext.configure(connection).get_current_revision()
        applied = set() if after == before else {
            r.revision for r in ScriptDirectory.from_config(alembic_config()).iterate_revisions(after, before)}
        for created, fill in DERIVED.items():
            if created in applied:
                fill(connection)
    tables = set(inspect(db.engine).get_table_names())
    if "counties" in tables:
        sync_divisions(db.session)
    if "calendar_days" in tables:
        sync_packaged(db.session)
    db.session.commit()


def downgrade(revision: str) -> None:
    with _migration_connection() as connection:
        command.downgrade(alembic_config(connection), revision)


def current_revision() -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    """The newest migration that ships with the package."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def revision(message: str) -> None:
    """Autogenerate a new migration from the models (for developers)."""
    with db.engine.begin() as connection:
        command.revision(alembic_config(connection), message=message, autogenerate=True)

"""Schema migrations with Alembic, run against the application's own engine.

``upgrade`` also synchronises the packaged reference data (prefectures and counties), so one
command leaves a database ready to use on SQLite and on PostgreSQL alike.
"""
from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from .extensions import db


def alembic_config(connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(files(__package__).joinpath("migrations")))
    config.attributes["connection"] = connection
    return config


def upgrade(revision: str = "head") -> None:
    """Migrate the current app's database to ``revision`` and load the reference data
    (prefectures and counties; the working-day calendar) once the schema is complete."""
    from sqlalchemy import inspect

    from complaints.calendar_store import sync_packaged

    from .registry.reference import sync_divisions

    with db.engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)
    tables = set(inspect(db.engine).get_table_names())
    if "counties" in tables:
        sync_divisions(db.session)
    if "calendar_days" in tables:
        sync_packaged(db.session)
    db.session.commit()


def downgrade(revision: str) -> None:
    with db.engine.begin() as connection:
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

"""Alembic environment: always runs on a connection handed over by :mod:`investenv.migrate`."""
from alembic import context

from investenv.extensions import db

config = context.config
connection = config.attributes["connection"]

context.configure(
    connection=connection,
    target_metadata=db.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()

"""``investenv db upgrade`` / ``downgrade`` on SQLite and PostgreSQL."""
import sqlalchemy as sa

from investenv.extensions import db


def _tables() -> set[str]:
    """The schema's tables; on PostgreSQL the job queue's own ``huey_*`` tables share the database
    (huey creates them when a queue is first used) and are not the migrations' to make or drop."""
    return {t for t in sa.inspect(db.engine).get_table_names() if not t.startswith("huey_")}


def test_downgrade_to_base_and_upgrade_again_restores_schema_and_reference_data(app):
    from investenv import migrate

    before = _tables()
    assert {"prefectures", "counties", "enterprises", "monitoring_points", "users"} <= before
    db.session.remove()
    migrate.downgrade("base")
    assert _tables() <= {"alembic_version"}
    migrate.upgrade()
    assert _tables() == before
    assert db.session.scalar(sa.text("SELECT count(*) FROM prefectures")) == 14
    assert db.session.scalar(sa.text("SELECT count(*) FROM counties")) == 122
    assert migrate.current_revision() == migrate.head_revision()


def test_upgrade_is_idempotent_and_keeps_reference_data_single(app):
    from investenv import migrate

    migrate.upgrade()
    migrate.upgrade()
    assert db.session.scalar(sa.text("SELECT count(*) FROM prefectures")) == 14


def test_cli_db_upgrade_on_an_empty_database(app_factory, run_cli):
    """The command a newcomer runs first, on a database that has nothing in it."""
    from investenv import migrate

    app = app_factory()
    with app.app_context():
        db.session.remove()
        migrate.downgrade("base")
    result = run_cli(app, "db", "upgrade")
    assert result.exit_code == 0, result.output
    from investenv.migrate import head_revision

    assert f"数据库已升级到 {head_revision()}" in result.output
    with app.app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM counties")) == 122


def test_upgrading_a_database_that_holds_data_keeps_it(app, demo_database):
    """Batch rebuilds of referenced tables (SQLite) must not trip over foreign keys or lose rows."""
    from investenv import migrate

    counts = {t: db.session.scalar(sa.text(f"SELECT count(*) FROM {t}"))
              for t in ("complaints", "complaint_events", "feedback", "enterprises", "survey_responses")}
    assert counts["complaints"] > 50 and counts["complaint_events"] > counts["complaints"]
    db.session.remove()
    migrate.downgrade("0006")
    migrate.upgrade()
    after = {t: db.session.scalar(sa.text(f"SELECT count(*) FROM {t}")) for t in counts}
    assert after == counts
    if db.engine.dialect.name == "sqlite":
        assert db.session.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1


def test_a_failing_migration_leaves_the_schema_as_it_was(app, monkeypatch):
    """All of an upgrade runs in one transaction, on SQLite too: when a later step fails, the
    tables that earlier steps created are gone again."""
    from alembic.operations.base import Operations

    from investenv import migrate

    db.session.remove()
    migrate.downgrade("0006")
    before = _tables()
    real_create_table = Operations.create_table

    def failing_create_table(self, name, *columns, **kw):
        if name == "api_tokens":  # migration 0008, after 0007 created its table and rebuilt complaints
            raise RuntimeError("simulated failure in the middle of an upgrade")
        return real_create_table(self, name, *columns, **kw)

    monkeypatch.setattr(Operations, "create_table", failing_create_table)
    try:
        migrate.upgrade()
    except RuntimeError:
        pass
    monkeypatch.undo()
    assert migrate.current_revision() == "0006"
    assert _tables() == before and "inspections" not in _tables()
    migrate.upgrade()
    assert migrate.current_revision() == migrate.head_revision()

"""``investenv db upgrade`` / ``downgrade`` on SQLite and PostgreSQL."""
import sqlalchemy as sa

from investenv.extensions import db


def _tables() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


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

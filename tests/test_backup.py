"""``investenv backup`` and ``restore``: a round trip gives back every row of every table."""
import sqlalchemy as sa

from investenv.extensions import db


def _snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    db.session.remove()
    tables = {}
    with db.engine.connect() as connection:
        for table in _tables(connection):
            keys = [c for c in table.primary_key.columns] or list(table.columns)
            rows = connection.execute(sa.select(table).order_by(*keys)).all()
            tables[table.name] = [tuple(r) for r in rows]
    return tables


def _tables(connection):
    meta = sa.MetaData()
    meta.reflect(connection)
    return [t for t in meta.sorted_tables]


def test_backup_and_restore_round_trip_every_table(app, demo_database, run_cli, tmp_path):
    with app.app_context():
        before = _snapshot()
    assert sum(len(rows) for rows in before.values()) > 3000
    path = tmp_path / "investenv.backup"
    result = run_cli(app, "backup", str(path))
    assert result.exit_code == 0, result.output
    assert run_cli(app, "demo", "--reset").exit_code == 0  # the data change after the backup …
    with app.app_context():
        db.session.execute(sa.text("DELETE FROM audit_events"))
        db.session.execute(sa.text("UPDATE prefectures SET name = 'changed' WHERE code = '430100'"))
        db.session.commit()
        assert _snapshot() != before
    result = run_cli(app, "restore", str(path), "--yes")
    assert result.exit_code == 0, result.output
    with app.app_context():
        after = _snapshot()
    assert after.keys() == before.keys()
    for name in before:
        assert after[name] == before[name], name


def test_restore_refuses_a_file_that_is_not_a_backup(app, run_cli, tmp_path):
    bogus = tmp_path / "bogus.backup"
    bogus.write_bytes(b"not a backup at all")
    with app.app_context():
        before = _snapshot()
    result = run_cli(app, "restore", str(bogus), "--yes")
    assert result.exit_code == 1 and "不是" in result.output and "备份文件" in result.output
    with app.app_context():
        assert _snapshot() == before

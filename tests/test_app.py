"""The app factory, configuration and database settings."""
import pytest
import sqlalchemy as sa

from investenv.app import create_app
from investenv.config import ConfigError
from investenv.extensions import db


def test_production_without_secret_key_is_a_clear_start_up_error(monkeypatch, tmp_path):
    monkeypatch.setenv("INVESTENV_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("INVESTENV_ENV", "production")
    monkeypatch.delenv("INVESTENV_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="INVESTENV_SECRET_KEY"):
        create_app()


def test_production_with_secret_key_uses_it_and_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("INVESTENV_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("INVESTENV_ENV", "production")
    monkeypatch.setenv("INVESTENV_SECRET_KEY", "s" * 64)
    app = create_app()
    assert app.config["SECRET_KEY"] == "s" * 64
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert not (tmp_path / "secret_key").exists()


def test_development_key_is_generated_once_and_kept(monkeypatch, tmp_path):
    monkeypatch.setenv("INVESTENV_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("INVESTENV_SECRET_KEY", raising=False)
    monkeypatch.delenv("INVESTENV_ENV", raising=False)
    first = create_app().config["SECRET_KEY"]
    assert len(first) == 64
    assert create_app().config["SECRET_KEY"] == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_default_database_is_sqlite_in_instance_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("INVESTENV_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("INVESTENV_DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'investenv.db'}"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("INVESTENV_ENV", "staging", "INVESTENV_ENV"),
        ("INVESTENV_UPLOAD_MAX_MB", "ten", "必须是整数"),
        ("INVESTENV_LOGIN_MAX_FAILURES", "0", "必须大于 0"),
    ],
)
def test_bad_settings_are_refused_with_the_variable_named(monkeypatch, tmp_path, name, value, message):
    monkeypatch.setenv("INVESTENV_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message):
        create_app()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(monkeypatch, tmp_path):
    monkeypatch.setenv("INVESTENV_INSTANCE_PATH", str(tmp_path))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    with app.app_context():
        assert db.session.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        db.engine.dispose()


def test_postgresql_connections_are_pre_pinged(monkeypatch, tmp_path):
    monkeypatch.setenv("INVESTENV_INSTANCE_PATH", str(tmp_path))
    app = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u@127.0.0.1:1/x"})
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True


def test_health_checks_the_database(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_security_headers_on_every_page(client):
    response = client.get("/login")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_unknown_page_is_a_chinese_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)

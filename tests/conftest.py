"""Shared fixtures: every database test runs on SQLite and on a real PostgreSQL server.

Fixtures return factories (``make_user``, ``make_enterprise``, ``login``) rather than objects.
With ``CI=true`` a missing PostgreSQL or Chromium fails the run instead of skipping.
"""
from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from flask import has_app_context
from flask.testing import FlaskClient

from investenv.app import create_app
from investenv.extensions import db
from investenv.registry.credit_code import compose
from investenv.timeutil import today as china_today

from .postgres import Cluster, PostgresUnavailable, wait_until_ready

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
REFERENCE_TABLES = {"prefectures", "counties"}  # the calendar is reloaded: tests may add a year
PASSWORD = "test-password-1"


def unavailable(reason: str):
    """Skip on a developer machine; fail in CI, where every test must run."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Cheap argon2 parameters: hashing cost is not what these tests are about."""
    from investenv.auth import operations

    fast = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    saved = operations._hasher, operations._DUMMY_HASH
    operations._hasher, operations._DUMMY_HASH = fast, fast.hash("dummy")
    yield
    operations._hasher, operations._DUMMY_HASH = saved


def _migrate(url: str, instance) -> None:
    from investenv import migrate

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "t", "TESTING": True})
    with app.app_context():
        migrate.upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    _migrate(f"sqlite:///{path}", path.parent)
    return path


@pytest.fixture(scope="session")
def postgres_server():
    """The URL of a PostgreSQL server for the session, or a skip/failure if there is none."""
    url = os.environ.get("INVESTENV_TEST_POSTGRES_URL")
    cluster = None
    if not url:
        try:
            cluster = Cluster()
            url = cluster.start()
        except (PostgresUnavailable, FileNotFoundError, OSError) as exc:
            unavailable(f"PostgreSQL is not available: {exc}")
    wait_until_ready(url)
    yield url
    if cluster is not None:
        cluster.stop()


@pytest.fixture(scope="session")
def postgres_database(postgres_server):
    """A migrated database on the session's server, emptied after each test."""
    base = sa.engine.make_url(postgres_server)
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text("DROP DATABASE IF EXISTS investenv_test"))
        conn.execute(sa.text("CREATE DATABASE investenv_test"))
    admin.dispose()
    url = base.set(database="investenv_test").render_as_string(hide_password=False)
    _migrate(url, None)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("postgres_database")
    yield url
    _empty_business_tables(url)


def _empty_business_tables(url: str) -> None:
    from sqlalchemy.orm import Session

    from complaints.calendar_store import sync_packaged

    tables = [t.name for t in db.metadata.sorted_tables if t.name not in REFERENCE_TABLES]
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    with Session(engine) as session:
        sync_packaged(session)
        session.commit()
    engine.dispose()


class IsolatedClient(FlaskClient):
    """Each request runs in an app context of its own, as in production.

    Without this, requests would reuse the test's app context and so share ``g`` (the logged-in
    user) and the database session with the test and with each other.  The test's pending
    changes are committed first, and its objects are expired, so it sees what the request wrote.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            db.session.commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app_factory(database_url, tmp_path, monkeypatch):
    """Build apps on the test's database; CSRF is off unless a test turns it on."""
    monkeypatch.setenv("INVESTENV_INSTANCE_PATH", str(tmp_path / "instance"))
    apps = []

    def factory(**overrides):
        config = {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
        }
        application = create_app(config | overrides)
        application.test_client_class = IsolatedClient
        apps.append(application)
        return application

    yield factory
    for application in apps:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(app_factory):
    application = app_factory()
    with application.app_context():
        yield application
        db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def prefecture():
    """Look a prefecture up by code or name."""
    from investenv.registry.models import Prefecture

    def find(value: str) -> Prefecture:
        return db.session.scalar(
            sa.select(Prefecture).where(sa.or_(Prefecture.code == value, Prefecture.name == value))
        )

    return find


@pytest.fixture
def make_user(app, prefecture):
    from investenv.auth.operations import create_user
    from investenv.permissions import Role

    counter = itertools.count(1)

    def factory(role: str = "admin", prefecture_name: str | None = None, username: str | None = None):
        pid = prefecture(prefecture_name).id if prefecture_name else None
        user = create_user(username or f"user{next(counter)}", "测试用户", PASSWORD, Role(role), pid)
        db.session.commit()
        return user

    return factory


@pytest.fixture
def login():
    def do_login(client, user, password: str = PASSWORD):
        response = client.post("/login", data={"username": user.username, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return do_login


@pytest.fixture
def make_enterprise(app, prefecture):
    from investenv.registry import operations

    counter = itertools.count(1)

    def factory(prefecture_name: str = "长沙市", name: str | None = None, county_index: int = 0, **fields):
        found = prefecture(prefecture_name)
        county = found.counties[county_index]
        n = next(counter)
        data = operations.EnterpriseData(
            name=name or f"{found.name}测试企业{n}有限公司",
            credit_code=compose("91", county.code, f"T{n:07d}"),
            prefecture_id=found.id,
            county_id=county.id,
            origin_province="广东省",
            origin_city="深圳市",
            industry="C",
            contact_name="联系人",
            contact_phone="0731-1234567",
        )
        for key, value in fields.items():
            setattr(data, key, value)
        enterprise = operations.create_enterprise(data)
        db.session.commit()
        return enterprise

    return factory


@pytest.fixture
def run_cli():
    """Run an ``investenv`` command against a given app (and so its test database)."""
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from investenv.cli import main

    def run(app, *args: str, input: str | None = None):
        return CliRunner().invoke(main, list(args), obj=ScriptInfo(create_app=lambda: app), input=input)

    return run


@pytest.fixture
def make_round(app):
    from survey import operations

    def factory(opens_on=None, closes_on=None, anonymous=True):
        today = china_today()
        survey_round = operations.create_round(
            today.year, "", "2006", opens_on or today - dt.timedelta(days=10),
            closes_on or today + dt.timedelta(days=10), anonymous,
        )
        db.session.commit()
        return survey_round

    return factory


@pytest.fixture
def make_invitation(make_round, make_enterprise):
    from survey import operations

    def factory(survey_round=None, prefecture_name="株洲市"):
        invitation = operations.invite(survey_round or make_round(), make_enterprise(prefecture_name))
        db.session.commit()
        return invitation

    return factory


@pytest.fixture
def make_point(make_enterprise):
    """A monitoring point (with its feedback link) registered on 1 January of last year."""
    from investenv.registry.models import MonitoringPoint

    def factory(prefecture_name: str = "株洲市", **fields):
        point = MonitoringPoint(enterprise=make_enterprise(prefecture_name, **fields),
                                registered_on=dt.date(china_today().year - 1, 1, 1))
        db.session.add(point)
        db.session.commit()
        return point

    return factory


MAX_BYTES = 10 * 2**20


@pytest.fixture
def importers(app, make_round, make_user):
    """Each all-or-nothing import: name → (its header, a function running it on bytes)."""
    from complaints.bundle import HEADER as COMPLAINT_HEADER
    from complaints.bundle import import_cases
    from feedback.bundle import HEADER as FEEDBACK_HEADER
    from feedback.bundle import import_feedback
    from investenv.registry.importer import COLUMNS as ENTERPRISE_COLUMNS
    from investenv.registry.importer import import_enterprises
    from spotchecks.bundle import HEADER as SPOTCHECK_HEADER
    from spotchecks.bundle import import_scores
    from survey.bundle import header as response_header
    from survey.bundle import import_responses

    def _report(report):
        return 0, report.errors

    survey_round = make_round()
    clerk = make_user("centre")
    day = dt.date(2026, 6, 1)
    return {
        "enterprises": ([c.key for c in ENTERPRISE_COLUMNS], lambda d: _report(import_enterprises(d, MAX_BYTES, None, False))),
        "responses": (response_header(), lambda d: import_responses(d, MAX_BYTES, survey_round, day)),
        "feedback": (FEEDBACK_HEADER, lambda d: import_feedback(d, MAX_BYTES, day)),
        "spotchecks": (SPOTCHECK_HEADER, lambda d: import_scores(d, MAX_BYTES, clerk.id, day)),
        "complaints": (COMPLAINT_HEADER, lambda d: import_cases(d, MAX_BYTES)),
    }

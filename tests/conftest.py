"""Shared fixtures: every database test runs on SQLite and on a real PostgreSQL server.

Fixtures return factories (``make_user``, ``make_enterprise``, ``login``) rather than objects.
A test that asks for ``demo_database`` starts from the demo year, loaded once per session and
backend and copied for each test.  With ``CI=true`` a missing PostgreSQL or Chromium fails the
run instead of skipping.
"""
from __future__ import annotations

import datetime as dt
import email
import itertools
import os
import shutil
import socket
from contextlib import contextmanager
from decimal import Decimal
from email import policy

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from argon2 import PasswordHasher
from click.testing import CliRunner
from flask import has_app_context
from flask.cli import ScriptInfo
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from complaints import operations as complaint_operations
from complaints.bundle import HEADER as COMPLAINT_HEADER
from complaints.bundle import import_cases
from complaints.calendar_store import sync_packaged
from feedback.bundle import HEADER as FEEDBACK_HEADER
from feedback.bundle import import_feedback
from investenv import migrate
from investenv.app import create_app
from investenv.auth import operations as auth_operations
from investenv.cli import main
from investenv.demo import load_demo
from investenv.extensions import db
from investenv.jobs.models import Job
from investenv.permissions import Role
from investenv.registry import operations as registry_operations
from investenv.registry.credit_code import compose
from investenv.registry.importer import COLUMNS as ENTERPRISE_COLUMNS
from investenv.registry.importer import import_enterprises
from investenv.registry.models import MonitoringPoint, Prefecture
from investenv.timeutil import today as china_today
from projects import operations as project_operations
from projects.bundle import MONTHLY_COLUMNS, PROJECT_COLUMNS, import_monthly, import_projects
from spotchecks import operations as spotcheck_operations
from spotchecks.bundle import HEADER as SPOTCHECK_HEADER
from spotchecks.bundle import import_scores
from spotchecks.models import EvidencePhoto
from survey import operations as survey_operations
from survey.bundle import header as response_header
from survey.bundle import import_responses

from .postgres import Cluster, PostgresUnavailable, wait_until_ready

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
DEMO_YEAR = 2026  # the year ``investenv demo`` loads by default
DEMO_AS_OF = dt.date(2026, 12, 3)  # the demo year as it stood that day: the same data whenever the tests run
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
    fast = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    saved = auth_operations._hasher, auth_operations._DUMMY_HASH
    auth_operations._hasher, auth_operations._DUMMY_HASH = fast, fast.hash("dummy")
    yield
    auth_operations._hasher, auth_operations._DUMMY_HASH = saved


@contextmanager
def _app_context(url: str):
    """An app on the database at ``url``, for building a template; every connection closed after."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "t", "TESTING": True})
    with app.app_context():
        yield
        db.session.remove()
        db.engine.dispose()


def _migrate(url: str) -> None:
    with _app_context(url):
        migrate.upgrade()


def _load_demo(url: str) -> None:
    """What ``investenv demo`` does, on the migrated database at ``url``."""
    with _app_context(url):
        load_demo(DEMO_YEAR, as_of=DEMO_AS_OF)
        db.session.commit()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    _migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def sqlite_demo_template(sqlite_template, tmp_path_factory):
    path = tmp_path_factory.mktemp("sqlite-demo") / "demo.db"
    shutil.copy(sqlite_template, path)
    _load_demo(f"sqlite:///{path}")
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


def _drop_database(server_url: str, name: str) -> None:
    """Drop database ``name`` on the server, closing whatever connections are left to it."""
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def _create_database(server_url: str, name: str, template: str | None = None) -> str:
    """(Re)create database ``name`` on the server, empty or as a copy of ``template``; its URL."""
    _drop_database(server_url, name)
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else "")))
    admin.dispose()
    return sa.engine.make_url(server_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_database(postgres_server):
    """A migrated database on the session's server, emptied after each test."""
    url = _create_database(postgres_server, "investenv_test")
    _migrate(url)
    return url


@pytest.fixture(scope="session")
def postgres_demo_template(postgres_server):
    """The name of a database holding the demo year, the template of each demo test's database."""
    url = _create_database(postgres_server, "investenv_demo_template")
    _migrate(url)
    _load_demo(url)
    return "investenv_demo_template"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """The test's database: migrated and empty, or a copy of the demo year when the test asks for
    ``demo_database``."""
    demo = "demo_database" in request.fixturenames
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(request.getfixturevalue("sqlite_demo_template" if demo else "sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    if demo:
        server, template = request.getfixturevalue("postgres_server"), request.getfixturevalue("postgres_demo_template")
        yield _create_database(server, "investenv_demo_test", template)
        _drop_database(server, "investenv_demo_test")
        return
    url = request.getfixturevalue("postgres_database")
    yield url
    _empty_business_tables(url)


@pytest.fixture
def demo_database(database_url):
    """Ask for this to start from the demo year (``investenv demo``) instead of an empty database.

    The demo is loaded once per session and backend, then copied for each test: the SQLite file,
    or ``CREATE DATABASE … TEMPLATE`` on PostgreSQL.  Its value is the database URL.
    """
    return database_url


def _empty_business_tables(url: str) -> None:
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
            "JOBS_IMMEDIATE": True,  # a job runs within the request that submits it (tests/test_jobs.py queues for real)
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
    def find(value: str) -> Prefecture:
        return db.session.scalar(
            sa.select(Prefecture).where(sa.or_(Prefecture.code == value, Prefecture.name == value))
        )

    return find


@pytest.fixture
def make_user(app, prefecture):
    counter = itertools.count(1)

    def factory(role: str = "admin", prefecture_name: str | None = None, username: str | None = None):
        pid = prefecture(prefecture_name).id if prefecture_name else None
        user = auth_operations.create_user(username or f"user{next(counter)}", "测试用户", PASSWORD, Role(role), pid)
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
    counter = itertools.count(1)

    def factory(prefecture_name: str = "长沙市", name: str | None = None, county_index: int = 0, **fields):
        found = prefecture(prefecture_name)
        county = found.counties[county_index]
        n = next(counter)
        data = registry_operations.EnterpriseData(
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
        enterprise = registry_operations.create_enterprise(data, None)
        db.session.commit()
        return enterprise

    return factory


@pytest.fixture
def run_cli():
    """Run an ``investenv`` command against a given app (and so its test database)."""
    def run(app, *args: str, input: str | None = None):
        return CliRunner().invoke(main, list(args), obj=ScriptInfo(create_app=lambda: app), input=input)

    return run


@pytest.fixture
def make_round(app):
    def factory(opens_on=None, closes_on=None, anonymous=True):
        today = china_today()
        survey_round = survey_operations.create_round(
            today.year, "", "2006", opens_on or today - dt.timedelta(days=10),
            closes_on or today + dt.timedelta(days=10), anonymous,
        )
        db.session.commit()
        return survey_round

    return factory


@pytest.fixture
def make_invitation(make_round, make_enterprise):
    def factory(survey_round=None, prefecture_name="株洲市"):
        invitation = survey_operations.invite(survey_round or make_round(), make_enterprise(prefecture_name))
        db.session.commit()
        return invitation

    return factory


@pytest.fixture
def make_point(make_enterprise):
    """A monitoring point (with its feedback link) registered on 1 January of last year."""
    def factory(prefecture_name: str = "株洲市", **fields):
        point = MonitoringPoint(enterprise=make_enterprise(prefecture_name, **fields),
                                registered_on=dt.date(china_today().year - 1, 1, 1))
        db.session.add(point)
        db.session.commit()
        return point

    return factory


@pytest.fixture
def world(app, make_user, make_enterprise, prefecture):
    """株洲市 objects of every kind (enterprise, monitoring point, invitation, paper forms, responses,
    spot-check unit and photo, complaint, registered inspection) and a 长沙市 user, for tests of prefecture scoping."""
    zhuzhou = make_enterprise("株洲市", name="株洲机密科技有限公司")
    db.session.add(MonitoringPoint(enterprise=zhuzhou, registered_on=dt.date(2025, 5, 1)))
    make_enterprise("长沙市", name="长沙本地有限公司")
    user = make_user("prefecture", "株洲市", username="zzuser")
    survey_round = survey_operations.create_round(2026, "", "2006", dt.date(2026, 1, 1), dt.date(2999, 1, 1))
    invitation = survey_operations.invite(survey_round, zhuzhou)
    zz = prefecture("株洲市")
    paper = survey_operations.key_paper_form(survey_round, "4302-0001", zz, None, {"q3": "A"}, user.id, dt.date(2026, 5, 1))
    clerk2 = make_user("prefecture", "株洲市", username="zzuser2")
    survey_operations.key_paper_form(survey_round, "4302-0001", zz, None, {"q3": "B"}, clerk2.id, dt.date(2026, 5, 1))
    for _ in range(6):
        survey_operations.record_response(survey_round, zz.id, None, None, survey_operations.Channel.PAPER,
                                          {"q1": "A", "q32": "株洲机密意见"}, dt.date(2026, 5, 1))
    check_round = spotcheck_operations.create_round(2026, "", 7, 1)
    spotcheck_operations.draw(check_round)
    unit = next(u for u in check_round.units if u.prefecture_id == zz.id)
    photo = EvidencePhoto(unit=unit, stored_name="zz.jpg", content_type="image/jpeg", size=1)
    db.session.add(photo)
    case, _ = complaint_operations.intake(complaint_operations.CaseIntake(
        prefecture=zz, county=zz.counties[0], department="", complainant="株洲机密投诉人", enterprise_id=None,
        contact_name="", contact_phone="", channel="hotline", received_on=dt.date(2026, 5, 1), category="fees",
        summary="株洲机密事项", claims="", amount_yuan=None, user_id=None, today=dt.date(2026, 5, 1)))
    complaint_operations.register_inspection(zhuzhou, "市场监管局", "株洲机密检查", dt.date(2026, 5, 6), "2 人",
                                             "株检〔2026〕1号", user.id)
    project = project_operations.create_project(project_operations.ProjectData(
        name="株洲机密项目", prefecture=zz, county=zz.counties[0], investor="株洲机密投资方", origin_province="广东省",
        industry="2", stage="signed", stage_on=dt.date(2026, 1, 10), signed_on=dt.date(2026, 1, 10),
        contract_investment=Decimal(200_000_000), contract_funds=Decimal(100_000_000),
        due={"first_funds": dt.date(2026, 2, 1)}), user.id, dt.date(2026, 3, 1))
    monthly = project_operations.file_monthly_report(
        zz, "2026-02", [], [project_operations.ProblemData(project, "land", "株洲机密问题")],
        "", user.id, dt.date(2026, 3, 1))
    unfulfilled = project_operations.file_unfulfilled(project, "株洲机密原因", "investor", "", user.id, dt.date(2026, 3, 1))
    job = Job(kind="paper_forms", title="株洲机密任务", params={}, owner_id=user.id, state="done",
              file_name="paper-430200.pdf", stored_name="zz.pdf", mimetype="application/pdf")
    db.session.add(job)
    db.session.commit()
    return {
        "job": job,
        "case": case,
        "check_round": check_round,
        "unit": unit,
        "photo": photo,
        "enterprise": zhuzhou,
        "user": user,
        "changsha": make_user("prefecture", "长沙市", username="csuser"),
        "round": survey_round,
        "invitation": invitation,
        "paper": paper,
        "project": project,
        "problem": monthly.problems[0],
        "unfulfilled": unfulfilled,
    }


MAX_BYTES = 10 * 2**20


@pytest.fixture
def importers(app, make_round, make_user):
    """Each all-or-nothing import: name → (its header, a function running it on bytes)."""
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
        "projects": ([c.key for c in PROJECT_COLUMNS], lambda d: import_projects(d, MAX_BYTES, None, clerk.id, day)),
        "monthly-reports": ([c.key for c in MONTHLY_COLUMNS], lambda d: import_monthly(d, MAX_BYTES, None, clerk.id, day)),
    }


def job_file(client, response) -> bytes:
    """The file that a job-starting response leads to (in tests a job runs within the request)."""
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"], response.status_code
    with client.get(response.headers["Location"] + "/file") as download:
        assert download.status_code == 200, client.get(response.headers["Location"]).get_data(as_text=True)[-1500:]
        return download.data


class MailBox:
    """What a real SMTP server (aiosmtpd) started by a test received: parsed messages, in order.
    ``answer`` may refuse a message (e.g. ``"451 try later"``) or kill its sender first."""

    def __init__(self):
        self.messages = []
        self.answers = []  # one per coming message: None accepts, a string refuses with it
        self.before_answer = None  # called with each accepted message before the server answers

    async def handle_DATA(self, server, session, envelope):
        answer = self.answers.pop(0) if self.answers else None
        if answer:
            return answer
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        message.raw = envelope.content
        self.messages.append(message)
        if self.before_answer:
            self.before_answer(message)
        return "250 OK"

    def subjects(self) -> list[str]:
        return [str(m["Subject"]) for m in self.messages]


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free local port; its ``url`` is an INVESTENV_MAIL_URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = MailBox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    box.url = f"smtp://127.0.0.1:{port}"
    yield box
    controller.stop()


def postgres_plan(stmt) -> str:
    """PostgreSQL's plan of ``stmt`` with sequential scans discouraged: whether an index can answer
    it at all (the query's expression is the index's).  Rolls the session back."""
    db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))
    sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
    plan = "\n".join(db.session.scalars(sa.text("EXPLAIN " + sql)))
    db.session.rollback()
    return plan

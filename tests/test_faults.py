"""Faults: PostgreSQL restarts under the running app; the app answers with a retry page meanwhile
and recovers by itself (pool pre-ping)."""
import pytest

from investenv import migrate
from investenv.app import create_app
from investenv.extensions import db

from .postgres import Cluster, PostgresUnavailable, wait_until_ready

pytestmark = pytest.mark.slow


@pytest.fixture
def own_cluster():
    """A PostgreSQL server of this test alone, since the test stops it; durable, because the test
    stops it as a crash would, and a fast cluster loses the last commits in a crash."""
    try:
        cluster = Cluster(durable=True)
        url = cluster.start()
    except (PostgresUnavailable, OSError) as exc:
        pytest.fail(f"PostgreSQL is not available: {exc}")
    wait_until_ready(url)
    yield cluster, url
    try:
        cluster.stop()
    except PostgresUnavailable:  # already stopped by a failed test
        pass


def test_a_postgresql_restart_gives_a_retry_page_then_recovers(own_cluster):
    cluster, url = own_cluster
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "t", "TESTING": True, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        migrate.upgrade()
    client = app.test_client()
    assert client.get("/health").status_code == 200
    assert client.get("/s/" + "x" * 40).status_code == 404

    with app.app_context():  # a logged-in member of staff, whose user is loaded on every page
        from investenv.auth.operations import create_user
        from investenv.permissions import Role

        create_user("clerk", "职员", "clerk-password-1", Role.CENTRE, None)
        db.session.commit()
    client.post("/login", data={"username": "clerk", "password": "clerk-password-1"})
    assert client.get("/complaints/new").status_code == 200

    cluster.pause()
    staff_page = client.get("/complaints/new")
    assert staff_page.status_code == 503 and "服务暂时不可用" in staff_page.get_data(as_text=True)
    down = client.get("/health")
    assert down.status_code == 503 and down.headers["Retry-After"] == "10"
    assert down.get_json()["status"] == "unavailable"
    enterprise = app.test_client()  # an enterprise, in its own browser (a staff session may not use its link)
    page = enterprise.get("/s/" + "x" * 40)  # an enterprise's link: looked up in the database
    body = page.get_data(as_text=True)
    assert page.status_code == 503 and "服务暂时不可用" in body and "请稍等片刻后刷新页面重试" in body
    assert "Traceback" not in body and "OperationalError" not in body

    cluster.resume()
    assert client.get("/health").status_code == 200  # no restart of the app, no manual action
    assert enterprise.get("/s/" + "x" * 40).status_code == 404
    assert client.get("/s/" + "x" * 40).status_code == 403  # the clerk's session is back, and refused there
    with app.app_context():
        db.engine.dispose()

"""Login with lockout and throttling, logout by POST, sessions ended by a password change."""
import re
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from investenv.audit.models import AuditEvent
from investenv.auth import operations
from investenv.auth.models import User, UserSession
from investenv.extensions import db
from investenv.timeutil import utcnow

from ..conftest import PASSWORD


def test_login_lands_on_the_days_work(client, make_user, login):
    user = make_user("admin")
    response = login(client, user)
    assert response.headers["Location"] == "/work"
    assert client.get("/work").status_code == 200
    assert client.get("/", follow_redirects=True).status_code == 200
    db.session.refresh(user)
    assert user.last_login_at is not None


def test_pages_need_login(client):
    response = client.get("/registry/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_wrong_password_and_unknown_user_get_the_same_message(client, make_user):
    user = make_user("admin")
    wrong = client.post("/login", data={"username": user.username, "password": "nope-nope-1"})
    unknown = client.post("/login", data={"username": "nobody", "password": "nope-nope-1"})
    assert wrong.status_code == unknown.status_code == 401
    assert "用户名或密码错误" in wrong.get_data(as_text=True)
    assert "用户名或密码错误" in unknown.get_data(as_text=True)


def test_deactivated_account_cannot_log_in(client, make_user):
    user = make_user("analyst")
    user.active = False
    db.session.commit()
    assert client.post("/login", data={"username": user.username, "password": PASSWORD}).status_code == 401


def test_logout_is_post_only(client, make_user, login):
    login(client, make_user("admin"))
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/registry/").status_code == 302


@pytest.mark.parametrize("target", [
    "//evil.example/x", "/%09/evil.example", "/\t/evil.example", "/%0a/evil.example", "/%0d%0a/evil.example",
    "/%5Cevil.example", "/\\evil.example", "https://evil.example", "https:evil.example", "%2F%2Fevil.example",
    "/%00/evil", " /evil.example", "/%E2%80%A8/evil", "javascript:alert(1)",
])
def test_next_parameter_cannot_redirect_off_site(client, make_user, target):
    """Whatever ``next`` holds, the redirect stays on this site, and no value is a server error."""
    user = make_user("admin")
    response = client.post(f"/login?next={target}", data={"username": user.username, "password": PASSWORD})
    location = response.headers.get("Location", "")
    if "%00" in target:  # NUL characters are refused outright, everywhere
        assert response.status_code == 400
        return
    assert response.status_code == 302, response.status_code
    # What a browser makes of it (WHATWG URL parsing): tabs and line breaks dropped, "\\" read as "/".
    seen = urlsplit(re.sub(r"[\t\n\r]", "", location).replace("\\", "/"), scheme="")
    assert (seen.scheme, seen.netloc) == ("", "") and location.startswith("/"), location


def test_next_parameter_keeps_a_path_on_this_site(client, make_user):
    user = make_user("admin")
    response = client.post("/login?next=/complaints/?queue=overdue", data={"username": user.username, "password": PASSWORD})
    assert response.headers["Location"] == "/complaints/?queue=overdue"


def test_password_change_ends_other_sessions(app, make_user, login):
    user = make_user("admin")
    first, second = app.test_client(), app.test_client()
    login(first, user)
    login(second, user)
    response = first.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": "new-password-2", "confirm": "new-password-2"},
    )
    assert response.status_code == 302
    assert first.get("/registry/").status_code == 200
    assert second.get("/registry/").status_code == 302


@pytest.mark.parametrize(
    ("new", "field_error"),
    [("short1", "至少 10 个字符"), ("onlyletterss", "须同时包含字母和数字")],
)
def test_weak_password_is_refused_next_to_the_field(client, make_user, login, new, field_error):
    login(client, make_user("admin"))
    response = client.post(
        "/account/password", data={"current_password": PASSWORD, "password": new, "confirm": new}
    )
    html = response.get_data(as_text=True)
    assert re.search(r'id="password-error">[^<]*' + field_error, html)
    assert 'aria-describedby="password-error"' in html


def test_login_form_requires_csrf_token(app_factory, make_user):
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        user = db.session.get(User, make_user("admin").id)
        client = app.test_client()
        refused = client.post("/login", data={"username": user.username, "password": PASSWORD})
        assert refused.status_code == 400
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        accepted = client.post(
            "/login", data={"username": user.username, "password": PASSWORD, "csrf_token": token}
        )
        assert accepted.status_code == 302


def test_logout_ends_the_session_even_for_a_copied_cookie(app, make_user, login):
    """The session lives on the server: a cookie copied before logout is worth nothing after it."""
    user = make_user("admin")
    browser = app.test_client()
    login(browser, user)
    stolen = browser.get_cookie("session").value
    assert browser.post("/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/registry/").status_code == 302


def test_deactivation_ends_every_session(app, make_user, login):
    admin, analyst = make_user("admin"), make_user("analyst")
    browser = app.test_client()
    login(browser, analyst)
    assert browser.get("/registry/").status_code == 200
    operations.set_active(analyst, False)
    db.session.commit()
    assert browser.get("/registry/").status_code == 302
    assert admin.active


def test_a_session_ends_after_its_lifetime(app_factory, make_user, login):
    app = app_factory(PERMANENT_SESSION_LIFETIME=1)
    with app.app_context():
        user = db.session.get(User, make_user("admin").id)
        browser = app.test_client()
        login(browser, user)
        db.session.execute(sa.update(UserSession).values(expires_at=utcnow()))
        db.session.commit()
        assert browser.get("/registry/").status_code == 302


class TestThrottlesBehindAProxy:
    """Behind nginx (INVESTENV_TRUSTED_PROXIES=1) each client is its own address; only failures
    count; a stranger cannot lock the real user out; unknown and throttled accounts look alike."""

    @pytest.fixture
    def site(self, app_factory):
        app = app_factory(TRUSTED_PROXIES=1)
        with app.app_context():
            yield app

    @staticmethod
    def attempt(browser, address, username, password):
        return browser.post("/login", data={"username": username, "password": password},
                            headers={"X-Forwarded-For": address}, environ_base={"REMOTE_ADDR": "127.0.0.1"})

    def test_one_clients_failures_do_not_block_another_client(self, site, make_user):
        victim = make_user("admin", username="victim")
        attacker, colleague = site.test_client(), site.test_client()
        for i in range(40):
            self.attempt(attacker, "203.0.113.5", f"guess{i}", "wrong-pass-1")
        for _ in range(10):
            self.attempt(attacker, "203.0.113.5", victim.username, "wrong-pass-1")
        assert self.attempt(attacker, "203.0.113.5", victim.username, PASSWORD).status_code == 429
        assert self.attempt(colleague, "198.51.100.7", victim.username, PASSWORD).status_code == 302
        db.session.execute(sa.delete(AuditEvent))

    def test_a_stranger_cannot_lock_out_the_real_user(self, site, make_user):
        victim = make_user("admin", username="boss")
        own_browser = site.test_client()
        assert self.attempt(own_browser, "198.51.100.7", victim.username, PASSWORD).status_code == 302
        own_browser.post("/logout")
        for n in range(60):  # a botnet: many addresses, each below its own limit
            self.attempt(site.test_client(), f"203.0.113.{n % 30}", victim.username, "wrong-pass-1")
        assert self.attempt(own_browser, "198.51.100.7", victim.username, PASSWORD).status_code == 302
        # … while a browser that has never logged in to the account is stopped for now.
        assert self.attempt(site.test_client(), "192.0.2.9", victim.username, PASSWORD).status_code == 429

    def test_a_hundred_successful_logins_from_one_address_are_not_throttled(self, site, make_user):
        users = [make_user("centre") for _ in range(4)]
        for n in range(100):
            browser = site.test_client()
            assert self.attempt(browser, "198.51.100.20", users[n % 4].username, PASSWORD).status_code == 302

    def test_unknown_and_throttled_accounts_get_the_same_answer(self, site, make_user):
        make_user("admin", username="exists")
        browser = site.test_client()
        for username in ("exists", "ghost"):
            for _ in range(5):
                self.attempt(browser, "203.0.113.77", username, "wrong-pass-1")
        known = self.attempt(browser, "203.0.113.77", "exists", PASSWORD)
        unknown = self.attempt(browser, "203.0.113.77", "ghost", PASSWORD)
        assert known.status_code == unknown.status_code == 429
        assert known.get_data().replace(b"exists", b"ghost") == unknown.get_data()  # the form echoes the name
        first = self.attempt(browser, "203.0.113.78", "exists", "wrong-pass-1")
        second = self.attempt(browser, "203.0.113.78", "ghost", "wrong-pass-1")
        assert first.status_code == second.status_code == 401
        assert first.get_data().replace(b"exists", b"ghost") == second.get_data()

    def test_five_failures_stop_that_client_for_that_account_even_with_the_right_password(self, site, make_user):
        user = make_user("centre")
        browser = site.test_client()
        for _ in range(5):
            self.attempt(browser, "203.0.113.9", user.username, "wrong-pass-1")
        response = self.attempt(browser, "203.0.113.9", user.username, PASSWORD)
        assert response.status_code == 429
        assert "过于频繁" in response.get_data(as_text=True)

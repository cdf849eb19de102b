"""Login with lockout and throttling, logout by POST, sessions ended by a password change."""
import re

import pytest

from investenv.auth.models import User
from investenv.extensions import db

from ..conftest import PASSWORD


def test_login_lands_on_the_registry(client, make_user, login):
    user = make_user("admin")
    response = login(client, user)
    assert response.headers["Location"] == "/"
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


def test_account_locks_after_five_failures_even_for_the_right_password(client, make_user):
    user = make_user("centre")
    for _ in range(5):
        client.post("/login", data={"username": user.username, "password": "wrong-pass-1"})
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "暂时锁定" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.locked_until is not None


def test_address_is_throttled_across_usernames(client, make_user):
    make_user("admin", username="victim")
    for i in range(30):
        client.post("/login", data={"username": f"guess{i}", "password": "wrong-pass-1"})
    response = client.post("/login", data={"username": "victim", "password": PASSWORD})
    assert response.status_code == 429
    assert "过于频繁" in response.get_data(as_text=True)


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


def test_next_parameter_cannot_redirect_off_site(client, make_user):
    user = make_user("admin")
    response = client.post(
        "/login?next=//evil.example/x", data={"username": user.username, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/"


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

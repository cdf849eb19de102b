"""Account administration by the provincial admin, and the create-user command."""
import sqlalchemy as sa

from investenv.auth.models import User
from investenv.extensions import db


def test_admin_creates_a_prefecture_user(client, make_user, login):
    login(client, make_user("admin"))
    response = client.post(
        "/admin/users/new",
        data={"username": "zz01", "display_name": "株洲 王五", "role": "prefecture",
              "prefecture": "430200", "password": "initial-pass-1"},
    )
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.username == "zz01"))
    assert (user.role, user.prefecture.name) == ("prefecture", "株洲市")


def test_prefecture_user_without_prefecture_is_refused_next_to_the_field(client, make_user, login):
    login(client, make_user("admin"))
    response = client.post(
        "/admin/users/new",
        data={"username": "zz02", "display_name": "x", "role": "prefecture", "prefecture": "",
              "password": "initial-pass-1"},
    )
    assert 'id="prefecture-error">市州工作人员必须选择所属市州' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(User).where(User.username == "zz02")) is None


def test_only_admins_manage_accounts(client, make_user, login):
    login(client, make_user("centre"))
    assert client.get("/admin/users").status_code == 403
    assert client.post("/admin/users/new", data={}).status_code == 403


def test_admin_cannot_deactivate_themselves(client, make_user, login):
    admin = make_user("admin")
    login(client, admin)
    response = client.post(f"/admin/users/{admin.id}", data={"display_name": "x", "active": ""})
    assert "不能停用自己的账号" in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.active


def test_create_user_command(app, run_cli):
    result = run_cli(
        app, "create-user", "hy01", "--role", "prefecture", "--prefecture", "衡阳",
        "--password-stdin", input="strong-pass-9\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.username == "hy01"))
    assert user.prefecture.name == "衡阳市"
    refused = run_cli(app, "create-user", "xx1", "--role", "admin", "--password-stdin", input="short\n")
    assert refused.exit_code == 1 and "至少 10 个字符" in refused.output
    unknown = run_cli(app, "create-user", "xx2", "--role", "prefecture", "--prefecture", "武汉",
                      "--password-stdin", input="strong-pass-9\n")
    assert unknown.exit_code == 2 and "未知的市州" in unknown.output

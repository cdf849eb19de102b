"""Login, logout, own password, and the admin's account management."""
from __future__ import annotations

from dataclasses import replace

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from itsdangerous import BadSignature, URLSafeSerializer

from .. import audit
from ..errors import RuleError
from ..extensions import db
from ..forms import attempt, options
from ..permissions import Role, permission_required
from ..registry import queries as registry_queries
from ..web import safe_redirect_target
from . import operations, queries
from .forms import ChangePasswordForm, EditUserForm, LoginForm, UserForm
from .models import User

bp = Blueprint("auth", __name__)

DEVICE_COOKIE = "investenv_device"
DEVICE_COOKIE_DAYS = 365
DEVICE_ACCOUNTS = 10  # accounts remembered per browser


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the user of this browser's open server-side session, if any."""
    return operations.session_user(user_id, session.get("sid"))


def _device_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="login-device")


def _known_accounts() -> list[str]:
    """The accounts this browser has logged in to before (a signed cookie; anything else is none)."""
    try:
        accounts = _device_serializer().loads(request.cookies.get(DEVICE_COOKIE, ""))
    except BadSignature:
        return []
    return [a for a in accounts if isinstance(a, str)] if isinstance(accounts, list) else []


def _remember_device(response, account: str) -> None:
    accounts = [account] + [a for a in _known_accounts() if a != account]
    response.set_cookie(DEVICE_COOKIE, _device_serializer().dumps(accounts[:DEVICE_ACCOUNTS]),
                        max_age=DEVICE_COOKIE_DAYS * 86400, path=url_for("auth.login"), httponly=True,
                        secure=current_app.config["SESSION_COOKIE_SECURE"], samesite="Lax")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("complaints.work"))
    form = LoginForm()
    error, status = None, 200
    if form.validate_on_submit():
        attempt = operations.LoginAttempt(form.username.data, request.remote_addr or "")
        attempt = replace(attempt, known_device=attempt.account in _known_accounts())
        result = operations.authenticate(attempt, form.password.data)
        if result.user is not None:
            session.clear()
            session["sid"] = operations.start_session(result.user, attempt.address)
            login_user(result.user)
            session.permanent = True
            audit.note("login")
            db.session.commit()
            response = redirect(safe_redirect_target(request.args.get("next")) or url_for("complaints.work"))
            _remember_device(response, attempt.account)
            return response
        db.session.commit()  # keep the failure counts
        audit.note("login_locked" if result.throttled else "login_failed", username=attempt.account)
        if result.throttled:
            minutes = current_app.config["LOGIN_LOCK_MINUTES"]
            error, status = f"登录尝试过于频繁，请 {minutes} 分钟后再试；如急需登录，请联系管理员。", 429
        else:
            error, status = "用户名或密码错误。", 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/logout")
@login_required
def logout():
    audit.note("logout", username=current_user.username)
    operations.end_session(session.get("sid"))
    db.session.commit()
    logout_user()
    session.clear()
    flash("已退出登录。", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        _, refusal = attempt(lambda: operations.change_password(
            current_user, form.current_password.data, form.password.data, keep_session=session.get("sid")), form)
        if refusal is None:
            db.session.commit()
            flash("密码已修改。", "success")
            return redirect(url_for("complaints.work"))
    return render_template("auth/password.html", form=form)


@bp.get("/admin/users")
@permission_required("manage_accounts")
def users():
    return render_template("admin/users.html", users=queries.users())


@bp.route("/admin/users/new", methods=["GET", "POST"])
@permission_required("manage_accounts")
def new_user():
    form = UserForm()
    prefectures = registry_queries.prefectures()
    form.prefecture.choices = options([("", "（不适用）")] + [(p.code, p.name) for p in prefectures])
    if form.validate_on_submit():
        by_code = {p.code: p.id for p in prefectures}
        user, refusal = attempt(lambda: operations.create_user(
            form.username.data,
            form.display_name.data,
            form.password.data,
            Role(form.role.data),
            by_code.get(form.prefecture.data),
        ), form)
        if refusal is None:
            db.session.commit()
            flash(f"已创建账号 {user.username}。", "success")
            return redirect(url_for("auth.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@permission_required("manage_accounts")
def edit_user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = EditUserForm(obj=user)
    if form.validate_on_submit():
        def save() -> None:
            if form.password.data:
                operations.set_password(user, form.password.data,
                                        keep_session=session.get("sid") if user.id == current_user.id else None)
            if form.active.data != user.active:
                if user.id == current_user.id:
                    raise RuleError("不能停用自己的账号。", field="active")
                operations.set_active(user, form.active.data)

        _, refusal = attempt(save, form)
        if refusal is None:
            user.display_name = form.display_name.data.strip()
            db.session.commit()
            flash(f"已更新账号 {user.username}。", "success")
            return redirect(url_for("auth.users"))
    return render_template("admin/user_form.html", form=form, user=user)

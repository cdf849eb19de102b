"""Login, logout, own password, and the admin's account management."""
from __future__ import annotations

import datetime as dt

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from .. import audit
from ..errors import RuleError
from ..extensions import db
from ..forms import apply_rule_error, options
from ..permissions import Role, permission_required
from ..registry.models import Prefecture
from . import operations, throttle
from .forms import ChangePasswordForm, EditUserForm, LoginForm, UserForm
from .models import User

bp = Blueprint("auth", __name__)

LOGIN_WINDOW = dt.timedelta(minutes=15)
LOGIN_ATTEMPTS_PER_ADDRESS = 30


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("web.index"))
    form = LoginForm()
    error, status = None, 200
    if form.validate_on_submit():
        address_key = f"login-ip:{request.remote_addr}"
        if throttle.exceeded(address_key, LOGIN_ATTEMPTS_PER_ADDRESS, LOGIN_WINDOW):
            error, status = "登录尝试过于频繁，请 15 分钟后再试。", 429
        else:
            throttle.record(address_key, LOGIN_WINDOW)
            result = operations.authenticate(form.username.data, form.password.data)
            if result.user is not None:
                session.clear()
                login_user(result.user)
                audit.note("login")
                session.permanent = True
                db.session.commit()
                return redirect(_safe_next(request.args.get("next")))
            db.session.commit()  # keep the failure count
            audit.note("login_locked" if result.locked else "login_failed", username=form.username.data or "")
            if result.locked:
                error, status = "该账号因连续登录失败已被暂时锁定，请稍后再试或联系管理员。", 429
            else:
                error, status = "用户名或密码错误。", 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form, error=error), status


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("web.index")


@bp.post("/logout")
@login_required
def logout():
    audit.note("logout", username=current_user.username)
    logout_user()
    session.clear()
    flash("已退出登录。", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            operations.change_password(current_user, form.current_password.data, form.password.data)
        except RuleError as exc:
            apply_rule_error(form, exc)
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # re-issue under the new epoch
            flash("密码已修改。", "success")
            return redirect(url_for("web.index"))
    return render_template("auth/password.html", form=form)


@bp.get("/admin/users")
@permission_required("manage_accounts")
def users():
    rows = db.session.scalars(select(User).order_by(User.role, User.username)).all()
    return render_template("admin/users.html", users=rows)


@bp.route("/admin/users/new", methods=["GET", "POST"])
@permission_required("manage_accounts")
def new_user():
    form = UserForm()
    prefectures = db.session.scalars(select(Prefecture).order_by(Prefecture.code)).all()
    form.prefecture.choices = options([("", "（不适用）")] + [(p.code, p.name) for p in prefectures])
    if form.validate_on_submit():
        by_code = {p.code: p.id for p in prefectures}
        try:
            user = operations.create_user(
                form.username.data,
                form.display_name.data,
                form.password.data,
                Role(form.role.data),
                by_code.get(form.prefecture.data),
            )
        except RuleError as exc:
            apply_rule_error(form, exc)
        else:
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
        try:
            if form.password.data:
                operations.set_password(user, form.password.data)
            if form.active.data != user.active:
                if user.id == current_user.id:
                    raise RuleError("不能停用自己的账号。", field="active")
                operations.set_active(user, form.active.data)
        except RuleError as exc:
            db.session.rollback()
            apply_rule_error(form, exc)
        else:
            user.display_name = form.display_name.data.strip()
            db.session.commit()
            flash(f"已更新账号 {user.username}。", "success")
            return redirect(url_for("auth.users"))
    return render_template("admin/user_form.html", form=form, user=user)

"""State changes on accounts: creation, authentication with lockout, passwords."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import select

from ..errors import RuleError
from ..extensions import db
from ..permissions import Role
from ..timeutil import utcnow
from .models import User

_hasher = PasswordHasher()
# Verified against when the username is unknown, so both cases cost the same time.
_DUMMY_HASH = _hasher.hash("investenv-timing-equaliser")

USERNAME_RE = re.compile(r"^[a-z0-9_.-]{3,40}$")
MIN_PASSWORD_LENGTH = 10


def check_password_policy(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise RuleError(f"密码至少 {MIN_PASSWORD_LENGTH} 个字符。", field="password")
    if password.isdigit() or password.isalpha():
        raise RuleError("密码须同时包含字母和数字或符号。", field="password")


def create_user(
    username: str, display_name: str, password: str, role: Role, prefecture_id: int | None
) -> User:
    """Create an account; prefecture staff must name their prefecture, other roles must not."""
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise RuleError("用户名须为 3–40 位小写字母、数字或 _ . -", field="username")
    if db.session.scalar(select(User.id).where(User.username == username)) is not None:
        raise RuleError(f"用户名 {username} 已存在。", field="username")
    if (role == Role.PREFECTURE) != (prefecture_id is not None):
        raise RuleError("市州工作人员必须选择所属市州；省级角色不选市州。", field="prefecture")
    check_password_policy(password)
    user = User(
        username=username,
        display_name=display_name.strip() or username,
        password_hash=_hasher.hash(password),
        role=role.value,
        prefecture_id=prefecture_id,
    )
    db.session.add(user)
    db.session.flush()
    return user


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    locked: bool = False


def authenticate(username: str, password: str) -> LoginResult:
    """Check a login; count failures and lock the account after too many in a row."""
    user = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        _verify(_DUMMY_HASH, password)
        return LoginResult(None)
    now = utcnow()
    if user.locked_until and user.locked_until > now:
        return LoginResult(None, locked=True)
    if not _verify(user.password_hash, password) or not user.active:
        user.failed_logins += 1
        if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
            user.locked_until = now + dt.timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
            user.failed_logins = 0
        db.session.flush()
        return LoginResult(None, locked=user.locked_until is not None and user.locked_until > now)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    db.session.flush()
    return LoginResult(user)


def change_password(user: User, current: str, new: str) -> None:
    if not _verify(user.password_hash, current):
        raise RuleError("当前密码不正确。", field="current_password")
    set_password(user, new)


def set_password(user: User, new: str) -> None:
    """Replace the password and end every existing session of the account."""
    check_password_policy(new)
    user.password_hash = _hasher.hash(new)
    user.session_epoch += 1
    user.locked_until = None
    user.failed_logins = 0
    db.session.flush()


def set_active(user: User, active: bool) -> None:
    user.active = active
    user.session_epoch += 1
    db.session.flush()


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the id carries the session epoch, so stale sessions are refused."""
    uid, _, epoch = user_id.partition(":")
    if not (uid.isdigit() and epoch.isdigit()):
        return None
    user = db.session.get(User, int(uid))
    if user is None or user.session_epoch != int(epoch):
        return None
    return user


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False

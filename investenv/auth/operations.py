"""State changes on accounts: creation, authentication with failure throttling, server-side
sessions, passwords."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import select, update

from ..errors import RuleError
from ..extensions import db
from ..permissions import Role
from ..timeutil import utcnow
from . import throttle
from .models import User, UserSession

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
class LoginAttempt:
    """Who is trying: the account name as typed, the client's address (the real one behind the
    configured proxies) and whether the browser holds a device cookie of an earlier successful
    login to this account."""
    username: str
    address: str
    known_device: bool = False

    @property
    def account(self) -> str:
        return self.username.strip().lower()[:40]


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    throttled: bool = False


def _limits() -> list[tuple[str, int]]:
    """The failure counters an attempt is checked against: (key, limit)."""
    config = current_app.config
    return [("address", config["LOGIN_ADDRESS_FAILURES"]), ("pair", config["LOGIN_MAX_FAILURES"]),
            ("account", config["LOGIN_ACCOUNT_FAILURES"])]


def _keys(attempt: LoginAttempt) -> dict[str, str | None]:
    """The counters of an attempt.  The account-wide counter applies only to clients that have
    never logged in to this account, so a stranger's guesses cannot lock the real user out."""
    return {
        "address": f"login-fail-ip:{attempt.address}",
        "pair": f"login-fail-pair:{attempt.account}|{attempt.address}",
        "account": None if attempt.known_device else f"login-fail-account:{attempt.account}",
    }


def authenticate(attempt: LoginAttempt, password: str) -> LoginResult:
    """Check a login.  Only failures are counted: per client address (across accounts), per
    account and address, and per account from clients without a device cookie.  A throttled
    attempt is refused before any password is checked, with the same answer whether or not the
    account exists; unknown accounts cost the same hashing time as known ones."""
    window = dt.timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
    keys = _keys(attempt)
    if any(keys[name] and throttle.exceeded(keys[name], limit, window) for name, limit in _limits()):
        return LoginResult(None, throttled=True)
    user = db.session.scalar(select(User).where(User.username == attempt.account))
    verified = _verify(user.password_hash if user else _DUMMY_HASH, password)
    if user is None or not verified or not user.active:
        for key in keys.values():
            if key:
                throttle.record(key, window)
        return LoginResult(None)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    throttle.clear(keys["pair"])
    user.last_login_at = utcnow()
    db.session.flush()
    return LoginResult(user)


def change_password(user: User, current: str, new: str, keep_session: str | None = None) -> None:
    if not _verify(user.password_hash, current):
        raise RuleError("当前密码不正确。", field="current_password")
    set_password(user, new, keep_session)


def set_password(user: User, new: str, keep_session: str | None = None) -> None:
    """Replace the password and end every session of the account but ``keep_session`` (the key of
    the session that made the change, if it is the account's own)."""
    check_password_policy(new)
    user.password_hash = _hasher.hash(new)
    end_sessions(user, keep_session)
    db.session.flush()


def set_active(user: User, active: bool) -> None:
    user.active = active
    if not active:
        end_sessions(user)
    db.session.flush()


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start_session(user: User, address: str) -> str:
    """Open a server-side session for ``user``; returns the random key the cookie carries."""
    key = secrets.token_urlsafe(32)
    now = utcnow()
    lifetime = dt.timedelta(seconds=current_app.config["PERMANENT_SESSION_LIFETIME"])
    db.session.add(UserSession(key_hash=_key_hash(key), user_id=user.id, created_at=now,
                               expires_at=now + lifetime, address=address[:45]))
    db.session.flush()
    return key


def end_session(key: str | None) -> None:
    """End the session with ``key`` (logout); an unknown or ended key changes nothing."""
    if key:
        db.session.execute(update(UserSession).where(UserSession.key_hash == _key_hash(key),
                                                     UserSession.ended_at.is_(None)).values(ended_at=utcnow()))


def end_sessions(user: User, keep: str | None = None) -> None:
    """End every open session of ``user`` except the one with key ``keep``."""
    stmt = update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if keep:
        stmt = stmt.where(UserSession.key_hash != _key_hash(keep))
    db.session.execute(stmt.values(ended_at=utcnow()))


def session_user(user_id: str, key: str | None) -> User | None:
    """Flask-Login's loader: the user of a session that is open, unexpired and belongs to
    ``user_id``; anything else (a cookie kept after logout, a forged id) is no user."""
    if not (key and user_id.isdigit()):
        return None
    found = db.session.scalar(select(UserSession).where(UserSession.key_hash == _key_hash(key)))
    if found is None or found.ended_at is not None or found.expires_at <= utcnow() or found.user_id != int(user_id):
        return None
    return found.user


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False

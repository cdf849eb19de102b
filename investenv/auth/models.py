"""Accounts, their server-side sessions, API tokens and the database-backed rate limiter."""
from __future__ import annotations

import datetime as dt

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..permissions import PROVINCIAL, Role
from ..registry.models import Prefecture
from ..timeutil import utcnow


class User(UserMixin, db.Model):
    """A staff account. Enterprises never get one: they use personal links."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "(role = 'prefecture' AND prefecture_id IS NOT NULL)"
            " OR (role <> 'prefecture' AND prefecture_id IS NULL)",
            name="prefecture_scope",
        ),
        CheckConstraint("role IN ('admin', 'analyst', 'centre', 'prefecture')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(60))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    prefecture_id: Mapped[int | None] = mapped_column(ForeignKey("prefectures.id"))
    active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    prefecture: Mapped[Prefecture | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def get_id(self) -> str:
        return str(self.id)

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def is_provincial(self) -> bool:
        """Provincial roles see every prefecture; prefecture staff see only their own."""
        return self.role_enum in PROVINCIAL


class UserSession(db.Model):
    """One login: the cookie carries a random key, the database its hash.  A session is valid only
    while its row says so, so logging out, a password change or deactivation ends it at once,
    whatever copy of the signed cookie someone kept."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    address: Mapped[str] = mapped_column(String(45), default="")

    user: Mapped[User] = relationship()


class RateLimitEvent(db.Model):
    """One counted attempt (a login, a token lookup) under a key such as ``login-ip:1.2.3.4``.

    Kept in the database so that limits hold across gunicorn workers and app instances.
    """

    __tablename__ = "rate_limit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)


class ApiToken(db.Model):
    """A bearer token for the JSON API; the API acts as its user, with the user's role and scope."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    revoked: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()

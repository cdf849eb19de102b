"""Accounts, roles and the database-backed rate limiter."""
from __future__ import annotations

import datetime as dt

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..permissions import PROVINCIAL, Role
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
    # Bumped on password change or deactivation: every older session cookie stops working.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    prefecture = relationship("Prefecture")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_epoch}"

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def is_provincial(self) -> bool:
        """Provincial roles see every prefecture; prefecture staff see only their own."""
        return self.role_enum in PROVINCIAL


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

    user = relationship("User")

"""Reads of accounts and API tokens."""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from .models import ApiToken, User


def users() -> list[User]:
    """Every account, by role, then user name."""
    return list(db.session.scalars(select(User).order_by(User.role, User.username)))


def api_token(token_hash: str) -> ApiToken | None:
    """The API token stored under ``token_hash`` (revoked ones too)."""
    return db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))

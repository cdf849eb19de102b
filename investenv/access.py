"""Which rows a user may see: prefecture scoping for queries.

Prefecture staff are confined to their own prefecture *in the queries*: every list is filtered
with :func:`scope` and every single object is fetched with :func:`get_scoped_or_404`, so a URL
that names another prefecture's object answers 404 whatever the menus show.  Which *actions* a
role may take is :mod:`investenv.permissions`.
"""
from __future__ import annotations

from flask import abort
from flask_login import current_user

from .extensions import db


def own_prefecture_id() -> int | None:
    """The prefecture the current user is confined to, or None for provincial roles."""
    return None if current_user.is_provincial else current_user.prefecture_id


def scope(stmt, prefecture_column):
    """Restrict a ``select()`` to the current user's prefecture when they have one."""
    pid = own_prefecture_id()
    return stmt if pid is None else stmt.where(prefecture_column == pid)


def may_see_prefecture(prefecture_id: int) -> bool:
    pid = own_prefecture_id()
    return pid is None or pid == prefecture_id


def get_scoped_or_404(model, ident: int):
    """Fetch ``model`` by primary key; 404 if missing or outside the user's prefecture."""
    obj = db.session.get(model, ident)
    if obj is None or not may_see_prefecture(obj.prefecture_id):
        abort(404)
    return obj

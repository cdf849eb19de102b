"""Who may do what: role checks for views and prefecture scoping for queries.

Prefecture staff are confined to their own prefecture *in the queries*: every list is filtered
with :func:`scope` and every single object is fetched with :func:`get_scoped_or_404`, so a URL
that names another prefecture's object answers 404 whatever the menus show.
"""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from .auth.models import Role
from .extensions import db

STAFF = tuple(Role)
PROVINCIAL = (Role.ADMIN, Role.ANALYST, Role.CENTRE)
REGISTRY_EDITORS = (Role.ADMIN, Role.CENTRE, Role.PREFECTURE)


def roles_required(*roles: Role):
    """Require a logged-in user whose role is one of ``roles``; others get 403."""
    allowed = {r.value for r in roles}

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


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

"""Which rows a user may see: prefecture scoping for queries.

Prefecture staff are confined to their own prefecture *in the queries*: every list is filtered
with :func:`scope` and every single object is fetched with :func:`get_scoped_or_404`, so a URL
that names another prefecture's object answers 404 whatever the menus show.  Which *actions* a
role may take is :mod:`investenv.permissions`.
"""
from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

from . import audit
from .extensions import db

# Disclosure control for prefecture staff: a count of fewer respondents than this is not shown,
# and answer or rating aggregates only once collection has closed (docs/security.md, threat model).
SMALL_CELL = 5


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


def refuse_staff_sessions():
    """``before_request`` of the blueprints that serve an enterprise's personal link (the
    questionnaire, monitoring-point feedback): a browser that holds a staff session is refused
    and the attempt audited, so that nobody answers for an enterprise under a staff account and
    nothing an enterprise saved is read by staff through its link."""
    if not current_user.is_authenticated:
        return None
    token = (request.view_args or {}).get("token", "")
    audit.note("staff_link", f"{request.blueprint}:{token[:6]}…")
    message = ("这是企业本人使用的专用链接。您的浏览器正以工作人员身份登录，系统不允许工作人员打开企业的专用链接，"
               "此次打开已记入审计日志。如需录入企业交回的纸质问卷，请使用“纸质问卷录入”。")
    return render_template("errors/error.html", code=403, title="工作人员不能使用企业的专用链接", message=message), 403

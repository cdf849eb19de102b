"""The audit log: logins, exports and every access to identifying data (OWASP ASVS V7).

Views call :func:`note`; after the response is built the notes are written in their own
transaction, so an entry survives a request whose own changes were rolled back, and a read-only
page needs no commit of its own.
"""
from __future__ import annotations

from flask import Flask, g, request
from flask_login import current_user

from ..extensions import db
from ..timeutil import utcnow
from .models import AuditEvent

ACTIONS = {
    "login": "登录成功", "login_failed": "登录失败", "login_locked": "账号锁定中登录", "logout": "退出",
    "export": "导出/下载", "view": "查看含身份信息的页面", "api": "接口访问",
}


def note(action: str, target: str = "", username: str | None = None) -> None:
    """Remember an auditable event of this request (written after the response)."""
    g.setdefault("audit_notes", []).append((action, target[:200], username))


def _write(response):
    notes = g.pop("audit_notes", None)
    if not notes:
        return response
    user = current_user if current_user and current_user.is_authenticated else None
    rows = [{"at": utcnow(), "user_id": user.id if user else None,
             "username": (username or (user.username if user else ""))[:80], "action": action, "target": target,
             "address": (request.remote_addr or "")[:45], "status": response.status_code}
            for action, target, username in notes]
    with db.engine.begin() as connection:
        connection.execute(AuditEvent.__table__.insert(), rows)
    return response


def init_app(app: Flask) -> None:
    from .routes import bp

    app.register_blueprint(bp)
    app.after_request(_write)

"""The audit log: logins, exports and every access to identifying data (OWASP ASVS V7).

Views call :func:`note`.  When the request is torn down, its own unit of work is finished
(committed by the view, or discarded), and the notes are written in a transaction of their own:
an entry survives a request whose changes were rolled back, a read-only page needs no commit, and
on SQLite the insert never waits for a write lock held by the request itself.
"""
from __future__ import annotations

import getpass

from flask import Flask, current_app, g, request
from flask_login import current_user
from sqlalchemy.exc import DBAPIError

from ..database import finish_session
from ..extensions import db
from ..timeutil import utcnow
from .models import AuditEvent

ACTIONS = {
    "login": "登录成功", "login_failed": "登录失败", "login_locked": "登录失败过多被暂停", "logout": "退出",
    "export": "导出/下载", "staff_link": "工作人员打开企业专用链接（已拒绝）", "view": "查看含身份信息的页面", "api": "接口访问",
    "evaluation_run": "综合测评计算（草稿）", "evaluation_publish": "发布综合测评版本",
    "objection_filed": "提出复核申请", "objection_answer": "答复复核申请",
    "invitation_revoke": "停用企业问卷链接", "invitation_restore": "恢复企业问卷链接",
    "project_edit": "修改项目台账",
    "notice_contact": "修改市州通知联系人",
}


def note(action: str, target: str = "", username: str | None = None) -> None:
    """Remember an auditable event of this request (written after the response)."""
    g.setdefault("audit_notes", []).append((action, target[:200], username))


def operator() -> str:
    """Who ran a command, for the audit log: the operating-system account."""
    return f"命令行:{getpass.getuser()}"


def record(action: str, target: str, username: str) -> None:
    """An event outside a request (a command): added to the session, committed with the command's work."""
    db.session.add(AuditEvent(at=utcnow(), user_id=None, username=username[:80], action=action,
                              target=target[:200], address="", status=0))


def _prepare(response):
    """Turn the notes into rows while the user and the response are at hand."""
    notes = g.pop("audit_notes", None)
    if notes:
        user = current_user if current_user and current_user.is_authenticated else None
        g.audit_rows = [{"at": utcnow(), "user_id": user.id if user else None,
                         "username": (username or (user.username if user else ""))[:80], "action": action,
                         "target": target, "address": (request.remote_addr or "")[:45],
                         "status": response.status_code}
                        for action, target, username in notes]
    return response


def _write(error=None) -> None:
    rows = g.pop("audit_rows", None)
    if not rows:
        return
    finish_session()  # the request's work is done: committed by the view, or discarded now
    try:
        with db.engine.begin() as connection:
            connection.execute(AuditEvent.__table__.insert(), rows)
    except DBAPIError as exc:
        current_app.logger.error("audit events not written (%s): %s", exc.__class__.__name__, rows)


def init_app(app: Flask) -> None:
    """Write the notes of every request after its response (the log page is in ``views``)."""
    app.after_request(_prepare)
    app.teardown_request(_write)

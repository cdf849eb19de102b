"""The audit log page (administrators only)."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy import select

from .. import numbers
from ..extensions import db
from ..permissions import permission_required
from ..web import number_arg
from . import ACTIONS
from .models import AuditEvent

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")
PAGE = 100


@bp.get("/")
@permission_required("read_audit_log")
def events():
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    action, username = request.args.get("action", ""), request.args.get("user", "").strip()
    if action in ACTIONS:
        query = query.where(AuditEvent.action == action)
    if username:
        query = query.where(AuditEvent.username == username)
    before = number_arg("before", numbers.ROW_ID)
    if before:
        query = query.where(AuditEvent.id < before)
    rows = db.session.scalars(query.limit(PAGE)).all()
    return render_template("audit/events.html", rows=rows, actions=ACTIONS, action=action, username=username,
                           more=len(rows) == PAGE)

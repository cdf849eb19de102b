"""The audit log page (administrators only)."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from .. import numbers
from ..permissions import permission_required
from ..web import number_arg
from . import ACTIONS, note, queries

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")
PAGE = 100


@bp.get("/")
@permission_required("read_audit_log")
def events():
    note("view", f"audit-log:{request.query_string.decode(errors='replace')}")  # who read whose traces
    action, username = request.args.get("action", ""), request.args.get("user", "").strip()
    rows = queries.events(action if action in ACTIONS else None, username, number_arg("before", numbers.ROW_ID), PAGE)
    return render_template("audit/events.html", rows=rows, actions=ACTIONS, action=action, username=username,
                           more=len(rows) == PAGE)

"""The audit log page and its download (administrators only).  Not in the ``audit`` package: the
download goes through :mod:`investenv.exporting`, which audits every download."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from . import listing
from .audit import ACTIONS, note, queries
from .exporting import XLSX_MIMETYPE, attachment, xlsx_bytes
from .permissions import permission_required
from .timeutil import local

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")
PAGE = 100
EXPORT_LIMIT = 20000


def _view():
    """The log's filters and sort from the query string: the statement and the arguments that
    its links and its download keep."""
    action = request.args.get("action", "")
    action = action if action in ACTIONS else ""
    username, target = request.args.get("user", "").strip(), request.args.get("target", "").strip()
    since, until = listing.date_arg("from"), listing.date_arg("to")
    sort, descending = queries.SORTS.read()
    stmt = queries.events(action or None, username, since, until, target, sort, descending)
    args = listing.kept(action=action, user=username, target=target, **{"from": since and since.isoformat(),
                                                                          "to": until and until.isoformat()})
    return stmt, args | queries.SORTS.args(sort, descending), sort, descending


@bp.get("/")
@permission_required("read_audit_log")
def events():
    note("view", f"audit-log:{request.query_string.decode(errors='replace')}")  # who read whose traces
    stmt, args, sort, descending = _view()
    page = listing.page_of(stmt, queries.count(stmt), listing.page_arg(), PAGE)
    return render_template("audit/events.html", page=page, actions=ACTIONS, args=args, sort=sort,
                           descending=descending, sorts=queries.SORTS.labels, cap=queries.COUNT_CAP)


@bp.get("/export.xlsx")
@permission_required("read_audit_log")
def export():
    """The current view of the log as an Excel file, up to EXPORT_LIMIT rows."""
    stmt, _, _, _ = _view()
    rows = [[local(e.at).strftime("%Y-%m-%d %H:%M:%S"), e.username, ACTIONS.get(e.action, e.action), e.target,
             e.address, e.status] for e in listing.first_rows(stmt, EXPORT_LIMIT)]
    return attachment(xlsx_bytes("审计日志", ["时间", "账号", "事件", "对象", "地址", "结果"], rows), XLSX_MIMETYPE,
                      "audit-log.xlsx")

"""The staff member's in-app messages (blueprint ``notifications``): transfers, deadline warnings,
objections; each user sees only their own."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from investenv.permissions import permission_required

from . import queries

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("/")
@permission_required("use_staff_pages")
def inbox():
    return render_template("notifications/inbox.html", messages=queries.inbox(current_user.id))

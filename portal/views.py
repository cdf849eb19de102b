"""The site's front door at ``/`` (blueprint ``portal``): visitors without an account see what the
centre does, the online complaint form, the status lookup and each prefecture's hotline; staff
who are logged in go on to their overview."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from feedback import queries as feedback_queries
from investenv.registry import queries as registry_queries

bp = Blueprint("portal", __name__)


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("complaints.work"))
    hotlines = feedback_queries.hotlines_by_prefecture()
    return render_template("portal/index.html", prefectures=registry_queries.prefectures(), hotlines=hotlines)

"""The staff member's in-app messages (blueprint ``notifications``): transfers, deadline warnings,
objections; each user sees only their own.  The administrators' page of the prefectures' contacts
for notices (list, add, change, deactivate; each change audited)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from investenv import audit
from investenv.extensions import db
from investenv.forms import attempt
from investenv.permissions import permission_required
from investenv.registry import queries as registry_queries
from investenv.registry.models import Prefecture

from . import operations, queries
from .forms import ContactForm

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("/")
@permission_required("use_staff_pages")
def inbox():
    return render_template("notifications/inbox.html", messages=queries.inbox(current_user.id))


@bp.get("/contacts")
@permission_required("manage_notice_contacts")
def contacts():
    audit.note("view", "notice-contacts")  # names people and their addresses
    known = {c.prefecture_id: c for c in queries.contacts()}
    return render_template("notifications/contacts.html", prefectures=registry_queries.prefectures(), known=known)


def _prefecture(code: str) -> Prefecture:
    return registry_queries.prefecture_by_code(code) or abort(404)


@bp.route("/contacts/<code>", methods=["GET", "POST"])
@permission_required("manage_notice_contacts")
def contact(code: str):
    prefecture = _prefecture(code)
    found = queries.contact(prefecture.id)
    form = ContactForm(obj=found)
    if form.validate_on_submit():
        _, refusal = attempt(lambda: operations.set_contact(
            prefecture, form.name.data or "", form.email.data or "", form.phone.data or ""), form)
        if refusal is None:
            audit.note("notice_contact", f"{prefecture.code} {'change' if found else 'add'} "
                                         f"{form.email.data or ''} {form.phone.data or ''}")
            db.session.commit()
            flash(f"已保存{prefecture.name}的通知联系人。", "success")
            return redirect(url_for("notifications.contacts"))
    elif found is not None:
        audit.note("view", f"notice-contact:{prefecture.code}")
    return render_template("notifications/contact.html", prefecture=prefecture, contact=found, form=form), (
        400 if form.errors or form.form_errors else 200)


@bp.post("/contacts/<code>/deactivate")
@permission_required("manage_notice_contacts")
def deactivate(code: str):
    prefecture = _prefecture(code)
    found = queries.contact(prefecture.id) or abort(404)
    if ContactForm().validate_on_submit():  # the CSRF token
        operations.deactivate_contact(found)
        audit.note("notice_contact", f"{prefecture.code} deactivate")
        db.session.commit()
        flash(f"{prefecture.name}的通知联系人已停用，不再收到通知。", "success")
    return redirect(url_for("notifications.contacts"))

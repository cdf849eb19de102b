"""Spot-check pages: rounds, rubric, the drawn sample, score entry on site, locking."""
from __future__ import annotations

import secrets
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from investenv import access, audit, numbers
from investenv.exporting import CSV_MIMETYPE, attachment, csv_bytes
from investenv.extensions import db
from investenv.forms import attempt
from investenv.permissions import can, permission_required
from investenv.timeutil import today
from investenv.uploads import stored_file
from investenv.web import number_arg

from . import operations, queries, sampling
from .forms import CheckRoundForm, CorrectionForm, ItemForm, score_form
from .models import EvidencePhoto, ItemScore, RubricItem, SampledUnit, SpotCheckRound

bp = Blueprint("spotchecks", __name__, url_prefix="/spotchecks")


def _photos_folder() -> Path:
    return Path(current_app.instance_path) / "uploads" / "spotchecks"


def _round(round_id: int) -> SpotCheckRound:
    return db.session.get(SpotCheckRound, round_id) or abort(404)


def _visible_units(check_round: SpotCheckRound) -> list[SampledUnit]:
    return [u for u in check_round.units if access.may_see_prefecture(u.prefecture_id)]


@bp.get("/")
@permission_required("use_staff_pages")
def rounds():
    return render_template("spotchecks/rounds.html", rounds=queries.rounds())


@bp.route("/new", methods=["GET", "POST"])
@permission_required("run_spot_checks")
def new_round():
    form = CheckRoundForm()
    if request.method == "GET":
        form.year.data, form.seed.data = today().year, secrets.randbelow(2**31)
    if form.validate_on_submit():
        check_round, refusal = attempt(lambda: operations.create_round(
            form.year.data, form.title.data or "", form.seed.data, form.per_prefecture.data), form)
        if refusal is None:
            db.session.commit()
            flash("已创建抽查轮次。请检查评分表，然后抽样。", "success")
            return redirect(url_for("spotchecks.round_detail", round_id=check_round.id))
    return render_template("spotchecks/round_form.html", form=form)


@bp.get("/<int:round_id>")
@permission_required("use_staff_pages")
def round_detail(round_id: int):
    check_round = _round(round_id)
    return render_template(
        "spotchecks/round.html", check_round=check_round, units=_visible_units(check_round), item_form=ItemForm(),
        frame_size=len(check_round.frame), reproduces=operations.sample_reproduces(check_round) if check_round.drawn else None,
        incomplete=operations.incomplete_units(check_round), unit_types=sampling.UNIT_TYPES,
    )


@bp.get("/<int:round_id>/frame.csv")
@permission_required("use_staff_pages")
def frame(round_id: int):
    check_round = _round(round_id)
    return attachment(csv_bytes(["prefecture_code", "county_code", "unit"], check_round.frame),
                      CSV_MIMETYPE, f"frame-{round_id}.csv")


@bp.post("/<int:round_id>/items")
@permission_required("run_spot_checks")
def save_item(round_id: int):
    check_round = _round(round_id)
    item_id = number_arg("item", numbers.ROW_ID)
    item = db.session.get(RubricItem, item_id) if item_id else None
    if item is not None and item.round_id != check_round.id:
        abort(404)
    form = ItemForm()
    if form.validate_on_submit():
        _, refusal = attempt(lambda: operations.save_item(
            check_round, item, form.title.data, float(form.max_score.data), form.description.data or ""), form)
        if refusal is None:
            db.session.commit()
            flash("评分表已保存。", "success")
            return redirect(url_for("spotchecks.round_detail", round_id=round_id))
    return render_template(
        "spotchecks/round.html", check_round=check_round, units=_visible_units(check_round), item_form=form,
        frame_size=len(check_round.frame), reproduces=None, incomplete=operations.incomplete_units(check_round),
        unit_types=sampling.UNIT_TYPES, editing=item,
    ), 400


def _simple_action(round_id: int, action, done: str):
    check_round = _round(round_id)
    _, refusal = attempt(lambda: action(check_round))
    if refusal is not None:
        flash(refusal.message, "warning")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url_for("spotchecks.round_detail", round_id=round_id))


@bp.post("/<int:round_id>/draw")
@permission_required("run_spot_checks")
def draw(round_id: int):
    return _simple_action(round_id, operations.draw, "已按随机种子抽样。")


@bp.post("/<int:round_id>/lock")
@permission_required("run_spot_checks")
def lock(round_id: int):
    return _simple_action(round_id, lambda r: operations.lock(r, current_user.id), "本轮已锁定，分数不再变动；更正需说明理由并留痕。")


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
@permission_required("use_staff_pages")
def unit(unit_id: int):
    found = access.get_scoped_or_404(SampledUnit, unit_id)
    items = found.round.items
    existing = {s.item_id: s for s in found.scores}
    if request.method == "POST":
        if not can("run_spot_checks"):
            abort(403)
        form = score_form(items)
    else:
        data = {f"item-{i}": s.score for i, s in existing.items()} | {f"evidence-{i}": s.evidence for i, s in existing.items()}
        form = score_form(items, formdata=None, data=data | {"checked_on": found.checked_on or today()})
    status = 200
    if request.method == "POST":
        status = _save_scores(found, items, form)
        if status == 302:
            return redirect(url_for("spotchecks.round_detail", round_id=found.round_id))
    return render_template("spotchecks/unit.html", unit=found, items=items, form=form, existing=existing,
                           correction=CorrectionForm(), corrections=queries.corrections_of(found)), status


def _save_scores(found: SampledUnit, items, form) -> int:
    valid = form.validate()
    values = {i.id: (None if form[f"item-{i.id}"].data is None else float(form[f"item-{i.id}"].data),
                     form[f"evidence-{i.id}"].data or "") for i in items}

    def enter() -> dict[str, str]:
        errors = operations.enter_scores(found, values, form.checked_on.data or today(), current_user.id, today())
        if not errors and valid and form.photo.data:
            operations.add_photo(found, form.photo.data.read(), current_user.id, _photos_folder())
        return errors

    errors, refusal = attempt(enter, form)
    if refusal is not None:
        return 400
    for key, message in errors.items():
        form[key].errors = form[key].errors or [message]  # a number that could not be read says so
    if errors or not valid:
        db.session.rollback()
        return 400
    db.session.commit()
    flash(f"已保存 {found.name} 的评分。", "success")
    return 302


@bp.post("/scores/<int:score_id>/correct")
@permission_required("run_spot_checks")
def correct(score_id: int):
    score = db.session.get(ItemScore, score_id) or abort(404)
    form = CorrectionForm()
    if form.validate_on_submit():
        _, refusal = attempt(lambda: operations.correct(score, float(form.new_score.data), form.reason.data, current_user.id))
        if refusal is not None:
            flash(refusal.message, "warning")
        else:
            db.session.commit()
            flash("分数已更正并留痕。", "success")
    else:
        flash("；".join(e for errors in form.errors.values() for e in errors), "warning")
    return redirect(url_for("spotchecks.unit", unit_id=score.unit_id))


@bp.get("/photos/<int:photo_id>")
@permission_required("use_staff_pages")
def photo(photo_id: int):
    found = db.session.get(EvidencePhoto, photo_id) or abort(404)
    if not access.may_see_prefecture(found.unit.prefecture_id):
        abort(404)
    audit.note("export", f"spot-check-photo:{found.id}")
    return send_file(stored_file(_photos_folder(), found.stored_name), mimetype=found.content_type)

"""Each user's jobs: their progress while they run, and the finished file to download."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, send_file, url_for
from flask_login import current_user

from .. import audit
from ..extensions import db
from ..forms import attempt
from ..permissions import permission_required
from . import queries
from .models import Job
from .queue import queue, submit

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


def start(kind: str, title: str, params: dict):
    """Submit a job for the current user and show its page; a refusal (too many waiting) is
    returned as ``(None, refusal)`` for the calling view to show."""
    job, refusal = attempt(lambda: submit(kind, title, params, current_user.id))
    if refusal is not None:
        return None, refusal
    db.session.commit()
    if job.state == "queued":
        queue().enqueue(job)
    return redirect(url_for("jobs.job", job_id=job.id)), None


def _own(job_id: int) -> Job:
    job = db.session.get(Job, job_id)
    if job is None or job.owner_id != current_user.id:
        abort(404)
    return job


@bp.get("/")
@permission_required("use_staff_pages")
def jobs():
    rows = queries.recent_jobs(current_user.id)
    return render_template("jobs/jobs.html", jobs=rows, waiting=any(j.active for j in rows))


@bp.get("/<int:job_id>")
@permission_required("use_staff_pages")
def job(job_id: int):
    found = _own(job_id)
    return render_template("jobs/job.html", job=found)


@bp.get("/<int:job_id>/file")
@permission_required("use_staff_pages")
def file(job_id: int):
    found = _own(job_id)
    path = queue().file(found)
    if found.state != "done" or not path.is_file():
        abort(404)
    audit.note("export", found.file_name)
    return send_file(path, mimetype=found.mimetype, as_attachment=True, download_name=found.file_name)

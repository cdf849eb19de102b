"""Long work outside the request workers: a queue of jobs run by ``investenv worker``.

The queue is huey (a maintained task queue with no server of its own): on SQLite its queue lives
in ``jobs.db`` beside the database, on PostgreSQL in huey's tables of the same database, so the
embedded default needs nothing new and a PostgreSQL deployment nothing but a worker process.
Huey carries only "run job N"; what to run, its progress, its result and who may fetch it are
this project's own ``jobs`` table.

Every kind of job is named in the app factory (``JOB_KINDS``): a function ``run(params, progress)``
returning the file it made.  A job never consults the logged-in user: the view that submits it
resolves the user's scope (e.g. their prefecture) into its parameters.  A user may have at most
:data:`MAX_ACTIVE_PER_USER` jobs queued or running, so no one can occupy the workers, and asking
again for a job that is already waiting returns that job.
"""
from __future__ import annotations

import datetime as dt
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from flask import Flask, current_app
from huey import MemoryHuey, PostgresHuey, SqliteHuey
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from ..errors import RuleError
from ..extensions import db
from ..timeutil import utcnow
from .models import ACTIVE, Job

MAX_ACTIVE_PER_USER = 3
KEEP_DAYS = 7  # finished files are deleted after a week


@dataclass(frozen=True)
class Output:
    body: bytes
    file_name: str      # ASCII, what the browser saves it as
    mimetype: str


class Progress:
    """What a running job reports: a stage and ``done`` of ``total``; written at most twice a second."""

    def __init__(self, job: Job):
        self.job, self._written = job, 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.job.stage, self.job.done, self.job.total = stage[:100], done, total
        if time.monotonic() - self._written > 0.5 or done >= total:
            db.session.commit()
            self._written = time.monotonic()


Kind = Callable[[dict, Progress], Output]


def _huey(app: Flask):
    """The queue for the app's database (in memory and run at once when ``JOBS_IMMEDIATE``, for tests)."""
    if app.config.get("JOBS_IMMEDIATE"):
        return MemoryHuey("investenv", immediate=True, results=False)
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        folder = Path(url.database).parent if url.database else Path(app.instance_path)
        return SqliteHuey("investenv", filename=str(folder / "jobs.db"), results=False)
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return PostgresHuey("investenv", dsn=dsn, results=False, blocking=False)  # polls: no LISTEN connection per thread


class JobQueue:
    """The app's queue (``app.extensions["jobs"]``)."""

    def __init__(self, app: Flask, kinds: dict[str, Kind]):
        self.app, self.kinds = app, kinds
        self.folder = Path(app.instance_path) / "jobs"

    @cached_property
    def huey(self):
        """Opened on first use, not by the app factory: huey's PostgreSQL storage connects (and creates
        its tables) when made, and an app must start, or run ``db`` commands, without touching them."""
        return _huey(self.app)

    @cached_property
    def _task(self):
        return self.huey.task(name="investenv.run_job")(self._execute)

    def enqueue(self, job: Job) -> None:
        """Hand a committed job to the workers (a job still in an open transaction cannot be found)."""
        self._task(job.id)

    def _execute(self, job_id: int) -> None:
        with self.app.app_context():
            job = db.session.get(Job, job_id)
            if job is None or job.state != "queued":
                return
            job.state, job.started_at = "running", utcnow()
            db.session.commit()
            try:
                output = self.kinds[job.kind](job.params, Progress(job))
            except Exception as exc:  # the job fails, the worker goes on; the user reads why
                db.session.rollback()
                job = db.session.get(Job, job_id)
                job.state, job.finished_at = "failed", utcnow()
                job.error = exc.message if isinstance(exc, RuleError) else (
                    str(exc) if isinstance(exc, ValueError) else "处理时出错，错误已记录，请稍后重试或联系管理员。")
                current_app.logger.error("job %s (%s) failed:\n%s", job_id, job.kind, traceback.format_exc())
            else:
                self.folder.mkdir(parents=True, exist_ok=True)
                stored = f"{uuid.uuid4().hex}{Path(output.file_name).suffix}"
                (self.folder / stored).write_bytes(output.body)
                job.state, job.finished_at, job.done = "done", utcnow(), job.total
                job.stored_name, job.file_name, job.mimetype = stored, output.file_name, output.mimetype
            db.session.commit()

    def file(self, job: Job) -> Path:
        return self.folder / job.stored_name

    def forget_old(self) -> int:
        """Delete the files and rows of jobs finished more than :data:`KEEP_DAYS` days ago."""
        old = db.session.scalars(select(Job).where(Job.finished_at < utcnow() - dt.timedelta(days=KEEP_DAYS))).all()
        for job in old:
            if job.stored_name:
                self.file(job).unlink(missing_ok=True)
            db.session.delete(job)
        db.session.commit()
        return len(old)


def init_app(app: Flask, kinds: dict[str, Kind]) -> None:
    app.extensions["jobs"] = JobQueue(app, kinds)


def queue() -> JobQueue:
    return current_app.extensions["jobs"]


def submit(kind: str, title: str, params: dict, owner_id: int) -> Job:
    """A new job of ``kind`` for ``owner_id`` (flushed; commit, then :meth:`JobQueue.enqueue`), or
    the same job already waiting; refused when the owner already has too many waiting."""
    if kind not in queue().kinds:
        raise KeyError(kind)
    mine = select(Job).where(Job.owner_id == owner_id, Job.state.in_(ACTIVE))
    same = next((j for j in db.session.scalars(mine) if j.kind == kind and j.params == params), None)
    if same is not None:
        return same
    if db.session.scalar(select(func.count()).select_from(mine.subquery())) >= MAX_ACTIVE_PER_USER:
        raise RuleError(f"您已有 {MAX_ACTIVE_PER_USER} 项任务在排队或处理中，请等它们完成后再提交。")
    job = Job(kind=kind, title=title[:200], params=params, owner_id=owner_id)
    db.session.add(job)
    db.session.flush()
    return job

"""State changes of the evaluation (flush only, never commit): storing a run, publishing it as the
year's next version, and requests for review (复核申请) with their answers."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from complaints.calendar import CalendarMissing, WorkCalendar
from investenv.errors import RuleError
from investenv.extensions import db
from investenv.timeutil import utcnow
from scoring.evaluate import Evaluation

from .models import Blob, EvaluationRun, Objection, RunFile
from .queries import awaiting_correction, current_version
from .runs import fingerprint, sha256, software_version

MAX_TEXT = 2000


def store_run(year: int, files: dict[str, bytes], evaluation: Evaluation, source: str,
              user_id: int | None, compressed: dict[str, bytes] | None = None) -> EvaluationRun:
    """A draft run holding ``files``; a content already stored (by another run) is not stored again.
    ``compressed`` holds files (by name) already compressed by :func:`.models.compress`."""
    hashes = {name: sha256(body) for name, body in files.items()}
    known = set(db.session.scalars(select(Blob.sha256).where(Blob.sha256.in_(set(hashes.values())))))
    for name, body in files.items():
        if hashes[name] not in known:
            db.session.add(Blob.of(body, hashes[name], (compressed or {}).get(name)))
            known.add(hashes[name])
    top = [p.name for p in evaluation.prefectures if p.code in evaluation.top3]
    run = EvaluationRun(year=year, state="draft", source=source[:300], method_name=evaluation.method.name[:200],
                        software=software_version()[:200], fingerprint=fingerprint(hashes), top3="、".join(top)[:300],
                        created_by_id=user_id,
                        files=[RunFile(name=name, sha256=hashes[name], size=len(files[name])) for name in sorted(files)])
    db.session.add(run)
    db.session.flush()
    return run


def publish(run: EvaluationRun, user_id: int | None, note: str = "") -> EvaluationRun:
    """Publish a draft as the year's next version.  A later version must say why it was published,
    and it corrects every accepted request for review still waiting for a correction."""
    if run.published:
        raise RuleError(f"这次计算已经发布为{run.label}。")
    note = note.strip()
    current = current_version(run.year)
    if current is not None:
        if run.created_at < current.published_at:
            raise RuleError(f"这份草稿计算于现行的{current.label}发布之前，请用当前数据重新计算后再发布。")
        if not note:
            raise RuleError("发布新的版本须说明原因（例如采纳了哪些复核申请、更正了哪些数据）。", field="note")
    if len(note) > MAX_TEXT:
        raise RuleError(f"说明不能超过 {MAX_TEXT} 字。", field="note")
    run.version = (current.version if current else 0) + 1
    run.state, run.note, run.published_by_id, run.published_at = "published", note, user_id, utcnow()
    for objection in awaiting_correction(run.year):
        objection.corrected_in = run
    db.session.flush()
    return run


def objection_deadline(run: EvaluationRun, calendar: WorkCalendar, days: int) -> dt.date:
    """The last day to request a review of ``run``: ``days`` working days after its publication."""
    try:
        return calendar.add_working_days(run.published_on, days)
    except CalendarMissing as exc:
        raise RuleError(str(exc)) from None


def _text(value: str, field: str, missing: str) -> str:
    value = value.strip()
    if not value:
        raise RuleError(missing, field=field)
    if len(value) > MAX_TEXT:
        raise RuleError(f"不能超过 {MAX_TEXT} 字。", field=field)
    return value


def file_objection(run: EvaluationRun, prefecture_id: int, user_id: int, reason: str, today: dt.date,
                   calendar: WorkCalendar, days: int) -> Objection:
    """A prefecture's request for review of the year's current version, within ``days`` working days."""
    current = current_version(run.year)
    if current is None or current.id != run.id:
        raise RuleError("只能对现行版本提出复核申请。")
    deadline = objection_deadline(run, calendar, days)
    if today > deadline:
        raise RuleError(f"复核申请须在结果发布后 {days} 个工作日内（{deadline:%Y年%-m月%-d日}前）提出，现已逾期。")
    reason = _text(reason, "reason", "请写明申请复核的理由（哪项数据或计算有误、依据是什么）。")
    waiting = db.session.scalar(select(func.count()).select_from(Objection).where(
        Objection.run_id == run.id, Objection.prefecture_id == prefecture_id, Objection.state == "filed"))
    if waiting:
        raise RuleError("本市州对这一版本已有一份待答复的复核申请，请等待答复。")
    objection = Objection(run=run, prefecture_id=prefecture_id, filed_by_id=user_id, reason=reason, state="filed")
    db.session.add(objection)
    db.session.flush()
    return objection


def answer_objection(objection: Objection, accepted: bool, answer: str, user_id: int) -> None:
    """The office's answer: accepted (the data will be corrected and a new version published) or
    rejected, with the reason either way."""
    if objection.state != "filed":
        raise RuleError("这份复核申请已经答复。")
    objection.answer = _text(answer, "answer", "请写明答复：采纳时说明将更正什么，不采纳时说明理由。")
    objection.state = "accepted" if accepted else "rejected"
    objection.answered_by_id, objection.answered_at = user_id, utcnow()
    db.session.flush()

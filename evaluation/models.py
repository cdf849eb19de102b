"""Stored evaluation runs (the frozen files of a ranking), their publication as numbered versions,
and the prefectures' requests for review (复核申请) of a published version.

A run's files — the bundle's CSV files exactly as the data writer wrote them, the method file,
the results and the report's context — are kept in the database, compressed, one row per distinct
content (:class:`Blob`, keyed by its SHA-256), so that ``investenv backup`` keeps them with
everything else and two versions that share a file store it once.  A published run never changes:
:func:`_refuse_changes_to_published` stops any update or deletion at flush time, whatever code tries.
"""
from __future__ import annotations

import datetime as dt
import zlib

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from investenv.auth.models import User
from investenv.errors import RuleError
from investenv.extensions import db
from investenv.registry.models import Prefecture
from investenv.timeutil import local, utcnow

RUN_STATES = {"draft": "草稿", "published": "已发布"}
OBJECTION_STATES = {"filed": "待答复", "accepted": "已采纳", "rejected": "未采纳"}


def compress(body: bytes) -> bytes:
    """A file's content as a :class:`Blob` stores it."""
    return zlib.compress(body, 6)


class Blob(db.Model):
    """One file's content, zlib-compressed, stored once whatever number of runs hold it."""
    __tablename__ = "evaluation_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)

    @classmethod
    def of(cls, body: bytes, sha256: str, content: bytes | None = None) -> Blob:
        """The blob of ``body``; ``content`` is ``body`` already compressed by :func:`compress`, when it is."""
        return cls(sha256=sha256, size=len(body), content=compress(body) if content is None else content)

    @property
    def body(self) -> bytes:
        return zlib.decompress(self.content)


class EvaluationRun(db.Model):
    """One evaluation of a year: a draft, or a published version (1, 2, … within the year)."""
    __tablename__ = "evaluation_runs"
    __table_args__ = (
        CheckConstraint(f"state IN ({', '.join(repr(s) for s in RUN_STATES)})", name="state"),
        CheckConstraint("(state = 'published') = (version IS NOT NULL)", name="published_version"),
        UniqueConstraint("year", "version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    state: Mapped[str] = mapped_column(String(10), default="draft")
    version: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(300))           # where the data came from (数据库, or a bundle folder)
    method_name: Mapped[str] = mapped_column(String(200))
    software: Mapped[str] = mapped_column(String(200))         # package version and git describe
    fingerprint: Mapped[str] = mapped_column(String(64))       # SHA-256 of the manifest's list of files
    top3: Mapped[str] = mapped_column(String(300))             # the names, for lists of runs
    note: Mapped[str] = mapped_column(Text, default="")        # why this version was published
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    files: Mapped[list[RunFile]] = relationship(back_populates="run", order_by="RunFile.name",
                                               cascade="all, delete-orphan")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])

    @property
    def state_label(self) -> str:
        return RUN_STATES[self.state]

    @property
    def published(self) -> bool:
        return self.state == "published"

    @property
    def label(self) -> str:
        return f"第 {self.version} 版" if self.published else f"草稿 {self.id}"

    def description(self) -> dict:
        """What an archive's manifest says about the run, beside its files."""
        return {"year": self.year, "run": self.id, "state": self.state, "version": self.version,
                "published_at": self.published_at and f"{self.published_at:%Y-%m-%dT%H:%M:%SZ}",
                "created_at": f"{self.created_at:%Y-%m-%dT%H:%M:%SZ}", "source": self.source,
                "method": self.method_name, "software": self.software, "note": self.note}

    @property
    def published_on(self) -> dt.date | None:
        """The day of publication in China, from which the window for requests for review counts."""
        return local(self.published_at).date() if self.published_at else None


class RunFile(db.Model):
    """A file of a run by its name in the archive (``bundle/responses.csv``, ``results.json``, …)."""
    __tablename__ = "evaluation_run_files"

    run_id: Mapped[int] = mapped_column(ForeignKey("evaluation_runs.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("evaluation_blobs.sha256"))
    size: Mapped[int] = mapped_column(Integer)

    run: Mapped[EvaluationRun] = relationship(back_populates="files")
    blob: Mapped[Blob] = relationship()


class Objection(db.Model):
    """A prefecture's request for review (复核申请) of a published version, and the office's answer."""
    __tablename__ = "evaluation_objections"
    __table_args__ = (
        CheckConstraint(f"state IN ({', '.join(repr(s) for s in OBJECTION_STATES)})", name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("evaluation_runs.id"), index=True)
    prefecture_id: Mapped[int] = mapped_column(ForeignKey("prefectures.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    filed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    state: Mapped[str] = mapped_column(String(10), default="filed")
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    corrected_in_id: Mapped[int | None] = mapped_column(ForeignKey("evaluation_runs.id"))  # the version that corrects it

    run: Mapped[EvaluationRun] = relationship(foreign_keys=[run_id])
    prefecture: Mapped[Prefecture] = relationship()
    filed_by: Mapped[User] = relationship(foreign_keys=[filed_by_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])
    corrected_in: Mapped[EvaluationRun | None] = relationship(foreign_keys=[corrected_in_id])

    @property
    def state_label(self) -> str:
        if self.state == "accepted" and self.corrected_in is None:
            return "已采纳，待更正"
        return OBJECTION_STATES[self.state]


LOCKED = "已发布的测评结果不能修改或删除；更正须发布新的版本。"


def _was_published(run: EvaluationRun) -> bool:
    history = inspect(run).attrs.state.history
    return (history.deleted[0] if history.deleted else run.state) == "published"


@event.listens_for(EvaluationRun, "before_update")
@event.listens_for(EvaluationRun, "before_delete")
def _refuse_changes_to_published(mapper, connection, run: EvaluationRun) -> None:
    """Publishing a draft is the last change a run sees."""
    if _was_published(run):
        raise RuleError(LOCKED)


@event.listens_for(RunFile, "before_update")
@event.listens_for(Blob, "before_update")
def _refuse_changes_to_files(mapper, connection, target) -> None:
    """A file is written once; its name and hash are what the manifest records."""
    raise RuleError(LOCKED)


@event.listens_for(RunFile, "before_delete")
def _refuse_removing_published_files(mapper, connection, target: RunFile) -> None:
    if target.run.state == "published":
        raise RuleError(LOCKED)

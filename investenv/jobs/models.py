"""One row per piece of long work a user asked for (a PDF of 500 forms, the year's report)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..extensions import db
from ..timeutil import utcnow

STATES = {"queued": "排队中", "running": "处理中", "done": "已完成", "failed": "未完成"}
ACTIVE = ("queued", "running")


class Job(db.Model):
    __tablename__ = "jobs"
    __table_args__ = (CheckConstraint(f"state IN ({', '.join(repr(s) for s in STATES)})", name="state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    state: Mapped[str] = mapped_column(String(10), default="queued")
    stage: Mapped[str] = mapped_column(String(100), default="")
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str] = mapped_column(String(200), default="")     # offered to the user
    stored_name: Mapped[str] = mapped_column(String(64), default="")    # under instance/jobs/
    mimetype: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    owner: Mapped[User] = relationship()

    @property
    def state_label(self) -> str:
        return STATES[self.state]

    @property
    def active(self) -> bool:
        return self.state in ACTIVE

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0

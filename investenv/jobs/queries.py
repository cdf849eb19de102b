"""Reads of jobs."""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from .models import Job

RECENT = 50


def recent_jobs(owner_id: int) -> list[Job]:
    """The owner's latest jobs, newest first."""
    return list(db.session.scalars(select(Job).where(Job.owner_id == owner_id).order_by(Job.id.desc()).limit(RECENT)))

"""``investenv demo``: a deterministic, realistic evaluation year for all 14 prefectures.

Each domain adds its part in a module of this package; :func:`load_demo` runs them in order on
an empty database (or after ``--reset``), always with the same seed, so every newcomer sees the
same year.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, exists, select

from complaints.models import Attachment, Complaint, ComplaintEvent, ComplaintQueueCount, Inspection
from evaluation.models import Blob, EvaluationRun, Objection, RunFile
from feedback.models import Feedback, Hotline
from notifications.models import Contact, Message
from projects.models import (
    FundsArrival,
    MonthlyReport,
    Problem,
    Project,
    StageEvent,
    Target,
    UnfulfilledReport,
)
from spotchecks.models import (
    EvidencePhoto,
    ItemScore,
    RubricItem,
    SampledUnit,
    ScoreCorrection,
    SpotCheckRound,
)
from survey.models import Draft, Invitation, PaperForm, Response, SurveyRound

from .. import timeutil
from ..audit.models import AuditEvent
from ..auth.models import ApiToken, RateLimitEvent, User
from ..extensions import db
from ..registry.models import Enterprise, MonitoringPoint
from . import accounts, monitoring, registry
from . import complaints as complaints_demo
from . import evaluation as evaluation_demo
from . import projects as projects_demo
from . import survey as survey_demo

DEMO_PASSWORD = accounts.DEMO_PASSWORD


def _reset_order():
    """Business tables, children first: what ``--reset`` empties. Reference data stays."""
    return (
        Objection, RunFile, EvaluationRun, Blob, Message, Contact,
        Problem, FundsArrival, StageEvent, UnfulfilledReport, MonthlyReport, Target, Project,
        Feedback, Hotline, Attachment, ComplaintEvent, ComplaintQueueCount, Complaint, Inspection,
        ScoreCorrection, ItemScore, EvidencePhoto, SampledUnit, RubricItem, SpotCheckRound,
        Response, PaperForm, Draft, Invitation, SurveyRound, MonitoringPoint, Enterprise, RateLimitEvent, ApiToken, AuditEvent, User,
    )


def has_data() -> bool:
    return db.session.scalar(select(exists().where(Enterprise.id.is_not(None)))) or db.session.scalar(
        select(exists().where(User.id.is_not(None)))
    )


def reset() -> None:
    for model in _reset_order():
        db.session.execute(delete(model))
    db.session.flush()


def load_demo(year: int, reset_first: bool = False, as_of: dt.date | None = None) -> tuple[list[User], bool]:
    """Load the demo year as it stands today, or on ``as_of`` (the same data on any later day);
    returns the demo accounts and whether anything was loaded.

    A database that already holds data is left alone unless ``reset_first`` is true.
    """
    if reset_first:
        reset()
    elif has_data():
        return accounts.existing(), False
    with timeutil.as_of(as_of):
        users = accounts.load()
        registry.load(year)
        survey_demo.load(year)
        monitoring.load(year)
        complaints_demo.load(year)
        projects_demo.load(year)
        evaluation_demo.load(year, users)
    return users, True

"""Survey rounds, invitations, drafts, anonymous responses and double-keyed paper forms."""
from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from investenv.extensions import db
from investenv.registry.models import County, Enterprise, Prefecture
from investenv.timeutil import utcnow


class SurveyRound(db.Model):
    """One wave of the questionnaire (调查轮次): a year, a questionnaire version, a window."""

    __tablename__ = "survey_rounds"
    __table_args__ = (CheckConstraint("opens_on <= closes_on", name="window"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(String(100))
    questionnaire_version: Mapped[str] = mapped_column(String(20))
    opens_on: Mapped[dt.date] = mapped_column(Date)
    closes_on: Mapped[dt.date] = mapped_column(Date)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    invitations: Mapped[list[Invitation]] = relationship(back_populates="round")

    def is_open(self, day: dt.date) -> bool:
        return self.opens_on <= day <= self.closes_on


class Invitation(db.Model):
    """A personal link for one enterprise in one round.

    It records only *that* it was used, never which response it produced.
    """

    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("round_id", "enterprise_id", name="uq_invitations_round_enterprise"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("survey_rounds.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    prefecture_id: Mapped[int] = mapped_column(ForeignKey("prefectures.id"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    used: Mapped[bool] = mapped_column(Boolean, default=False)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    reminders_off: Mapped[bool] = mapped_column(Boolean, default=False)  # the enterprise asked for no more reminders
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    round: Mapped[SurveyRound] = relationship(back_populates="invitations")
    enterprise: Mapped[Enterprise] = relationship()
    draft: Mapped[Draft | None] = relationship(back_populates="invitation", uselist=False)


class Draft(db.Model):
    """Answers saved page by page until submission; deleted when the response is written."""

    __tablename__ = "survey_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id"), unique=True)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    page: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    invitation: Mapped[Invitation] = relationship(back_populates="draft")


class Channel(enum.StrEnum):
    ONLINE = "online"
    PAPER = "paper"
    IMPORT = "import"

    @property
    def label(self) -> str:
        return {"online": "网上填写", "paper": "纸质问卷", "import": "表格导入"}[self.value]


class Response(db.Model):
    """A submitted questionnaire.  In an anonymous round it carries no enterprise and no
    invitation, and its submission time is kept to the day."""

    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    round_id: Mapped[int] = mapped_column(ForeignKey("survey_rounds.id"), index=True)
    prefecture_id: Mapped[int] = mapped_column(ForeignKey("prefectures.id"), index=True)
    county_id: Mapped[int | None] = mapped_column(ForeignKey("counties.id"))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"))
    channel: Mapped[str] = mapped_column(String(10))
    submitted_on: Mapped[dt.date] = mapped_column(Date)
    answers: Mapped[dict] = mapped_column(JSON)

    round: Mapped[SurveyRound] = relationship()
    prefecture: Mapped[Prefecture] = relationship()
    county: Mapped[County | None] = relationship()
    enterprise: Mapped[Enterprise | None] = relationship()


class PaperForm(db.Model):
    """A paper questionnaire, keyed twice by different clerks (EpiData-style double entry).

    It becomes a :class:`Response` only once both keyings agree or a third person adjudicates.
    """

    __tablename__ = "paper_forms"
    __table_args__ = (
        UniqueConstraint("round_id", "form_code", name="uq_paper_forms_round_code"),
        # The keyed-form list (survey.queries.PAPER_SORTS): by state, and by the last keying.
        Index("ix_paper_forms_queue", "round_id", "verified", "form_code", "id"),
        Index("ix_paper_forms_updated", "round_id", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("survey_rounds.id"), index=True)
    form_code: Mapped[str] = mapped_column(String(20))
    prefecture_id: Mapped[int] = mapped_column(ForeignKey("prefectures.id"), index=True)
    county_id: Mapped[int | None] = mapped_column(ForeignKey("counties.id"))
    first_answers: Mapped[dict | None] = mapped_column(JSON)
    first_clerk_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    second_answers: Mapped[dict | None] = mapped_column(JSON)
    second_clerk_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    round: Mapped[SurveyRound] = relationship()
    prefecture: Mapped[Prefecture] = relationship()
    county: Mapped[County | None] = relationship()

    @property
    def status(self) -> str:
        if self.verified:
            return "verified"
        if self.second_answers is None:
            return "first" if self.first_answers is not None else "empty"
        return "mismatch"

    @property
    def keyed_county(self) -> str:
        """The county code the first keying gave (the form's county until it is verified)."""
        return (self.first_answers or {}).get("county", "")

    @property
    def status_label(self) -> str:
        return {"verified": "已核对", "first": "待第二次录入", "mismatch": "待裁定", "empty": "未录入"}[self.status]

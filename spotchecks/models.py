"""Spot-check rounds of the joint provincial team (联合调研小组抽样调查)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from investenv.auth.models import User
from investenv.extensions import db
from investenv.registry.models import County, Prefecture
from investenv.timeutil import utcnow
from investenv.uploads import StoredFile

DEFAULT_RUBRIC = (
    ("政策公开", 20, "涉企政策、办事指南在门户网站和服务窗口公开，内容现行有效"),
    ("审批时限", 20, "抽查办件均在承诺时限内办结，超时有说明"),
    ("收费公示", 15, "收费项目、标准、依据公示，与“费负卡”一致，无公示外收费"),
    ("检查申报", 15, "对外来投资企业的检查事先申报、持《通知单》，登记完整"),
    ("投诉档案", 15, "投诉登记、办理、答复、回访材料齐全，按期办结"),
    ("一站式窗口", 15, "“一站式”窗口正常运行，授权到位，企业可当场办结"),
)


class SpotCheckRound(db.Model):
    __tablename__ = "spotcheck_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(String(100), unique=True)
    seed: Mapped[int] = mapped_column(Integer)
    per_prefecture: Mapped[int] = mapped_column(Integer)
    frame: Mapped[list] = mapped_column(JSON)  # [[prefecture_code, county_code, unit name], ...]
    drawn: Mapped[bool] = mapped_column(Boolean, default=False)
    locked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    locked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    items: Mapped[list[RubricItem]] = relationship(back_populates="round", order_by="RubricItem.position")
    units: Mapped[list[SampledUnit]] = relationship(back_populates="round", order_by="SampledUnit.draw_order")
    locked_by: Mapped[User | None] = relationship()

    @property
    def locked(self) -> bool:
        return self.locked_at is not None

    @property
    def max_total(self) -> float:
        return sum(i.max_score for i in self.items)


class RubricItem(db.Model):
    __tablename__ = "rubric_items"
    __table_args__ = (CheckConstraint("max_score > 0", name="max_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("spotcheck_rounds.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(60))
    max_score: Mapped[float] = mapped_column(Float)
    description: Mapped[str] = mapped_column(Text, default="")

    round: Mapped[SpotCheckRound] = relationship(back_populates="items")


class SampledUnit(db.Model):
    __tablename__ = "sampled_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("spotcheck_rounds.id"), index=True)
    prefecture_id: Mapped[int] = mapped_column(ForeignKey("prefectures.id"), index=True)
    county_id: Mapped[int | None] = mapped_column(ForeignKey("counties.id"))
    name: Mapped[str] = mapped_column(String(100))
    draw_order: Mapped[int] = mapped_column(Integer)
    checked_on: Mapped[dt.date | None] = mapped_column(Date)

    round: Mapped[SpotCheckRound] = relationship(back_populates="units")
    prefecture: Mapped[Prefecture] = relationship()
    county: Mapped[County | None] = relationship()
    scores: Mapped[list[ItemScore]] = relationship(back_populates="unit")
    photos: Mapped[list[EvidencePhoto]] = relationship(back_populates="unit")


class ItemScore(db.Model):
    __tablename__ = "item_scores"
    __table_args__ = (
        UniqueConstraint("unit_id", "item_id", name="uq_item_scores_unit_item"),
        CheckConstraint("score >= 0", name="score_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("sampled_units.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("rubric_items.id"), index=True)
    score: Mapped[float] = mapped_column(Float)
    evidence: Mapped[str] = mapped_column(Text, default="")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    unit: Mapped[SampledUnit] = relationship(back_populates="scores")
    item: Mapped[RubricItem] = relationship()


class EvidencePhoto(StoredFile, db.Model):
    """A photo taken on site; the file lives in the instance folder, outside the web root."""

    __tablename__ = "evidence_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("sampled_units.id"), index=True)
    content_type: Mapped[str] = mapped_column(String(20))

    unit: Mapped[SampledUnit] = relationship(back_populates="photos")


class ScoreCorrection(db.Model):
    """A change to a score after the round was locked: who, when, why, from what to what."""

    __tablename__ = "score_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    score_id: Mapped[int] = mapped_column(ForeignKey("item_scores.id"), index=True)
    old_score: Mapped[float] = mapped_column(Float)
    new_score: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)
    corrected_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    corrected_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    score: Mapped[ItemScore] = relationship()
    corrected_by: Mapped[User] = relationship()

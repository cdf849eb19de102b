"""Prefectures and counties (reference data), enterprises and monitoring points (测评点)."""
from __future__ import annotations

import datetime as dt
import enum
import secrets

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..extensions import db
from ..timeutil import utcnow
from . import pinyin


class Prefecture(db.Model):
    """One of the 14 prefecture-level divisions (市州) under evaluation."""

    __tablename__ = "prefectures"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    name: Mapped[str] = mapped_column(String(40))
    slug: Mapped[str] = mapped_column(String(40), unique=True)

    counties: Mapped[list[County]] = relationship(
        back_populates="prefecture", order_by="County.code"
    )

    @property
    def short_code(self) -> str:
        """The 4-digit form used in case numbers, e.g. ``4301``."""
        return self.code[:4]


class County(db.Model):
    """A county-level division (县、县级市、市辖区)."""

    __tablename__ = "counties"
    __table_args__ = (UniqueConstraint("id", "prefecture_id", name="uq_counties_id_prefecture"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    name: Mapped[str] = mapped_column(String(40))
    prefecture_id: Mapped[int] = mapped_column(ForeignKey("prefectures.id"), index=True)

    prefecture: Mapped[Prefecture] = relationship(back_populates="counties")


class Enterprise(db.Model):
    """An investing enterprise (外来投资企业), identified by its unified social credit code."""

    __tablename__ = "enterprises"
    __table_args__ = (
        # The county must lie in the enterprise's prefecture: enforced by the database itself.
        ForeignKeyConstraint(
            ["county_id", "prefecture_id"],
            ["counties.id", "counties.prefecture_id"],
            name="fk_enterprises_county_in_prefecture",
        ),
        # The enterprise list's orders: by prefecture then name (its default), by name, by origin.
        Index("ix_enterprises_prefecture_name", "prefecture_id", "name", "id"),
        Index("ix_enterprises_name", "name", "id"),
        Index("ix_enterprises_origin", "origin_province", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_initials: Mapped[str] = mapped_column(String(pinyin.LENGTH), default="")  # follows the name
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    prefecture_id: Mapped[int] = mapped_column(ForeignKey("prefectures.id"), index=True)
    county_id: Mapped[int] = mapped_column(Integer, index=True)
    origin_province: Mapped[str] = mapped_column(String(20))
    origin_city: Mapped[str] = mapped_column(String(50), default="")
    industry: Mapped[str | None] = mapped_column(String(1))
    contact_name: Mapped[str] = mapped_column(String(60), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    contact_email: Mapped[str] = mapped_column(String(200), default="")  # survey invitations by e-mail
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    prefecture: Mapped[Prefecture] = relationship()
    county: Mapped[County] = relationship(
        primaryjoin="County.id == foreign(Enterprise.county_id)", viewonly=True
    )
    monitoring_point: Mapped[MonitoringPoint | None] = relationship(
        back_populates="enterprise", uselist=False
    )

    __mapper_args__ = {"version_id_col": version}

    @validates("name")
    def _keep_initials(self, key: str, name: str) -> str:
        self.name_initials = pinyin.initials(name)
        return name


class FilingStatus(enum.StrEnum):
    PENDING = "pending"
    FILED = "filed"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        return {"pending": "待备案", "filed": "已备案", "returned": "退回"}[self.value]


class MonitoringPoint(db.Model):
    """An enterprise registered as a monitoring point (测评点) of its prefecture.

    Seed 003: each prefecture picks ≥10 law-abiding, creditworthy enterprises, in principle one
    per county, and files them (备案) with the provincial office by 30 November.
    """

    __tablename__ = "monitoring_points"
    __table_args__ = (
        CheckConstraint("filing_status IN ('pending', 'filed', 'returned')", name="filing_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), unique=True)
    registered_on: Mapped[dt.date] = mapped_column(Date)
    filing_status: Mapped[str] = mapped_column(String(10), default=FilingStatus.PENDING.value)
    filed_on: Mapped[dt.date | None] = mapped_column(Date)
    withdrawn_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    # The point's personal feedback link (192 bits).
    feedback_token: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: secrets.token_urlsafe(24))

    enterprise: Mapped[Enterprise] = relationship(back_populates="monitoring_point")

    @property
    def prefecture_id(self) -> int:
        return self.enterprise.prefecture_id

    @property
    def filing_label(self) -> str:
        return FilingStatus(self.filing_status).label

    def in_force_on(self, day: dt.date) -> bool:
        return self.registered_on <= day and (self.withdrawn_on is None or self.withdrawn_on > day)

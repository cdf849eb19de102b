"""Reads of the registry: prefectures, counties and enterprises.

``visible_*`` functions return only what the current user may see (:mod:`investenv.access`);
the others read the whole province, for lookups by code and for choices that name every
prefecture."""
from __future__ import annotations

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from .. import access, listing
from ..extensions import db
from .credit_code import normalise
from .models import County, Enterprise, MonitoringPoint, Prefecture


def prefectures() -> list[Prefecture]:
    """Every prefecture, by code."""
    return list(db.session.scalars(select(Prefecture).order_by(Prefecture.code)))


def visible_prefectures() -> list[Prefecture]:
    """The prefectures the current user may see (all, or their own), by code."""
    return list(db.session.scalars(access.scope(select(Prefecture), Prefecture.id).order_by(Prefecture.code)))


def visible_counties() -> list[County]:
    """The counties of the prefectures the current user may see, by code."""
    return list(db.session.scalars(access.scope(select(County), County.prefecture_id).order_by(County.code)))


def prefecture_by_code(code: str) -> Prefecture | None:
    return db.session.scalar(select(Prefecture).where(Prefecture.code == code))


def county_by_code(code: str) -> County | None:
    return db.session.scalar(select(County).where(County.code == code))


def enterprise_by_credit_code(code: str) -> Enterprise | None:
    """The enterprise with this credit code (as typed: it is normalised first), anywhere."""
    return db.session.scalar(select(Enterprise).where(Enterprise.credit_code == normalise(code)))


def visible_enterprise_by_credit_code(code: str) -> Enterprise | None:
    """The enterprise with this credit code (normalised first), if the current user may see it."""
    stmt = select(Enterprise).where(Enterprise.credit_code == normalise(code))
    return db.session.scalar(access.scope(stmt, Enterprise.prefecture_id))


def visible_names_by_credit_code(codes: list[str]) -> dict[str, str]:
    """The names of the enterprises with these credit codes that the current user may see."""
    stmt = select(Enterprise.credit_code, Enterprise.name).where(Enterprise.credit_code.in_(codes))
    return {code: name for code, name in db.session.execute(access.scope(stmt, Enterprise.prefecture_id))}


def enterprises_of(prefecture: Prefecture) -> list[Enterprise]:
    """The prefecture's enterprises, by name."""
    return list(db.session.scalars(
        select(Enterprise).where(Enterprise.prefecture_id == prefecture.id).order_by(Enterprise.name)))


def search_enterprises(text: str, limit: int) -> list[Enterprise]:
    """The first ``limit`` enterprises the current user may see, by name, that match what was
    typed: part of the name, part of the pinyin initials (cshtsy or htsy for 长沙华天实业) or the
    beginning of the credit code."""
    text = text.strip()
    if not text:
        return []
    clauses = [Enterprise.name.like(f"%{text}%")]
    if text.isascii() and text.isalnum():
        clauses += [Enterprise.name_initials.like(f"%{text.lower()}%"), Enterprise.credit_code.like(f"{text.upper()}%")]
    stmt = access.scope(select(Enterprise), Enterprise.prefecture_id).where(or_(*clauses))
    return list(db.session.scalars(stmt.order_by(Enterprise.name, Enterprise.id).limit(limit)))


def visible_enterprise(enterprise_id: int) -> Enterprise | None:
    """The enterprise, if the current user may see it."""
    enterprise = db.session.get(Enterprise, enterprise_id)
    return enterprise if enterprise is not None and access.may_see_prefecture(enterprise.prefecture_id) else None


# The enterprise list's sortable columns (investenv.listing).
ENTERPRISE_SORTS = listing.Sorting({
    "name": ("企业名称", Enterprise.name), "credit_code": ("统一社会信用代码", Enterprise.credit_code),
    "prefecture": ("市州", (Enterprise.prefecture_id, Enterprise.name)), "county": ("县市区", Enterprise.county_id),
    "origin": ("投资方来源", Enterprise.origin_province),
}, default="prefecture", tiebreak=Enterprise.id)


def visible_enterprises(text: str = "", prefecture_code: str = "", points_only: bool = False,
                        sort: str = "prefecture", descending: bool = False) -> Select:
    """The statement (for paging or export) of the enterprises the current user may see whose
    name or credit code contains ``text``, of one prefecture if a code is given, only monitoring
    points in force if asked; sorted by ``sort`` (by prefecture, then name, by default)."""
    stmt = access.scope(select(Enterprise), Enterprise.prefecture_id).options(
        selectinload(Enterprise.prefecture), selectinload(Enterprise.county), selectinload(Enterprise.monitoring_point))
    if text:
        like = f"%{text}%"
        stmt = stmt.where(or_(Enterprise.name.like(like), Enterprise.credit_code.like(like.upper())))
    if prefecture_code:
        stmt = stmt.join(Enterprise.prefecture).where(Prefecture.code == prefecture_code)
    if points_only:
        stmt = stmt.join(Enterprise.monitoring_point).where(MonitoringPoint.withdrawn_on.is_(None))
    return stmt.order_by(*ENTERPRISE_SORTS.order(sort, descending))

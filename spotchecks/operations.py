"""State changes of spot checks: rounds, rubric, drawing the sample, scores, locking,
and the logged corrections after locking."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from investenv import uploads
from investenv.errors import RuleError
from investenv.extensions import db
from investenv.registry.models import County, Prefecture
from investenv.timeutil import utcnow

from . import sampling
from .models import (
    DEFAULT_RUBRIC,
    EvidencePhoto,
    ItemScore,
    RubricItem,
    SampledUnit,
    ScoreCorrection,
    SpotCheckRound,
)

PHOTO_LIMIT = 5 * 1024 * 1024


def _unlocked(survey_round: SpotCheckRound) -> None:
    if survey_round.locked:
        raise RuleError(f"“{survey_round.title}”已于 {survey_round.locked_at:%Y-%m-%d} 锁定，不能再录入或修改；如需更正，请使用“更正”并说明理由。")


def create_round(year: int, title: str, seed: int, per_prefecture: int) -> SpotCheckRound:
    title = title.strip() or f"{year} 年联合调研小组抽样调查"
    if db.session.scalar(select(SpotCheckRound.id).where(SpotCheckRound.title == title)) is not None:
        raise RuleError(f"已有名为“{title}”的抽查轮次。", field="title")
    if not 1 <= per_prefecture <= 50:
        raise RuleError("每个市州抽查 1–50 个单位。", field="per_prefecture")
    prefectures = db.session.scalars(
        select(Prefecture).options(selectinload(Prefecture.counties)).order_by(Prefecture.code)
    ).all()
    frame = [[u.prefecture_code, u.county_code, u.name] for u in sampling.default_frame(prefectures)]
    check_round = SpotCheckRound(year=year, title=title, seed=seed, per_prefecture=per_prefecture, frame=frame)
    db.session.add(check_round)
    for position, (item_title, max_score, description) in enumerate(DEFAULT_RUBRIC, start=1):
        db.session.add(RubricItem(round=check_round, position=position, title=item_title, max_score=max_score,
                                  description=description))
    db.session.flush()
    return check_round


def save_item(check_round: SpotCheckRound, item: RubricItem | None, title: str, max_score: float, description: str) -> RubricItem:
    """Add or change a rubric item; its maximum may not fall below a score already given."""
    _unlocked(check_round)
    title = title.strip()
    if not title:
        raise RuleError("请填写检查项目名称。", field="title")
    if max_score is None or max_score <= 0:
        raise RuleError("满分必须大于 0。", field="max_score")
    if item is not None:
        highest = db.session.scalar(select(ItemScore.score).where(ItemScore.item_id == item.id).order_by(ItemScore.score.desc()))
        if highest is not None and max_score < highest:
            raise RuleError(f"已有单位在此项得 {highest:g} 分，满分不能低于该分数。", field="max_score")
    else:
        item = RubricItem(round=check_round, position=len(check_round.items) + 1)
        db.session.add(item)
    item.title, item.max_score, item.description = title, float(max_score), description.strip()
    db.session.flush()
    return item


def frame_units(check_round: SpotCheckRound) -> list[sampling.Unit]:
    return [sampling.Unit(*row) for row in check_round.frame]


def draw(check_round: SpotCheckRound) -> list[SampledUnit]:
    """Draw the sample once, from the stored seed and frame."""
    _unlocked(check_round)
    if check_round.drawn:
        raise RuleError("本轮已经抽样，不能重抽（重抽会改变样本）。")
    prefectures = {p.code: p for p in db.session.scalars(select(Prefecture))}
    counties = {c.code: c for c in db.session.scalars(select(County))}
    units = []
    for order, unit in enumerate(sampling.draw(frame_units(check_round), check_round.seed, check_round.per_prefecture), 1):
        county = counties.get(unit.county_code)
        units.append(SampledUnit(round=check_round, prefecture_id=prefectures[unit.prefecture_code].id,
                                 county_id=county.id if county else None, name=unit.name, draw_order=order))
    db.session.add_all(units)
    check_round.drawn = True
    db.session.flush()
    return units


def sample_reproduces(check_round: SpotCheckRound) -> bool:
    """Whether redrawing from the stored seed and frame gives exactly the stored sample."""
    again = sampling.draw(frame_units(check_round), check_round.seed, check_round.per_prefecture)
    return [u.name for u in again] == [u.name for u in check_round.units]


def enter_scores(
    unit: SampledUnit, values: dict[int, tuple[float | None, str]], checked_on: dt.date, user_id: int, today: dt.date
) -> dict[str, str]:
    """Record the item scores of one unit; returns errors by item (nothing saved if any)."""
    _unlocked(unit.round)
    errors: dict[str, str] = {}
    if checked_on > today:
        errors["checked_on"] = "检查日期不能晚于今天"
    elif checked_on.year != unit.round.year:
        errors["checked_on"] = f"检查日期应在 {unit.round.year} 年内"
    items = {i.id: i for i in unit.round.items}
    for item_id, (score, _) in values.items():
        item = items[item_id]
        if score is None:
            errors[f"item-{item_id}"] = "请填写得分"
        elif score < 0:
            errors[f"item-{item_id}"] = "得分不能为负数"
        elif score > item.max_score:
            errors[f"item-{item_id}"] = f"得分不能超过满分 {item.max_score:g}"
    if errors:
        return errors
    existing = {s.item_id: s for s in unit.scores}
    for item_id, (score, evidence) in values.items():
        record = existing.get(item_id) or ItemScore(unit=unit, item_id=item_id)
        record.score, record.evidence, record.entered_by_id = float(score), evidence.strip(), user_id
        db.session.add(record)
    unit.checked_on = checked_on
    db.session.flush()
    return {}


def add_photo(unit: SampledUnit, data: bytes, user_id: int, folder: Path) -> EvidencePhoto:
    """Store a JPEG or PNG, recognised by its content, never by its file name."""
    _unlocked(unit.round)
    stored, content_type = uploads.store(data, folder, ("jpeg", "png"), PHOTO_LIMIT, "photo")
    photo = EvidencePhoto(unit=unit, stored_name=stored, content_type=content_type, size=len(data), uploaded_by_id=user_id)
    db.session.add(photo)
    db.session.flush()
    return photo


def incomplete_units(check_round: SpotCheckRound) -> list[SampledUnit]:
    wanted = {i.id for i in check_round.items}
    return [u for u in check_round.units if {s.item_id for s in u.scores} != wanted]


def lock(check_round: SpotCheckRound, user_id: int) -> None:
    _unlocked(check_round)
    if not check_round.drawn:
        raise RuleError("尚未抽样，不能锁定。")
    missing = incomplete_units(check_round)
    if missing:
        raise RuleError(f"还有 {len(missing)} 个单位未录完分数（如 {missing[0].name}），不能锁定。")
    check_round.locked_at, check_round.locked_by_id = utcnow(), user_id
    db.session.flush()


def correct(score: ItemScore, new_score: float | None, reason: str, user_id: int) -> ScoreCorrection:
    """Change a score of a locked round; the reason is required and the change is logged."""
    if not score.unit.round.locked:
        raise RuleError("本轮尚未锁定，请直接修改分数。")
    if not reason.strip():
        raise RuleError("请说明更正理由。", field="reason")
    if new_score is None or not 0 <= new_score <= score.item.max_score:
        raise RuleError(f"得分应在 0 到 {score.item.max_score:g} 之间。", field="new_score")
    correction = ScoreCorrection(score=score, old_score=score.score, new_score=float(new_score),
                                 reason=reason.strip(), corrected_by_id=user_id)
    score.score = float(new_score)
    db.session.add(correction)
    db.session.flush()
    return correction

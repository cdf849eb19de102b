"""``responses.csv``: the survey's part of the evaluation bundle, export and all-or-nothing import.

Columns: ``response_id, enterprise_code, prefecture_code, year, channel, submitted_on,
q1 … q33, q5_other … q28_other, origin_province, origin_city, occupation`` (see
docs/data-formats.md).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from investenv.extensions import db
from investenv.registry.models import Enterprise, Prefecture
from investenv.tabular import Column, RowError, read_table, row_date

from . import operations
from . import questionnaire as qn
from .models import Channel, Response, SurveyRound

META = ["response_id", "enterprise_code", "prefecture_code", "year", "channel", "submitted_on"]


def header(version: str = qn.DEFAULT_VERSION) -> list[str]:
    return META + qn.load(version).columns


def export_rows(year: int) -> tuple[list[str], list[list[str]]]:
    """Every response of the year's rounds, one row each, in a stable order."""
    rounds = db.session.scalars(select(SurveyRound).where(SurveyRound.year == year)).all()
    version = rounds[0].questionnaire_version if rounds else qn.DEFAULT_VERSION
    columns = qn.load(version).columns
    responses = db.session.scalars(
        select(Response)
        .where(Response.round_id.in_([r.id for r in rounds]))
        .options(selectinload(Response.prefecture), selectinload(Response.enterprise))
        .order_by(Response.submitted_on, Response.public_id)
    )
    rows = [
        [
            r.public_id, r.enterprise.credit_code if r.enterprise else "", r.prefecture.code, str(year),
            r.channel, r.submitted_on.isoformat(), *[r.answers.get(c, "") for c in columns],
        ]
        for r in responses
    ]
    return META + columns, rows


def import_responses(data: bytes, max_bytes: int, survey_round: SurveyRound, day: dt.date) -> tuple[int, list[RowError]]:
    """Validate every row against the questionnaire, then write all rows or none.

    Rows are for paper forms keyed in a spreadsheet: the round must be open for entry (not
    closed), and an anonymous round ignores ``enterprise_code``.
    """
    questionnaire = qn.load(survey_round.questionnaire_version)
    columns = [Column(k, k, required=k in ("prefecture_code",) or k.startswith("q") and "_" not in k)
               for k in META + questionnaire.columns]
    rows = read_table(data, columns, max_bytes)
    if day > survey_round.closes_on:
        return 0, [RowError(0, "round", f"调查轮次“{survey_round.title}”已于 {survey_round.closes_on} 截止，不能再导入答卷")]
    prefectures = {p.code: p for p in db.session.scalars(select(Prefecture))}
    errors: list[RowError] = []
    planned = []
    for row in rows:
        values = row.values
        prefecture = prefectures.get(values["prefecture_code"].strip())
        if prefecture is None:
            errors.append(RowError(row.number, "prefecture_code", f"未知的市州代码：{values['prefecture_code'] or '（空）'}"))
        if values["year"].strip() and values["year"].strip() != str(survey_round.year):
            errors.append(RowError(row.number, "year", f"年度 {values['year']} 与调查轮次的年度 {survey_round.year} 不符"))
        submitted = row_date(row, "submitted_on", day, errors)
        enterprise_id = None
        code = values["enterprise_code"].strip()
        if code and not survey_round.anonymous:
            enterprise_id = db.session.scalar(select(Enterprise.id).where(Enterprise.credit_code == code))
            if enterprise_id is None:
                errors.append(RowError(row.number, "enterprise_code", f"企业名录中没有统一社会信用代码 {code}"))
        clean, answer_errors = questionnaire.clean(values)
        errors += [RowError(row.number, key, message) for key, message in answer_errors.items()]
        planned.append((prefecture, enterprise_id, clean, submitted))
    if errors:
        return 0, errors
    for prefecture, enterprise_id, clean, submitted in planned:
        operations.record_response(survey_round, prefecture.id, None, enterprise_id, Channel.IMPORT, clean, submitted)
    return len(planned), []

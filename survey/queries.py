"""Reads of the survey: rounds, invitations and paper forms, response tracking per prefecture,
and aggregate results with small-cell suppression.  ``visible_*`` functions return only what the
current user may see (:mod:`investenv.access`)."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import Integer, Select, cast, false, func, or_, select, true
from sqlalchemy.orm import selectinload

from investenv import access, listing, timeutil
from investenv.auth.models import User
from investenv.extensions import db
from investenv.permissions import PERMISSIONS
from investenv.registry.models import County, Enterprise, Prefecture

from . import questionnaire as qn
from .models import Channel, Draft, Invitation, PaperForm, Response, SurveyRound

SUPPRESS_BELOW = access.SMALL_CELL


def rounds() -> list[SurveyRound]:
    """Every round, newest first."""
    return list(db.session.scalars(select(SurveyRound).order_by(SurveyRound.year.desc(), SurveyRound.id.desc())))


# The invitation list's sortable columns (investenv.listing).
INVITATION_SORTS = listing.Sorting({
    "enterprise": ("企业", Enterprise.name), "prefecture": ("市州", (Invitation.prefecture_id, Enterprise.name)),
    "status": ("状态", (Invitation.used, Enterprise.name)),
}, default="prefecture", tiebreak=Invitation.id)


def invitations_view(survey_round: SurveyRound, prefecture_code: str = "", pending_only: bool = False,
                     text: str = "", sort: str = "prefecture", descending: bool = False,
                     with_revoked: bool = False) -> Select:
    """The statement of the round's live (not revoked) invitations the current user may see, of
    one prefecture if a code is given, only the unused ones if asked, of the enterprises whose name
    contains ``text``, the revoked ones too if asked (the list page, to restore them); by
    prefecture, then enterprise name, unless sorted otherwise."""
    stmt = (
        access.scope(select(Invitation), Invitation.prefecture_id)
        .where(Invitation.round_id == survey_round.id, true() if with_revoked else Invitation.revoked.is_(False))
        .join(Invitation.enterprise, isouter=True)  # every invitation has one; outer, so that a count drops the join
        .options(selectinload(Invitation.enterprise).selectinload(Enterprise.county), selectinload(Invitation.draft))
        .order_by(*INVITATION_SORTS.order(sort, descending))
    )
    if prefecture_code:
        stmt = stmt.join(Prefecture, Prefecture.id == Invitation.prefecture_id).where(Prefecture.code == prefecture_code)
    if pending_only:
        stmt = stmt.where(Invitation.used.is_(False))
    if text:
        stmt = stmt.where(Enterprise.name.like(f"%{text}%"))
    return stmt


def visible_invitations(survey_round: SurveyRound, prefecture_code: str = "", pending_only: bool = False,
                        text: str = "") -> list[Invitation]:
    """Every invitation of :func:`invitations_view` (for letters, messages and downloads)."""
    return list(db.session.scalars(invitations_view(survey_round, prefecture_code, pending_only, text)))


def visible_paper_forms(survey_round: SurveyRound) -> list[PaperForm]:
    """The round's keyed paper forms the current user may see: those awaiting their second
    keying or adjudication first, then by form code."""
    stmt = access.scope(select(PaperForm), PaperForm.prefecture_id).where(PaperForm.round_id == survey_round.id)
    return list(db.session.scalars(stmt.order_by(PaperForm.verified, PaperForm.form_code)))


# A keyed form's state as the list filters it: key → (label, condition); the model's ``status``.
PAPER_STATES = {
    "first": ("待第二次录入", (PaperForm.verified == false()) & PaperForm.second_clerk_id.is_(None)),
    "mismatch": ("待裁定", (PaperForm.verified == false()) & PaperForm.second_clerk_id.is_not(None)),
    "verified": ("已核对", PaperForm.verified == true()),
}
# The paper-form list's sortable columns (investenv.listing): by state, the forms not yet verified
# first (the order of the index ix_paper_forms_queue).
PAPER_SORTS = listing.Sorting({
    "code": ("编号", PaperForm.form_code), "prefecture": ("市州", (PaperForm.prefecture_id, PaperForm.form_code)),
    "status": ("状态", (PaperForm.verified, PaperForm.form_code)),
    "updated": ("最后录入", PaperForm.updated_at),
}, default="status", tiebreak=PaperForm.id)


def paper_forms_view(survey_round: SurveyRound, state: str = "", prefecture_code: str = "", county_code: str = "",
                     clerk_id: int | None = None, since: dt.date | None = None, until: dt.date | None = None,
                     code: str = "", sort: str = "status", descending: bool = False) -> Select:
    """The statement (for paging or export) of the round's keyed paper forms the current user may
    see: in one :data:`PAPER_STATES` state, of one prefecture and one county (the county keyed
    first until the form is verified), keyed by one clerk (first or second keying), last keyed
    between ``since`` and ``until`` (China days, inclusive), whose number contains ``code``; those
    not yet verified first, by number, unless sorted otherwise."""
    stmt = (access.scope(select(PaperForm), PaperForm.prefecture_id).where(PaperForm.round_id == survey_round.id)
            .options(selectinload(PaperForm.prefecture), selectinload(PaperForm.county)))
    if state in PAPER_STATES:
        stmt = stmt.where(PAPER_STATES[state][1])
    if prefecture_code:
        stmt = stmt.where(PaperForm.prefecture_id == select(Prefecture.id).where(Prefecture.code == prefecture_code)
                          .scalar_subquery())
    if county_code:
        county_id = select(County.id).where(County.code == county_code).scalar_subquery()
        stmt = stmt.where(or_(PaperForm.county_id == county_id, PaperForm.county_id.is_(None)
                              & (PaperForm.first_answers["county"].as_string() == county_code)))
    if clerk_id is not None:
        stmt = stmt.where(or_(PaperForm.first_clerk_id == clerk_id, PaperForm.second_clerk_id == clerk_id))
    if since:
        stmt = stmt.where(PaperForm.updated_at >= timeutil.utc_start_of(since))
    if until:
        stmt = stmt.where(PaperForm.updated_at < timeutil.utc_start_of(until + dt.timedelta(days=1)))
    if code:
        stmt = stmt.where(PaperForm.form_code.like(f"%{code}%"))
    return stmt.order_by(*PAPER_SORTS.order(sort, descending))


def paper_clerks() -> dict[int, str]:
    """The accounts that may key paper forms (active or not: they may have keyed before), by id."""
    users = db.session.scalars(select(User).where(User.role.in_(PERMISSIONS["key_paper_forms"])).order_by(User.id))
    return {u.id: u.display_name for u in users}


@dataclass
class Progress:
    prefecture: Prefecture
    invited: int = 0
    started: int = 0
    submitted: int = 0
    paper: int = 0

    @property
    def rate(self) -> float | None:
        return self.submitted / self.invited if self.invited else None


def round_progress(survey_round: SurveyRound, prefecture_ids: set[int] | None) -> list[Progress]:
    """Invited, started, submitted (online) and paper counts per prefecture."""
    stmt = select(Prefecture).order_by(Prefecture.code)
    if prefecture_ids is not None:
        stmt = stmt.where(Prefecture.id.in_(prefecture_ids))
    rows = {p.id: Progress(p) for p in db.session.scalars(stmt)}
    live = (Invitation.round_id == survey_round.id) & Invitation.revoked.is_(False)
    counts = db.session.execute(
        select(
            Invitation.prefecture_id,
            func.count(),
            func.count(Draft.id) + func.sum(cast(Invitation.used, Integer)),
            func.sum(cast(Invitation.used, Integer)),
        )
        .outerjoin(Draft, Draft.invitation_id == Invitation.id)
        .where(live)
        .group_by(Invitation.prefecture_id)
    )
    for pid, invited, started, submitted in counts:
        if pid in rows:
            rows[pid].invited, rows[pid].started, rows[pid].submitted = invited, started or 0, submitted or 0
    paper = db.session.execute(
        select(Response.prefecture_id, func.count())
        .where(Response.round_id == survey_round.id, Response.channel == Channel.PAPER.value)
        .group_by(Response.prefecture_id)
    )
    for pid, count in paper:
        if pid in rows:
            rows[pid].paper = count
    return list(rows.values())


@dataclass
class CountyProgress:
    """What prefecture staff see of a round while it runs: per county, how many enterprises were
    invited and, coarsely, how many answered online — never which ones."""
    county: County
    invited: int
    submitted: int

    @property
    def submitted_shown(self) -> str:
        return str(self.submitted) if self.submitted >= SUPPRESS_BELOW else f"少于 {SUPPRESS_BELOW}"


def county_progress(survey_round: SurveyRound, prefecture_id: int) -> list[CountyProgress]:
    """Invited and submitted counts per county of one prefecture (submitted suppressed below
    :data:`SUPPRESS_BELOW`)."""
    live = (Invitation.round_id == survey_round.id) & Invitation.revoked.is_(False)
    counts = dict((county_id, (invited, submitted or 0)) for county_id, invited, submitted in db.session.execute(
        select(Enterprise.county_id, func.count(), func.sum(cast(Invitation.used, Integer)))
        .join(Invitation.enterprise).where(live, Invitation.prefecture_id == prefecture_id)
        .group_by(Enterprise.county_id)))
    counties = db.session.scalars(select(County).where(County.prefecture_id == prefecture_id).order_by(County.code))
    return [CountyProgress(c, *counts.get(c.id, (0, 0))) for c in counties]


@dataclass
class QuestionResult:
    question: qn.Question
    answered: int
    counts: dict[str, int | None] = field(default_factory=dict)  # None: suppressed

    @property
    def suppressed(self) -> bool:
        return any(v is None for v in self.counts.values())

    def share(self, code: str) -> float | None:
        """The option's percentage of those who answered the question; None where its count is
        suppressed or nobody answered."""
        n = self.counts[code]
        return None if n is None or not self.answered else 100 * n / self.answered


def results(
    survey_round: SurveyRound, prefecture_id: int | None, suppress: bool
) -> tuple[int, list[QuestionResult]]:
    """Option counts per choice question; with ``suppress``, counts of 1–4 respondents are
    hidden, and one more cell in a row if only one would be (so it cannot be derived)."""
    stmt = select(Response.answers).where(Response.round_id == survey_round.id)
    if prefecture_id is not None:
        stmt = stmt.where(Response.prefecture_id == prefecture_id)
    answers = list(db.session.scalars(stmt))
    questionnaire = qn.load(survey_round.questionnaire_version)
    out = []
    for question in questionnaire.questions:
        if question.kind == "text":
            continue
        values = [a[question.key] for a in answers if a.get(question.key)]
        counts = {o.code: sum(o.code in v for v in values) for o in question.choices}
        result = QuestionResult(question, len(values), dict(counts))
        if suppress:
            _suppress(result)
        out.append(result)
    return len(answers), out


def results_sheet(rows: list[QuestionResult], province: dict[str, QuestionResult]) -> tuple[list[str], list[list]]:
    """The results as a table for download: a row per option, with its count ("<5" where
    suppressed) and percentage, and the province's beside them when ``province`` is given."""
    header = ["题号", "题目", "选项", "选项内容", "人数", "百分比"] + (["全省人数", "全省百分比"] if province else [])
    table = []
    for row in rows:
        for option in row.question.choices:
            cells = [row.question.number, row.question.text, option.code, option.text]
            for result in [row] + ([province[row.question.key]] if province else []):
                n, share = result.counts[option.code], result.share(option.code)
                cells += [f"<{SUPPRESS_BELOW}" if n is None else n, None if share is None else round(share, 1)]
            table.append(cells)
    return header, table


def _suppress(result: QuestionResult) -> None:
    if result.answered < SUPPRESS_BELOW:
        result.counts = {code: None for code in result.counts}
        return
    small = [c for c, n in result.counts.items() if 0 < n < SUPPRESS_BELOW]
    if len(small) == 1:
        others = sorted((n, c) for c, n in result.counts.items() if n > 0 and c not in small)
        if others:
            small.append(others[0][1])
    for code in small:
        result.counts[code] = None


def open_texts(survey_round: SurveyRound, prefecture_id: int | None) -> dict[int, list[str]]:
    """The open-text answers (Q32, Q33), without any identity, in a stable shuffled order."""
    stmt = select(Response.answers).where(Response.round_id == survey_round.id)
    if prefecture_id is not None:
        stmt = stmt.where(Response.prefecture_id == prefecture_id)
    questionnaire = qn.load(survey_round.questionnaire_version)
    rows = list(db.session.scalars(stmt.order_by(Response.public_id)))
    return {
        q.number: [a[q.key] for a in rows if a.get(q.key)] for q in questionnaire.questions if q.kind == "text"
    }


def closing_answers(survey_round: SurveyRound) -> list[tuple[qn.FooterField, list[tuple[str, int]]]]:
    """The closing fields (来自的省、市（区）、职业), each field on its own: the values given and how
    often, most frequent first; never combined with each other or with any other answer."""
    questionnaire = qn.load(survey_round.questionnaire_version)
    rows = list(db.session.scalars(select(Response.answers).where(Response.round_id == survey_round.id)))
    tallies = []
    for closing in questionnaire.footer:
        counts = Counter(a[closing.key] for a in rows if a.get(closing.key))
        tallies.append((closing, sorted(counts.items(), key=lambda item: (-item[1], item[0]))))
    return tallies

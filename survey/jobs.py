"""The survey's long work, run by the worker (:mod:`investenv.jobs.queue`): numbered paper
questionnaires and invitation letters as PDF."""
from __future__ import annotations

from sqlalchemy import select

from investenv.extensions import db
from investenv.jobs.queue import Output, Progress

from . import documents, operations
from .models import Invitation, SurveyRound

LINK_PREFIX = "/s"  # the enterprise's pages: LINK_PREFIX/<token>


def personal_link(base_url: str, token: str) -> str:
    """The full address of an enterprise's questionnaire."""
    return f"{base_url}{LINK_PREFIX}/{token}"


def paper_forms(params: dict, progress: Progress) -> Output:
    """``params``: round_id, prefecture_code, start, count."""
    survey_round = db.session.get(SurveyRound, params["round_id"])
    codes = [operations.paper_form_code(params["prefecture_code"], n)
             for n in range(params["start"], params["start"] + params["count"])]
    body = documents.paper_pdf(survey_round, codes, lambda done: progress("排版纸质问卷", done, len(codes)))
    return Output(body, f"paper-{params['prefecture_code']}.pdf", "application/pdf")


def letters(params: dict, progress: Progress) -> Output:
    """``params``: round_id, invitation_ids (already scoped by the view), base_url."""
    survey_round = db.session.get(SurveyRound, params["round_id"])
    found = db.session.scalars(select(Invitation).where(Invitation.id.in_(params["invitation_ids"]))
                               .order_by(Invitation.id)).all()
    body = documents.letters_pdf(survey_round, found, lambda i: personal_link(params["base_url"], i.token),
                                 lambda done: progress("制作邀请函", done, len(found)))
    return Output(body, "letters.pdf", "application/pdf")

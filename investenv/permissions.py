"""Who may do what: the roles, their groups, and one named permission per kind of action.

Views (``@permission_required("take_complaints")``), the JSON API and templates
(``{% if can.take_complaints %}``) all ask :func:`can` with the same names, so a rule is written
once.  Which *rows* a user may see is a different question, answered in the queries
(:mod:`investenv.access`): prefecture staff are confined to their own prefecture.  Rules that
depend on a case's own history (who handled it may not rate it) are business rules in the
domain's operations.

This module is a leaf: it imports no project code, so every package may import it.
"""
from __future__ import annotations

import enum
from functools import wraps

from flask import abort
from flask_login import current_user, login_required


class Role(enum.StrEnum):
    ADMIN = "admin"
    ANALYST = "analyst"
    CENTRE = "centre"
    PREFECTURE = "prefecture"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: "省级管理员",
    Role.ANALYST: "省级分析员",
    Role.CENTRE: "投诉中心工作人员",
    Role.PREFECTURE: "市州工作人员",
}

# Role groups.
STAFF = frozenset(Role)
PROVINCIAL = frozenset({Role.ADMIN, Role.ANALYST, Role.CENTRE})   # see every prefecture
OFFICE = frozenset({Role.ADMIN, Role.ANALYST})                    # the provincial office's evaluation
CENTRE = frozenset({Role.ADMIN, Role.CENTRE})                     # the complaint centre and the joint team
EDITORS = frozenset({Role.ADMIN, Role.CENTRE, Role.PREFECTURE})   # everyone who changes data; analysts read
ADMINS = frozenset({Role.ADMIN})
EVALUATED = OFFICE | {Role.PREFECTURE}                            # the office and the prefectures it ranks

PERMISSIONS: dict[str, frozenset[Role]] = {
    # Reading
    "use_staff_pages": STAFF,             # any staff page (rows scoped by prefecture in the queries)
    "read_open_answers": PROVINCIAL,      # open answers and monitoring points' remarks
    "read_live_results": PROVINCIAL,      # answer and rating aggregates while collection is still open
    "export_responses": OFFICE,           # the year's responses.csv
    "view_evaluation": OFFICE,            # every drill-down, live preview, runs, dashboard, report, bulletin, workbook
    "view_published_evaluation": EVALUATED,  # the published ranking, the own drill-down, versions, reviews, the method
    # The registry and a prefecture's own work
    "edit_prefecture_data": EDITORS,      # enterprises, monitoring points, imports, invitations, paper forms, hotlines
    "file_monitoring_points": CENTRE,     # the provincial office's filing (备案) of monitoring points
    "manage_survey_rounds": CENTRE,       # new rounds, inviting enterprises
    "handle_personal_links": CENTRE,      # enterprises' personal links, letters, response status, reminders
    "key_paper_forms": CENTRE,            # printing, keying and adjudicating paper questionnaires
    # Complaints
    "take_complaints": CENTRE,            # intake, acceptance, routing, closure, reopening, objections, return visits
    "handle_complaints": EDITORS,         # start, extend, report progress, note, reply, attach, register inspections
    "correct_visits": ADMINS,             # a reasoned correction of a recorded satisfaction rating
    # The project ledger
    "edit_projects": EDITORS,             # projects, stage changes, monthly reports, unfulfilled-project reports, imports
    "coordinate_projects": CENTRE,        # escalating a problem to the province, reviewing unfulfilled-project reports
    "set_project_targets": ADMINS,        # each prefecture's yearly targets
    # Spot checks
    "run_spot_checks": CENTRE,            # rounds, rubric, sample, scores, locking, corrections
    # The annual evaluation
    "publish_evaluation": ADMINS,         # store a run of the year and publish it as the next version
    "file_objections": frozenset({Role.PREFECTURE}),  # request a review (复核申请) of the own published result
    "answer_objections": OFFICE,          # accept (then correct and publish anew) or reject a request for review
    # Administration
    "manage_accounts": ADMINS,
    "read_audit_log": ADMINS,
    "manage_notice_contacts": ADMINS,     # the prefectures' contacts who receive transfers and deadline warnings
    "enter_calendar": ADMINS,             # next year's official holiday arrangement
}


def can(permission: str, user=None) -> bool:
    """Whether ``user`` (default: the current user) holds ``permission``; an unknown name is a
    programming error (``KeyError``), never a silent refusal."""
    roles = PERMISSIONS[permission]
    user = current_user if user is None else user
    return bool(user and user.is_authenticated and user.role in roles)


def permission_required(permission: str):
    """Require a logged-in user holding ``permission``; others get 403 (anonymous users the login page)."""
    PERMISSIONS[permission]  # fail at import time on a misspelt name

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not can(permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


class CurrentPermissions:
    """``can.take_complaints`` in templates: the current user's permission by attribute."""

    def __getattr__(self, permission: str) -> bool:
        return can(permission)

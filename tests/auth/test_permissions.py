"""Permissions are written once (investenv.permissions) and asked by name everywhere."""
import re
from pathlib import Path

import pytest

from investenv.permissions import PERMISSIONS, Role, can, permission_required

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
SOURCES = [p for package in ("investenv", "survey", "complaints", "feedback", "spotchecks", "evaluation", "projects")
           for p in (TEMPLATES.parent / package).rglob("*.py") if "migrations" not in p.parts]


class _User:
    is_authenticated = True

    def __init__(self, role: Role):
        self.role = role.value


# The matrix as the office decided it: a change here is a change of policy, made on purpose.
EXPECTED = {
    Role.ADMIN: set(PERMISSIONS) - {"file_objections"},  # a request for review comes from a prefecture
    Role.ANALYST: {"use_staff_pages", "read_open_answers", "read_live_results", "export_responses", "view_evaluation",
                   "view_published_evaluation", "answer_objections"},
    Role.CENTRE: {"use_staff_pages", "read_open_answers", "read_live_results", "edit_prefecture_data",
                  "file_monitoring_points", "manage_survey_rounds", "handle_personal_links", "key_paper_forms",
                  "take_complaints", "handle_complaints", "run_spot_checks", "edit_projects", "coordinate_projects"},
    Role.PREFECTURE: {"use_staff_pages", "edit_prefecture_data", "handle_complaints", "view_published_evaluation",
                      "file_objections", "edit_projects"},
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_holds_exactly_its_permissions(role):
    assert {name for name in PERMISSIONS if can(name, _User(role))} == EXPECTED[role]


def test_an_unknown_permission_is_an_error_not_a_refusal():
    with pytest.raises(KeyError):
        can("do_anything", _User(Role.ADMIN))
    with pytest.raises(KeyError):
        permission_required("do_anything")


def test_templates_ask_permissions_by_name_and_never_test_roles():
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text("utf-8")
        assert not re.search(r"current_user\.role\b", text), f"{path}: ask can.<permission> instead of the role"
        for name in re.findall(r"\bcan\.(\w+)", text):
            assert name in PERMISSIONS, f"{path}: unknown permission {name}"


def test_views_and_api_ask_permissions_by_name_and_never_test_roles():
    for path in SOURCES:
        if path.name == "permissions.py":
            continue
        text = path.read_text("utf-8")
        assert not re.search(r"\.role\s*(?:not\s+)?in\b|\.role\s*[!=]=", text), f"{path}: use can(<permission>)"
        for name in re.findall(r"""(?:permission_required|can|authenticated)\(["'](\w+)["']""", text):
            assert name in PERMISSIONS, f"{path}: unknown permission {name}"

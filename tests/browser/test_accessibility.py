"""Every page of the URL map that the demo year reaches passes axe-core with no violation, at a
phone's width (360 px) and a desktop's (1280 px), for each role that can open it and for visitors.

The walk is the one of tests/test_scoping.py: every GET route, its arguments filled with the demo's
objects.  A new GET route fails here until it is walked (it gets demo arguments below, or is named
as no page: a download, JSON, a redirect).  axe-core comes from npm (scripts/test.sh installs it
into .cache/axe-core); its axe.min.js is injected into each page.
"""
import os
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from complaints.models import Complaint
from complaints.operations import hash_secret
from evaluation.models import EvaluationRun, Objection
from investenv.extensions import db
from investenv.registry.models import Enterprise, MonitoringPoint, Prefecture
from projects.models import Problem, Project, UnfulfilledReport
from spotchecks.models import SampledUnit, SpotCheckRound
from survey.models import Invitation, PaperForm, SurveyRound

from ..conftest import PASSWORD, unavailable

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(os.environ.get("INVESTENV_AXE") or ROOT / ".cache/axe-core/node_modules/axe-core/axe.min.js")
WIDTHS = (1280, 360)
ROLES = ("admin", "analyst", "centre", "prefecture", None)  # None: a visitor without a session
LOOKUP_CODE = "A11Y2026"

# GET routes that are no page a person reads: downloads, JSON, the health check, redirects.
NOT_PAGES = {
    "static", "web.health", "api.openapi", "api.read", "registry.export", "registry.import_template",
    "survey.invitation_links", "survey.paper_print", "survey.export_responses", "survey.export_results",
    "complaints.export_cases", "complaints.intake_search", "audit.export",
    "complaints.kpi_report", "complaints.download", "spotchecks.frame", "spotchecks.photo",
    "projects.import_template", "projects.overview_report", "jobs.file",
    "feedback.export_reports", "survey.export_paper_forms",
    "evaluation.dashboard_year",  # redirects to the year's dashboard
}
# Pages that the demo year has nothing for; their templates are walked by tests of their own.
NOT_IN_DEMO = {
    "jobs.job": "the demo has no job",
}


def _demo_arguments(prefecture_code: str) -> dict[str, dict]:
    """Each route's URL arguments, filled with the demo year's objects."""
    first = lambda model, *where: db.session.scalar(sa.select(model).where(*where).order_by(model.id).limit(1))  # noqa: E731
    prefecture = db.session.scalar(sa.select(Prefecture).where(Prefecture.code == prefecture_code))
    survey_round = first(SurveyRound)
    invitation = first(Invitation, Invitation.used.is_(False), Invitation.revoked.is_(False))
    enterprise = first(Enterprise, Enterprise.county.has(prefecture_id=prefecture.id))
    paper = next(p for p in db.session.scalars(sa.select(PaperForm).order_by(PaperForm.id)) if p.status == "mismatch")
    case = first(Complaint, Complaint.prefecture_id == prefecture.id)
    project = first(Project, Project.prefecture_id == prefecture.id)
    check_round = first(SpotCheckRound)
    unit = first(SampledUnit, SampledUnit.prefecture_id == prefecture.id)
    point = first(MonitoringPoint, MonitoringPoint.withdrawn_on.is_(None))
    year = {"year": 2026}
    return {
        "auth.edit_user": {"user_id": 1},
        "registry.prefecture": {"code": prefecture_code},
        "registry.enterprise": {"enterprise_id": enterprise.id},
        "registry.edit_enterprise": {"enterprise_id": enterprise.id},
        "survey.round_detail": {"round_id": survey_round.id},
        "survey.invitations": {"round_id": survey_round.id},
        "survey.paper_entry": {"round_id": survey_round.id},
        "survey.results": {"round_id": survey_round.id},
        "survey.texts": {"round_id": survey_round.id},
        "survey.adjudicate": {"form_id": paper.id},
        "respond.start": {"token": invitation.token},
        "respond.section": {"token": invitation.token, "number": 1},
        "respond.review": {"token": invitation.token},
        "respond.stop_reminders": {"token": invitation.token},
        "point_feedback.report": {"token": point.feedback_token},
        "evaluation.ranking": year,
        "evaluation.version": year | {"number": 1},
        "evaluation.versions": year,
        "evaluation.prefecture": year | {"code": prefecture_code},
        "evaluation.preview": year,
        "evaluation.preview_prefecture": year | {"code": prefecture_code},
        "evaluation.year_runs": year,
        "evaluation.run_page": {"run_id": first(EvaluationRun).id},
        "evaluation.objections": year,
        "evaluation.objection": {"objection_id": first(Objection).id},
        "evaluation.dashboard": year,
        "spotchecks.round_detail": {"round_id": check_round.id},
        "spotchecks.unit": {"unit_id": unit.id},
        "complaints.case": {"case_no": case.case_no},
        "projects.project": {"project_id": project.id},
        "projects.edit_project": {"project_id": project.id},
        "survey.paper_forms": {"round_id": survey_round.id},
        "notifications.contact": {"code": prefecture_code},
        "projects.unfulfilled_report": {"project_id": project.id},
        "projects.targets": year,
    } | ({"projects.problems": {}} if first(Problem) else {}) | (
        {"projects.unfulfilled": {}} if first(UnfulfilledReport) else {})

# The page's body without the header (each role's menu, checked on that role's pages) and the CSRF tokens.
MAIN = """() => { const copy = document.body.cloneNode(true);
  copy.querySelectorAll('header, input[name=csrf_token]').forEach(e => e.remove()); return copy.innerHTML; }"""


def _violations(page) -> list[str]:
    """axe-core's violations on the page as it stands: rule, impact and the first offending nodes."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluate, not a script tag: the site's CSP refuses inline scripts
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(v => "
                          "[v.id, v.impact, v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')])")
    return [f"{rule} ({impact}): {nodes}" for rule, impact, nodes in found]


def _check(page, url: str, label: str, problems: list[str]) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        problems.extend(f"{label} {url} @{width}px: {v}" for v in _violations(page))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the markup is the same on both databases
def test_every_page_of_the_demo_has_no_axe_violation(page, app, demo_database, live_server, make_user):
    if not AXE.exists():
        unavailable(f"axe-core is not installed ({AXE}; bash scripts/test.sh installs it with npm)")
    users = {role: make_user(role, "株洲市" if role == "prefecture" else None) for role in ROLES if role}
    arguments = _demo_arguments("430200")
    case = db.session.scalar(sa.select(Complaint).order_by(Complaint.id).limit(1))
    case.secret_hash = hash_secret(LOOKUP_CODE)
    db.session.commit()
    gets = [rule for rule in app.url_map.iter_rules() if "GET" in rule.methods and rule.endpoint not in NOT_PAGES]
    started, problems, walked, checked = time.monotonic(), [], set(), set()
    for role in ROLES:
        page.context.clear_cookies()
        header_checked = False  # the role's own menu: checked on its first page
        if role:
            page.goto(f"{live_server}/login")
            page.get_by_label("用户名").fill(users[role].username)
            page.get_by_label("密码").fill(PASSWORD)
            page.get_by_role("button", name="登录").click()
        for rule in gets:
            if rule.arguments - set(arguments.get(rule.endpoint, {})):
                continue
            url = rule.build(arguments.get(rule.endpoint, {}), append_unknown=False)[1]
            response = page.goto(f"{live_server}{url}")
            if response.status != 200 or page.url.rstrip("/").endswith("/login") and rule.endpoint != "auth.login":
                continue
            walked.add(rule.endpoint)
            body = page.evaluate(MAIN)
            if body in checked and header_checked:  # another role saw the very same page below the header
                continue
            checked.add(body)
            header_checked = True
            _check(page, url, role or "visitor", problems)
    # Pages behind a form: a refused login, the complainant's found case, an error page.
    page.context.clear_cookies()
    page.goto(f"{live_server}/login")
    page.get_by_label("用户名").fill("nobody")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    _check(page, "/login (refused)", "visitor", problems)
    page.goto(f"{live_server}/status")
    page.get_by_label("案件编号").fill(case.case_no)
    page.get_by_label("查询码").fill(LOOKUP_CODE)
    page.get_by_role("button", name="查询").click()
    _check(page, "/status (found)", "visitor", problems)
    page.goto(f"{live_server}/no-such-page")
    _check(page, "/no-such-page", "visitor", problems)
    seconds = time.monotonic() - started
    print(f"\naxe-core: {len(checked)} pages walked at {len(WIDTHS)} widths in {seconds:.0f} s")
    unwalked = {rule.endpoint for rule in gets} - walked - set(NOT_IN_DEMO)
    assert not unwalked, f"GET routes no role reached: give them demo arguments or name them: {sorted(unwalked)}"
    assert not problems, f"{len(problems)} axe-core violations:\n" + "\n".join(problems)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_refused_form_leads_with_an_error_summary_that_links_to_its_fields(browser, live_server, app, javascript):
    app.config.update(ONLINE_MIN_SECONDS=0)
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{live_server}/complaints/online")
    page.locator("#contact_phone").fill("138")
    page.get_by_role("button", name="提交投诉").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("处需要修改")
    links = summary.get_by_role("link")
    assert links.count() >= 2
    # First in the page's content, before every field of the form.
    assert page.evaluate("""() => { const s = document.querySelector('[data-error-summary]');
        return [...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea')]
            .every(f => s.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING); }""")
    for i in range(links.count()):
        target = links.nth(i).get_attribute("href")
        assert page.locator(target).count() == 1, f"{target} names no field"
    if javascript:
        expect(summary).to_be_focused()
        first = links.first.get_attribute("href")
        links.first.click()
        expect(page.locator(first)).to_be_focused()
    context.close()

"""A 长沙市 user can neither see nor change 株洲市 data, through any route of the app.

The table below must name every endpoint in the URL map, so a new route fails this test until
someone decides how it is scoped.  Each entry says how to fill the URL with 株洲 objects and what
a 长沙 user must get: ``OTHER`` (403/404 for every method), ``LIST`` (200, but no trace of 株洲
data in the body), ``OPEN`` (pages with no prefecture data at all) or ``TOKEN`` (an
enterprise's personal link: without a valid token, 404; to a browser with a staff session, 403)
or ``PUBLIC`` (a page for visitors that lists every prefecture and county by name, public reference
data, but no other trace of 株洲 data).
"""
import io

import sqlalchemy as sa

from investenv.extensions import db
from investenv.registry.models import Enterprise, MonitoringPoint

OTHER, LIST, OPEN, TOKEN, API, PUBLIC = "other", "list", "open", "token", "api", "public"

ROUTES = {
    "static": (OPEN, lambda w: {"filename": "site.css"}),
    "portal.index": (OPEN, None),
    "web.health": (OPEN, None),
    "auth.login": (OPEN, None),
    "auth.logout": (OPEN, None),
    "auth.change_password": (OPEN, None),
    "auth.users": (OTHER, None),  # admin only
    "auth.new_user": (OTHER, None),
    "auth.edit_user": (OTHER, lambda w: {"user_id": w["user"].id}),
    "registry.overview": (LIST, None),
    "registry.prefecture": (OTHER, lambda w: {"code": "430200"}),
    "registry.enterprises": (LIST, None),
    "registry.export": (LIST, lambda w: {"fmt": "csv"}),
    "registry.new_enterprise": (LIST, None),
    "registry.enterprise": (OTHER, lambda w: {"enterprise_id": w["enterprise"].id}),
    "registry.edit_enterprise": (OTHER, lambda w: {"enterprise_id": w["enterprise"].id}),
    "registry.register_point": (OTHER, lambda w: {"enterprise_id": w["enterprise"].id}),
    "registry.set_filing": (OTHER, lambda w: {"enterprise_id": w["enterprise"].id}),
    "registry.withdraw_point": (OTHER, lambda w: {"enterprise_id": w["enterprise"].id}),
    "registry.import_file": (LIST, None),
    "registry.import_template": (OPEN, lambda w: {"fmt": "csv"}),
    "registry.import_error_list": (OPEN, None),  # only a list signed for the very user who uploaded the file
    "survey.rounds": (LIST, None),
    "survey.new_round": (OTHER, None),
    "survey.round_detail": (LIST, lambda w: {"round_id": w["round"].id}),
    "survey.invite_points": (OTHER, lambda w: {"round_id": w["round"].id}),
    "survey.invite": (LIST, lambda w: {"round_id": w["round"].id}),
    "survey.invitations": (LIST, lambda w: {"round_id": w["round"].id}),
    "survey.invitation_links": (LIST, lambda w: {"round_id": w["round"].id, "fmt": "csv"}),
    "survey.letters": (LIST, lambda w: {"round_id": w["round"].id}),
    "survey.revoke": (OTHER, lambda w: {"invitation_id": w["invitation"].id}),
    "survey.restore": (OTHER, lambda w: {"invitation_id": w["invitation"].id}),
    "survey.paper_print": (LIST, lambda w: {"round_id": w["round"].id}),
    "survey.paper_entry": (LIST, lambda w: {"round_id": w["round"].id}),
    "survey.paper_forms": (LIST, lambda w: {"round_id": w["round"].id}),
    "survey.export_paper_forms": (LIST, lambda w: {"round_id": w["round"].id}),
    "survey.adjudicate": (OTHER, lambda w: {"form_id": w["paper"].id}),
    "survey.results": (LIST, lambda w: {"round_id": w["round"].id}),
    "survey.export_results": (LIST, lambda w: {"round_id": w["round"].id}),
    "survey.texts": (OTHER, lambda w: {"round_id": w["round"].id}),
    "survey.export_responses": (OTHER, lambda w: {"year": 2026, "fmt": "csv"}),
    "audit.events": (OTHER, None),  # administrators only
    "audit.export": (OTHER, None),  # administrators only
    # The published ranking table (rank, composite, intervals) is public to the ranked prefectures:
    # the bulletin names every rank.  Every drill-down but the user's own, the live preview, the
    # runs, the dashboard and the downloads are the office's; requests for review are scoped.
    "evaluation.index": (OPEN, None),
    "evaluation.ranking": (OPEN, lambda w: {"year": 2026}),
    "evaluation.version": (OPEN, lambda w: {"year": 2026, "number": 1}),
    "evaluation.versions": (OPEN, lambda w: {"year": 2026}),
    "evaluation.method": (OPEN, None),
    "evaluation.prefecture": (OTHER, lambda w: {"year": 2026, "code": "430200"}),
    "evaluation.preview": (OTHER, lambda w: {"year": 2026}),
    "evaluation.preview_prefecture": (OTHER, lambda w: {"year": 2026, "code": "430200"}),
    "evaluation.year_runs": (OTHER, lambda w: {"year": 2026}),
    "evaluation.start_run": (OTHER, lambda w: {"year": 2026}),
    "evaluation.run_page": (OTHER, lambda w: {"run_id": 1}),
    "evaluation.publish": (OTHER, lambda w: {"run_id": 1}),
    "evaluation.archive": (OTHER, lambda w: {"run_id": 1}),
    "evaluation.objections": (LIST, lambda w: {"year": 2026}),
    "evaluation.file_objection": (LIST, lambda w: {"year": 2026}),  # files for the user's own prefecture only
    "evaluation.objection": (OTHER, lambda w: {"objection_id": 1}),  # tests/evaluation/test_publication.py: a 株洲 one
    "evaluation.answer": (OTHER, lambda w: {"objection_id": 1}),
    "evaluation.dashboard_year": (OTHER, None),
    "evaluation.dashboard": (OTHER, lambda w: {"year": 2026}),
    "evaluation.download": (OTHER, lambda w: {"year": 2026, "kind": "report"}),
    "jobs.jobs": (OPEN, None),  # each user's own jobs only
    "notifications.inbox": (OPEN, None),  # each user's own in-app messages only
    "notifications.contacts": (OTHER, None),  # administrators only
    "notifications.contact": (OTHER, lambda w: {"code": "430200"}),
    "notifications.deactivate": (OTHER, lambda w: {"code": "430200"}),
    "jobs.job": (OTHER, lambda w: {"job_id": w["job"].id}),  # another user's job
    "jobs.file": (OTHER, lambda w: {"job_id": w["job"].id}),
    "feedback.overview": (LIST, None),
    "feedback.missing": (LIST, None),
    "feedback.open_complaint": (OTHER, lambda w: {"feedback_id": 1}),  # the complaint centre only
    "feedback.links": (LIST, None),
    "feedback.remind": (OTHER, None),  # the province only (handle_personal_links)
    "feedback.hotlines": (LIST, None),
    "feedback.reports": (OTHER, None),  # the province only (read_open_answers): points' ratings and remarks
    "feedback.export_reports": (OTHER, None),
    "point_feedback.report": (TOKEN, lambda w: {"token": "x" * 32}),
    "spotchecks.rounds": (LIST, None),
    "spotchecks.new_round": (OTHER, None),
    "spotchecks.round_detail": (LIST, lambda w: {"round_id": w["check_round"].id}),
    "spotchecks.frame": (OPEN, lambda w: {"round_id": w["check_round"].id}),  # the public list of government units
    "spotchecks.save_item": (OTHER, lambda w: {"round_id": w["check_round"].id}),
    "spotchecks.draw": (OTHER, lambda w: {"round_id": w["check_round"].id}),
    "spotchecks.lock": (OTHER, lambda w: {"round_id": w["check_round"].id}),
    "spotchecks.unit": (OTHER, lambda w: {"unit_id": w["unit"].id}),
    "spotchecks.correct": (OTHER, lambda w: {"score_id": 1}),
    "spotchecks.photo": (OTHER, lambda w: {"photo_id": w["photo"].id}),
    "complaints.calendar": (OTHER, None),  # admin only
    "complaints.cases": (LIST, None),
    "complaints.work": (LIST, None),
    "complaints.export_cases": (LIST, None),
    "complaints.intake": (OTHER, None),  # the complaint centre only
    "complaints.intake_search": (OTHER, None),  # the complaint centre only; scoped like the registry
    "complaints.case": (OTHER, lambda w: {"case_no": w["case"].case_no}),
    "complaints.act": (OTHER, lambda w: {"case_no": w["case"].case_no, "action": "note"}),
    "complaints.status": (OPEN, None),
    "complaints.online": (PUBLIC, None),  # the online complaint form: any prefecture may be complained about
    "complaints.complainant_act": (OPEN, lambda w: {"action": "objection"}),  # needs the case's own lookup code  # needs the case's own lookup code
    "complaints.kpi_page": (LIST, None),
    "api.create": (API, None),
    "api.read": (API, lambda w: {"case_no": w["case"].case_no}),
    "api.reply": (API, lambda w: {"case_no": w["case"].case_no}),
    "api.openapi": (OPEN, None),
    "complaints.inspections": (LIST, None),
    "complaints.register_inspection": (LIST, None),
    "complaints.report_inspection": (OTHER, None),  # the complaint centre only
    "complaints.upload": (OTHER, lambda w: {"case_no": w["case"].case_no}),
    "complaints.download": (OTHER, lambda w: {"case_no": w["case"].case_no, "attachment_id": 1}),
    "complaints.kpi_report": (LIST, lambda w: {"fmt": "xlsx"}),
    "projects.projects": (LIST, None),
    "projects.new_project": (LIST, None),  # a 株洲 county is refused
    "projects.project": (OTHER, lambda w: {"project_id": w["project"].id}),
    "projects.change_stage": (OTHER, lambda w: {"project_id": w["project"].id}),
    "projects.edit_project": (OTHER, lambda w: {"project_id": w["project"].id}),
    "projects.monthly": (LIST, None),  # always the user's own prefecture
    "projects.problems": (LIST, None),
    "projects.escalate": (OTHER, lambda w: {"problem_id": w["problem"].id}),  # the province only
    "projects.resolve": (OTHER, lambda w: {"problem_id": w["problem"].id}),
    "projects.problem_complaint": (OTHER, lambda w: {"problem_id": w["problem"].id}),
    "projects.unfulfilled": (LIST, None),
    "projects.unfulfilled_report": (OTHER, lambda w: {"project_id": w["project"].id}),
    "projects.review": (OTHER, lambda w: {"report_id": w["unfulfilled"].id}),  # the province only
    "projects.overview": (LIST, None),
    "projects.stalled": (LIST, None),
    "projects.overview_report": (LIST, lambda w: {"year": 2026, "fmt": "pdf"}),
    "projects.targets": (OTHER, lambda w: {"year": 2026}),  # administrators only
    "projects.import_file": (LIST, None),
    "projects.import_template": (OPEN, lambda w: {"kind": "projects", "fmt": "csv"}),
    "respond.start": (TOKEN, lambda w: {"token": "x" * 32}),
    "respond.section": (TOKEN, lambda w: {"token": "x" * 32, "number": 1}),
    "respond.review": (TOKEN, lambda w: {"token": "x" * 32}),
    "respond.submit": (TOKEN, lambda w: {"token": "x" * 32}),
    "respond.autosave": (TOKEN, lambda w: {"token": "x" * 32, "number": 1}),
    "respond.stop_reminders": (TOKEN, lambda w: {"token": "x" * 32}),
    "survey.sms": (OTHER, lambda w: {"round_id": w["round"].id}),  # the province only (handle_personal_links)
    "survey.mail": (OTHER, lambda w: {"round_id": w["round"].id}),  # the province only (handle_personal_links)
}

# What a 长沙 user posts to each route: the most damaging thing they could try.
POSTS = {
    "registry.new_enterprise": {"name": "越权企业", "credit_code": "91350100M000100Y43", "county": "430202",
                                "origin_province": "广东省"},
    "registry.edit_enterprise": {"name": "越权修改", "county": "430202", "origin_province": "广东省"},
    "registry.register_point": {"registered_on": "2025-01-01"},
    "registry.set_filing": {"filing_status": "returned"},
    "registry.withdraw_point": {"withdrawn_on": "2025-12-01"},
    "auth.new_user": {"username": "evil", "display_name": "x", "role": "admin", "password": "abcdefgh12"},
    "auth.edit_user": {"display_name": "x", "password": "abcdefgh12"},
    "survey.invite": {"credit_code": "{zhuzhou_code}"},
    "survey.paper_print": {"prefecture": "430200", "start": "1", "count": "1"},
    "survey.paper_entry": {"form_code": "4302-0099", "q1": "A"},
    "survey.adjudicate": {"q3": "first"},
    "survey.revoke": {"confirm": "1"},
    "survey.restore": {},
    "feedback.hotlines": {"phone": "1", "person": "x"},
    "projects.new_project": {"name": "越权项目", "county": "430202", "investor": "x", "origin_province": "广东省",
                             "industry": "2", "stage": "talks", "stage_on": "2026-05-01", "contract_investment": "1",
                             "contract_funds": "1"},
    "projects.change_stage": {"stage": "terminated", "reached_on": "2026-05-01"},
    "projects.edit_project": {"name": "越权修改", "county": "430102", "investor": "x", "origin_province": "广东省",
                              "industry": "2", "contract_investment": "1", "contract_funds": "1"},
    "projects.monthly": {"prefecture": "430200", "month": "2026-05", "remarks": "越权月报"},
    "projects.unfulfilled_report": {"reason": "越权", "responsibility": "ours"},
    "projects.review": {"decision": "return", "note": "越权"},
    "complaints.register_inspection": {"credit_code": "{zhuzhou_code}", "department": "x", "reason": "x",
                                       "planned_on": "2026-05-01", "inspectors": "x", "notice_no": "N-1"},
}


def test_every_endpoint_is_classified(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == set(ROUTES), "classify new endpoints in ROUTES"


def _snapshot():
    from survey.models import Invitation, PaperForm, Response

    rows = db.session.execute(sa.select(Enterprise.name, Enterprise.version, Enterprise.county_id)).all()
    points = db.session.execute(
        sa.select(MonitoringPoint.filing_status, MonitoringPoint.withdrawn_on, MonitoringPoint.registered_on)
    ).all()
    survey = db.session.execute(
        sa.select(Invitation.enterprise_id, Invitation.revoked, Invitation.used)
    ).all() + db.session.execute(sa.select(PaperForm.form_code, PaperForm.verified)).all()
    responses = db.session.scalar(sa.select(sa.func.count()).select_from(Response))
    return sorted(rows), sorted(points, key=str), sorted(survey, key=str), responses


def test_changsha_user_reaches_no_zhuzhou_data(app, client, world, login):
    login(client, world["changsha"])
    secrets = ("株洲机密", world["enterprise"].credit_code, "zzuser", world["invitation"].token)
    before = _snapshot()
    for rule in app.url_map.iter_rules():
        kind, make_args = ROUTES[rule.endpoint]
        if rule.endpoint == "auth.logout":
            continue  # it would end this very session; it shows no data
        url = rule.build((make_args or (lambda w: {}))(world), append_unknown=False)[1]
        for method in sorted(rule.methods & {"GET", "POST"}):
            data = {}
            if method == "GET":
                response = client.get(url)
            else:
                data = {k: v.replace("{zhuzhou_code}", world["enterprise"].credit_code)
                        for k, v in POSTS.get(rule.endpoint, {}).items()}
                response = client.post(url, data=data)
            where = f"{method} {url}"
            if kind == OTHER:
                assert response.status_code in (403, 404), where
            elif kind == TOKEN:  # a staff session never uses an enterprise's link (test_integrity.py)
                assert response.status_code == 403, where
            elif kind == API:  # a session is not an API token
                assert response.status_code == 401, where
            else:
                assert response.status_code < 500, where
                body = response.get_data(as_text=True) if response.mimetype.startswith("text") else ""
                # A page may echo what the user posted (the 株洲 county they tried), never more.
                for secret in secrets + (("株洲市",) if method == "GET" and kind != PUBLIC else ()):
                    if not any(secret in posted for posted in data.values()):
                        assert secret not in body, f"{where} shows {secret}"
            response.close()
    assert _snapshot() == before, "no 株洲 data may change"
    names = db.session.scalars(sa.select(Enterprise.name)).all()
    assert "越权企业" not in names


def test_changsha_user_cannot_edit_a_zhuzhou_project(client, world, login):
    project = world["project"]
    before = (project.name, project.county_id, project.contract_investment, project.version)
    login(client, world["changsha"])
    url = f"/projects/{project.id}/edit"
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, data=POSTS["projects.edit_project"]).status_code in (403, 404)
    db.session.expire_all()
    assert (project.name, project.county_id, project.contract_investment, project.version) == before


def test_changsha_import_cannot_touch_zhuzhou(client, world, login):
    login(client, world["changsha"])
    code = world["enterprise"].credit_code
    body = f"企业名称,统一社会信用代码,市州,县市区,投资方来源省份\n改名,{code},株洲市,荷塘区,广东省\n"
    response = client.post(
        "/registry/import",
        data={"file": (io.BytesIO(body.encode()), "x.csv"), "update_existing": "y"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    db.session.refresh(world["enterprise"])
    assert world["enterprise"].name == "株洲机密科技有限公司"


def test_list_routes_do_show_own_data(client, world, login):
    """The LIST checks above would pass on an empty page; make sure they are not empty."""
    login(client, world["changsha"])
    assert "长沙本地有限公司" in client.get("/registry/enterprises").get_data(as_text=True)
    assert "长沙本地有限公司" in client.get("/registry/enterprises/export.csv").data.decode("utf-8-sig")
    assert "长沙市" in client.get("/registry/").get_data(as_text=True)

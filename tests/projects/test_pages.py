"""The ledger's pages: a prefecture registers a project and files a month, the province escalates
the problem, the KPIs move; another prefecture's ids are refused everywhere."""
import datetime as dt
import io
import re

import sqlalchemy as sa
from pypdf import PdfReader

from investenv.audit.models import AuditEvent
from investenv.extensions import db
from investenv.timeutil import today
from projects.models import (
    FundsArrival,
    MonthlyReport,
    Problem,
    Project,
    StageEvent,
    Target,
    UnfulfilledReport,
)


def _funding_cells(client, year):
    body = client.get(f"/projects/overview?year={year}").get_data(as_text=True)
    return body, re.findall(r'<td class="num">([0-9.]+%|—)</td>', body)


def test_a_prefecture_files_a_month_the_province_escalates_and_the_kpis_move(client, make_user, login, prefecture):
    changsha = prefecture("长沙市")
    clerk = make_user("prefecture", "长沙市")
    login(client, clerk)
    signed = today() - dt.timedelta(days=3) if today().day > 3 else today()
    assert client.get("/projects/new").status_code == 200
    response = client.post("/projects/new", data={
        "name": "长沙测试新材料项目", "county": changsha.counties[0].code, "investor": "广东测试投资有限公司",
        "origin_province": "广东省", "industry": "2", "stage": "signed", "stage_on": signed.isoformat(),
        "signed_on": signed.isoformat(), "venue": "中博会", "contract_investment": "200,000,000",
        "contract_funds": "100000000", "due_start": (signed + dt.timedelta(days=90)).isoformat(), "leader": "张副市长"})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    project = db.session.scalar(sa.select(Project))
    assert project.code == "XM-4301-0001" and project.from_outside and project.events[0].stage == "signed"
    _, before = _funding_cells(client, signed.year)
    assert before[:2] == ["—", "0.0%"]  # 合同履约率 (nothing due yet), 资金到位率

    month = f"{today():%Y-%m}"
    form = client.get("/projects/monthly").get_data(as_text=True)
    assert f'name="funds_{project.id}"' in form
    response = client.post("/projects/monthly", data={
        "month": month, f"funds_{project.id}": "100000000", "problem_1": str(project.id), "problem_1_kind": "land",
        "problem_1_text": "二期用地指标未落实", "problem_1_help": "请求省里协调用地指标"})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    _, after = _funding_cells(client, signed.year)
    assert after[:2] == ["—", "100.0%"]
    again = client.post("/projects/monthly", data={"month": month, f"funds_{project.id}": "1"})
    assert again.status_code == 400 and "不能重复报送" in again.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FundsArrival)) == 1

    problem = db.session.scalar(sa.select(Problem))
    assert client.post(f"/projects/problems/{problem.id}/escalate").status_code == 403  # the province's decision
    client.post("/logout")
    login(client, make_user("centre"))
    assert "二期用地指标未落实" in client.get("/projects/problems").get_data(as_text=True)
    assert client.post(f"/projects/problems/{problem.id}/escalate").status_code == 302
    db.session.refresh(problem)
    assert problem.escalated_on == today()
    opened = client.post(f"/projects/problems/{problem.id}/complaint")
    assert opened.status_code == 201
    db.session.refresh(problem)
    assert problem.complaint is not None and "二期用地指标未落实" in problem.complaint.summary
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "省级协调" in page and "到位资金 100,000,000.00 元" in page


def test_stages_move_forward_only_and_are_dated(client, world, login):
    login(client, world["user"])
    project = world["project"]
    url = f"/projects/{project.id}/stage"
    assert client.post(url, data={"stage": "talks", "reached_on": "2026-03-01"}).status_code == 400
    future = (today() + dt.timedelta(days=2)).isoformat()
    assert "不能晚于今天" in client.post(url, data={"stage": "registered", "reached_on": future}).get_data(as_text=True)
    assert client.post(url, data={"stage": "registered", "reached_on": "2026-03-02"}).status_code == 302
    db.session.refresh(project)
    assert project.stage == "registered" and [e.stage for e in project.events] == ["signed", "registered"]


def test_an_unfulfilled_project_is_reported_returned_reported_again_and_accepted(client, world, make_user, login):
    report = world["unfulfilled"]
    login(client, world["user"])
    page = client.get("/projects/unfulfilled").get_data(as_text=True)
    assert "株洲机密项目" in page and "首笔资金到位" in page and "待审核" in page
    client.post("/logout")
    login(client, make_user("centre"))
    assert client.post(f"/projects/unfulfilled/{report.id}/review", data={"decision": "return"}).status_code == 302
    assert db.session.get(UnfulfilledReport, report.id).state == "filed"  # a return needs a reason
    client.post(f"/projects/unfulfilled/{report.id}/review", data={"decision": "return", "note": "责任认定不清"})
    db.session.refresh(report)
    assert report.state == "returned"
    client.post("/logout")
    login(client, world["user"])
    response = client.post(f"/projects/{world['project'].id}/unfulfilled",
                           data={"reason": "投资方资金链紧张", "responsibility": "investor", "measures": "约谈投资方"})
    assert response.status_code == 302
    db.session.refresh(report)
    assert (report.state, report.reason) == ("filed", "投资方资金链紧张")
    assert client.post(f"/projects/unfulfilled/{report.id}/review", data={"decision": "accept"}).status_code == 403


def test_only_an_administrator_sets_targets(client, make_user, login):
    login(client, make_user("prefecture", "长沙市"))
    assert client.get("/projects/targets/2026").status_code == 403
    client.post("/logout")
    login(client, make_user("admin"))
    data = {"prefecture": "430100", "funds": "3390000000", "projects": "120", "large_projects": "20"}
    assert client.post("/projects/targets/2026", data=data).status_code == 302
    assert client.post("/projects/targets/2026", data=data | {"funds": "-1"}).status_code == 400
    target = db.session.scalar(sa.select(Target))
    assert (target.year, target.projects, str(target.funds)) == (2026, 120, "3390000000.00")


def _counts():
    return [db.session.scalar(sa.select(sa.func.count()).select_from(m))
            for m in (Project, StageEvent, MonthlyReport, FundsArrival, Problem, UnfulfilledReport)]


def test_a_changsha_user_cannot_reach_zhuzhou_projects_by_id(client, world, login):
    login(client, world["changsha"])
    project, problem, report = world["project"], world["problem"], world["unfulfilled"]
    before = _counts()
    for url in (f"/projects/{project.id}", f"/projects/{project.id}/unfulfilled"):
        assert client.get(url).status_code == 404
    for url, data in ((f"/projects/{project.id}/stage", {"stage": "terminated", "reached_on": "2026-03-02"}),
                      (f"/projects/{project.id}/unfulfilled", {"reason": "x", "responsibility": "ours"}),
                      (f"/projects/problems/{problem.id}/resolve", {})):
        assert client.post(url, data=data).status_code == 404, url
    assert client.post(f"/projects/unfulfilled/{report.id}/review", data={"decision": "accept"}).status_code == 403
    # The monthly form is the user's own prefecture's: another prefecture's project ids in it are not read.
    response = client.post("/projects/monthly", data={"prefecture": "430200", "month": "2026-03",
                                                      f"funds_{project.id}": "5", "problem_1": str(project.id),
                                                      "problem_1_kind": "land", "problem_1_text": "越权"})
    assert response.status_code in (302, 400)
    assert not db.session.scalars(sa.select(FundsArrival).where(FundsArrival.project_id == project.id)).all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Problem)) == 1
    assert db.session.scalar(sa.select(MonthlyReport).where(MonthlyReport.month == "2026-03")).prefecture.name == "长沙市"
    for page in ("/projects/", "/projects/problems", "/projects/unfulfilled", "/projects/overview?year=2026"):
        assert "株洲" not in client.get(page).get_data(as_text=True), page
    for fmt in ("pdf", "xlsx"):
        download = client.get(f"/projects/overview/2026.{fmt}")
        assert download.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(client.get("/projects/overview/2026.pdf").data)).pages)
    assert "长沙市" in text and "株洲" not in text
    after = _counts()
    assert after[2] == before[2] + 1  # 长沙's own (empty) report for March
    assert after[:2] + after[3:] == before[:2] + before[3:]


def test_a_prefecture_edits_its_project_audited_and_on_the_timeline(client, world, login, make_user):
    project = world["project"]
    login(client, world["user"])
    url = f"/projects/{project.id}/edit"
    form = client.get(url).get_data(as_text=True)
    assert 'value="株洲机密项目"' in form and 'name="stage"' not in form
    fields = {"name": "株洲新材料产业园项目", "county": project.county.code, "investor": "株洲机密投资方",
              "origin_province": "广东省", "industry": "3", "signed_on": "2026-01-10", "contract_investment": "200000000",
              "contract_funds": "150000000", "due_first_funds": "2026-02-01", "leader": "王副市长"}
    bad = client.post(url, data=fields | {"contract_funds": "300000000", "signed_on": "2026-02-10"})
    body = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "拟引进资金不能超过合同总投资" in body and "早于签约日期" in body
    assert client.post(url, data=fields | {"contract_funds": "很多"}).status_code == 400
    db.session.expire_all()
    assert (project.name, project.industry, project.contract_funds) == ("株洲机密项目", "2", 100_000_000)

    assert client.post(url, data=fields).status_code == 302
    db.session.expire_all()
    assert (project.name, project.industry, project.contract_funds, project.leader) == (
        "株洲新材料产业园项目", "3", 150_000_000, "王副市长")
    assert project.stage == "signed"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "project_edit"))
    assert event.target.startswith(project.code) and "项目名称：株洲机密项目 → 株洲新材料产业园项目" in event.target
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "修改：项目名称：株洲机密项目 → 株洲新材料产业园项目" in page and "拟引进资金：100,000,000.00 元 → 150,000,000.00 元" in page

    client.post("/logout")
    login(client, make_user("admin"))   # the province edits any prefecture's project, not moving it elsewhere
    moved = client.post(url, data=fields | {"county": "430102"})
    assert moved.status_code == 400 and "不属于株洲市" in moved.get_data(as_text=True)
    assert client.post(url, data=fields | {"venue": "中博会"}).status_code == 302
    db.session.expire_all()
    assert project.venue == "中博会"


def test_the_overview_and_the_report_count_a_chosen_month_or_quarter(client, world, login, make_user):
    """株洲's project (signed 10 January, first funds due 1 February, none arrived) is not yet due at
    the end of January, unfulfilled at the end of the first quarter."""
    login(client, make_user("admin"))
    row = '<th scope="row">株洲市</th><td class="num">1</td><td class="num">{}</td>'
    january = client.get("/projects/overview?year=2026&month=1").get_data(as_text=True)
    assert "2026年1月联引资项目调度与考核" in january and "至 2026-01-31" in january and row.format(0) in january
    quarter = client.get("/projects/overview?year=2026&quarter=1&month=1").get_data(as_text=True)
    assert "2026年第一季度" in quarter and "至 2026-03-31" in quarter and row.format(1) in quarter
    assert 'href="/projects/overview/2026.pdf?quarter=1"' in quarter
    assert client.get("/projects/overview?year=2026&month=13").status_code == 404
    response = client.get("/projects/overview/2026.xlsx?quarter=1")
    assert response.status_code == 200 and "projects-2026Q1.xlsx" in response.headers["Content-Disposition"]
    early = client.get("/projects/overview/2026.pdf?month=1")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(early.data)).pages)
    assert "2026年1月" in text and "株洲机密问题" not in text   # raised in the report of 1 March
    late = client.get("/projects/overview/2026.pdf?quarter=1")
    assert "株洲机密问题" in "".join(page.extract_text() for page in PdfReader(io.BytesIO(late.data)).pages)

"""On a phone, a prefecture files its month's project report with a problem; the province
escalates the problem; the KPIs move."""
import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from investenv.extensions import db
from investenv.timeutil import today
from projects import operations
from projects.models import FundsArrival, Problem

pytestmark = pytest.mark.browser


def test_a_month_is_filed_on_a_phone_and_the_province_escalates_its_problem(
        page, browser, live_server, make_user, prefecture, browser_login):
    changsha = prefecture("长沙市")
    clerk, centre = make_user("prefecture", "长沙市"), make_user("centre")
    signed = max(today().replace(day=1), today() - dt.timedelta(days=5))
    project = operations.create_project(operations.ProjectData(
        name="长沙新材料项目", prefecture=changsha, county=changsha.counties[0], investor="广东投资有限公司",
        origin_province="广东省", industry="2", stage="signed", stage_on=signed, signed_on=signed,
        contract_investment=Decimal(300_000_000), contract_funds=Decimal(200_000_000)), clerk.id, today())
    db.session.commit()

    page.set_viewport_size({"width": 360, "height": 740})
    browser_login(page, clerk)
    page.goto(f"{live_server}/projects/overview?year={signed.year}")
    kpi_table = page.locator("table").first
    expect(kpi_table).to_contain_text("0.0%")
    expect(kpi_table).not_to_contain_text("50.0%")

    page.goto(f"{live_server}/projects/monthly")
    page.get_by_label("长沙新材料项目 当月到位资金（元）").fill("100,000,000")
    page.get_by_label("问题1：项目").select_option(str(project.id))
    page.locator("#problem_1_kind").select_option("land")
    page.locator("#problem_1_text").fill("二期用地指标尚未落实")
    page.locator("#problem_1_help").fill("请求省里协调用地指标")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="报送月报").click()
    expect(page.locator(".flash-success")).to_contain_text("已报送长沙市")
    page.goto(f"{live_server}/projects/overview?year={signed.year}")
    expect(page.locator("table").first).to_contain_text("50.0%")  # 资金到位率: 1 亿 of 2 亿

    province = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = province.new_page()
    browser_login(desk, centre)
    desk.goto(f"{live_server}/projects/problems")
    expect(desk.get_by_text("二期用地指标尚未落实")).to_be_visible()
    desk.get_by_role("button", name="提交省级协调").click()
    expect(desk.locator(".flash-success")).to_contain_text("已保存")
    expect(desk.locator("td .badge")).to_contain_text("省级协调")
    province.close()
    db.session.expire_all()
    assert db.session.scalar(sa.select(Problem)).escalated_on == today()
    assert db.session.scalar(sa.select(FundsArrival)).amount == 100_000_000


def test_a_prefecture_corrects_a_project_on_a_phone_and_the_edit_is_on_the_timeline(
        page, live_server, make_user, prefecture, browser_login):
    changsha = prefecture("长沙市")
    clerk = make_user("prefecture", "长沙市")
    signed = today() - dt.timedelta(days=200)
    project = operations.create_project(operations.ProjectData(
        name="长沙装备项目", prefecture=changsha, county=changsha.counties[0], investor="浙江投资有限公司",
        origin_province="浙江省", industry="2", stage="signed", stage_on=signed, signed_on=signed,
        contract_investment=Decimal(300_000_000), contract_funds=Decimal(200_000_000)), clerk.id, today())
    db.session.commit()

    page.set_viewport_size({"width": 360, "height": 740})
    browser_login(page, clerk)
    page.goto(f"{live_server}/projects/{project.id}")
    page.get_by_role("link", name="修改项目信息").click()
    page.get_by_label("拟引进资金（元）").fill("400,000,000")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#contract_funds-error")).to_contain_text("拟引进资金不能超过合同总投资")
    page.get_by_label("拟引进资金（元）").fill("250,000,000")
    page.get_by_label("责任领导").fill("李副市长")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".flash-success")).to_contain_text(f"已保存项目 {project.code}")
    expect(page.locator(".timeline")).to_contain_text("拟引进资金：200,000,000.00 元 → 250,000,000.00 元")

    page.goto(f"{live_server}/projects/stalled?year={today().year}")
    expect(page.locator("table")).to_contain_text("长沙装备项目")   # nothing since signing, 200 days ago
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

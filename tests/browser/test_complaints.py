"""A complaint from intake to closure in Chromium, across three staff members, and the
complainant's status page."""
import re

import pytest
from playwright.sync_api import expect

from investenv.timeutil import today

pytestmark = pytest.mark.browser


def _open_action(page, summary):
    page.locator("details.action > summary").filter(has_text=re.compile(f"^{summary}")).click()


def test_intake_transfer_reply_visit_close_and_public_status(browser, live_server, make_user):
    from ..conftest import PASSWORD

    clerk, zz, checker = make_user("centre", username="clerk1"), make_user("prefecture", "株洲市", username="zzstaff"), \
        make_user("centre", username="clerk2")

    def session_for(user):
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{live_server}/login")
        page.get_by_label("用户名").fill(user.username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        return page

    page = session_for(clerk)
    page.goto(f"{live_server}/complaints/new")
    page.locator("#complainant").fill("湘潭某新材料有限公司")
    page.locator("#received_on").fill(today().isoformat())
    page.locator("#county").select_option("430302")
    page.locator("#category").select_option("fees")
    page.locator("#summary").fill("收费超出费负卡范围")
    page.get_by_role("button", name="登记").click()
    notice = page.locator(".note").inner_text()
    case_no, code = re.search(r"案件编号 (\S+)，查询码 (\S+)（", notice).groups()
    _open_action(page, "受理$")
    page.get_by_role("button", name="受理").click()
    expect(page.locator("h1")).to_contain_text("已受理")
    _open_action(page, "派单")
    page.get_by_label("承办市州").select_option("430200")  # transferred to 株洲市
    page.get_by_label("承办部门").fill("市场监管局")
    page.get_by_role("button", name="确定").click()
    expect(page.locator("h1")).to_contain_text("已派单")
    _open_action(page, "内部备注")
    page.locator("details[open] textarea").fill("内部：请株洲方面尽快核实")
    page.get_by_role("button", name="保存备注").click()

    page = session_for(zz)
    page.goto(f"{live_server}/complaints/?queue=open")
    page.get_by_role("link", name=case_no).click()
    _open_action(page, "开始办理")
    page.get_by_role("button", name="开始办理").click()
    _open_action(page, "答复投诉人")
    page.locator("details[open] textarea").fill("已责令退还超收费用。")
    page.get_by_role("button", name="答复").click()
    expect(page.locator("h1")).to_contain_text("已答复")

    page = session_for(checker)
    page.goto(f"{live_server}/complaints/{case_no}")
    _open_action(page, "满意度回访")
    page.get_by_label("回访结果").select_option("满意")
    page.get_by_role("button", name="保存回访").click()
    _open_action(page, "办结")
    page.get_by_label("办理结果").select_option("resolved")
    page.get_by_role("button", name="办结").click()
    expect(page.locator("h1")).to_contain_text("已办结")

    public = browser.new_context().new_page()
    public.goto(f"{live_server}/status")
    public.get_by_label("案件编号").fill(case_no)
    public.get_by_label("查询码").fill(code)
    public.get_by_role("button", name="查询").click()
    steps = public.locator(".timeline")
    expect(steps).to_contain_text("已责令退还超收费用")
    expect(steps).to_contain_text("满意度回访：满意")
    expect(steps).not_to_contain_text("内部")
    expect(public.locator("body")).not_to_contain_text("clerk1")

"""A centre clerk takes a phone complaint from a registry enterprise in Chromium: typing part of its
name lists it at once, choosing it fills the form and shows its earlier cases; the case is logged
against the enterprise.  Without script the same search is a form that reloads the page."""
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from complaints.models import Complaint
from investenv.extensions import db

pytestmark = pytest.mark.browser


def test_centre_clerk_takes_a_phone_complaint_by_typing_part_of_the_name(page, app, live_server, make_user,
                                                                           make_enterprise, browser_login):
    huatian = make_enterprise("株洲市", name="株洲华天实业有限公司", contact_name="王五", contact_phone="0731-22334455")
    make_enterprise("株洲市", name="株洲中车配套有限公司")
    browser_login(page, make_user("centre", username="hotline1"))
    page.goto(f"{live_server}/complaints/new")
    page.get_by_label("企业名称、拼音首字母或信用代码").press_sequentially("华天", delay=50)  # no button pressed
    choice = page.locator("#found").get_by_role("link", name="株洲华天实业有限公司")
    expect(choice).to_be_visible()
    expect(page.locator("#found")).not_to_contain_text("中车")
    choice.click()
    expect(page.locator("#complainant")).to_have_value("株洲华天实业有限公司")
    expect(page.locator("#credit_code")).to_have_value(huatian.credit_code)
    expect(page.locator("#contact_name")).to_have_value("王五")
    expect(page.locator("#contact_phone")).to_have_value("0731-22334455")
    expect(page.locator("#county")).to_have_value(huatian.county.code)
    expect(page.get_by_role("heading", name="这家企业以前的投诉")).to_be_visible()
    page.locator("#channel").select_option("hotline")
    page.locator("#category").select_option("approval")
    page.locator("#summary").fill("项目审批超过承诺时限")
    page.get_by_role("button", name="登记").click()
    case_no = re.search(r"案件编号 (\S+)，", page.locator(".note").inner_text()).group(1)
    case = db.session.scalar(sa.select(Complaint).where(Complaint.case_no == case_no))
    assert (case.enterprise_id, case.channel, case.contact_phone) == (huatian.id, "hotline", "0731-22334455")

    page.goto(f"{live_server}/complaints/new")  # the next call from the same enterprise: its case is listed
    page.get_by_label("企业名称、拼音首字母或信用代码").press_sequentially("zzhtsy", delay=50)
    page.locator("#found").get_by_role("link", name="株洲华天实业有限公司").click()
    expect(page.get_by_role("link", name=case_no)).to_be_visible()


def test_without_script_the_search_is_a_form_with_a_path_for_an_enterprise_not_in_the_registry(
        browser, app, live_server, make_user, make_enterprise):
    from ..conftest import PASSWORD

    make_enterprise("株洲市", name="株洲华天实业有限公司")
    make_user("centre", username="hotline2")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("用户名").fill("hotline2")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server}/complaints/new")
    page.get_by_label("企业名称、拼音首字母或信用代码").fill("华天")
    page.get_by_role("button", name="查找").click()
    expect(page.locator("#found").get_by_role("link", name="株洲华天实业有限公司")).to_be_visible()
    page.get_by_label("企业名称、拼音首字母或信用代码").fill("湘江新材料")
    page.get_by_role("button", name="查找").click()
    expect(page.locator("#found")).to_contain_text("企业名录中没有找到")
    page.locator("#not-in-registry").click()
    expect(page.locator("#complainant")).to_have_value("湘江新材料")
    expect(page.locator("#credit_code")).to_have_value("")
    context.close()

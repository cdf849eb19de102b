"""The year end in Chromium: a December case's deadline is provisional (预计) until an administrator,
warned on the home page, enters next year's holiday arrangement; then it is exact."""
import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from complaints import operations
from investenv.extensions import db
from investenv.timeutil import as_of

pytestmark = pytest.mark.browser
DAY = dt.date(2026, 12, 10)


def test_a_december_case_shows_a_provisional_deadline_that_becomes_exact_once_the_next_year_is_entered(
        page, live_server, browser_login, make_user, prefecture):
    admin = make_user("admin", username="admin1")
    cs = prefecture("长沙市")
    with as_of(DAY):
        case, code = operations.intake(operations.CaseIntake(
            prefecture=cs, county=cs.counties[0], complainant="某投资企业", channel="hotline", received_on=DAY,
            category="fees", summary="超出费负卡收费", user_id=None, today=DAY, amount_yuan=Decimal("1")))
        operations.accept(case, None, DAY, "simple", major=False)  # 30 days: Sat 9 Jan 2027 → Mon 11 Jan
        db.session.commit()
        case_no = case.case_no

        browser_login(page, admin)
        page.goto(f"{live_server}/complaints/{case_no}")
        expect(page.locator("#deadline")).to_have_text("2027-01-11（预计）")
        expect(page.locator("#deadline-provisional")).to_contain_text("系统管理员")
        page.goto(f"{live_server}/complaints/?queue=open")
        expect(page.get_by_role("row").filter(has_text=case_no)).to_contain_text("2027-01-11（预计）")

        page.goto(f"{live_server}/status")
        page.get_by_label("案件编号").fill(case_no)
        page.get_by_label("查询码").fill(code)
        page.get_by_role("button", name="查询").click()
        expect(page.locator("#deadline")).to_contain_text("答复期限：2027-01-11（预计）")

        page.goto(f"{live_server}/work")
        page.locator("#calendar-missing").get_by_role("link", name="录入 2027 年的安排").click()
        page.get_by_label("年度").fill("2027")
        page.get_by_label("放假日期").fill("2027-01-01\n2027-01-11")  # a made-up holiday on the deadline
        page.get_by_label("依据").fill("国务院办公厅通知（测试）")
        page.get_by_role("button", name="保存").click()
        expect(page.locator(".flash")).to_contain_text("1 件案件的期限已重新计算")

        page.goto(f"{live_server}/complaints/{case_no}")
        expect(page.locator("#deadline")).to_have_text("2027-01-12")
        expect(page.locator("#deadline-provisional")).to_have_count(0)
        page.goto(f"{live_server}/work")
        expect(page.locator("#calendar-missing")).to_have_count(0)

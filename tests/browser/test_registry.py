"""Log in and open the registry in a real browser, on a desktop and on a 360-px phone."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from investenv.extensions import db
from investenv.registry.models import MonitoringPoint

pytestmark = pytest.mark.browser


@pytest.fixture
def registry_data(make_enterprise):
    for i in range(10):
        enterprise = make_enterprise("株洲市", county_index=i % 9)
        db.session.add(MonitoringPoint(enterprise=enterprise, registered_on=dt.date(2025, 10, 1)))
    db.session.commit()


def test_admin_logs_in_and_opens_the_registry(page, live_server, make_user, browser_login, registry_data):
    browser_login(page, make_user("admin"))
    expect(page.get_by_role("heading", level=1)).to_have_text("今日工作")  # staff land on the day's work
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="测评点登记").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("测评点登记情况")
    rows = page.locator("table.compliance tbody tr")
    expect(rows).to_have_count(14)
    zhuzhou = rows.filter(has_text="株洲市")
    expect(zhuzhou).to_contain_text("达标")
    expect(rows.filter(has_text="长沙市")).to_contain_text("差 10 个")
    zhuzhou.get_by_role("link", name="株洲市").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("株洲市")
    expect(page.locator(".chips li.ok")).to_have_count(9)


def test_phone_width_keyboard_login_and_menu(page, live_server, make_user, registry_data):
    from ..conftest import PASSWORD

    user = make_user("prefecture", "株洲市")
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server}/login")
    for _ in range(3):  # skip link, site name, then the first field
        page.keyboard.press("Tab")
    expect(page.get_by_label("用户名")).to_be_focused()
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("今日工作")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    nav = page.get_by_role("navigation", name="主导航")
    expect(nav).to_be_hidden()
    page.get_by_text("菜单").click()
    nav.get_by_role("link", name="测评点登记").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("测评点登记情况")
    expect(page.locator("table.compliance tbody tr")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    expect(nav).to_be_hidden()
    page.get_by_text("菜单").click()
    expect(nav.get_by_role("link", name="企业名录")).to_be_visible()
    nav.get_by_role("link", name="企业名录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("企业名录")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_form_errors_are_shown_and_tied_to_their_fields(page, live_server, make_user, browser_login):
    browser_login(page, make_user("centre"))
    page.goto(f"{live_server}/registry/enterprises/new")
    page.get_by_label("统一社会信用代码").fill("91350100M000100Y44")
    page.get_by_role("button", name="保存").click()
    code = page.get_by_label("统一社会信用代码")
    expect(code).to_have_attribute("aria-invalid", "true")
    error_id = code.get_attribute("aria-describedby").split()[-1]
    expect(page.locator(f"#{error_id}")).to_contain_text("校验位错误")
    expect(page.locator("#name-error")).to_contain_text("请填写企业名称")

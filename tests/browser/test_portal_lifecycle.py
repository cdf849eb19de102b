"""A complaint's whole public life in Chromium, with a real SMTP server (aiosmtpd) started by the
test: an enterprise files it on a 360-px phone (with and without JavaScript) and receives the
receipt naming its case; the centre asks for more material, which the complainant uploads on the
status page; the centre accepts and transfers the case and the prefecture's contact receives the
transfer notice; the prefecture replies, the complainant receives the reply, objects online on the
phone, and the objection reaches the centre's supervisors in the app."""
import re

import pytest
from playwright.sync_api import expect

from investenv.config import mail_settings
from investenv.extensions import db
from notifications import delivery
from notifications import operations as notification_operations

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _open_action(page, summary):
    page.locator("details.action > summary").filter(has_text=re.compile(f"^{summary}")).click()


def _delivered(smtp_server) -> list:
    db.session.expire_all()
    delivery.send_due()
    return smtp_server.messages


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_filed_on_a_phone_supplemented_transferred_replied_and_objected(
        browser, live_server, app, smtp_server, make_user, prefecture, browser_login, tmp_path, javascript):
    app.config.update(ONLINE_MIN_SECONDS=0, MAIL=mail_settings(smtp_server.url, "投诉服务中心 <c@example.gov.cn>"))
    notification_operations.set_contact(prefecture("株洲市"), "株洲市投诉受理科", "zz@example.gov.cn", "")
    db.session.commit()
    clerk, handler = make_user("centre", username="clerk"), make_user("prefecture", "株洲市", username="zzh")

    phone = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=javascript).new_page()
    phone.goto(f"{live_server}/")
    phone.get_by_role("link", name="在线投诉").click()
    phone.locator("#complainant").fill("长沙远航科技有限公司")
    phone.locator("#contact_name").fill("李四")
    phone.locator("#contact_phone").fill("0731-84000000")  # a landline: no SMS, the mails are what is checked
    phone.locator("#contact_email").fill("li@example.com")
    phone.locator("#county").select_option("430102")
    phone.locator("#category").select_option("fees")
    phone.locator("#summary").fill("株洲某局收取费负卡之外的检测费")
    phone.get_by_role("button", name="提交投诉").click()
    case_no, code = phone.locator(".case-no").inner_text(), phone.locator(".lookup-code").inner_text()
    [receipt] = _delivered(smtp_server)
    assert receipt["To"] == "li@example.com" and receipt["Subject"] == f"投诉已收到：案件编号 {case_no}"

    centre = browser.new_context().new_page()
    browser_login(centre, clerk)
    centre.goto(f"{live_server}/complaints/{case_no}")
    _open_action(centre, "要求补正材料")
    centre.get_by_label("需要补正的材料").fill("收费票据的照片或扫描件")
    centre.get_by_role("button", name="通知投诉人补正").click()
    expect(centre.locator(".timeline")).to_contain_text("收费票据的照片或扫描件")
    request = _delivered(smtp_server)[-1]
    assert request["Subject"] == f"请补正投诉材料：案件编号 {case_no}" and "收费票据" in request.get_content()

    phone.goto(f"{live_server}/status")
    phone.get_by_label("案件编号").fill(case_no)
    phone.get_by_label("查询码").fill(code)
    phone.get_by_role("button", name="查询").click()
    expect(phone.locator(".timeline")).to_contain_text("收费票据的照片或扫描件")
    (tmp_path / "票据.pdf").write_bytes(PDF)
    phone.get_by_label("补正说明").fill("附检测费票据")
    phone.locator("#files").set_input_files(tmp_path / "票据.pdf")
    if javascript:
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, "no sideways scrolling at 360 px"
    phone.get_by_role("button", name="提交补正材料").click()
    expect(phone.locator("[role=status]")).to_contain_text("补正材料已提交")

    centre.goto(f"{live_server}/notifications/")
    expect(centre.locator("body")).to_contain_text(f"投诉人已补正材料：{case_no}")
    centre.goto(f"{live_server}/complaints/{case_no}")
    expect(centre.locator(".timeline")).to_contain_text("票据.pdf")
    _open_action(centre, "受理$")
    centre.get_by_role("button", name="受理").click()
    expect(centre.locator("h1")).to_contain_text("已受理")
    _open_action(centre, "派单")
    centre.get_by_label("承办市州").select_option("430200")
    centre.get_by_label("承办部门").fill("市场监管局")
    centre.get_by_role("button", name="确定").click()
    expect(centre.locator("h1")).to_contain_text("已派单")
    transfer = [m for m in _delivered(smtp_server) if m["To"] == "zz@example.gov.cn"]
    assert [m["Subject"] for m in transfer] == [f"转办投诉：{case_no}（乱收费（含超出费负卡的收费））"]
    assert "/s/" not in transfer[0].get_content() and "/f/" not in transfer[0].get_content()

    desk = browser.new_context().new_page()
    browser_login(desk, handler)
    desk.goto(f"{live_server}/complaints/{case_no}")
    _open_action(desk, "开始办理")
    desk.get_by_role("button", name="开始办理").click()
    _open_action(desk, "答复投诉人")
    desk.locator("details[open] textarea").fill("已责令退还检测费。")
    desk.get_by_role("button", name="答复").click()
    expect(desk.locator("h1")).to_contain_text("已答复")
    reply = _delivered(smtp_server)[-1]
    assert reply["To"] == "li@example.com" and reply["Subject"] == f"投诉答复：案件编号 {case_no}"
    assert "已责令退还检测费" in reply.get_content()

    phone.goto(f"{live_server}/status")
    phone.get_by_label("案件编号").fill(case_no)
    phone.get_by_label("查询码").fill(code)
    phone.get_by_role("button", name="查询").click()
    expect(phone.locator(".timeline")).to_contain_text("已责令退还检测费")
    phone.get_by_label("异议内容").fill("检测费至今未退还")
    if javascript:
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, "no sideways scrolling at 360 px"
    phone.get_by_role("button", name="提交异议（报省投诉服务中心）").click()
    expect(phone.locator("[role=status]")).to_contain_text("异议已提交")

    centre.goto(f"{live_server}/notifications/")
    inbox = centre.locator("body")
    expect(inbox).to_contain_text(f"投诉人提出异议：{case_no}")
    expect(inbox).to_contain_text("检测费至今未退还")
    desk.goto(f"{live_server}/notifications/")
    expect(desk.locator("body")).not_to_contain_text("投诉人提出异议")

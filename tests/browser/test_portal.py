"""An enterprise files a complaint from the public entry page on a 360-px phone, with and without
JavaScript, sees its case number and code, and a real SMTP server receives the receipt."""
import pytest
import sqlalchemy as sa

from complaints.models import Complaint
from investenv.config import mail_settings
from investenv.extensions import db
from notifications import delivery

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_filing_online_on_a_phone(browser, live_server, app, smtp_server, javascript):
    app.config.update(ONLINE_MIN_SECONDS=0, MAIL=mail_settings(smtp_server.url, "中心 <c@example.gov.cn>"))
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{live_server}/")
    page.get_by_role("link", name="在线投诉").click()
    page.locator("#complainant").fill("长沙远航科技有限公司")
    page.locator("#contact_name").fill("李四")
    page.locator("#contact_phone").fill("13800000001")
    page.locator("#contact_email").fill("li@example.com")
    page.locator("#county").select_option("430102")
    page.locator("#category").select_option("fees")
    page.locator("#summary").fill("收取费负卡之外的检测费")
    assert not page.locator("#website").is_visible(), "the robots' field is out of sight"
    if javascript:
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, "no sideways scrolling at 360 px"
    page.get_by_role("button", name="提交投诉").click()
    case_no = page.locator(".case-no").inner_text()
    code = page.locator(".lookup-code").inner_text()
    assert len(code) == 8
    context.close()
    db.session.expire_all()
    case = db.session.scalar(sa.select(Complaint).where(Complaint.case_no == case_no))
    assert case.channel == "web" and case.status == "received"
    delivery.send_due()
    assert smtp_server.subjects() == [f"投诉已收到：案件编号 {case_no}"]

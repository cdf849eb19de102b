"""The case file and the complainant's status page print as the record: rendered to PDF by Chromium,
they keep the facts and the timeline and leave out the navigation and the forms."""
import subprocess

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from complaints.models import Complaint
from complaints.operations import hash_secret
from investenv.extensions import db

pytestmark = pytest.mark.browser


def _pdf_text(page, tmp_path) -> str:
    path = tmp_path / "page.pdf"
    path.write_bytes(page.pdf(format="A4"))
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _case():
    return db.session.scalars(sa.select(Complaint).where(Complaint.status == "closed").order_by(Complaint.id)).first()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the markup is the same on both databases
def test_the_case_file_prints_its_facts_and_timeline_without_navigation_or_forms(
        page, app, demo_database, live_server, make_user, browser_login, tmp_path):
    case = _case()
    events = [e.text.splitlines()[0][:12] for e in case.events if e.text]
    browser_login(page, make_user("centre"))
    page.goto(f"{live_server}/complaints/{case.case_no}")
    text = _pdf_text(page, tmp_path)
    assert case.case_no in text and "投诉企业" in text and "办理过程" in text and "投诉事项" in text
    assert all(e in text.replace(" ", "") for e in (e.replace(" ", "") for e in events))
    for absent in ("今日工作", "菜单", "内部备注（投诉人看不到）", "上传", "退出"):
        assert absent not in text, absent


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_status_page_prints_the_public_timeline_without_the_forms(page, app, demo_database, live_server, tmp_path):
    case = _case()
    case.secret_hash = hash_secret("PRINT123")
    db.session.commit()
    public = [e.text.splitlines()[0][:12] for e in case.events if e.public and e.text]
    page.goto(f"{live_server}/status")
    page.get_by_label("案件编号").fill(case.case_no)
    page.get_by_label("查询码").fill("PRINT123")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text(case.case_no).first).to_be_visible()  # the answer has loaded before it is printed
    text = _pdf_text(page, tmp_path)
    assert case.case_no in text and public and all(e.replace(" ", "") in text.replace(" ", "") for e in public)
    for absent in ("提交异议", "评价办理结果", "查询其他案件", "投资环境测评系统"):
        assert absent not in text, absent

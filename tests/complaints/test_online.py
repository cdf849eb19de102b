"""The public entry page and the online complaint form (channel 网站): no account, no script;
its abuse limits, the hidden field, the minimum fill time and the duplicate flag."""
import datetime as dt
import io
import uuid

import pytest
import sqlalchemy as sa
from itsdangerous import URLSafeTimedSerializer

from complaints import operations
from complaints.models import Complaint, ComplaintEvent
from investenv.config import mail_settings
from investenv.errors import RuleError
from investenv.extensions import db
from notifications import delivery
from notifications import operations as notification_operations
from notifications.models import Message

FIELDS = {"complainant": "远航投资有限公司", "contact_name": "李四", "contact_phone": "13800000001",
          "contact_email": "li@example.com", "county": "430102", "department": "某区市场监管局", "category": "fees",
          "summary": "某区市场监管局在费负卡之外收取检测费三万元，无任何依据。", "claims": "退还", "amount_yuan": "30000"}


def _form(client):
    page = client.get("/complaints/online")
    assert page.status_code == 200
    text = page.get_data(as_text=True)

    def hidden(name):
        return text.split(f'name="{name}" type="hidden" value="')[1].split('"')[0]

    return {"intake_key": hidden("intake_key"), "shown": hidden("shown")}


def _file(client, **changes):
    return client.post("/complaints/online", data=_form(client) | FIELDS | changes)


@pytest.fixture
def public(app_factory):
    app = app_factory(ONLINE_MIN_SECONDS=0, ONLINE_LIMIT_PER_ADDRESS=5, ONLINE_LIMIT_PER_ENTERPRISE=3)
    with app.app_context():
        yield app.test_client()
        db.session.rollback()


def _cases():
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Complaint).order_by(Complaint.id)))


def test_the_entry_page_leads_to_filing_lookup_and_login(public, make_user):
    page = public.get("/").get_data(as_text=True)
    for text in ("在线投诉", "投诉查询", "/complaints/online", "/status", "工作人员登录", "各市州投诉热线", "专用链接"):
        assert text in page


def test_a_complaint_filed_online_shows_its_number_and_code_and_queues_a_receipt(public):
    response = _file(public)
    assert response.status_code == 201, response.get_data(as_text=True)[:2000]
    page = response.get_data(as_text=True)
    [case] = _cases()
    assert case.channel == "web" and case.status == "received" and case.created_by_id is None
    assert case.case_no in page and case.contact_email == "li@example.com"
    code = page.split('class="mono lookup-code">')[1].split("<")[0]
    status = public.post("/status", data={"case_no": case.case_no, "code": code})
    assert status.status_code == 200 and "已登记" in status.get_data(as_text=True)
    assert {(m.channel, m.template) for m in db.session.scalars(sa.select(Message))} == {
        ("email", "receipt"), ("sms", "receipt")}


def test_the_intake_forms_checks_apply_and_the_credit_code_check_digit(public):
    response = _file(public, summary="", credit_code="91350100M000100Y44", contact_phone="")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "请填写投诉事项" in page and "校验位错误" in page and "请填写联系电话" in page
    assert _cases() == []


def test_robots_are_refused_by_the_hidden_field_and_the_fill_time(public, app_factory):
    assert _file(public, website="http://spam.example").status_code == 400
    assert _file(public, shown="forged").status_code == 400
    slow = app_factory(ONLINE_MIN_SECONDS=30)
    with slow.app_context():
        response = _file(slow.test_client())
        assert response.status_code == 400 and "提交过快" in response.get_data(as_text=True)
    assert _cases() == []


@pytest.mark.slow  # a thousand requests (about a minute)
def test_a_flood_from_one_address_creates_at_most_the_limit(public):
    signer = URLSafeTimedSerializer("test-secret", salt="online-complaint-shown")  # as the form page would
    statuses = []
    for n in range(1000):
        key = uuid.uuid4().hex
        statuses.append(public.post("/complaints/online", data=FIELDS | {
            "intake_key": key, "shown": signer.dumps(key), "complainant": f"企业{n}",
            "summary": f"第 {n} 件：{'各不相同的内容' * (n % 7)}"}).status_code)
    assert statuses.count(201) == 5 and statuses.count(429) == 995
    assert len(_cases()) == 5


def test_one_enterprise_is_limited_and_its_likely_duplicates_are_flagged(public):
    first = _file(public, credit_code="", summary="检测费三万元无依据收取，要求退还")
    assert first.status_code == 201
    second = _file(public, credit_code="", summary="检测费三万元无依据收取，请求退还")
    assert second.status_code == 201
    other = _file(public, credit_code="", summary="审批拖延半年")
    assert other.status_code == 201
    assert _file(public, credit_code="").status_code == 429, "three a day per enterprise"
    cases = _cases()
    flags = list(db.session.scalars(sa.select(ComplaintEvent).where(ComplaintEvent.kind == "duplicate")))
    assert [(f.complaint_id, f.public) for f in flags] == [(cases[1].id, False)]
    assert cases[0].case_no in flags[0].text


def test_the_same_form_sent_twice_files_one_case(public):
    form = _form(public) | FIELDS
    assert public.post("/complaints/online", data=form).status_code == 201
    again = public.post("/complaints/online", data=form)
    assert again.status_code == 200 and "没有重复登记" in again.get_data(as_text=True)
    assert len(_cases()) == 1


def test_online_case_to_transfer_and_reply_reaches_the_complainant_by_mail(app_factory, smtp_server, make_user,
                                                                           login, prefecture):
    app = app_factory(ONLINE_MIN_SECONDS=0, MAIL=mail_settings(smtp_server.url, "中心 <c@example.gov.cn>"))
    with app.app_context():
        notification_operations.set_contact(prefecture("株洲市"), "", "zz@example.gov.cn", "")
        db.session.commit()
        clerk, handler = make_user("centre", username="clerk"), make_user("prefecture", "株洲市", username="zzh")
        visitor, staff = app.test_client(), app.test_client()
        filed = _file(visitor)
        assert filed.status_code == 201
        code = filed.get_data(as_text=True).split('class="mono lookup-code">')[1].split("<")[0]
        [case] = _cases()
        delivery.send_due()
        assert smtp_server.subjects() == [f"投诉已收到：案件编号 {case.case_no}"]
        login(staff, clerk)
        for action, data in (("accept", {"procedure": "simple"}), ("assign", {"prefecture": "430200"})):
            assert staff.post(f"/complaints/{case.case_no}/{action}", data=data | {"version": str(_cases()[0].version)}).status_code == 302
        delivery.send_due()
        assert smtp_server.messages[-1]["To"] == "zz@example.gov.cn" and case.case_no in smtp_server.subjects()[-1]
        login(staff, handler)
        for action, data in (("start", {}), ("reply", {"text": "已责令退还检测费"})):
            assert staff.post(f"/complaints/{case.case_no}/{action}", data=data | {"version": str(_cases()[0].version)}).status_code == 302
        delivery.send_due()
        reply = smtp_server.messages[-1]
        assert reply["To"] == "li@example.com" and "已责令退还检测费" in reply.get_content()
        objection = visitor.post("/status/objection", data={"case_no": case.case_no, "code": code, "text": "未退还"})
        assert objection.status_code == 200 and "异议已提交" in objection.get_data(as_text=True)
        [to_centre] = db.session.scalars(sa.select(Message).where(Message.audience == "province"))
        assert (to_centre.recipient, to_centre.template) == (f"user:{clerk.id}", "objection")
        assert "未退还" in to_centre.body and _cases()[0].escalated
        assert all("/s/" not in str(m) and "/f/" not in str(m) for m in smtp_server.messages)


def test_the_complainant_rates_once_with_number_and_code(app, client, make_user, prefecture):
    clerk, handler = make_user("centre", username="clerk"), make_user("prefecture", "长沙市", username="csh")
    found = prefecture("长沙市")
    case, code = operations.intake(operations.CaseIntake(
        prefecture=found, county=found.counties[0], complainant="某企业", channel="web", received_on=dt.date(2026, 11, 2),
        category="fees", summary="收费", user_id=None, today=dt.date(2026, 11, 2)))
    operations.accept(case, clerk.id, dt.date(2026, 11, 3), "simple", False)
    operations.assign(case, clerk.id, found, "")
    db.session.commit()
    form = {"case_no": case.case_no, "code": code, "satisfaction": "基本满意"}
    assert client.post("/status/rating", data=form).status_code == 400, "not before the reply"
    operations.start(case, handler.id)
    operations.reply(case, handler.id, "已处理", dt.date(2026, 11, 10))
    db.session.commit()
    assert client.post("/status/rating", data=form | {"code": "WRONG123"}).status_code == 404
    page = client.post("/status", data={"case_no": case.case_no, "code": code}).get_data(as_text=True)
    assert "评价办理结果" in page and "对处理结果有异议" in page
    rated = client.post("/status/rating", data=form)
    assert rated.status_code == 200 and "评价已提交" in rated.get_data(as_text=True)
    again = client.post("/status/rating", data=form | {"satisfaction": "满意"})
    assert again.status_code == 400 and "只评价一次" in again.get_data(as_text=True)
    db.session.expire_all()
    assert (case.satisfaction, case.visited_by_id) == ("基本满意", None)
    with pytest.raises(RuleError, match="不能再次回访"):
        operations.return_visit(case, make_user("centre", username="visitor").id, "满意", dt.date(2026, 11, 11))


def test_evidence_is_attached_under_the_content_checks(public):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    filed = public.post("/complaints/online", content_type="multipart/form-data", data=_form(public) | FIELDS | {
        "attachment": (io.BytesIO(pdf), "收费单据.pdf")})
    assert filed.status_code == 201
    [case] = _cases()
    assert [a.original_name for a in case.attachments] == ["收费单据.pdf"]
    fake = public.post("/complaints/online", content_type="multipart/form-data", data=_form(public) | FIELDS | {
        "complainant": "另一企业", "attachment": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "invoice.pdf")})
    assert fake.status_code == 400 and len(_cases()) == 1, "a refused file files nothing"

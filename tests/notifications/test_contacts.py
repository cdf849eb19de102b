"""The administrators' page of the prefectures' contacts for notices: list, add, change,
deactivate, each change audited; a deactivated contact receives no transfer notice."""
import datetime as dt

import sqlalchemy as sa

from complaints import operations
from investenv.audit.models import AuditEvent
from investenv.extensions import db
from notifications.models import Contact, Message


def test_an_administrator_keeps_the_contacts(app, client, login, make_user, prefecture):
    admin, clerk = make_user("admin", username="boss"), make_user("centre", username="clerk")
    other = app.test_client()
    login(other, make_user("prefecture", "株洲市", username="zzh"))
    assert other.get("/notifications/contacts").status_code == 403
    assert other.post("/notifications/contacts/430200", data={"email": "x@example.com"}).status_code == 403
    login(client, admin)
    page = client.get("/notifications/contacts").get_data(as_text=True)
    assert "株洲市" in page and "未设置" in page
    refused = client.post("/notifications/contacts/430200", data={"name": "株洲投诉办", "email": "", "phone": ""})
    assert refused.status_code == 400 and "请至少填写邮件地址或手机号码" in refused.get_data(as_text=True)
    assert client.post("/notifications/contacts/430200", data={
        "name": "株洲投诉办", "email": "zz@example.gov.cn", "phone": "13900000000"}).status_code == 302
    assert client.post("/notifications/contacts/430200", data={
        "name": "株洲投诉办", "email": "zz2@example.gov.cn", "phone": ""}).status_code == 302
    assert "zz2@example.gov.cn" in client.get("/notifications/contacts").get_data(as_text=True)
    assert client.get("/notifications/contacts/999999").status_code == 404

    found = prefecture("株洲市")
    case, _ = operations.intake(operations.CaseIntake(
        prefecture=found, county=found.counties[0], complainant="某企业", channel="web", received_on=dt.date(2026, 11, 2),
        category="fees", summary="收费", user_id=None, today=dt.date(2026, 11, 2)))
    operations.accept(case, clerk.id, dt.date(2026, 11, 3), "simple", False)
    operations.assign(case, clerk.id, found, "")
    db.session.commit()
    assert [m.recipient for m in db.session.scalars(sa.select(Message).where(Message.channel == "email"))] == [
        "zz2@example.gov.cn"]

    assert client.post("/notifications/contacts/430200/deactivate").status_code == 302
    db.session.expire_all()
    assert not db.session.get(Contact, found.id).active
    assert "已停用" in client.get("/notifications/contacts").get_data(as_text=True)
    operations.assign(case, clerk.id, prefecture("长沙市"), "")
    operations.assign(case, clerk.id, found, "")
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Message).where(Message.channel == "email")) == 1, \
        "a deactivated contact receives nothing"
    targets = [e.target for e in db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "notice_contact")
                                                     .order_by(AuditEvent.id))]
    assert targets == ["430200 add zz@example.gov.cn 13900000000", "430200 change zz2@example.gov.cn ",
                       "430200 deactivate"]


def test_the_command_writes_the_same_audit_entry_as_the_page(app, run_cli):
    assert run_cli(app, "notify-contact", "430200", "--email", "zz@example.gov.cn").exit_code == 0
    assert run_cli(app, "notify-contact", "430200", "--phone", "13900000000").exit_code == 0
    refused = run_cli(app, "notify-contact", "430200")
    assert refused.exit_code != 0
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "notice_contact")
                                .order_by(AuditEvent.id)).all()
    assert [e.target for e in events] == ["430200 add zz@example.gov.cn ", "430200 change  13900000000"]
    assert all(e.username.startswith("命令行:") for e in events)

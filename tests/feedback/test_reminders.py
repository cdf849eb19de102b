"""Reminders to monitoring points to report: when a period opens and before its reporting closes
(``investenv notify``), or sent by the province; to the point only, with its own link, by mail and
SMS through the outbox; never to those who reported, never to a prefecture."""
import datetime as dt

import pytest
import sqlalchemy as sa

from feedback import notices, operations, periods
from investenv.extensions import db
from notifications import operations as notification_operations
from notifications.models import Message

D = dt.date


def _messages():
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Message).order_by(Message.id)))


@pytest.fixture
def points(app, make_point, prefecture):
    notification_operations.set_contact(prefecture("株洲市"), "株洲投诉办", "zz@example.gov.cn", "13900000000")
    quiet, mailed, both = (make_point("株洲市", name=n) for n in ("无联系方式企业", "邮件企业", "两者都有企业"))
    quiet.enterprise.contact_phone = "0731-1234567"
    mailed.enterprise.contact_email, mailed.enterprise.contact_phone = "m@example.com", ""
    both.enterprise.contact_email, both.enterprise.contact_phone = "b@example.com", "13800000002"
    db.session.commit()
    return quiet, mailed, both


def test_a_period_opens_and_closes_with_reminders_once_each(app, points):
    app.config["BASE_URL"] = "https://tz.example.gov.cn"
    quiet, mailed, both = points
    day = D(2026, 10, 1)  # 2026Q4 opens; 2026Q3 can be reported until 31 December
    assert notices.scan_periods(day, "quarter") == 3
    opened = _messages()
    assert {(m.channel, m.recipient, m.template) for m in opened} == {
        ("email", "m@example.com", "feedback_open"), ("email", "b@example.com", "feedback_open"),
        ("sms", "13800000002", "feedback_open")}
    assert f"https://tz.example.gov.cn/f/{both.enterprise.monitoring_point.feedback_token}" in next(m.body for m in opened if m.recipient == "b@example.com")
    assert all(m.audience == "enterprise" and "2026年第四季度" in m.subject for m in opened)
    assert notices.scan_periods(day + dt.timedelta(days=30), "quarter") == 0, "once per period, point and channel"

    q3 = periods.parse("2026Q3")
    operations.submit(mailed, q3.code, [4] * 5, "", "", D(2026, 12, 1))
    db.session.commit()
    assert notices.scan_periods(D(2026, 12, 24), "quarter") == 0, "not yet within the closing days"
    assert notices.scan_periods(D(2026, 12, 26), "quarter") == 2
    closing = [m for m in _messages() if m.template == "feedback_reminder"]
    assert {m.recipient for m in closing} == {"b@example.com", "13800000002"}, "not to the point that reported"
    assert all("2026-12-31" in m.body and "2026年第三季度" in m.subject for m in closing)
    assert notices.scan_periods(D(2026, 12, 30), "quarter") == 0


def test_the_province_sends_reminders_and_a_prefecture_cannot(app, client, login, make_user, points):
    quiet, mailed, both = points
    period = periods.current(dt.date.today(), "quarter")
    staff = app.test_client()
    login(staff, make_user("prefecture", "株洲市", username="zzh"))
    assert staff.post("/feedback/missing/remind", data={"period": period.code}).status_code == 403
    login(client, make_user("centre", username="clerk"))
    page = client.post("/feedback/missing/remind", data={"period": period.code}, follow_redirects=True)
    assert "已写入 3 条提醒" in page.get_data(as_text=True)
    client.post("/feedback/missing/remind", data={"period": period.code})
    sent = _messages()
    assert len(sent) == 3, "at most once a day"
    assert {m.recipient for m in sent} == {"m@example.com", "b@example.com", "13800000002"}
    assert f"/f/{mailed.feedback_token}" in next(m.body for m in sent if m.recipient == "m@example.com")
    assert client.post("/feedback/missing/remind", data={"period": "2099Q1"}).status_code == 404


def test_investenv_notify_sends_the_scheduled_reminders_with_the_public_address(app_factory, make_point, run_cli,
                                                                                tmp_path):
    app = app_factory(BASE_URL=None, SMS_BACKEND=f"file:{tmp_path / 'sms.jsonl'}")
    with app.app_context():
        point = make_point("株洲市", contact_phone="13800000003", contact_email="p@example.com")
        without = run_cli(app, "notify")
        assert without.exit_code == 0 and "未设置 INVESTENV_BASE_URL" in without.output
        assert _messages() == []
        app.config["BASE_URL"] = "https://tz.example.gov.cn"
        sent = run_cli(app, "notify")
        assert sent.exit_code == 0 and "已发送 1 条" in sent.output, sent.output  # no mail server: the mail waits
        mail, sms = _messages()
        assert (mail.channel, mail.recipient, sms.channel, sms.state) == ("email", "p@example.com", "sms", "sent")
        assert f"https://tz.example.gov.cn/f/{point.feedback_token}" in mail.body
        assert "/f/" not in sms.body and "邮件" in sms.body, "an SMS never carries the link"
        visitor = app.test_client()
        assert visitor.get(f"/f/{point.feedback_token}").status_code == 200, "the link is the point's feedback page"

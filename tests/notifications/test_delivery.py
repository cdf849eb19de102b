"""The outbox and its delivery by ``investenv notify``: a real SMTP server (aiosmtpd) started by
each test, retries with backoff, and a sender killed between the server's acceptance and its
record, on SQLite and PostgreSQL."""
import datetime as dt
import json
import os
import signal
import subprocess
import sys
from decimal import Decimal

import pytest
import sqlalchemy as sa

from complaints import operations
from investenv.config import ConfigError, mail_settings, sms_backend
from investenv.errors import RuleError
from investenv.extensions import db
from investenv.timeutil import utcnow
from notifications import delivery, outbox
from notifications.models import Message

SENDER = "湖南省投资环境投诉服务中心 <noreply@example.gov.cn>"


@pytest.fixture
def mail_app(app_factory, smtp_server, tmp_path):
    app = app_factory(MAIL=mail_settings(smtp_server.url, SENDER), SMS_BACKEND=f"file:{tmp_path / 'sms.jsonl'}")
    with app.app_context():
        yield app
        db.session.rollback()


def _case(prefecture, email="boss@example.com", phone="", number=1):
    found = prefecture("长沙市")
    case, _ = operations.intake(operations.CaseIntake(
        prefecture=found, county=found.counties[0], complainant=f"某投资企业{number}", contact_name="张三",
        contact_phone=phone, contact_email=email, channel="hotline", received_on=dt.date(2026, 11, 2),
        category="fees", summary="超出费负卡收费", amount_yuan=Decimal("100"), user_id=None,
        today=dt.date(2026, 11, 2)))
    db.session.commit()
    return case


def _messages():
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Message).order_by(Message.id)))


def test_mail_settings_are_validated():
    assert mail_settings(None, None) is None
    settings = mail_settings("smtp+starttls://u%40x:p%3Aw@mail.example.gov.cn", SENDER)
    assert (settings["port"], settings["user"], settings["password"]) == (587, "u@x", "p:w")
    assert mail_settings("smtps://mail.example.gov.cn", SENDER)["port"] == 465
    for url, sender in (("http://mail", SENDER), ("smtp://", SENDER), ("smtp://mail:99999", SENDER),
                        ("smtp://mail", None), ("smtp://mail", "not an address")):
        with pytest.raises(ConfigError):
            mail_settings(url, sender)
    assert sms_backend(None) == "console" and sms_backend("my_gateway.adapter:Gateway")
    with pytest.raises(ConfigError):
        sms_backend("file:")


def test_a_receipt_is_written_with_the_intake_and_sent_over_smtp_with_a_chinese_subject(mail_app, smtp_server, prefecture):
    case = _case(prefecture)
    [message] = _messages()
    assert (message.state, message.channel, message.complaint_id) == ("pending", "email", case.id)
    assert not smtp_server.messages, "nothing is sent within the request"
    summary = delivery.send_due()
    assert summary.sent == 1
    [received] = smtp_server.messages
    assert received["Subject"] == f"投诉已收到：案件编号 {case.case_no}"
    assert b"=?utf-8?" in received.raw.split(b"\r\n\r\n")[0].lower(), "the subject is RFC 2047 encoded"
    assert case.case_no in received.get_content() and "张三" in received.get_content()
    assert received["To"] == "boss@example.com" and "投诉服务中心" in str(received["From"])
    [message] = _messages()
    assert message.state == "sent" and message.sent_at is not None and message.attempts == 1
    assert delivery.send_due().sent == 0, "never sent twice"


def test_a_refusal_is_retried_with_backoff_and_a_permanent_one_fails(mail_app, smtp_server, prefecture):
    _case(prefecture)
    smtp_server.answers = ["451 4.3.0 try again later"]
    assert delivery.send_due().retrying == 1
    [message] = _messages()
    assert message.state == "pending" and message.attempts == 1 and "451" in message.last_error
    assert message.next_try > utcnow() + dt.timedelta(seconds=50)
    assert delivery.send_due().sent == 0, "not before its next try"
    assert delivery.send_due(utcnow() + dt.timedelta(minutes=2)).sent == 1
    assert len(smtp_server.messages) == 1

    _case(prefecture, number=2)
    smtp_server.answers = ["550 5.1.1 no such user"]
    assert delivery.send_due().failed == 1
    assert _messages()[-1].state == "failed"


def test_sms_goes_through_the_adapter_and_mail_waits_without_a_server(app_factory, prefecture, tmp_path):
    app = app_factory(MAIL=None, SMS_BACKEND=f"file:{tmp_path / 'sms.jsonl'}")
    with app.app_context():
        case = _case(prefecture, phone="138 0000 0000")
        summary = delivery.send_due()
        assert (summary.sent, summary.waiting) == (1, 1)
        [line] = (tmp_path / "sms.jsonl").read_text(encoding="utf-8").splitlines()
        assert json.loads(line)["phone"] == "13800000000" and case.case_no in json.loads(line)["text"]
        assert {m.channel: m.state for m in _messages()} == {"email": "pending", "sms": "sent"}


def test_a_personal_link_never_goes_to_a_prefecture(app):
    with pytest.raises(RuleError, match="专用问卷或反馈链接"):
        with app.test_request_context():
            outbox.enqueue("email", "x@example.com", "prefecture", "objection", {
                "case": type("C", (), {"case_no": "1", "prefecture": type("P", (), {"name": "长沙市"})})(),
                "event": type("E", (), {"text": "https://x.example/s/abcdefghijklmnop"})()})


def _notify(database_url, smtp_server, tmp_path):
    env = os.environ | {"INVESTENV_DATABASE_URL": database_url, "INVESTENV_MAIL_URL": smtp_server.url,
                        "INVESTENV_MAIL_FROM": SENDER, "INVESTENV_INSTANCE_PATH": str(tmp_path / "instance"),
                        "INVESTENV_SECRET_KEY": "test", "INVESTENV_SMS_BACKEND": f"file:{tmp_path / 'sms'}"}
    return subprocess.Popen([sys.executable, "-m", "investenv", "notify"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_killing_notify_between_sending_and_recording_loses_nothing_and_sends_nothing_twice(
        mail_app, smtp_server, prefecture, database_url, tmp_path):
    cases = [_case(prefecture, email=f"boss{n}@example.com", number=n) for n in range(3)]
    db.session.commit()
    sender = {}

    def kill_after_the_first(message):  # the server has the message; its sender dies before the answer
        if len(smtp_server.messages) == 1:
            os.kill(sender["process"].pid, signal.SIGKILL)

    smtp_server.before_answer = kill_after_the_first
    sender["process"] = _notify(database_url, smtp_server, tmp_path)
    sender["process"].communicate(timeout=60)
    assert sender["process"].returncode == -signal.SIGKILL
    assert len(smtp_server.messages) == 1
    assert [m.state for m in _messages()] == ["sending", "pending", "pending"]

    smtp_server.before_answer = None
    rerun = _notify(database_url, smtp_server, tmp_path)
    out, err = rerun.communicate(timeout=60)
    assert rerun.returncode == 0, err
    received = [m["To"] for m in smtp_server.messages]
    assert sorted(received) == ["boss0@example.com", "boss1@example.com", "boss2@example.com"], "each exactly once"
    assert [m.state for m in _messages()] == ["sending", "sent", "sent"]

    # Once its claim is old, the interrupted message is marked unknown and listed, never re-sent ...
    later = utcnow() + delivery.CLAIM_LEASE + dt.timedelta(minutes=1)
    summary = delivery.send_due(later)
    assert summary.unknown == [_messages()[0].id] and summary.sent == 0
    assert _messages()[0].state == "unknown" and len(smtp_server.messages) == 3
    # ... unless an administrator puts it back after checking the server's log for its Message-ID.
    assert delivery.requeue(_messages()[0].id)
    assert delivery.send_due().sent == 1
    assert [m["Message-ID"] for m in smtp_server.messages].count(smtp_server.messages[0]["Message-ID"]) == 2
    assert cases[0].case_no in str(smtp_server.messages[-1]["Subject"])

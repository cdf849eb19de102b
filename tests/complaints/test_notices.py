"""What each step of a case tells whom (complaints.notices), written into the outbox in the step's
own transaction, shown on the case's timeline; and never a personal link to a prefecture."""
import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from complaints import calendar_store, notices, operations
from feedback import notices as feedback_notices
from feedback import periods as feedback_periods
from investenv.errors import RuleError
from investenv.extensions import db
from investenv.registry.models import MonitoringPoint
from notifications import operations as notification_operations
from notifications.models import Message
from survey import operations as survey_operations
from survey.models import Invitation

D = dt.date


@pytest.fixture
def staff(make_user, prefecture):
    notification_operations.set_contact(prefecture("株洲市"), "株洲投诉办", "zz@example.gov.cn", "13900000000")
    db.session.commit()
    return {"clerk": make_user("centre", username="clerk"), "handler": make_user("prefecture", "株洲市", username="zzh"),
            "other": make_user("prefecture", "长沙市", username="csh")}


def _intake(prefecture, staff, **fields):
    found = prefecture("长沙市")
    values = dict(prefecture=found, county=found.counties[0], complainant="某投资企业", contact_name="张三",
                  contact_phone="13800000000", contact_email="boss@example.com", channel="web",
                  received_on=D(2026, 11, 2), category="fees", summary="超出费负卡收费", amount_yuan=Decimal("1"),
                  user_id=staff["clerk"].id, today=D(2026, 11, 2))
    case, _ = operations.intake(operations.CaseIntake(**(values | fields)))
    db.session.commit()
    return case


def _sent(**where):
    db.session.expire_all()
    query = sa.select(Message).order_by(Message.id)
    for key, value in where.items():
        query = query.where(getattr(Message, key) == value)
    return list(db.session.scalars(query))


def test_each_step_tells_the_complainant_the_prefecture_and_the_centre(app, prefecture, staff):
    case = _intake(prefecture, staff)
    assert {(m.channel, m.template) for m in _sent()} == {("email", "receipt"), ("sms", "receipt")}
    clerk, handler = staff["clerk"].id, staff["handler"].id
    operations.accept(case, clerk, D(2026, 11, 3), "simple", False)
    operations.assign(case, clerk, prefecture("株洲市"), "市场监管局")
    db.session.commit()
    to_prefecture = _sent(audience="prefecture")
    assert {(m.channel, m.recipient) for m in to_prefecture} == {
        ("email", "zz@example.gov.cn"), ("sms", "13900000000"), ("app", f"user:{handler}")}
    assert all(m.template == "transferred" and case.case_no in m.subject for m in to_prefecture)
    assert f"user:{staff['other'].id}" not in {m.recipient for m in _sent()}, "only the receiving prefecture"
    operations.start(case, handler)
    operations.progress(case, handler, "已约谈收费单位", D(2026, 11, 10))
    operations.reply(case, handler, "已退还多收费用", D(2026, 11, 20))
    operations.close(case, clerk, "resolved", None, D(2026, 11, 21))
    operations.object_to_result(case, None, "退款不足")
    db.session.commit()
    to_complainant = [m.template for m in _sent(audience="complainant", channel="email")]
    assert to_complainant == ["receipt", "accepted", "progress", "reply", "closed", "rate"]
    reply = _sent(template="reply", channel="email")[0]
    assert "已退还多收费用" in reply.body and reply.subject == f"投诉答复：案件编号 {case.case_no}"
    assert [m.template for m in _sent(audience="province")] == ["objection"]
    assert all(m.complaint_id == case.id and m.complaint_event_id for m in _sent())


def test_a_refusal_gives_its_reason_and_no_contact_means_no_message(app, prefecture, staff):
    quiet = _intake(prefecture, staff, contact_email="", contact_phone="0731-8888888")
    assert _sent() == []
    case = _intake(prefecture, staff, contact_phone="")
    operations.refuse(case, staff["clerk"].id, "不属于受理范围")
    db.session.commit()
    refused = _sent(template="refused")[0]
    assert "不属于受理范围" in refused.body and quiet.id != case.id


def test_deadline_warnings_are_written_once_per_deadline(app, prefecture, staff):
    case = _intake(prefecture, staff)
    operations.accept(case, staff["clerk"].id, D(2026, 11, 3), "simple", True)
    operations.assign(case, staff["clerk"].id, prefecture("株洲市"), "")
    db.session.commit()
    assert notices.scan_deadlines(case.due_on - dt.timedelta(days=10)) == 0
    assert notices.scan_deadlines(case.due_on - dt.timedelta(days=1)) == 3  # contact's mail and SMS, the handler
    assert notices.scan_deadlines(case.due_on) == 0, "once per deadline and recipient"
    overdue = notices.scan_deadlines(case.due_on + dt.timedelta(days=1))
    assert overdue == 4 and _sent(audience="province", template="overdue"), "a major case overdue: the centre too"
    assert {m.template for m in _sent(audience="prefecture")} == {"transferred", "due_soon", "overdue"}


def test_the_case_page_shows_what_was_sent_to_whom(app, client, login, prefecture, staff):
    case = _intake(prefecture, staff)
    login(client, staff["clerk"])
    page = client.get(f"/complaints/{case.case_no}").get_data(as_text=True)
    assert "boss@example.com" in page and f"投诉已收到：案件编号 {case.case_no}" in page and "待发送" in page


def test_no_message_to_a_prefecture_carries_a_personal_link(app, prefecture, staff, make_invitation, make_point):
    invitation, point = make_invitation(prefecture_name="株洲市"), make_point("株洲市")
    case = _intake(prefecture, staff, summary=f"附：/s/{invitation.token} 与 /f/{point.feedback_token}")
    operations.accept(case, staff["clerk"].id, D(2026, 11, 3), "simple", True)
    with pytest.raises(RuleError, match="专用问卷或反馈链接"):
        operations.assign(case, staff["clerk"].id, prefecture("株洲市"), "", f"企业说 /s/{invitation.token}")
    db.session.rollback()
    case = _intake(prefecture, staff)
    operations.accept(case, staff["clerk"].id, D(2026, 11, 3), "simple", True)
    operations.assign(case, staff["clerk"].id, prefecture("株洲市"), "", "请核实")
    db.session.commit()
    notices.scan_deadlines(case.due_on + dt.timedelta(days=1))
    # The messages that do carry personal links: survey invitations and reminders by mail, monitoring
    # points' feedback reminders by mail (scheduled and sent by the province); their SMS carry none.
    for enterprise in (invitation.enterprise, point.enterprise):
        enterprise.contact_email, enterprise.contact_phone = f"e{enterprise.id}@example.com", f"1380000000{enterprise.id % 10}"
    for channel in ("email", "sms"):
        for reminder in (False, True):
            survey_operations.notify_invited([invitation], lambda i: f"https://x.example/s/{i.token}", reminder,
                                             D(2026, 11, 4), channel)
    feedback_notices.scan_periods(D(2026, 10, 1), "quarter")
    period = feedback_periods.parse("2026Q4")
    feedback_notices.remind([point], period, "feedback_reminder", "2026-11-04")
    db.session.commit()
    secrets = {t for t in db.session.scalars(sa.select(Invitation.token))} | {
        t for t in db.session.scalars(sa.select(MonitoringPoint.feedback_token))}
    carrying = [m for m in _sent() if any(s in m.subject + m.body for s in secrets)]
    assert len(carrying) == 4 and {(m.audience, m.channel) for m in carrying} == {("enterprise", "email")}
    assert len([m for m in _sent() if m.channel == "sms" and m.audience == "enterprise"]) == 4
    prefecture_addresses = {"zz@example.gov.cn", "13900000000", f"user:{staff['handler'].id}", f"user:{staff['other'].id}"}
    assert not prefecture_addresses & {m.recipient for m in carrying}
    to_prefecture = _sent(audience="prefecture") + [m for m in _sent() if m.recipient in prefecture_addresses]
    assert len(to_prefecture) >= 6
    for message in to_prefecture:
        text = message.subject + message.body
        assert "/s/" not in text and "/f/" not in text and not any(s in text for s in secrets)


def test_administrators_are_reminded_of_next_years_calendar_from_november(app, make_user):
    admin = make_user("admin", username="root")
    missing = max(y.year for y in calendar_store.entered_years()) + 1
    assert notices.scan_calendar(D(missing - 1, 10, 31)) == 0, "not before November"
    assert notices.scan_calendar(D(missing - 1, 11, 1)) == 1
    assert notices.scan_calendar(D(missing - 1, 11, 2)) == 0, "once a year"
    [message] = _sent(template="calendar_missing")
    assert (message.user_id, message.channel) == (admin.id, "app") and str(missing) in message.subject
    assert notices.scan_calendar(D(missing - 2, 11, 1)) == 0, "the year after an entered one"
    assert "/admin/calendar" in message.body, "with a link to enter it"


def test_only_a_case_not_yet_accepted_can_be_refused(app, prefecture, staff):
    """The evaluation counts every case the centre accepted and no refused one (docs/methodology.md,
    rule 1): so refusing must be impossible once a case was accepted, at every later step."""
    case = _intake(prefecture, staff)
    clerk, handler = staff["clerk"].id, staff["handler"].id
    steps = [lambda: operations.accept(case, clerk, D(2026, 11, 3), "simple", False),
             lambda: operations.assign(case, clerk, prefecture("株洲市"), "市场监管局"),
             lambda: operations.start(case, handler),
             lambda: operations.reply(case, handler, "已处理", D(2026, 11, 20))]
    for step in steps:
        step()
        db.session.commit()
        with pytest.raises(RuleError):
            operations.refuse(case, clerk, "不属于受理范围")
        db.session.rollback()
        assert case.status != "not_accepted" and case.accepted_on == D(2026, 11, 3)


def test_a_provisional_deadline_is_marked_in_the_complainants_messages(app, prefecture, staff):
    case = _intake(prefecture, staff, received_on=D(2026, 12, 10), today=D(2026, 12, 10))
    operations.accept(case, staff["clerk"].id, D(2026, 12, 10), "simple", False)
    db.session.commit()
    [accepted] = _sent(template="accepted", channel="email")
    assert "我们将在 2027-01-11（预计） 前答复办理结果" in accepted.body

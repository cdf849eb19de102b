"""Invitations and reminders by SMS from the province: to the enterprise only, never to those who
answered or unsubscribed, at most once a day, never with the personal link (the contact phone is
the prefecture's to keep: the SMS points to the mail or the paper letter); prefecture staff cannot
send them."""
import json

import sqlalchemy as sa

from investenv.extensions import db
from notifications import delivery
from notifications.models import Message
from survey import operations


def _sms():
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Message).where(Message.channel == "sms").order_by(Message.id)))


def test_invitations_and_reminders_by_sms(app_factory, make_user, login, make_round, make_enterprise, tmp_path):
    app = app_factory(SMS_BACKEND=f"file:{tmp_path / 'sms.jsonl'}")
    with app.app_context():
        survey_round = make_round()
        answered, waiting, landline = (make_enterprise("株洲市", name=n, contact_phone=p) for n, p in (
            ("已答企业", "13900000001"), ("未答企业", "13900000002"), ("座机企业", "0731-1234567")))
        invitations = [operations.invite(survey_round, e) for e in (answered, waiting, landline)]
        invitations[0].used = True
        db.session.commit()
        staff, centre = app.test_client(), app.test_client()
        login(staff, make_user("prefecture", "株洲市", username="zzh"))
        assert staff.post(f"/survey/rounds/{survey_round.id}/sms", data={"kind": "invite"}).status_code == 403
        login(centre, make_user("centre", username="clerk"))
        assert centre.post(f"/survey/rounds/{survey_round.id}/sms", data={"kind": "invite"}).status_code == 302
        assert [(m.recipient, m.audience, m.round_id) for m in _sms()] == [("13900000002", "enterprise", survey_round.id)]
        assert "/s/" not in _sms()[0].body and "纸质邀请函" in _sms()[0].body, "an SMS never carries the link"
        assert centre.post(f"/survey/rounds/{survey_round.id}/sms", data={"kind": "invite"}).status_code == 302
        assert len(_sms()) == 1, "an invitation once"
        centre.post(f"/survey/rounds/{survey_round.id}/sms", data={"kind": "remind"})
        centre.post(f"/survey/rounds/{survey_round.id}/sms", data={"kind": "remind"})
        assert [m.template for m in _sms()] == ["survey_invitation", "survey_reminder"], "a reminder at most once a day"
        assert delivery.send_due().sent == 2
        lines = [json.loads(x) for x in (tmp_path / "sms.jsonl").read_text(encoding="utf-8").splitlines()]
        assert {x["phone"] for x in lines} == {"13900000002"}
        page = centre.get(f"/survey/rounds/{survey_round.id}/invitations").get_data(as_text=True)
        assert "邀请已发送 1 条" in page and "催填已发送 1 条" in page

        visitor = app.test_client()
        token = invitations[1].token
        assert "不再提醒" in visitor.get(f"/s/{token}/reminders").get_data(as_text=True)
        assert "已为您停止" in visitor.post(f"/s/{token}/reminders").get_data(as_text=True)
        db.session.expire_all()
        assert invitations[1].reminders_off
        db.session.execute(sa.delete(Message))
        db.session.commit()
        centre.post(f"/survey/rounds/{survey_round.id}/sms", data={"kind": "remind"})
        assert _sms() == [], "no reminder after unsubscribing"

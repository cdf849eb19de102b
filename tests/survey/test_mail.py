"""Invitation letters and reminders by e-mail from the province, over a real SMTP server: to the
enterprise's contact e-mail only (which a prefecture may not enter), never to those who answered
or unsubscribed through the link in the mail; prefecture staff can neither send them nor receive one."""
import pytest
import sqlalchemy as sa

from investenv.config import mail_settings
from investenv.errors import RuleError
from investenv.extensions import db
from investenv.registry.credit_code import compose
from investenv.registry.importer import COLUMNS, import_enterprises
from investenv.registry.models import Enterprise
from notifications import delivery, outbox
from notifications import operations as notification_operations
from notifications.models import Message
from survey import operations


def _mail():
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Message).where(Message.channel == "email").order_by(Message.id)))


def test_invitation_letters_and_reminders_by_mail(app_factory, smtp_server, make_user, login, make_round, make_enterprise):
    app = app_factory(MAIL=mail_settings(smtp_server.url, "省经协办 <survey@example.gov.cn>"))
    with app.app_context():
        survey_round = make_round()
        answered, waiting, without = (make_enterprise("株洲市", name=n) for n in ("已答企业", "未答企业", "无邮箱企业"))
        answered.contact_email, waiting.contact_email = "a@example.com", "b@example.com"
        invitations = [operations.invite(survey_round, e) for e in (answered, waiting, without)]
        invitations[0].used = True
        db.session.commit()
        staff, centre = app.test_client(), app.test_client()
        zz = make_user("prefecture", "株洲市", username="zzh")
        login(staff, zz)
        assert staff.post(f"/survey/rounds/{survey_round.id}/mail", data={"kind": "invite"}).status_code == 403
        login(centre, make_user("centre", username="clerk"))
        sent = centre.post(f"/survey/rounds/{survey_round.id}/mail", data={"kind": "invite"}, follow_redirects=True)
        assert "已写入 1 条邀请邮件" in sent.get_data(as_text=True) and "1 家企业没有联系邮箱" in sent.get_data(as_text=True)
        assert [(m.recipient, m.audience, m.template) for m in _mail()] == [
            ("b@example.com", "enterprise", "survey_invitation_mail")]
        centre.post(f"/survey/rounds/{survey_round.id}/mail", data={"kind": "invite"})
        centre.post(f"/survey/rounds/{survey_round.id}/mail", data={"kind": "remind"})
        centre.post(f"/survey/rounds/{survey_round.id}/mail", data={"kind": "remind"})
        assert [m.template for m in _mail()] == ["survey_invitation_mail", "survey_reminder_mail"], \
            "an invitation once, a reminder at most once a day"
        assert delivery.send_due().sent == 2
        token = invitations[1].token
        assert [m["To"] for m in smtp_server.messages] == ["b@example.com", "b@example.com"]
        letter = smtp_server.messages[0].get_content()
        assert f"/s/{token}" in letter and f"/s/{token}/reminders" in letter and "未答企业" in letter
        assert f"/s/{token}/reminders" in smtp_server.messages[1].get_content()
        page = centre.get(f"/survey/rounds/{survey_round.id}/invitations").get_data(as_text=True)
        assert "邮件邀请已发送 1 条" in page and "邮件催填已发送 1 条" in page

        visitor = app.test_client()
        assert "已为您停止" in visitor.post(f"/s/{token}/reminders").get_data(as_text=True)
        db.session.execute(sa.delete(Message))
        db.session.commit()
        centre.post(f"/survey/rounds/{survey_round.id}/mail", data={"kind": "remind"})
        assert _mail() == [], "no reminder after unsubscribing"
        addresses = {m["To"] for m in smtp_server.messages}
        assert "zzh" not in str(addresses) and all(m.audience == "enterprise" for m in _mail())

        # An enterprise whose registered address is a prefecture's notice contact gets nothing there.
        notification_operations.set_contact(zz.prefecture, "株洲投诉办", "ZZ@example.gov.cn", "")
        waiting.contact_email = "zz@example.gov.cn"
        invitations[1].reminders_off = False
        db.session.commit()
        sent = centre.post(f"/survey/rounds/{survey_round.id}/mail", data={"kind": "remind"}, follow_redirects=True)
        assert "已写入 0 条催填邮件" in sent.get_data(as_text=True) and _mail() == []
        with pytest.raises(RuleError, match="专用问卷或反馈链接"):
            outbox.enqueue("email", "zz@example.gov.cn", "enterprise", "survey_reminder_mail", {
                "invitation": invitations[1], "survey_round": survey_round, "link": f"https://x/s/{token}"})


def test_only_the_province_enters_an_enterprise_contact_email(app, client, login, make_user, make_enterprise):
    enterprise = make_enterprise("株洲市", name="某企业")
    login(client, make_user("prefecture", "株洲市", username="zzh"))
    form = {"name": "某企业", "credit_code": enterprise.credit_code, "county": enterprise.county.code,
            "origin_province": enterprise.origin_province, "contact_email": "zzh@zhuzhou.gov.cn",
            "version": str(enterprise.version)}
    refused = client.post(f"/registry/enterprises/{enterprise.id}/edit", data=form)
    assert refused.status_code == 200 and "只能由省经协办填写或修改" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert enterprise.contact_email == ""
    province = app.test_client()
    login(province, make_user("centre", username="clerk"))
    assert province.post(f"/registry/enterprises/{enterprise.id}/edit",
                         data=form | {"contact_email": "boss@example.com"}).status_code == 302
    db.session.expire_all()
    assert enterprise.contact_email == "boss@example.com"
    kept = client.post(f"/registry/enterprises/{enterprise.id}/edit", data=form | {
        "contact_email": "boss@example.com", "name": "某企业（更名）", "version": str(enterprise.version)})
    assert kept.status_code == 302, "a prefecture may edit the rest and keep the address"


def test_the_import_takes_the_contact_email_from_the_province_only(app, prefecture):
    header = ",".join(c.label for c in COLUMNS)
    row = f"株洲邮箱企业,{compose('91', '430281', 'MA4L0009')},株洲市,醴陵市,广东省,,,,,否,,boss@example.com"
    data = f"{header}\n{row}\n".encode("utf-8-sig")
    report = import_enterprises(data, 2**20, prefecture("株洲市").id, update_existing=False)
    assert [e.message for e in report.errors] == [
        "联系邮箱用于向企业发送专用问卷链接，只能由省经协办填写或修改（市州登记、修改、导入时请保持原值）。"]
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enterprise)) == 0, "all or nothing"
    assert import_enterprises(data, 2**20, None, update_existing=False).errors == []
    db.session.commit()
    assert db.session.scalar(sa.select(Enterprise.contact_email)) == "boss@example.com"
    bad = data.replace(b"boss@example.com", b"not an address")
    assert "邮件地址格式不正确" in import_enterprises(bad, 2**20, None, update_existing=True).errors[0].message

"""补正材料: the centre asks once, within the rule set's period of receipt, for more material; the
complainant is told by mail and SMS, answers on the status page with a text and files (checked by
content: a bad file is refused in Chinese and nothing is stored), the centre is told in the app, the
timeline shows both; a complainant who does not answer in time is shown on the case, which may be
refused with that reason."""
import datetime as dt
import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from complaints import calendar_store, operations
from complaints.models import Attachment, Complaint
from complaints.rules import MOFCOM_2020, SEED
from investenv.errors import RuleError
from investenv.extensions import db
from investenv.timeutil import today
from notifications.models import Message

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def filed(app, prefecture, make_user):
    clerk = make_user("centre", username="clerk")
    found = prefecture("长沙市")
    case, code = operations.intake(operations.CaseIntake(
        prefecture=found, county=found.counties[0], complainant="某投资企业", contact_name="张三",
        contact_phone="13800000000", contact_email="boss@example.com", channel="web", received_on=today(),
        category="fees", summary="超出费负卡收费", user_id=None, today=today()))
    db.session.commit()
    return case, code, clerk


def _messages(**where):
    db.session.expire_all()
    query = sa.select(Message).order_by(Message.id)
    for key, value in where.items():
        query = query.where(getattr(Message, key) == value)
    return list(db.session.scalars(query))


def _uploads(app) -> list[Path]:
    folder = Path(app.instance_path) / "uploads" / "complaints"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_both_periods_are_in_the_rule_sets():
    for rules in (SEED, MOFCOM_2020):
        assert (rules.supplement_request.days, rules.supplement_request.working) == (7, True)
        assert (rules.supplement_answer.days, rules.supplement_answer.working) == (15, True)


def test_request_answer_and_notices(app, client, login, filed):
    case, code, clerk = filed
    login(client, clerk)
    assert client.post(f"/complaints/{case.case_no}/supplement",
                       data={"version": str(case.version), "text": ""}).status_code == 400
    response = client.post(f"/complaints/{case.case_no}/supplement",
                           data={"version": str(case.version), "text": "营业执照复印件、收费票据"})
    assert response.status_code == 302
    db.session.expire_all()
    case = db.session.get(Complaint, case.id)
    calendar = calendar_store.around(today())
    assert case.supplement_due_on == calendar.add_working_days(today(), 15) == case.acknowledge_due_on
    to_complainant = _messages(template="supplement")
    assert {m.channel for m in to_complainant} == {"email", "sms"}
    assert "营业执照复印件" in to_complainant[0].body and str(case.supplement_due_on) in to_complainant[0].body
    again = client.post(f"/complaints/{case.case_no}/supplement", data={"version": str(case.version), "text": "再要"})
    assert again.status_code == 400 and "只发一次" in again.get_data(as_text=True)

    visitor = client.application.test_client()
    page = visitor.post("/status", data={"case_no": case.case_no, "code": code}).get_data(as_text=True)
    assert "补正材料" in page and "营业执照复印件" in page and 'enctype="multipart/form-data"' in page
    answer = visitor.post("/status/supplement", content_type="multipart/form-data", data={
        "case_no": case.case_no, "code": code, "text": "附营业执照和票据",
        "files": [(io.BytesIO(PDF), "营业执照.pdf"), (io.BytesIO(PNG), "票据.png")]})
    assert answer.status_code == 200 and "补正材料已提交" in answer.get_data(as_text=True)
    db.session.expire_all()
    case = db.session.get(Complaint, case.id)
    assert case.supplemented_on == today()
    assert case.acknowledge_due_on == calendar.add_working_days(today(), 3), "acceptance runs again from the answer"
    assert [a.original_name for a in case.attachments] == ["营业执照.pdf", "票据.png"]
    assert len(_uploads(app)) == 2
    assert [e.kind for e in case.events] == ["intake", "supplement", "supplemented"]
    assert all(e.public for e in case.events[1:])
    [to_centre] = _messages(audience="province")
    assert (to_centre.channel, to_centre.recipient, to_centre.template) == ("app", f"user:{clerk.id}", "supplemented")
    assert "营业执照.pdf" in to_centre.body
    staff_page = client.get(f"/complaints/{case.case_no}").get_data(as_text=True)
    assert "要求补正材料" in staff_page and "投诉人补正材料" in staff_page and "营业执照.pdf" in staff_page
    twice = visitor.post("/status/supplement", data={"case_no": case.case_no, "code": code, "text": "再补"})
    assert twice.status_code == 400 and "不能再次提交" in twice.get_data(as_text=True)


def test_a_bad_file_is_refused_in_chinese_and_nothing_is_stored(app, client, filed):
    case, code, clerk = filed
    operations.request_supplement(case, clerk.id, "收费票据", today())
    db.session.commit()
    for files, words in (([(io.BytesIO(PDF), "好.pdf"), (io.BytesIO(b"<html>x</html>"), "坏.pdf")], "只接受"),
                         ([(io.BytesIO(b""), "空.pdf")], "文件为空"),
                         ([(io.BytesIO(PDF), f"{n}.pdf") for n in range(6)], "最多上传 5 个文件")):
        response = client.post("/status/supplement", content_type="multipart/form-data",
                               data={"case_no": case.case_no, "code": code, "text": "票据", "files": files})
        assert response.status_code == 400 and words in response.get_data(as_text=True)
        assert _uploads(app) == [] and db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 0
        db.session.expire_all()
        assert db.session.get(Complaint, case.id).supplemented_on is None
    wrong = client.post("/status/supplement", data={"case_no": case.case_no, "code": "00000000", "text": "x"})
    assert wrong.status_code == 404


def test_the_request_is_once_and_within_its_period(app, filed):
    case, _, clerk = filed
    late = calendar_store.around(case.received_on).add_working_days(case.received_on, 8)
    with pytest.raises(RuleError, match="7 个工作日内"):
        operations.request_supplement(case, clerk.id, "票据", late)
    db.session.rollback()
    operations.accept(case, clerk.id, today(), "simple", False)
    with pytest.raises(RuleError, match="不能要求补正材料"):
        operations.request_supplement(case, clerk.id, "票据", today())


def test_no_answer_in_time_is_shown_and_the_case_may_be_refused_with_that_reason(app, client, login, filed, monkeypatch):
    case, code, clerk = filed
    asked = today() - dt.timedelta(days=40)
    case.received_on = asked
    operations.request_supplement(case, clerk.id, "收费票据", asked)
    db.session.commit()
    assert operations.supplement_overdue(case, today())
    login(client, clerk)
    page = client.get(f"/complaints/{case.case_no}").get_data(as_text=True)
    assert 'id="supplement-overdue"' in page and "投诉人未在规定期限内补正材料</textarea>" in page
    visitor = client.application.test_client()
    status = visitor.post("/status", data={"case_no": case.case_no, "code": code}).get_data(as_text=True)
    assert "补正期限" in status and "已过" in status
    refused = client.post(f"/complaints/{case.case_no}/refuse", data={
        "version": str(case.version), "text": "投诉人未在规定期限内补正材料", "confirm": "y"})
    assert refused.status_code == 302
    db.session.expire_all()
    assert db.session.get(Complaint, case.id).status == "not_accepted"
    assert "未在规定期限内补正材料" in _messages(template="refused")[0].body

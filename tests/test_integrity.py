"""Integrity against the evaluated: the prefectures being ranked cannot see, answer for, or trace
their enterprises' answers (docs/security.md, threat model).

Every page and download of the URL map is walked as the prefecture's own staff (the ROUTES table
of test_scoping must classify a new route first), looking for personal links; then an enterprise
submits its questionnaire and a monitoring point its feedback, and everything the prefecture can
see is compared before and after: nothing may change.
"""
import io
import json
import re
import subprocess
import zipfile

import pytest
import sqlalchemy as sa

from complaints import operations as complaints
from complaints.models import Complaint
from feedback import periods
from investenv.audit.models import AuditEvent
from investenv.config import mail_settings
from investenv.errors import RuleError
from investenv.extensions import db
from investenv.registry.models import MonitoringPoint
from investenv.timeutil import today
from notifications import outbox
from notifications.models import Message
from survey import operations as survey
from survey.models import Invitation

from .test_scoping import ROUTES

PERSONAL_LINK = re.compile(r"/[sf]/[A-Za-z0-9_-]{20,}")
VOLATILE = re.compile(r'name="csrf_token" type="hidden" value="[^"]*"|value="[^"]*" name="csrf_token"|'
                      r'name="csrf_token" value="[^"]*"|'
                      # the public complaint form's one-time key and the signed time it was shown
                      r'name="(?:intake_key|shown)" type="hidden" value="[^"]*"')
# Pages reached with a query string that the URL map does not show.
QUERIES = ["/survey/rounds/{round}/invitations?pending=1", "/feedback/missing?format=csv", "/feedback/?period={period}"]


def _text(response) -> str:
    body = response.get_data()
    if response.mimetype == "application/pdf":
        return subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True).stdout.decode()
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as book:
            return "".join(book.read(n).decode("utf-8", "replace") for n in book.namelist()
                           if n.startswith("xl/") and n.endswith(".xml"))  # not docProps: its time of writing
    return VOLATILE.sub("", body.decode("utf-8", "replace"))


def _urls(app, world):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if "GET" not in rule.methods or rule.endpoint in ("static", "auth.logout") or rule.endpoint.startswith("api."):
            continue
        arguments = (ROUTES[rule.endpoint][1] or (lambda w: {}))(world)
        formats = [arguments] + [arguments | {"fmt": f} for f in ("csv", "xlsx", "pdf") if "fmt" in arguments]
        for variant in formats:
            yield rule.build(variant, append_unknown=False)[1]
    period = periods.current(today(), "quarter").code
    for query in QUERIES:
        yield query.format(round=world["round"].id, period=period)


def _everything(app, client, world) -> dict[str, tuple[int, str]]:
    seen = {}
    for url in _urls(app, world):
        with client.get(url) as response:
            seen[url] = (response.status_code, _text(response))
    return seen


def _tokens() -> list[str]:
    return [*db.session.scalars(sa.select(Invitation.token)), *db.session.scalars(sa.select(MonitoringPoint.feedback_token))]


@pytest.mark.parametrize("role", ["prefecture", "analyst"])
def test_no_page_or_download_shows_a_personal_link(app, client, world, make_user, login, role):
    login(client, make_user(role, "株洲市" if role == "prefecture" else None))
    tokens = _tokens()
    assert tokens
    for url, (status, text) in _everything(app, client, world).items():
        assert status < 500, url
        assert not PERSONAL_LINK.search(text), f"{url} shows a personal link"
        assert not any(token in text for token in tokens), f"{url} shows a token"
    survey_round = world["round"].id
    for url, data in ((f"/survey/rounds/{survey_round}/letters", {}),
                      (f"/survey/rounds/{survey_round}/paper.pdf", {"prefecture": "430200", "start": "1", "count": "1"})):
        assert client.post(url, data=data).status_code == 403, url


def test_what_the_prefecture_sees_does_not_change_when_its_enterprises_answer(app, client, world, login):
    """The differencing attack: snapshot every page and download, let one enterprise submit its
    questionnaire and one monitoring point report, snapshot again: nothing tells who or what."""
    login(client, world["user"])  # 株洲市 staff
    invitation, point = world["invitation"], world["enterprise"].monitoring_point
    before = _everything(app, client, world)
    answers = {"q1": "A", "q4": "A", "q5": "B", "q9": "C", "q32": "株洲的审批太慢了"}
    survey.save_page(invitation, 0, answers, today())
    survey.submit(invitation, today())
    db.session.commit()
    enterprise = app.test_client()  # the point, in its own browser, without a staff session
    period = periods.current(today(), "quarter").code
    reported = enterprise.post(f"/f/{point.feedback_token}", data={"period": period, "d1": "1", "d2": "2", "d3": "1",
                                                                   "d4": "2", "d5": "1", "comment": "乱收费严重"})
    assert reported.status_code == 200 and "反馈已提交" in reported.get_data(as_text=True)
    assert db.session.scalar(sa.select(Invitation.used).where(Invitation.id == invitation.id))
    after = _everything(app, client, world)
    changed = [url for url in before if before[url] != after[url]]
    assert not changed, f"these pages changed when one enterprise answered: {changed}"


@pytest.mark.parametrize("link", ["survey", "feedback"])
def test_a_personal_link_opened_with_a_staff_session_is_refused_and_audited(client, world, make_user, login, link):
    survey.save_page(world["invitation"], 0, {"q1": "B", "q32": "草稿里的意见"}, today())
    db.session.commit()
    login(client, make_user("centre"))
    token = world["invitation"].token if link == "survey" else world["enterprise"].monitoring_point.feedback_token
    path = f"/s/{token}" if link == "survey" else f"/f/{token}"
    for url in (path, f"{path}/1" if link == "survey" else path):
        response = client.get(url)
        assert response.status_code == 403 and "工作人员不能使用企业的专用链接" in response.get_data(as_text=True)
        assert "草稿里的意见" not in response.get_data(as_text=True)
    posted = client.post(f"{path}/1" if link == "survey" else path, data={"q1": "A", "period": "x"})
    assert posted.status_code == 403
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "staff_link")).all()
    assert len(events) >= 2 and all(e.username and token[:6] in e.target for e in events)
    assert token not in " ".join(e.target for e in events)  # the audit log does not keep a usable link


def test_a_prefecture_cannot_route_a_personal_link_to_its_own_phone_or_address(
        app_factory, smtp_server, make_user, login, make_round, make_enterprise, make_point, run_cli, tmp_path):
    """The prefecture puts its own mobile on an enterprise and on a monitoring point (and tries its own
    e-mail), the province sends every invitation and reminder and ``investenv notify`` runs: no
    message that carries a personal link goes anywhere but the province-entered contact e-mail."""
    app = app_factory(BASE_URL="https://tz.example.gov.cn", SMS_BACKEND=f"file:{tmp_path / 'sms.jsonl'}",
                      MAIL=mail_settings(smtp_server.url, "省经协办 <survey@example.gov.cn>"))
    with app.app_context():
        survey_round = make_round()
        enterprise = make_enterprise("株洲市", name="受邀企业", contact_email="boss@example.com")
        point = make_point("株洲市", name="测评点企业", contact_email="point@example.com")
        staff_mobile, staff_mail = "13977776666", "zzh@zhuzhou.gov.cn"
        own = make_enterprise("株洲市", name="市州代填企业", contact_phone=staff_mobile)  # no e-mail: only the province enters one
        invitations = [survey.invite(survey_round, e) for e in (enterprise, point.enterprise, own)]
        db.session.commit()

        staff = app.test_client()
        login(staff, make_user("prefecture", "株洲市", username="zzh"))
        for target in (enterprise, point.enterprise):
            form = {"name": target.name, "credit_code": target.credit_code, "county": target.county.code,
                    "origin_province": target.origin_province, "contact_phone": staff_mobile,
                    "contact_email": target.contact_email, "version": str(target.version)}
            url = f"/registry/enterprises/{target.id}/edit"
            refused = staff.post(url, data=form | {"contact_email": staff_mail})
            assert refused.status_code == 200 and "只能由省经协办填写或修改" in refused.get_data(as_text=True)
            assert staff.post(url, data=form).status_code == 302, "the phone is the prefecture's to keep"
        db.session.expire_all()
        assert {enterprise.contact_phone, point.enterprise.contact_phone} == {staff_mobile}
        assert (enterprise.contact_email, point.enterprise.contact_email) == ("boss@example.com", "point@example.com")

        province = app.test_client()
        login(province, make_user("centre", username="clerk"))
        for channel in ("sms", "mail"):
            for kind in ("invite", "remind"):
                assert province.post(f"/survey/rounds/{survey_round.id}/{channel}", data={"kind": kind}).status_code == 302
        current = periods.current(today(), "quarter").code
        assert province.post("/feedback/missing/remind", data={"period": current}).status_code == 302
        assert run_cli(app, "notify").exit_code == 0

        messages = db.session.scalars(sa.select(Message).order_by(Message.id)).all()
        assert {m.channel for m in messages} == {"sms", "email"} and any(m.recipient == staff_mobile for m in messages)
        for message in messages:
            if PERSONAL_LINK.search(message.subject + message.body):
                assert (message.channel, message.recipient) in {("email", "boss@example.com"), ("email", "point@example.com")}, \
                    (message.channel, message.recipient, message.template)
        delivered = [json.loads(x) for x in (tmp_path / "sms.jsonl").read_text(encoding="utf-8").splitlines()]
        assert delivered and not any(PERSONAL_LINK.search(json.dumps(x, ensure_ascii=False)) for x in delivered)
        assert {m["To"] for m in smtp_server.messages} == {"boss@example.com", "point@example.com"}
        mails = {m["To"]: m.get_content() for m in smtp_server.messages}
        assert f"/s/{invitations[0].token}" in mails["boss@example.com"], "the enterprise still gets its link"
        assert f"/f/{point.feedback_token}" in mails["point@example.com"], "and the point its feedback link"
        assert not any(invitations[2].token in m.body for m in messages)

        with pytest.raises(RuleError, match="专用问卷或反馈链接"):  # the outbox itself refuses, whoever writes
            outbox.enqueue("sms", staff_mobile, "enterprise", "feedback_open", {
                "enterprise": point.enterprise, "period": periods.parse(current), "closes_on": today(),
                "link": f"https://x/f/{point.feedback_token}"}, enterprise=point.enterprise)
        for address in (staff_mail, "boss@example.com"):  # nor to an address that is not this enterprise's
            with pytest.raises(RuleError, match="专用问卷或反馈链接"):
                outbox.enqueue("email", address, "enterprise", "feedback_open", {
                    "enterprise": point.enterprise, "period": periods.parse(current), "closes_on": today(),
                    "link": f"https://x/f/{point.feedback_token}"}, enterprise=point.enterprise)


class TestReturnVisit:
    """Recorded once, by someone who never touched the case; an administrator's correction is
    reasoned and on the timeline."""

    @pytest.fixture
    def case(self, make_user, prefecture):
        staff = {step: make_user("centre", username=f"step-{step}") for step in
                 ("intake", "accept", "assign", "transfer", "note", "progress", "reply", "close", "reopen")}
        handler = make_user("prefecture", "株洲市", username="step-start")
        extender = make_user("prefecture", "株洲市", username="step-extend")
        zz, cs = prefecture("株洲市"), prefecture("长沙市")
        case, _ = complaints.intake(complaints.CaseIntake(
            prefecture=cs, county=cs.counties[0], department="税务局", complainant="某企业", enterprise_id=None,
            contact_name="", contact_phone="", channel="hotline", received_on=today(), category="fees",
            summary="多收费", claims="", amount_yuan=None, user_id=staff["intake"].id, today=today()))
        complaints.accept(case, staff["accept"].id, today(), "simple", False)
        complaints.assign(case, staff["assign"].id, cs, "税务局")
        complaints.assign(case, staff["transfer"].id, zz, "税务局", "转株洲办理")
        complaints.start(case, handler.id)
        complaints.extend(case, extender.id, "案情复杂", today())
        complaints.progress(case, staff["progress"].id, "进展", today())
        complaints.note(case, staff["note"].id, "内部备注")
        complaints.reply(case, staff["reply"].id, "答复", today())
        complaints.close(case, staff["close"].id, "resolved", None, today())
        complaints.reopen(case, staff["reopen"].id, "投诉人不认可")
        complaints.reply(case, handler.id, "再次答复", today())
        db.session.commit()
        return case, [*staff.values(), handler, extender]

    def test_nobody_who_touched_the_case_may_rate_it(self, case):
        found, touched = case
        assert len(touched) == 11
        for user in touched:
            with pytest.raises(complaints.RuleError, match="不能记录或更正满意度回访"):
                complaints.return_visit(found, user.id, "满意", today())
        assert found.satisfaction is None

    def test_a_rating_is_recorded_once_and_corrected_only_by_a_reasoned_administrator(self, case, make_user):
        found, touched = case
        visitor, admin = make_user("centre", username="visitor"), make_user("admin", username="boss")
        complaints.return_visit(found, visitor.id, "不满意", today())
        db.session.commit()
        with pytest.raises(complaints.RuleError, match="不能再次回访"):
            complaints.return_visit(found, make_user("centre", username="another").id, "满意", today())
        with pytest.raises(complaints.RuleError, match="理由"):
            complaints.correct_visit(found, admin.id, "满意", "  ")
        complaints.correct_visit(found, admin.id, "满意", "投诉人来电说明原记录有误")
        db.session.commit()
        db.session.expire_all()
        stored = db.session.get(Complaint, found.id)
        assert stored.satisfaction == "满意"
        fix = [e for e in stored.events if e.kind == "visit_fix"]
        assert len(fix) == 1 and "不满意 → 满意" in fix[0].text and "原记录有误" in fix[0].text and fix[0].user_id == admin.id

    def test_the_case_page_says_why_the_visit_is_withheld_and_only_administrators_correct(
            self, app, case, make_user, login):
        found, touched = case
        clerk = app.test_client()
        login(clerk, touched[0])  # the clerk who took the case in
        page = clerk.get(f"/complaints/{found.case_no}").get_data(as_text=True)
        assert "须由未经手本案的工作人员进行" in page and "保存回访" not in page
        refused = clerk.post(f"/complaints/{found.case_no}/visit", data={"version": found.version, "satisfaction": "满意"})
        assert refused.status_code == 400 and "不能记录或更正满意度回访" in refused.get_data(as_text=True)
        visitor = app.test_client()
        login(visitor, make_user("centre", username="fresh"))
        assert visitor.post(f"/complaints/{found.case_no}/visit",
                            data={"version": found.version, "satisfaction": "基本满意"}).status_code == 302
        db.session.expire_all()
        found = db.session.get(Complaint, found.id)
        assert visitor.post(f"/complaints/{found.case_no}/correct_visit",
                            data={"version": found.version, "satisfaction": "满意", "text": "x"}).status_code == 403

"""Complaint pages: intake, the closed loop across roles, conflicts, and self-service status."""
import datetime as dt
import io
import re
from html.parser import HTMLParser

import openpyxl
import pytest
import sqlalchemy as sa

from complaints.models import Complaint
from investenv.extensions import db
from investenv.timeutil import as_of, today

INTAKE = {"complainant": "株洲某电子有限公司", "contact_name": "李四", "contact_phone": "0731-1", "channel": "hotline",
          "county": "430202", "department": "市场监管局", "category": "inspection", "summary": "未经申报到企业检查",
          "claims": "停止违规检查"}


def _case():
    db.session.expire_all()
    return db.session.scalar(sa.select(Complaint))


def _act(client, case, action, **data):
    return client.post(f"/complaints/{case.case_no}/{action}", data={"version": str(case.version)} | data)


def test_closed_loop_from_intake_to_return_visit(app, make_user, login):
    centre, zhuzhou, other_centre = app.test_client(), app.test_client(), app.test_client()
    login(centre, make_user("centre", username="clerk1"))
    login(zhuzhou, make_user("prefecture", "株洲市", username="zzstaff"))
    login(other_centre, make_user("centre", username="clerk2"))
    response = centre.post("/complaints/new", data=INTAKE | {"received_on": today().isoformat()})
    assert response.status_code == 201  # the case page answers the POST: the code is shown once, kept nowhere
    page = response.get_data(as_text=True)
    case_no, code = re.search(r"案件编号 <strong class=\"mono\">([^<]+)</strong>，查询码 <strong class=\"mono\">([^<]+)</strong>", page).groups()
    cookie = app.session_interface.get_signing_serializer(app).loads(centre.get_cookie("session").value)
    assert code not in str(cookie)  # the signed (readable) session cookie never carries the code
    assert case_no == f"{today().year}-4302-0001"
    assert code not in centre.get(f"/complaints/{case_no}").get_data(as_text=True)  # shown once only
    case = _case()
    assert _act(centre, case, "accept", procedure="simple").status_code == 302
    assert _act(centre, _case(), "assign", prefecture="430200", department="市场监管局").status_code == 302
    assert _act(centre, _case(), "note", text="内部备注：该局去年也被投诉过").status_code == 302
    assert _act(zhuzhou, _case(), "start").status_code == 302
    assert _act(zhuzhou, _case(), "reply", text="已责令停止检查并向企业道歉。").status_code == 302
    # The clerk who routed the case may not rate it; another centre user records the visit.
    assert "保存回访" not in centre.get(f"/complaints/{case_no}").get_data(as_text=True)
    assert _act(other_centre, _case(), "visit", satisfaction="满意").status_code == 302
    assert _act(other_centre, _case(), "close", outcome="resolved", loss_recovered="0").status_code == 302
    case = _case()
    assert (case.status, case.outcome, case.satisfaction) == ("closed", "resolved", "满意")
    public = app.test_client().post("/status", data={"case_no": case_no, "code": code})
    html = public.get_data(as_text=True)
    assert public.status_code == 200 and "已责令停止检查并向企业道歉" in html and "已办结" in html
    assert "内部备注" not in html and "clerk1" not in html
    wrong = app.test_client().post("/status", data={"case_no": case_no, "code": "00000000"})
    assert wrong.status_code == 404 and "案件编号或查询码不正确" in wrong.get_data(as_text=True)


def test_closing_before_replying_is_refused_with_a_message(client, make_user, login):
    login(client, make_user("centre"))
    client.post("/complaints/new", data=INTAKE | {"received_on": today().isoformat()})
    _act(client, _case(), "accept", procedure="simple")
    response = _act(client, _case(), "close", outcome="resolved")
    assert response.status_code == 400 and "尚未答复投诉人，不能办结" in response.get_data(as_text=True)
    assert _case().status == "accepted"


def test_two_clerks_at_once_the_second_gets_a_conflict(app, make_user, login):
    first, second = app.test_client(), app.test_client()
    login(first, make_user("centre", username="clerka"))
    login(second, make_user("centre", username="clerkb"))
    first.post("/complaints/new", data=INTAKE | {"received_on": today().isoformat()})
    seen = _case()
    version = str(seen.version)
    assert first.post(f"/complaints/{seen.case_no}/note", data={"version": version, "text": "第一位"}).status_code == 302
    response = second.post(f"/complaints/{seen.case_no}/note", data={"version": version, "text": "第二位"})
    assert response.status_code == 409 and "已被其他人更新" in response.get_data(as_text=True)
    assert [e.text for e in _case().events if e.kind == "note"] == ["第一位"]


def test_unknown_county_is_refused_next_to_the_field(client, make_user, login):
    login(client, make_user("centre"))
    response = client.post("/complaints/new", data=INTAKE | {"county": "999999", "received_on": today().isoformat()})
    assert response.status_code == 400 and "未知的市州或县市区" in response.get_data(as_text=True)
    assert _case() is None


def test_prefecture_staff_see_only_their_cases_and_cannot_accept(app, make_user, login):
    centre, changsha = app.test_client(), app.test_client()
    login(centre, make_user("centre"))
    login(changsha, make_user("prefecture", "长沙市"))
    centre.post("/complaints/new", data=INTAKE | {"received_on": today().isoformat()})
    case = _case()
    assert changsha.get(f"/complaints/{case.case_no}").status_code == 404
    assert case.case_no not in changsha.get("/complaints/?queue=all").get_data(as_text=True)
    assert _act(changsha, case, "accept", procedure="simple").status_code == 404


def _upload(client, case, content, name):
    response = client.post(f"/complaints/{case.case_no}/attachments", data={"file": (io.BytesIO(content), name)},
                           content_type="multipart/form-data")
    response.request.environ["wsgi.input"].close()  # the test client never closes a spooled body
    return response


def test_attachments_are_checked_by_content_and_bounded(app, client, make_user, login):
    login(client, make_user("centre"))
    client.post("/complaints/new", data=INTAKE | {"received_on": today().isoformat()})
    case = _case()
    exe = _upload(client, case, b"MZ\x90\x00" + bytes(1000), "invoice.pdf")
    assert exe.status_code == 400 and "只接受 PDF、JPEG、PNG、Word（.docx）、Excel（.xlsx） 文件" in exe.get_data(as_text=True)
    huge = _upload(client, case, b"%PDF-" + bytes(50 * 1024 * 1024), "big.pdf")
    assert huge.status_code == 413 and "文件过大" in huge.get_data(as_text=True)
    assert _case().attachments == []
    pdf = b"%PDF-1.4\n%test\n"
    assert _upload(client, _case(), pdf, "收费凭证.pdf").status_code == 302
    (attachment,) = _case().attachments
    assert attachment.content_type == "application/pdf" and attachment.original_name == "收费凭证.pdf"
    served = client.get(f"/complaints/{case.case_no}/attachments/{attachment.id}")
    assert served.data == pdf and "attachment" in served.headers["Content-Disposition"]
    served.close()
    assert "上传附件：收费凭证.pdf" in [e.text for e in _case().events]


def test_an_intake_form_sent_twice_logs_one_case(client, make_user, login):
    login(client, make_user("centre"))
    page = client.get("/complaints/new").get_data(as_text=True)
    key = re.search(r'name="intake_key" type="hidden" value="([0-9a-f]{32})"', page).group(1)
    form = INTAKE | {"received_on": today().isoformat(), "intake_key": key}
    first = client.post("/complaints/new", data=form)
    again = client.post("/complaints/new", data=form)  # resent after a lost connection, or a double click
    assert first.status_code == 201 and again.status_code == 302
    assert again.headers["Location"] == f"/complaints/{_case().case_no}"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Complaint)) == 1
    assert "表单重复提交" in client.get(again.headers["Location"]).get_data(as_text=True)
    other_key = re.search(r'name="intake_key" type="hidden" value="([0-9a-f]{32})"',
                          client.get("/complaints/new").get_data(as_text=True)).group(1)
    assert other_key != key  # a new form is a new case


@pytest.mark.parametrize("uploaded_as", ["scan.html", "scan.hta", "scan.svg", "scan.pdf.exe", "../../etc/x.html", "scan"])
def test_an_attachment_is_named_and_served_by_its_checked_type(client, make_user, login, uploaded_as):
    """A file that starts like a PDF is a PDF, whatever name it came with: stored, listed and
    downloaded as .pdf, never under an extension a staff machine would render or run."""
    login(client, make_user("centre"))
    client.post("/complaints/new", data=INTAKE | {"received_on": today().isoformat()})
    case = _case()
    response = client.post(f"/complaints/{case.case_no}/attachments",
                           data={"file": (io.BytesIO(b"%PDF-1.4\n<html><script>alert(1)</script>"), uploaded_as)},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    attachment = _case().attachments[0]
    assert attachment.original_name.endswith(".pdf") and "/" not in attachment.original_name
    with client.get(f"/complaints/{case.case_no}/attachments/{attachment.id}") as download:
        disposition, mimetype = download.headers["Content-Disposition"], download.mimetype
    assert mimetype == "application/pdf"
    assert re.search(r"filename\*?=[^;]*\.pdf\b", disposition) and ".html" not in disposition and ".hta" not in disposition


def test_the_centre_urges_an_overdue_case_on_the_internal_timeline(app, make_user, login):
    import datetime as dt

    centre, zhuzhou = app.test_client(), app.test_client()
    login(centre, make_user("centre"))
    login(zhuzhou, make_user("prefecture", "株洲市"))
    centre.post("/complaints/new", data=INTAKE | {"received_on": today().isoformat()})
    fresh = _case()
    refused = _act(centre, fresh, "urge", text="请尽快")
    assert refused.status_code == 400 and "只有已超期的案件才能催办" in refused.get_data(as_text=True)
    assert 'action="/complaints/%s/urge"' % fresh.case_no not in centre.get(f"/complaints/{fresh.case_no}").get_data(as_text=True)
    fresh.received_on = today() - dt.timedelta(days=40)
    fresh.acknowledge_due_on = today() - dt.timedelta(days=35)
    db.session.commit()
    page = centre.get(f"/complaints/{fresh.case_no}").get_data(as_text=True)
    assert "超期 35 天" in page and f'action="/complaints/{fresh.case_no}/urge"' in page
    assert _act(zhuzhou, _case(), "urge").status_code == 403  # the handling prefecture does not urge itself
    assert _act(centre, _case(), "urge", text="请株洲市本周内答复").status_code == 302
    (urged,) = [e for e in _case().events if e.kind == "urge"]
    assert urged.text == "催办：已超期 35 天，请株洲市尽快办理。请株洲市本周内答复" and not urged.public
    assert "催办" in centre.get(f"/complaints/{fresh.case_no}").get_data(as_text=True)


def test_refusing_and_reopening_need_a_ticked_confirmation(app, make_user, login, client):
    login(client, make_user("centre"))
    client.post("/complaints/new", data=INTAKE | {"received_on": today().isoformat()})
    unconfirmed = _act(client, _case(), "refuse", text="不属于受理范围")
    assert unconfirmed.status_code == 400 and "请勾选确认后再提交" in unconfirmed.get_data(as_text=True)
    assert _case().status == "received"
    assert _act(client, _case(), "refuse", text="不属于受理范围", confirm="y").status_code == 302
    assert _case().status == "not_accepted"
    client.post("/complaints/new", data=INTAKE | {"received_on": today().isoformat(), "complainant": "第二家"})
    second = db.session.scalar(sa.select(Complaint).where(Complaint.complainant == "第二家"))
    for action, data in (("accept", {"procedure": "simple"}), ("assign", {"prefecture": "430200"}), ("start", {}),
                         ("reply", {"text": "已处理"})):
        db.session.refresh(second)
        assert _act(client, second, action, **data).status_code == 302, action
    db.session.refresh(second)
    assert _act(client, second, "reopen", text="投诉人补充证据").status_code == 400
    db.session.refresh(second)
    assert second.status == "replied"
    assert _act(client, second, "reopen", text="投诉人补充证据", confirm="y").status_code == 302
    db.session.refresh(second)
    assert second.status == "handling"


def test_the_case_page_gives_every_field_its_own_id_and_label(client, make_user, login):
    login(client, make_user("admin"))
    client.post("/complaints/new", data=INTAKE | {"received_on": today().isoformat()})
    case = _case()
    _act(client, case, "accept", procedure="simple")
    _act(client, _case(), "assign", prefecture="430200")
    page = client.get(f"/complaints/{_case().case_no}").get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    areas = re.findall(r'<textarea[^>]*\sid="([^"]+)"', page)
    assert len(areas) >= 4
    labels = dict(re.findall(r'<label for="([^"]+)">([^<]+)<', page))
    assert all(a in labels for a in areas)
    assert labels["assign-text"] == "派单说明（投诉人可见）" and labels["note-text"] == "备注内容（仅工作人员可见）"


def test_the_extend_form_shows_the_new_deadline_and_the_timeline_names_each_entry(client, make_user, login):
    from complaints import calendar_store, operations

    next_year = today().year + 1
    if next_year not in {y.year for y in calendar_store.entered_years()}:  # an extension reaches 3 months ahead
        calendar_store.enter_year(next_year, f"{next_year}-01-01", "", "国务院办公厅通知", "admin")
    login(client, make_user("centre"))
    client.post("/complaints/new", data=INTAKE | {"received_on": today().isoformat()})
    for action, data in (("accept", {"procedure": "simple"}), ("assign", {"prefecture": "430200"})):
        assert _act(client, _case(), action, **data).status_code == 302
    case = _case()
    until, first_report = operations.extension_dates(case, today())
    page = client.get(f"/complaints/{case.case_no}").get_data(as_text=True)
    assert f"最迟办结 <strong>{until}</strong>" in page and f"首次向投诉人通报进展 <strong>{first_report}</strong>" in page
    assert _act(client, case, "extend", text="需要多部门核实").status_code == 302
    assert (_case().extended_until, _case().progress_due_on) == (until, first_report)
    page = client.get(f"/complaints/{case.case_no}").get_data(as_text=True)
    kinds = re.findall(r'<strong class="event-kind">([^<]+)</strong>', page)
    assert kinds == ["收到投诉", "受理", "派单", "延期"]


class _Controls(HTMLParser):
    """Every id on a page, and each form control with whether a label names it."""

    def __init__(self):
        super().__init__()
        self.ids, self.label_for, self.controls, self.open_labels = [], set(), [], 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "label":
            self.open_labels += 1
            if a.get("for"):
                self.label_for.add(a["for"])
        kind = a.get("type", "text")
        if tag in ("select", "textarea") or (tag == "input" and kind not in ("hidden", "submit", "button")):
            self.controls.append((a.get("id"), a.get("name"), self.open_labels > 0 or "aria-label" in a))

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels -= 1

    def problems(self) -> list[str]:
        found = [f"id {i} {self.ids.count(i)} times" for i in sorted(set(self.ids)) if self.ids.count(i) > 1]
        return found + [f"no label for {name} (id {id_})" for id_, name, wrapped in self.controls
                        if not wrapped and id_ not in self.label_for]


def test_every_state_of_the_case_page_has_unique_ids_and_labelled_controls(app, make_user, login):
    """Walks the case page through its states (and a refused action) as the users who see most."""
    clerk, visitor, admin = (app.test_client() for _ in range(3))
    login(clerk, make_user("admin", username="clerk"))
    login(visitor, make_user("admin", username="visitor"))  # never touches the case: may record the visit
    login(admin, make_user("admin", username="fixer"))

    def check(client, state):
        page = client.get(f"/complaints/{_case().case_no}")
        parser = _Controls()
        parser.feed(page.get_data(as_text=True))
        assert parser.controls and not parser.problems(), (state, parser.problems())

    clerk.post("/complaints/new", data=INTAKE | {"received_on": today().isoformat()})
    check(clerk, "received")
    refused = _act(clerk, _case(), "refuse", text="")  # no reason, no confirmation: the page again, with errors
    parser = _Controls()
    parser.feed(refused.get_data(as_text=True))
    assert refused.status_code == 400 and not parser.problems()
    steps = [("accept", {"procedure": "simple"}), ("assign", {"prefecture": "430200", "internal": "先核实收费依据"}),
             ("start", {}), ("reply", {"text": "已责令退还"})]
    for action, data in steps:
        assert _act(clerk, _case(), action, **data).status_code == 302, action
        check(clerk, action)
    check(visitor, "replied, for the visitor")
    assert _act(visitor, _case(), "visit", method="in_person", satisfaction="基本满意", words="退了一半",
                comment="投诉人仍有意见").status_code == 302
    assert _act(clerk, _case(), "close", outcome="partly_resolved").status_code == 302
    check(admin, "closed and visited, for an administrator who may correct")
    case = _case()
    assert (case.visit_method, case.visit_words, case.visit_comment) == ("in_person", "退了一半", "投诉人仍有意见")
    public = [e.text for e in case.events if e.public]
    assert "满意度回访：基本满意（上门）" in public and not any("退了一半" in t or "先核实" in t for t in public)
    assert any(e.text == "派单的内部说明：先核实收费依据" for e in case.events if not e.public)


def test_the_provisional_deadline_banner_names_who_acts_and_goes_once_the_case_is_replied(app, make_user, login):
    clerk, admin = app.test_client(), app.test_client()
    login(clerk, make_user("centre", username="clerk"))
    login(admin, make_user("admin", username="root"))
    with as_of(dt.date(2026, 12, 10)):
        clerk.post("/complaints/new", data=INTAKE | {"received_on": "2026-12-10"})
        for action, data in (("accept", {"procedure": "simple"}), ("assign", {"prefecture": "430200"})):
            assert _act(clerk, _case(), action, **data).status_code == 302
        page = clerk.get(f"/complaints/{_case().case_no}").get_data(as_text=True)
        assert 'id="deadline">2027-01-11（预计）' in page and "须由<strong>系统管理员</strong>" in page
        assert "现在录入" not in page  # the clerk may not enter the calendar: no link
        assert "现在录入" in admin.get(f"/complaints/{_case().case_no}").get_data(as_text=True)
        sheet = openpyxl.load_workbook(io.BytesIO(clerk.get("/complaints/export.xlsx?queue=open").data)).active
        assert [row[8] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["2027-01-11（预计）"]
        assert _act(clerk, _case(), "reply", text="已处理").status_code == 302
        assert 'id="deadline-provisional"' not in clerk.get(f"/complaints/{_case().case_no}").get_data(as_text=True)


def test_a_case_overdue_on_a_provisional_deadline_says_so(client, make_user, login):
    """In January, with the year still missing, the staff are warned, but the badge names the guess."""
    login(client, make_user("centre"))
    with as_of(dt.date(2026, 12, 10)):
        client.post("/complaints/new", data=INTAKE | {"received_on": "2026-12-10"})
        assert _act(client, _case(), "accept", procedure="simple").status_code == 302
    with as_of(dt.date(2027, 1, 15)):
        page = client.get(f"/complaints/{_case().case_no}").get_data(as_text=True)
        assert "超期 4 天（按预计期限）" in page
        assert "超期 4 天（按预计期限）" in client.get("/complaints/?queue=overdue").get_data(as_text=True)


def test_intake_finds_a_registry_enterprise_by_name_initials_or_code_and_shows_its_earlier_cases(
        client, make_user, login, make_enterprise):
    huatian = make_enterprise("株洲市", name="株洲华天实业有限公司", contact_name="王五", contact_phone="0731-2")
    make_enterprise("株洲市", name="株洲中车配套有限公司")
    login(client, make_user("centre"))
    for typed in ("华天", "zzhtsy", "ZZHT", "htsy", huatian.credit_code[:-2].lower()):
        page = client.get(f"/complaints/new?find={typed}").get_data(as_text=True)  # the search without script
        assert f"/complaints/new?enterprise={huatian.id}" in page and "中车" not in page, typed
        found = client.get(f"/complaints/new/enterprises?find={typed}").get_json()  # as the clerk types
        assert [e["name"] for e in found] == ["株洲华天实业有限公司"], typed
    page = client.get(f"/complaints/new?enterprise={huatian.id}").get_data(as_text=True)
    assert 'value="株洲华天实业有限公司"' in page and f'value="{huatian.credit_code}"' in page
    assert 'value="王五"' in page and f'<option selected value="{huatian.county.code}"' in page
    assert "没有以前的投诉" in page
    client.post("/complaints/new", data=INTAKE | {"complainant": huatian.name, "credit_code": huatian.credit_code,
                                                  "received_on": today().isoformat()})
    case = _case()
    assert case.enterprise_id == huatian.id
    page = client.get(f"/complaints/new?enterprise={huatian.id}").get_data(as_text=True)
    assert case.case_no in page and "这家企业以前的投诉" in page
    missing = client.get("/complaints/new?find=不存在的企业").get_data(as_text=True)
    assert "企业名录中没有找到" in missing and "/complaints/new?new=" in missing
    assert 'value="不存在的企业"' in client.get("/complaints/new?new=不存在的企业").get_data(as_text=True)


def test_prefecture_staff_find_only_their_own_enterprises(app, make_user, login, make_enterprise):
    from investenv.registry import queries as registry_queries

    make_enterprise("长沙市", name="长沙华天实业有限公司")
    own = make_enterprise("株洲市", name="株洲华天实业有限公司")
    with app.test_request_context("/"):
        from flask_login import login_user

        login_user(make_user("prefecture", "株洲市"))
        assert registry_queries.search_enterprises("华天", 10) == [own]
        assert registry_queries.search_enterprises("cshtsy", 10) == []

"""Staff pages: rounds, tracking, invitation links and letters, paper PDF, results."""
import datetime as dt
import subprocess

import sqlalchemy as sa

from investenv.extensions import db
from investenv.registry.models import MonitoringPoint
from investenv.timeutil import today
from survey import operations
from survey.models import Channel, Invitation, SurveyRound

from ..conftest import job_file


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_new_round_invites_every_monitoring_point(client, make_user, login, make_enterprise):
    for name in ("株洲市", "长沙市"):
        db.session.add(MonitoringPoint(enterprise=make_enterprise(name), registered_on=dt.date(2025, 1, 1)))
    make_enterprise("长沙市")  # not a point: not invited
    db.session.commit()
    login(client, make_user("centre"))
    response = client.post("/survey/rounds/new", data={
        "year": "2026", "title": "", "questionnaire_version": "2006", "opens_on": today().isoformat(),
        "closes_on": (today() + dt.timedelta(days=30)).isoformat(), "anonymous": "y", "invite_points": "y",
    })
    assert response.status_code == 302
    survey_round = db.session.scalar(sa.select(SurveyRound))
    assert survey_round.title == "2026 年投资环境问卷调查" and survey_round.anonymous
    assert len(survey_round.invitations) == 2
    tokens = [i.token for i in survey_round.invitations]
    assert all(len(t) >= 32 for t in tokens) and len(set(tokens)) == 2


def test_round_window_must_be_ordered(client, make_user, login):
    login(client, make_user("admin"))
    response = client.post("/survey/rounds/new", data={
        "year": "2026", "questionnaire_version": "2006", "opens_on": "2026-10-01", "closes_on": "2026-09-01",
    })
    assert 'id="closes_on-error">截止日期不能早于开始日期' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyRound)) == 0


def test_tracking_counts_and_non_responders(client, make_user, login, make_round, make_invitation, prefecture):
    survey_round = make_round()
    done, started, idle = (make_invitation(survey_round) for _ in range(3))
    make_invitation(survey_round, "长沙市")
    operations.save_page(started, 0, {"q1": "A"}, today())
    operations.save_page(done, 0, {"q1": "B"}, today())
    operations.submit(done, today())
    operations.record_response(survey_round, prefecture("株洲市").id, None, None, Channel.PAPER, {"q1": "A"}, today())
    db.session.commit()
    login(client, make_user("centre"))
    html = client.get(f"/survey/rounds/{survey_round.id}").get_data(as_text=True)
    row = html[html.index("<th scope=\"row\">株洲市</th>"):].split("</tr>")[0]
    cells = [c.split("<")[0] for c in row.split('<td class="num">')[1:]]
    assert cells == ["3", "2", "1", "33%", "1"]
    pending = client.get(f"/survey/rounds/{survey_round.id}/invitations?pending=1").get_data(as_text=True)
    assert idle.enterprise.name in pending and started.enterprise.name in pending
    assert done.enterprise.name not in pending
    assert f"/s/{idle.token}" in pending
    client.post("/logout")
    # The evaluated prefecture: per county, coarse, no enterprise named, no link, no status list.
    login(client, make_user("prefecture", "株洲市"))
    html = client.get(f"/survey/rounds/{survey_round.id}").get_data(as_text=True)
    row = html[html.index(f"<th scope=\"row\">{done.enterprise.county.name}</th>"):].split("</tr>")[0]
    assert [c.split("<")[0] for c in row.split('<td class="num">')[1:]] == ["3", "少于 5"]
    assert "长沙市" not in html and idle.enterprise.name not in html and idle.token not in html
    assert client.get(f"/survey/rounds/{survey_round.id}/invitations?pending=1").status_code == 403
    assert client.get(f"/survey/rounds/{survey_round.id}/invitations.csv").status_code == 403


def test_links_for_mail_merge_and_letters_with_qr(client, make_user, login, make_round, make_invitation, tmp_path):
    survey_round = make_round()
    invitation = make_invitation(survey_round)
    login(client, make_user("admin"))
    table = client.get(f"/survey/rounds/{survey_round.id}/invitations.csv").data.decode("utf-8-sig")
    assert "问卷链接" in table and f"http://localhost/s/{invitation.token}" in table
    assert client.get(f"/survey/rounds/{survey_round.id}/invitations.xlsx").data.startswith(b"PK")
    letters = job_file(client, client.post(f"/survey/rounds/{survey_round.id}/letters"))
    assert client.get(f"/survey/rounds/{survey_round.id}/invitations.pdf").status_code == 404  # made as a job only
    text = pdf_text(letters, tmp_path)
    assert invitation.enterprise.name in text and invitation.token in text
    assert "湖南省投资环境调查问卷" in text and "匿名调查" in text


def test_base_url_setting_is_used_in_links(app_factory, make_user, login, make_round, make_invitation):
    app = app_factory(BASE_URL="https://survey.example.gov.cn")
    with app.app_context():
        survey_round = make_round()
        invitation = make_invitation(survey_round)
        client = app.test_client()
        login(client, make_user("admin"))
        table = client.get(f"/survey/rounds/{survey_round.id}/invitations.csv").data.decode("utf-8-sig")
        assert f"https://survey.example.gov.cn/s/{invitation.token}" in table


def test_paper_questionnaire_pdf(client, make_user, login, make_round, tmp_path):
    survey_round = make_round()
    login(client, make_user("centre"))
    response = client.post(f"/survey/rounds/{survey_round.id}/paper.pdf",
                           data={"prefecture": "430200", "start": "15", "count": "2"})
    text = pdf_text(job_file(client, response), tmp_path)
    assert "问卷编号 4302-0015" in text and "问卷编号 4302-0016" in text
    assert "第4题选“很高”或“较高”时回答" in text
    assert "□A 很有信心" in text and "六、人文环境" in text
    too_many = client.post(f"/survey/rounds/{survey_round.id}/paper.pdf",
                           data={"prefecture": "430200", "start": "9999", "count": "2"})
    assert too_many.status_code == 400 and "序号不能超过 9999" in too_many.get_data(as_text=True)


def test_results_suppress_small_cells_for_prefecture_staff(client, make_user, login, make_round, prefecture):
    open_round = make_round()
    survey_round = make_round(opens_on=today() - dt.timedelta(days=30), closes_on=today() - dt.timedelta(days=1))
    zz = prefecture("株洲市").id
    for value in ["A"] * 6 + ["B"] * 2 + ["C"] * 5:
        operations.record_response(survey_round, zz, None, None, Channel.PAPER, {"q1": value}, today())
    db.session.commit()
    login(client, make_user("prefecture", "株洲市"))
    waiting = client.get(f"/survey/rounds/{open_round.id}/results").get_data(as_text=True)
    assert "调查结束" in waiting and "您对湖南经济发展前景" not in waiting  # nothing to compare while answers come in
    html = client.get(f"/survey/rounds/{survey_round.id}/results").get_data(as_text=True)
    q1 = html[html.index("1. 您对湖南经济发展前景"):].split("</table>")[0]
    # B (2) is suppressed, and so is the next smallest, C (5), so B cannot be derived.
    assert [cell.split("<")[0] for cell in q1.split('<td class="num">')[1:]] == ["6", "&lt;5", "&lt;5"]
    assert client.get(f"/survey/rounds/{survey_round.id}/results?prefecture=430100").status_code == 404
    assert client.get(f"/survey/rounds/{survey_round.id}/texts").status_code == 403


def test_provincial_analyst_sees_full_counts_and_open_texts_without_identity(
    client, make_user, login, make_round, make_invitation
):
    survey_round = make_round(anonymous=False)
    invitation = make_invitation(survey_round)
    operations.save_page(invitation, 5, {"q32": "<script>alert(1)</script>用地难"}, today())
    operations.submit(invitation, today())
    db.session.commit()
    login(client, make_user("analyst"))
    html = client.get(f"/survey/rounds/{survey_round.id}/texts").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;用地难" in html and "<script>alert" not in html
    assert invitation.enterprise.name not in html
    assert db.session.scalar(sa.select(Invitation.used))


def test_revoking_a_link_is_confirmed_and_the_invitation_stays_listed_to_be_restored(
        client, make_user, login, make_round, make_invitation):
    from investenv.audit.models import AuditEvent

    survey_round = make_round()
    invitation = make_invitation(survey_round)
    name, token = invitation.enterprise.name, invitation.token
    login(client, make_user("centre"))
    asked = client.post(f"/survey/invitations/{invitation.id}/revoke")  # the first press asks
    assert asked.status_code == 200 and "确认停用" in asked.get_data(as_text=True)
    db.session.refresh(invitation)
    assert not invitation.revoked
    assert client.post(f"/survey/invitations/{invitation.id}/revoke", data={"confirm": "1"}).status_code == 302
    db.session.refresh(invitation)
    assert invitation.revoked and operations.find_invitation(token) is None
    page = client.get(f"/survey/rounds/{survey_round.id}/invitations").get_data(as_text=True)
    assert name in page and "已停用" in page and "恢复" in page and token not in page
    assert token not in client.get(f"/survey/rounds/{survey_round.id}/invitations.csv").data.decode("utf-8-sig")
    assert name not in client.get(f"/survey/rounds/{survey_round.id}/invitations?pending=1").get_data(as_text=True)
    assert client.post(f"/survey/invitations/{invitation.id}/restore").status_code == 302
    db.session.refresh(invitation)
    assert not invitation.revoked
    actions = set(db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.target == f"invitation:{invitation.id}")))
    assert {"invitation_revoke", "invitation_restore"} <= actions


def test_only_the_province_revokes_and_restores(client, make_user, login, make_invitation):
    invitation = make_invitation(prefecture_name="株洲市")
    login(client, make_user("prefecture", "株洲市"))
    assert client.post(f"/survey/invitations/{invitation.id}/revoke", data={"confirm": "1"}).status_code == 403
    assert client.post(f"/survey/invitations/{invitation.id}/restore").status_code == 403


def test_the_invitation_list_filters_sorts_pages_and_downloads_the_current_view(client, make_user, login,
                                                                                make_round, make_enterprise):
    import io
    import re

    from openpyxl import load_workbook

    survey_round = make_round()
    for n in range(55):
        invitation = operations.invite(survey_round, make_enterprise("株洲市" if n % 5 else "长沙市", name=f"企业{n:02d}"))
        invitation.used = n % 2 == 0
    db.session.commit()
    login(client, make_user("centre"))
    url = f"/survey/rounds/{survey_round.id}/invitations"
    html = client.get(f"{url}?sort=enterprise").get_data(as_text=True)
    assert re.search(r'id="total">55<', html) and 'aria-label="第 2 页"' in html
    names = re.findall(r"<td>(企业\d\d)<br>", html)
    assert names == sorted(names) and len(names) == 50
    html = client.get(f"{url}?sort=enterprise&dir=desc&page=2").get_data(as_text=True)
    assert re.findall(r"<td>(企业\d\d)<br>", html) == ["企业04", "企业03", "企业02", "企业01", "企业00"]
    html = client.get(f"{url}?prefecture=430100&pending=1").get_data(as_text=True)
    assert re.findall(r"<td>(企业\d\d)<br>", html) == ["企业05", "企业15", "企业25", "企业35", "企业45"]
    assert re.search(r'id="total">1<', client.get(f"{url}?q=企业1&pending=1&prefecture=430100").get_data(as_text=True))
    sheet = load_workbook(io.BytesIO(client.get(f"{url}.xlsx?prefecture=430100&pending=1").data)).active
    assert len(list(sheet.iter_rows(min_row=2))) == 5

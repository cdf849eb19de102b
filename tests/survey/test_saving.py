"""Nothing an enterprise types is lost: answers saved as they are given, the closing fields,
"以上都没有" as an answer, and the summary of what is left open."""
import csv
import io
import re

import pytest
import sqlalchemy as sa

from investenv.audit.models import AuditEvent
from investenv.extensions import db
from survey import bundle, operations
from survey import questionnaire as qn
from survey.models import Channel, Draft, PaperForm, Response

from ..conftest import job_file
from ..report.conftest import blank_pages
from .test_respond import _fill_all
from .test_staff import pdf_text

FOOTER = {"origin_province": "广东省", "origin_city": "深圳市", "occupation": "总经理"}


def _draft() -> Draft | None:
    return db.session.scalar(sa.select(Draft))


def _autosave(client, token, number, data):
    return client.post(f"/s/{token}/{number}/autosave", data=data)


# --- autosave ------------------------------------------------------------------------------

def test_autosave_keeps_a_partial_page_without_requiring_anything(client, make_invitation):
    token = make_invitation().token
    # Q4 = 较高 makes Q5 required on the page's button, not while answering.
    response = _autosave(client, token, 1, {"q1": "A", "q4": "B", "q7": ["A", "C"]})
    assert response.status_code == 200 and response.get_json() == {"saved": True, "withdrawn": []}
    draft = _draft()
    assert draft.answers == {"q1": "A", "q4": "B", "q7": "AC"} and draft.page == 0
    # The link now resumes the page (no welcome page), which shows what was saved.
    assert client.get(f"/s/{token}").headers["Location"].endswith(f"/s/{token}/1")
    page = client.get(f"/s/{token}/1").get_data(as_text=True)
    assert '<input checked id="q4-1" name="q4" type="radio" value="B">' in page
    # An answer taken back is taken back: the page's fields replace the page's saved answers.
    assert _autosave(client, token, 1, {"q1": "A"}).status_code == 200
    assert _draft().answers == {"q1": "A"}


def test_autosave_of_a_later_page_does_not_count_it_as_reached(client, make_invitation):
    token = make_invitation().token
    _fill_all(client, token)
    draft = _draft()
    draft.page = 4  # pages 1-4 saved with their button
    db.session.commit()
    assert _autosave(client, token, 5, {"q26": "C", "q27": "A"}).status_code == 200
    draft = _draft()
    assert draft.page == 4 and (draft.answers["q26"], draft.answers["q27"]) == ("C", "A")
    assert "q28" not in draft.answers  # page 5's field left blank this time
    assert client.get(f"/s/{token}").headers["Location"].endswith(f"/s/{token}/5")


def test_autosave_checks_like_the_page_and_saves_nothing_on_an_error(client, make_invitation):
    token = make_invitation().token
    _autosave(client, token, 2, {"q11": "A"})
    response = _autosave(client, token, 2, {"q9": ["A", "N"], "q11": "B"})
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"q9": "“以上都没有”（N）不能与其它选项同时选择"}
    assert _draft().answers == {"q11": "A"}
    long = _autosave(client, token, 6, {"q32": "长" * 2001})
    assert long.status_code == 400 and "不能超过 2000 字" in long.get_json()["errors"]["q32"]


def test_autosave_drops_an_answer_that_no_longer_applies(client, make_invitation):
    token = make_invitation().token
    assert _autosave(client, token, 1, {"q4": "A", "q5": "D", "q5_other": "用地贵"}).status_code == 200
    response = _autosave(client, token, 1, {"q4": "C", "q5": "D", "q5_other": "用地贵"})
    assert response.get_json() == {"saved": True, "withdrawn": ["q5"]}
    assert _draft().answers == {"q4": "C"}


def test_autosave_needs_the_form_token(app_factory, make_invitation):
    app = app_factory(WTF_CSRF_ENABLED=True)
    token = make_invitation().token
    client = app.test_client()
    assert _autosave(client, token, 1, {"q1": "A"}).status_code == 400
    assert _draft() is None
    page = client.get(f"/s/{token}/1").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert _autosave(client, token, 1, {"q1": "A", "csrf_token": csrf}).status_code == 200
    assert _draft().answers == {"q1": "A"}
    assert _autosave(app.test_client(), token, 1, {"q1": "B", "csrf_token": csrf}).status_code == 400  # not its session
    assert _draft().answers == {"q1": "A"}


def test_autosave_with_wrong_tokens_is_throttled_like_the_link(client):
    for i in range(30):
        response = _autosave(client, f"guess{i:027d}", 1, {"q1": "A"})
        assert response.status_code == 404 and response.get_json()["saved"] is False
    assert _autosave(client, "another-guess-0000000000000000", 1, {"q1": "A"}).status_code == 429
    assert client.get("/s/another-guess-0000000000000001").status_code == 429  # one count for the address


def test_autosave_after_submission_or_revocation_saves_nothing(client, make_invitation):
    invitation = make_invitation()
    token = invitation.token
    _fill_all(client, token)
    client.post(f"/s/{token}/submit")
    response = _autosave(client, token, 1, {"q1": "C"})
    assert response.status_code == 409 and "已经提交" in response.get_json()["message"]
    assert _draft() is None
    revoked = make_invitation()
    operations.revoke(revoked)
    db.session.commit()
    assert _autosave(client, revoked.token, 1, {"q1": "C"}).status_code == 404
    assert _autosave(client, token, 7, {"q1": "C"}).status_code == 404


def test_autosave_from_a_browser_with_a_staff_session_is_refused_and_audited(client, make_invitation, make_user, login):
    token = make_invitation().token
    login(client, make_user("centre"))
    response = _autosave(client, token, 1, {"q1": "A"})
    assert response.status_code == 403 and "工作人员不能使用企业的专用链接" in response.get_data(as_text=True)
    assert _draft() is None
    assert db.session.scalar(sa.select(AuditEvent.target).where(AuditEvent.action == "staff_link")).startswith("respond:")


# --- the closing fields --------------------------------------------------------------------

def test_closing_fields_reach_the_review_the_response_and_responses_csv(app, client, make_invitation):
    token = make_invitation().token
    _fill_all(client, token)
    assert {k: _draft().answers[k] for k in FOOTER} == FOOTER
    review = client.get(f"/s/{token}/review").get_data(as_text=True)
    assert all(value in review for value in FOOTER.values())
    assert f'href="/s/{token}/6#origin_city"' in review
    client.post(f"/s/{token}/submit")
    response = db.session.scalar(sa.select(Response))
    assert {k: response.answers[k] for k in FOOTER} == FOOTER
    header, rows = bundle.export_rows(response.round.year)
    exported = dict(zip(header, rows[0], strict=True))
    assert {k: exported[k] for k in FOOTER} == FOOTER


def test_the_open_text_page_counts_each_closing_field_on_its_own(client, make_user, login, make_round, prefecture):
    survey_round = make_round(anonymous=False)
    zhuzhou = prefecture("株洲市").id
    for answers in (FOOTER | {"q32": "审批慢"}, FOOTER | {"origin_city": "广州市"}, {"occupation": "董事长"}):
        operations.record_response(survey_round, zhuzhou, None, None, Channel.PAPER, answers, survey_round.opens_on)
    db.session.commit()
    login(client, make_user("analyst"))
    html = client.get(f"/survey/rounds/{survey_round.id}/texts").get_data(as_text=True)
    closing = html[html.index("问卷结束栏"):]
    assert re.findall(r"<li>([^<]+)</li>", closing) == ["广东省（2）", "广州市（1）", "深圳市（1）", "总经理（2）", "董事长（1）"]


def test_closing_fields_are_autosaved_bounded_and_single_line(client, make_invitation):
    token = make_invitation().token
    assert _autosave(client, token, 6, {"origin_province": " 湖北\n省 ", "occupation": "财务"}).status_code == 200
    assert _draft().answers == {"origin_province": "湖北 省", "occupation": "财务"}
    response = client.post(f"/s/{token}/6", data={"origin_province": "省" * 21, "origin_city": "深圳市"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="origin_province-error">不能超过 20 字（现为 21 字）' in html
    assert 'value="深圳市"' in html  # what was typed stays in the form
    assert _draft().answers == {"origin_province": "湖北 省", "occupation": "财务"}


def test_paper_keying_keeps_the_closing_fields_and_none(app, make_round, make_user, login):
    survey_round = make_round()
    clerks = [app.test_client(), app.test_client()]
    for clerk in clerks:
        login(clerk, make_user("centre"))
        data = {"form_code": "4302-0009", "county": "430202", "q9": "n", "q19": "bd"} | FOOTER
        assert clerk.post(f"/survey/rounds/{survey_round.id}/paper", data=data).status_code == 302
    answers = db.session.scalar(sa.select(Response)).answers
    assert answers == {"q9": "N", "q19": "BD"} | FOOTER
    refused = clerks[0].post(f"/survey/rounds/{survey_round.id}/paper",
                             data={"form_code": "4302-0010", "q9": "AN"})
    assert 'id="q9-error">“以上都没有”（N）不能与其它选项同时选择' in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PaperForm)) == 1


# --- "以上都没有" --------------------------------------------------------------------------

def test_none_of_the_above_is_an_answer_alone(client, make_invitation):
    token = make_invitation().token
    page = client.get(f"/s/{token}/2").get_data(as_text=True)
    assert re.search(r'<input data-exclusive="true" id="q9-3" name="q9" type="checkbox" value="N">', page)
    refused = client.post(f"/s/{token}/2", data={"q9": ["B", "N"]})
    assert refused.status_code == 400
    assert 'id="q9-error">“以上都没有”（N）不能与其它选项同时选择' in refused.get_data(as_text=True)
    assert _draft() is None
    assert client.post(f"/s/{token}/2", data={"q9": ["N"]}).status_code == 302
    assert _draft().answers == {"q9": "N"}
    review = client.get(f"/s/{token}/review").get_data(as_text=True)
    assert "以上都没有" in review


def test_the_paper_form_prints_what_the_web_form_and_the_keying_take(client, make_user, login, make_round, tmp_path):
    """Every copy of the printed questionnaire offers, question by question, exactly the boxes the
    web form offers and paper keying accepts (以上都没有 included, marked 单独选), and ends with the
    closing fields in the web form's order; every page, rasterised, carries ink."""
    survey_round = make_round()
    questionnaire = qn.load(survey_round.questionnaire_version)
    login(client, make_user("centre"))
    response = client.post(f"/survey/rounds/{survey_round.id}/paper.pdf",
                           data={"prefecture": "430200", "start": "1", "count": "2"})
    path = tmp_path / "paper.pdf"
    path.write_bytes(job_file(client, response))
    (raster := tmp_path / "pages").mkdir()
    assert blank_pages(path, raster) == []
    text = " ".join(pdf_text(path.read_bytes(), tmp_path).split())
    copies = text.split(questionnaire.title)[1:]
    assert len(copies) == 2
    for copy in copies:
        rest, printed = copy, {}
        for question in questionnaire.questions:  # each question's stretch, in order
            head = f"{question.number}. "
            rest = rest[rest.index(head) + len(head):]
            printed[question.number] = rest
        for question in questionnaire.questions:
            stretch = printed[question.number]
            if question.number < len(questionnaire.questions):
                stretch = stretch[:stretch.index(f"{question.number + 1}. ")]
            assert re.findall(r"□([A-Z])", stretch) == [o.code for o in question.choices], question.number
            if question.none_option:
                assert f"□N {question.none_option.text}（单独选）" in stretch
        closing = copy[copy.index(questionnaire.closing):]
        labels = [closing.index(f"{field.label}＿") for field in questionnaire.footer]
        assert labels == sorted(labels)
    page = client.get(f"/survey/rounds/{survey_round.id}/paper").get_data(as_text=True)
    assert re.findall(r'<label for="q(?:9|19)" [^>]*>\d+<span class="muted small">([^<]+)</span>', page) == [
        "A–C多，N", "A–D多，N"]
    assert "未答留空；第 9、19 题勾选“以上都没有”的录入 N），" in page


def test_the_results_count_none_of_the_above_as_an_answer(client, make_user, login, make_round, prefecture):
    survey_round = make_round()
    zhuzhou = prefecture("株洲市").id
    for answer in ("N", "N", "AB", "N"):
        operations.record_response(survey_round, zhuzhou, None, None, Channel.PAPER, {"q9": answer}, survey_round.opens_on)
    db.session.commit()
    login(client, make_user("analyst"))
    html = client.get(f"/survey/rounds/{survey_round.id}/results").get_data(as_text=True)
    q9 = html[html.index("9. 法制环境存在的主要问题"):html.index("10. ")]
    assert re.findall(r"<td>(\w) [^<]+</td><td class=\"num\">(\d+)</td>", q9) == [
        ("A", "1"), ("B", "1"), ("C", "0"), ("N", "3")]
    assert "<td>N 以上都没有</td>" in q9


def test_responses_csv_takes_none_alone_for_the_problem_lists(app, make_round):
    survey_round = make_round()
    header = bundle.header()

    def table(*rows):
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=header)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in header})
        return out.getvalue().encode()

    good = {"prefecture_code": "430100", "q9": "n", "q19": "N"} | FOOTER
    count, errors = bundle.import_responses(table(good, good | {"q19": "AN"}, good | {"q7": "N"}), 10**7,
                                            survey_round, survey_round.opens_on)
    assert count == 0
    assert [(e.row, e.column, e.message) for e in errors] == [
        (3, "q19", "“以上都没有”（N）不能与其它选项同时选择"),
        (4, "q7", "没有选项 N（本题选项为 A、B、C、D）"),
    ]
    assert bundle.import_responses(table(good), 10**7, survey_round, survey_round.opens_on) == (1, [])
    db.session.commit()
    header, rows = bundle.export_rows(survey_round.year)
    exported = dict(zip(header, rows[0], strict=True))
    assert (exported["q9"], exported["q19"], exported["origin_city"]) == ("N", "N", "深圳市")


# --- what is left open ---------------------------------------------------------------------

def test_after_a_page_the_next_one_lists_what_was_left_open(client, make_invitation):
    token = make_invitation().token
    saved = client.post(f"/s/{token}/2", data={"q9": ["A"], "q10": "D", "q11": "A", "q12": "A", "q13": "A", "q14": "A"})
    assert saved.headers["Location"].endswith(f"/s/{token}/3?saved=2")
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "第 2 部分已保存" in page
    assert f'<a href="/s/{token}/2#q10_other">第 10 题选了“其它”，未注明内容</a>' in page
    back = client.post(f"/s/{token}/2", data={"q9": ["A"], "q10": "D", "q10_other": "补贴", "q11": "A", "go": "back"})
    assert back.headers["Location"].endswith(f"/s/{token}/1?saved=2")
    page = client.get(back.headers["Location"]).get_data(as_text=True)
    links = re.findall(rf'<a href="/s/{token}/2#(q\d+(?:_other)?)">', page)
    assert links == ["q12", "q13", "q14"]
    # The anchors exist on the page they point to.
    page2 = client.get(f"/s/{token}/2").get_data(as_text=True)
    assert all(f'id="{key}"' in page2 for key in ("q12", "q13", "q14", "q10_other"))
    assert 'id="q32"' in client.get(f"/s/{token}/6").get_data(as_text=True)
    # A page saved with nothing left open, or a page not just saved, lists nothing.
    full = {"q9": ["A"], "q10": "A", "q11": "A", "q12": "A", "q13": "A", "q14": "A"}
    done = client.post(f"/s/{token}/2", data=full).headers["Location"]
    assert "已保存" not in client.get(done).get_data(as_text=True)
    assert "已保存" not in client.get(f"/s/{token}/3").get_data(as_text=True)
    assert client.get(f"/s/{token}/3?saved=9").status_code == 404


def test_review_links_every_gap_and_question_to_its_field(client, make_invitation):
    token = make_invitation().token
    _fill_all(client, token)
    client.post(f"/s/{token}/4", data={"q23": "D", "q24": "B"})
    review = client.get(f"/s/{token}/review").get_data(as_text=True)
    gaps = re.findall(r'<li><a href="/s/[^/]+/(\d)#(\w+)">([^<]+)</a></li>', review)
    assert gaps == [("4", "q23_other", "第 23 题选了“其它”，未注明内容"), ("4", "q25", "第 25 题未回答"),
                    ("6", "q33", "第 33 题未回答")]
    assert f'<a href="/s/{token}/3#q19" title="修改第 19 题">19.</a>' in review
    assert "q5" not in re.findall(r"#(q\d+)\"", review)  # Q5 does not apply: neither a gap nor a link


@pytest.mark.parametrize("number", range(1, 7))
def test_enter_in_a_text_box_moves_forward(client, make_invitation, number):
    """Implicit submission uses the form's first submit button: the next-page one on every page."""
    token = make_invitation().token
    page = client.get(f"/s/{token}/{number}").get_data(as_text=True)
    buttons = re.findall(r'<button type="submit" name="go" value="(\w+)"', page)
    assert buttons == (["next", "back"] if number > 1 else ["next"])

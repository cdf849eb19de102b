"""Paper questionnaires: blind double entry, adjudication, exactly one verified response."""
import re

import sqlalchemy as sa

from investenv.extensions import db
from survey import questionnaire as qn
from survey.models import PaperForm, Response


def _key(client, round_id, code="4302-0001", **answers):
    data = {"form_code": code, "county": "430202", "q1": "A", "q4": "B", "q5": "D", "q5_other": "用地贵",
            "q7": "ac", "q32": "希望加快审批"} | answers
    return client.post(f"/survey/rounds/{round_id}/paper", data=data)


def test_two_clerks_one_difference_adjudicated_into_one_response(app, make_round, make_user, login):
    survey_round = make_round()
    clerk1, clerk2, checker = (app.test_client() for _ in range(3))
    login(clerk1, make_user("centre"))
    login(clerk2, make_user("centre"))
    login(checker, make_user("admin"))
    assert _key(clerk1, survey_round.id).status_code == 302
    assert db.session.scalar(sa.select(PaperForm)).status == "first"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0
    # The second clerk keys blind: the screen shows nothing of the first keying.
    page = clerk2.get(f"/survey/rounds/{survey_round.id}/paper").get_data(as_text=True)
    assert "希望加快审批" not in page
    assert _key(clerk2, survey_round.id, q1="C").status_code == 302
    form = db.session.scalar(sa.select(PaperForm))
    assert form.status == "mismatch"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0
    screen = checker.get(f"/survey/paper/{form.id}/adjudicate").get_data(as_text=True)
    question = qn.load(survey_round.questionnaire_version).question(1)
    assert "有 1 处不一致" in screen and f'<th scope="row" id="adj-q1-question">第 1 题　{question.text}</th>' in screen
    assert f"{question.options[2].code} {question.options[2].text}" in screen  # the second keying, C, in words
    refused = checker.post(f"/survey/paper/{form.id}/adjudicate", data={})
    assert refused.status_code == 400 and "请为每一处不一致选定取值" in refused.get_data(as_text=True)
    assert checker.post(f"/survey/paper/{form.id}/adjudicate", data={"q1": "second"}).status_code == 302
    responses = db.session.scalars(sa.select(Response)).all()
    assert len(responses) == 1
    assert responses[0].channel == "paper" and responses[0].answers["q1"] == "C"
    assert responses[0].answers["q7"] == "AC" and responses[0].county.name == "荷塘区"
    db.session.refresh(form)
    assert form.verified


def test_matching_second_keying_verifies_at_once(app, make_round, make_user, login):
    survey_round = make_round()
    clerk1, clerk2 = app.test_client(), app.test_client()
    login(clerk1, make_user("centre"))
    login(clerk2, make_user("centre"))
    _key(clerk1, survey_round.id)
    response = _key(clerk2, survey_round.id)
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1
    third = _key(clerk2, survey_round.id)
    assert "已核对入库，不能再次录入" in third.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1


def test_the_same_clerk_cannot_key_twice_nor_adjudicate(app, make_round, make_user, login):
    survey_round = make_round()
    clerk = app.test_client()
    user = make_user("centre")
    login(clerk, user)
    _key(clerk, survey_round.id)
    again = _key(clerk, survey_round.id, q1="B")
    assert "必须由另一位工作人员完成" in again.get_data(as_text=True)
    other = app.test_client()
    login(other, make_user("centre"))
    _key(other, survey_round.id, q1="B")
    form = db.session.scalar(sa.select(PaperForm))
    refused = clerk.post(f"/survey/paper/{form.id}/adjudicate", data={"q1": "first"})
    assert "两位录入员以外" in refused.get_data(as_text=True)


def test_keying_errors_are_shown_by_the_field(client, make_round, make_user, login):
    survey_round = make_round()
    login(client, make_user("centre"))
    response = _key(client, survey_round.id, q1="AB", q4="C", q9="Z", form_code="9999-1")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "问卷编号格式应为" in html
    response = _key(client, survey_round.id, q1="AB", q4="C", q9="Z")
    html = response.get_data(as_text=True)
    assert 'id="q1-error">单选题只能选一项' in html
    assert 'id="q5-error">只有第4题选“很高”或“较高”时回答' in html
    assert 'id="q9-error">没有选项 Z' in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PaperForm)) == 0


def test_the_evaluated_prefectures_cannot_print_key_or_adjudicate_paper_forms(client, make_round, make_user, login):
    """Paper answers are the enterprises' voice about the prefecture being ranked: only the
    province's clerks print the numbered forms, key them and adjudicate."""
    survey_round = make_round()
    login(client, make_user("prefecture", "株洲市"))
    assert _key(client, survey_round.id, code="4302-0001").status_code == 403
    assert client.get(f"/survey/rounds/{survey_round.id}/paper").status_code == 403
    assert client.post(f"/survey/rounds/{survey_round.id}/paper.pdf",
                       data={"prefecture": "430200", "start": "1", "count": "1"}).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PaperForm)) == 0


def test_the_entered_forms_have_their_own_filtered_page_and_adjudication_is_offered_only_to_a_third_person(
        app, make_round, make_user, login):
    survey_round = make_round()
    clerk1, clerk2, checker = (app.test_client() for _ in range(3))
    for client in (clerk1, clerk2, checker):
        login(client, make_user("centre"))
    _key(clerk1, survey_round.id)
    _key(clerk2, survey_round.id, q1="C")  # a disagreement
    _key(clerk1, survey_round.id, code="4302-0002")  # awaiting its second keying
    entry = clerk1.get(f"/survey/rounds/{survey_round.id}/paper").get_data(as_text=True)
    assert "已录入的问卷（2 份，1 份待裁定）" in entry and "<table" not in entry
    assert re.search(r'<input[^>]*autofocus[^>]*name="form_code"|<input[^>]*name="form_code"[^>]*autofocus', entry)
    forms = f"/survey/rounds/{survey_round.id}/paper/forms"
    listed = checker.get(forms).get_data(as_text=True)
    assert "4302-0001" in listed and "4302-0002" in listed and "裁定 4302-0001" in listed
    waiting = checker.get(f"{forms}?status=mismatch").get_data(as_text=True)
    assert "4302-0001" in waiting and "4302-0002" not in waiting
    assert "4302-0001" not in checker.get(f"{forms}?q=0002").get_data(as_text=True)
    mine = clerk2.get(forms).get_data(as_text=True)
    assert "裁定 4302-0001" not in mine and "须由第三人裁定" in mine
    form = db.session.scalar(sa.select(PaperForm).where(PaperForm.form_code == "4302-0001"))
    screen = clerk2.get(f"/survey/paper/{form.id}/adjudicate").get_data(as_text=True)
    assert "裁定须由两位录入员以外的工作人员完成" in screen and "确认裁定并入库" not in screen


def test_an_other_box_is_out_of_the_tab_order_unless_other_is_keyed(client, make_round, make_user, login):
    survey_round = make_round()
    login(client, make_user("centre"))
    page = client.get(f"/survey/rounds/{survey_round.id}/paper").get_data(as_text=True)
    assert re.search(r'<input[^>]*id="q5_other"[^>]*tabindex="-1"', page)
    again = _key(client, survey_round.id, form_code="bad", q5="D").get_data(as_text=True)  # refused: shown again
    assert re.search(r'<input[^>]*id="q5_other"', again) and not re.search(r'id="q5_other"[^>]*tabindex="-1"', again)

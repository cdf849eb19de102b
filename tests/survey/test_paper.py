"""Paper questionnaires: blind double entry, adjudication, exactly one verified response."""
import re

import sqlalchemy as sa

from investenv.extensions import db
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
    assert "有 1 处不一致" in screen and re.search(r"<th scope=\"row\">q1</th>", screen)
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

"""Keying a paper questionnaire in Chromium with the keyboard alone, as EpiData clerks do: every Tab
lands on the next box to fill, a 其它 box only when 其它 was keyed, and after saving the cursor is
back on the form number."""
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from investenv.extensions import db
from survey import questionnaire as qn
from survey.models import PaperForm

pytestmark = pytest.mark.browser
ANSWERS = {"q1": "A", "q4": "B", "q5": "D", "q5_other": "用地贵", "q7": "AC", "q10": "A", "q32": "希望加快审批",
           "origin_province": "广东省"}


def _tab_order(questionnaire: qn.Questionnaire) -> list[str]:
    """The boxes a clerk passes through, in order: each question's box, its 其它 box only when 其它 is
    keyed, the open questions after each section's letters, then the respondent's fields."""
    order = []
    for section in questionnaire.sections:
        for q in section.questions:
            if q.kind != "text":
                order.append(q.key)
                if q.other_key and q.other_code in ANSWERS.get(q.key, ""):
                    order.append(q.other_key)
        order += [q.key for q in section.questions if q.kind == "text"]
    return order + [f.key for f in questionnaire.footer]


def test_a_clerk_keys_a_paper_form_by_keyboard_alone_without_a_wasted_tab(
        page, live_server, browser_login, make_user, make_round):
    survey_round = make_round()
    browser_login(page, make_user("centre", username="clerk"))
    page.goto(f"{live_server}/survey/rounds/{survey_round.id}/paper")
    focused = page.locator(":focus")
    expect(focused).to_have_id("form_code")
    page.keyboard.type("4302-0001")
    page.keyboard.press("Tab")
    expect(focused).to_have_id("county")
    # The form number fixes the prefecture (4302 株洲市): only its counties are offered.
    expect(page.locator("#county optgroup:not([hidden])")).to_have_count(1)
    expect(page.locator("#county optgroup:not([hidden])")).to_have_attribute("label", "株洲市")
    page.keyboard.press("ArrowDown")
    assert page.locator("#county").input_value().startswith("4302")
    for key in _tab_order(qn.load(survey_round.questionnaire_version)):
        page.keyboard.press("Tab")
        expect(focused).to_have_id(key)
        if key in ANSWERS:
            page.keyboard.type(ANSWERS[key])
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_contain_text("问卷 4302-0001 第一次录入已保存")
    expect(focused).to_have_id("form_code")
    db.session.expire_all()
    keyed = db.session.scalar(sa.select(PaperForm)).first_answers
    assert {k: keyed.get(k) for k in ANSWERS} == ANSWERS | {"q7": "AC"} and keyed["county"].startswith("4302")

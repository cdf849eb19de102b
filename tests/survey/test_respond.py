"""The questionnaire at the personal link: pages, resume, conditions, review, one submission."""
import datetime as dt
import re

import sqlalchemy as sa

from investenv.extensions import db
from investenv.timeutil import today
from survey.models import Draft, Invitation, Response


def _count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _fill_all(client, token, q4="C", q5=None):
    pages = {
        1: {"q1": "A", "q2": "B", "q3": "A", "q4": q4, "q6": "B", "q7": ["A", "C"], "q8": "B"} | ({"q5": q5} if q5 else {}),
        2: {"q9": ["B"], "q10": "D", "q10_other": "地方配套政策", "q11": "B", "q12": "A", "q13": "A", "q14": "C"},
        3: {"q15": "B", "q16": "B", "q17": "A", "q18": "B", "q19": ["B", "D"], "q20": "C", "q21": "B", "q22": "B"},
        4: {"q23": "A", "q24": "B", "q25": "C"},
        5: {"q26": "A", "q27": "B", "q28": "A"},
        6: {"q29": "A", "q30": "A", "q31": "B", "q32": "用地指标落实慢", "q33": "", "origin_province": "广东省",
            "origin_city": "深圳市", "occupation": "总经理"},
    }
    for number, data in pages.items():
        response = client.post(f"/s/{token}/{number}", data=data)
        assert response.status_code == 302, (number, response.get_data(as_text=True)[:3000])


def test_full_flow_writes_one_anonymous_response(client, make_invitation):
    invitation = make_invitation()
    token = invitation.token
    assert "开始填写" in client.get(f"/s/{token}").get_data(as_text=True)
    _fill_all(client, token)
    review = client.get(f"/s/{token}/review").get_data(as_text=True)
    assert "提交前请检查您的答卷" in review and "地方配套政策" in review
    assert client.post(f"/s/{token}/submit").status_code == 302
    assert "问卷已提交" in client.get(f"/s/{token}").get_data(as_text=True)
    response = db.session.scalar(sa.select(Response))
    assert response.enterprise_id is None and response.channel == "online"
    assert response.answers["q7"] == "AC" and response.answers["q10_other"] == "地方配套政策"
    assert "q5" not in response.answers and "q33" not in response.answers
    assert response.submitted_on == today()
    assert response.prefecture.name == "株洲市"
    columns = set(sa.inspect(Response).columns.keys())
    assert not {"invitation_id", "token", "created_at"} & columns  # nothing to link it back
    db.session.refresh(invitation)
    assert invitation.used and _count(Draft) == 0


def test_second_submit_and_double_click_write_nothing_more(client, make_invitation):
    token = make_invitation().token
    _fill_all(client, token)
    assert client.post(f"/s/{token}/submit").status_code == 302
    again = client.post(f"/s/{token}/submit")
    assert again.status_code == 200 and "问卷已提交" in again.get_data(as_text=True)
    assert "问卷已提交" in client.get(f"/s/{token}/2").get_data(as_text=True)
    assert _count(Response) == 1


def test_concurrent_submissions_produce_exactly_one_response(app_factory, make_invitation):
    """Two devices submit at the same moment: the conditional UPDATE lets one through."""
    import threading

    from survey import operations

    invitation = make_invitation()
    db.session.add(Draft(invitation=invitation, answers={"q1": "A"}, page=6))
    db.session.commit()
    invitation_id = invitation.id  # read here: the test's own session must not be used by the threads
    results, barrier = [], threading.Barrier(2, timeout=20)
    app = app_factory()

    def attempt():
        with app.app_context():
            try:
                found = db.session.get(Invitation, invitation_id)
                barrier.wait()
                operations.submit(found, today())
                db.session.commit()
                results.append("ok")
            except operations.AlreadySubmitted:
                db.session.rollback()
                results.append("refused")
            except Exception as exc:  # reported by the assertion below
                results.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused"]
    assert _count(Response) == 1


def test_answers_are_saved_per_page_and_resumed_from_another_device(app, make_invitation):
    token = make_invitation().token
    first = app.test_client()
    first.post(f"/s/{token}/1", data={"q1": "C", "q4": "D"})
    first.post(f"/s/{token}/2", data={"q11": "A"})
    other_device = app.test_client()
    response = other_device.get(f"/s/{token}")
    assert response.headers["Location"].endswith(f"/s/{token}/3")
    page1 = other_device.get(f"/s/{token}/1").get_data(as_text=True)
    assert re.search(r'value="C"[^>]*checked|checked[^>]*value="C"', page1)


def test_q5_is_dropped_with_a_notice_unless_q4_is_high_and_dropped_when_q4_changes(client, make_invitation):
    """Without script a chosen radio button cannot be cleared: a Q5 answer that no longer applies is
    dropped, and the next page says so, instead of the page being refused."""
    token = make_invitation().token
    accepted = client.post(f"/s/{token}/1", data={"q4": "C", "q5": "D", "q5_other": "用地贵", "q1": "A"})
    assert accepted.status_code == 302 and accepted.headers["Location"].endswith(f"/s/{token}/2?saved=1")
    assert db.session.scalar(sa.select(Draft)).answers == {"q1": "A", "q4": "C"}
    notice = client.get(accepted.headers["Location"]).get_data(as_text=True)
    assert "已删除第 5 题的回答：本题只在第4题选“很高”或“较高”时回答" in notice
    assert "第 5 题" not in client.get(f"/s/{token}/2").get_data(as_text=True)  # said once
    missing = client.post(f"/s/{token}/1", data={"q4": "B"})
    assert 'id="q5-error">请回答本题（第4题选“很高”或“较高”时回答）' in missing.get_data(as_text=True)
    assert client.post(f"/s/{token}/1", data={"q4": "B", "q5": "B"}).status_code == 302
    assert client.post(f"/s/{token}/1", data={"q4": "D"}).status_code == 302
    assert "q5" not in db.session.scalar(sa.select(Draft)).answers


def test_tampered_form_gets_a_clear_message_and_saves_nothing(client, make_invitation):
    token = make_invitation().token
    response = client.post(f"/s/{token}/1", data={"q1": "Z", "q2": "AB"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="q1-error">没有选项 Z' in html and 'id="q2-error">单选题只能选一项' in html
    assert _count(Draft) == 0


def test_long_text_is_refused_next_to_the_field(client, make_invitation):
    token = make_invitation().token
    response = client.post(f"/s/{token}/6", data={"q32": "长" * 10_000})
    assert 'id="q32-error">不能超过 2000 字（现为 10000 字）' in response.get_data(as_text=True)


def test_unknown_and_revoked_links_look_the_same(client, make_invitation):
    from survey import operations

    invitation = make_invitation()
    operations.revoke(invitation)
    db.session.commit()
    for token in (invitation.token, "A" * 32, "x"):
        response = client.get(f"/s/{token}")
        assert response.status_code == 404 and "链接无效" in response.get_data(as_text=True)
    assert client.post(f"/s/{invitation.token}/1", data={"q1": "A"}).status_code == 404


def test_wrong_tokens_are_throttled_per_address(client):
    for i in range(30):
        client.get(f"/s/guess{i:027d}")
    assert client.get("/s/another-guess-0000000000000000").status_code == 429


def test_closed_and_not_yet_open_rounds_get_a_clear_page(client, make_round, make_invitation):
    day = today()
    closed = make_invitation(make_round(day - dt.timedelta(days=30), day - dt.timedelta(days=1)))
    page = client.get(f"/s/{closed.token}/1")
    assert "已于" in page.get_data(as_text=True) and "结束" in page.get_data(as_text=True)
    assert client.post(f"/s/{closed.token}/1", data={"q1": "A"}).status_code == 200
    assert _count(Draft) == 0
    future = make_invitation(make_round(day + dt.timedelta(days=3), day + dt.timedelta(days=30)))
    assert "将于" in client.get(f"/s/{future.token}").get_data(as_text=True)


def test_non_anonymous_round_keeps_the_enterprise(client, make_round, make_invitation):
    invitation = make_invitation(make_round(anonymous=False))
    _fill_all(client, invitation.token)
    client.post(f"/s/{invitation.token}/submit")
    assert db.session.scalar(sa.select(Response)).enterprise_id == invitation.enterprise_id

"""Spot-check rounds: rubric, score entry with its refusals, photos, locking, corrections."""
import datetime as dt

import pytest
import sqlalchemy as sa

from investenv.extensions import db
from investenv.timeutil import today
from spotchecks import operations
from spotchecks.models import EvidencePhoto, ItemScore, ScoreCorrection, SpotCheckRound

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


@pytest.fixture
def check_round(app):
    created = operations.create_round(today().year, "", 20261015, 2)
    operations.draw(created)
    db.session.commit()
    return created


def _scores(check_round, value=10, **overrides):
    data = {"checked_on": today().isoformat()}
    for item in check_round.items:
        data[f"item-{item.id}"] = str(overrides.get(item.title, value))
        data[f"evidence-{item.id}"] = "现场查阅"
    return data


def test_new_round_starts_from_the_seed_themes_and_draws_two_per_prefecture(check_round):
    assert [i.title for i in check_round.items] == ["政策公开", "审批时限", "收费公示", "检查申报", "投诉档案", "一站式窗口"]
    assert check_round.max_total == 100
    assert len(check_round.units) == 28 and operations.sample_reproduces(check_round)
    with pytest.raises(Exception, match="不能重抽"):
        operations.draw(check_round)


def test_team_member_enters_scores(client, check_round, make_user, login):
    login(client, make_user("centre"))
    unit = check_round.units[0]
    response = client.post(f"/spotchecks/units/{unit.id}", data=_scores(check_round))
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ItemScore)) == 6


@pytest.mark.parametrize(("value", "message"), [("25", "得分不能超过满分 20"), ("-1", "得分不能为负数")])
def test_scores_outside_zero_to_maximum_are_refused(client, check_round, make_user, login, value, message):
    login(client, make_user("centre"))
    unit = check_round.units[0]
    response = client.post(f"/spotchecks/units/{unit.id}", data=_scores(check_round, 10, 政策公开=value))
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ItemScore)) == 0


def test_photos_are_checked_by_content_and_served_only_to_staff(app, client, check_round, make_user, login):
    login(client, make_user("centre"))
    unit = check_round.units[0]
    renamed = _scores(check_round) | {"photo": (__import__("io").BytesIO(b"MZ\x90\x00fake exe"), "photo.jpg")}
    response = client.post(f"/spotchecks/units/{unit.id}", data=renamed, content_type="multipart/form-data")
    assert response.status_code == 400 and "只接受 JPEG、PNG 文件" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EvidencePhoto)) == 0
    good = _scores(check_round) | {"photo": (__import__("io").BytesIO(PNG), "whatever.bin")}
    assert client.post(f"/spotchecks/units/{unit.id}", data=good, content_type="multipart/form-data").status_code == 302
    photo = db.session.scalar(sa.select(EvidencePhoto))
    assert photo.content_type == "image/png"
    served = client.get(f"/spotchecks/photos/{photo.id}")
    assert served.data == PNG
    served.close()
    assert app.test_client().get(f"/spotchecks/photos/{photo.id}").status_code == 302  # needs login


def test_lock_needs_every_unit_then_refuses_entries_and_logs_corrections(client, check_round, make_user, login):
    user = make_user("centre")
    login(client, user)
    refused = client.post(f"/spotchecks/{check_round.id}/lock", follow_redirects=True)
    assert "个单位未录完分数" in refused.get_data(as_text=True)
    for unit in check_round.units:
        client.post(f"/spotchecks/units/{unit.id}", data=_scores(check_round))
    assert client.post(f"/spotchecks/{check_round.id}/lock").status_code == 302
    db.session.refresh(check_round)
    assert check_round.locked
    unit = check_round.units[0]
    late = client.post(f"/spotchecks/units/{unit.id}", data=_scores(check_round, 1))
    assert late.status_code == 400 and "已于" in late.get_data(as_text=True) and "锁定" in late.get_data(as_text=True)
    assert {s.score for s in db.session.scalars(sa.select(ItemScore))} == {10.0}
    score = db.session.scalar(sa.select(ItemScore).where(ItemScore.unit_id == unit.id))
    no_reason = client.post(f"/spotchecks/scores/{score.id}/correct", data={"new_score": "8", "reason": ""}, follow_redirects=True)
    assert "请说明更正理由" in no_reason.get_data(as_text=True)
    client.post(f"/spotchecks/scores/{score.id}/correct", data={"new_score": "8", "reason": "复核时发现漏扣分"})
    correction = db.session.scalar(sa.select(ScoreCorrection))
    assert (correction.old_score, correction.new_score, correction.reason) == (10, 8, "复核时发现漏扣分")
    assert correction.corrected_by_id == user.id and correction.corrected_at is not None
    db.session.refresh(score)
    assert score.score == 8
    page = client.get(f"/spotchecks/units/{unit.id}").get_data(as_text=True)
    assert "更正记录" in page and "复核时发现漏扣分" in page


def test_rubric_max_cannot_drop_below_a_given_score(check_round, make_user):
    user = make_user("centre")
    unit = check_round.units[0]
    values = {i.id: (15.0, "") for i in check_round.items}
    assert operations.enter_scores(unit, values, today(), user.id, today()) == {}
    item = check_round.items[0]
    with pytest.raises(Exception, match="满分不能低于该分数"):
        operations.save_item(check_round, item, item.title, 10, "")
    operations.save_item(check_round, None, "企业满意度", 10, "走访企业")
    assert [i.title for i in check_round.items][-1] == "企业满意度"


def test_spotcheck_bundle_round_trip_and_refusals(app, check_round, run_cli, tmp_path):
    from spotchecks.bundle import HEADER

    unit = check_round.units[0]
    day = today().isoformat()
    rows = [[check_round.title, unit.prefecture.code, unit.name, i.title, "12", f"{i.max_score:g}", day]
            for i in check_round.items]
    bad = rows[:-1] + [[check_round.title, unit.prefecture.code, unit.name, check_round.items[-1].title, "99", "", day],
                       [check_round.title, "430100", "不存在的单位", "政策公开", "1", "", day]]
    path = tmp_path / "spot.csv"
    path.write_text("\n".join(",".join(r) for r in [HEADER, *bad]), encoding="utf-8")
    result = run_cli(app, "import", "spotchecks", str(path))
    assert result.exit_code == 1
    assert "得分不能超过满分 15" in result.output and "不在本轮 430100 的样本中" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ItemScore)) == 0
    path.write_text("\n".join(",".join(r) for r in [HEADER, *rows]), encoding="utf-8")
    assert run_cli(app, "import", "spotchecks", str(path)).exit_code == 0
    out = tmp_path / "out.csv"
    assert run_cli(app, "export", "spotchecks", "--year", str(check_round.year), str(out)).exit_code == 0
    assert out.read_bytes().decode("utf-8-sig").splitlines()[1:] == [",".join(r) for r in rows]


def test_future_check_date_is_refused(check_round, make_user):
    unit = check_round.units[0]
    values = {i.id: (5.0, "") for i in check_round.items}
    errors = operations.enter_scores(unit, values, today() + dt.timedelta(days=1), make_user("centre").id, today())
    assert errors == {"checked_on": "检查日期不能晚于今天"}
    assert db.session.scalar(sa.select(SpotCheckRound.id)) == check_round.id

"""``investenv demo``: a deterministic, realistic year for all 14 prefectures."""
import sqlalchemy as sa

from investenv.auth.models import User
from investenv.extensions import db
from investenv.registry import compliance
from investenv.registry.credit_code import validate
from investenv.registry.models import Enterprise, MonitoringPoint


def _codes():
    return db.session.scalars(sa.select(Enterprise.credit_code).order_by(Enterprise.credit_code)).all()


def test_demo_loads_a_full_registry_and_prints_the_logins(app, run_cli):
    result = run_cli(app, "demo")
    assert result.exit_code == 0, result.output
    assert "admin" in result.output and "zhuzhou" in result.output and "investenv-demo-2026" in result.output
    codes = _codes()
    assert all(validate(code) == code for code in codes)
    points = db.session.scalar(sa.select(sa.func.count()).select_from(MonitoringPoint))
    assert 135 <= points <= 150
    rows = compliance.prefecture_compliance(db.session, 2026)
    assert len(rows) == 14 and all(r.total > 0 for r in rows)
    short = {r.prefecture.name for r in rows if not r.meets_minimum}
    assert {"张家界市", "娄底市"} <= short and len(short) < 7
    assert any(r.missing for r in rows)  # some counties lack a point
    late_2025 = {r.prefecture.name for r in compliance.prefecture_compliance(db.session, 2025) if r.late}
    assert late_2025 == {"邵阳市", "常德市"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 18


def test_demo_is_deterministic_and_does_not_load_twice(app, run_cli):
    run_cli(app, "demo")
    first = _codes()
    again = run_cli(app, "demo")
    assert "未重复载入" in again.output and _codes() == first
    reset = run_cli(app, "demo", "--reset")
    assert reset.exit_code == 0 and "已载入" in reset.output
    assert _codes() == first


def test_demo_users_can_log_in(app, run_cli):
    run_cli(app, "demo")
    client = app.test_client()
    response = client.post("/login", data={"username": "zhuzhou", "password": "investenv-demo-2026"})
    assert response.status_code == 302
    assert "株洲市" in client.get("/registry/").get_data(as_text=True)


def test_demo_has_a_survey_year_of_about_five_hundred_responses(app, run_cli):
    from survey.models import Draft, PaperForm, Response, SurveyRound

    run_cli(app, "demo")
    (survey_round,) = db.session.scalars(sa.select(SurveyRound)).all()
    channels = dict(db.session.execute(
        sa.select(Response.channel, sa.func.count()).group_by(Response.channel)).all())
    assert 450 <= sum(channels.values()) <= 560 and channels["online"] >= 80 and channels["paper"] >= 350
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Draft)) > 5
    pending = [f.status for f in db.session.scalars(sa.select(PaperForm).where(PaperForm.verified.is_(False)))]
    assert "mismatch" in pending and "first" in pending
    assert all(r.enterprise_id is None for r in db.session.scalars(sa.select(Response)))
    assert len(survey_round.invitations) >= 135


def test_demo_has_feedback_with_gaps_and_a_locked_spot_check(app, run_cli):
    from feedback.models import Feedback, Hotline
    from spotchecks.models import SpotCheckRound

    run_cli(app, "demo")
    per_period = dict(db.session.execute(
        sa.select(Feedback.period, sa.func.count()).group_by(Feedback.period)).all())
    points = db.session.scalar(sa.select(sa.func.count()).select_from(MonitoringPoint)
                               .where(MonitoringPoint.withdrawn_on.is_(None)))
    assert set(per_period) >= {"2026Q1", "2026Q2", "2026Q3"}
    assert all(0.7 * points < n < points for n in per_period.values())  # some points miss a quarter
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Hotline)) == 14
    (check_round,) = db.session.scalars(sa.select(SpotCheckRound)).all()
    assert check_round.locked and len(check_round.units) == 56

"""The demo year's ledgers: every prefecture has projects across the stages, monthly reports,
targets; some projects are unfulfilled and reported; the pages show them."""
import sqlalchemy as sa

from investenv.auth.models import User
from investenv.demo import DEMO_PASSWORD
from investenv.extensions import db
from investenv.timeutil import today
from projects.models import MonthlyReport, Problem, Project, Target, UnfulfilledReport
from projects.vocabulary import STAGES

from ..conftest import DEMO_YEAR


def test_the_demo_ledgers(demo_database, app, client, login):
    per_prefecture = dict(db.session.execute(
        sa.select(Project.prefecture_id, sa.func.count()).group_by(Project.prefecture_id)).all())
    assert len(per_prefecture) == 14 and min(per_prefecture.values()) >= 5
    assert set(db.session.scalars(sa.select(Project.stage).distinct())) == set(STAGES)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Target).where(Target.year == DEMO_YEAR)) == 14
    if today().year == DEMO_YEAR and today().month > 2:
        assert db.session.scalar(sa.select(sa.func.count()).select_from(MonthlyReport)) > 14
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Problem).where(Problem.escalated_on.is_not(None)))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UnfulfilledReport)) >= 3
    admin = db.session.scalar(sa.select(User).where(User.username == "admin"))
    login(client, admin, DEMO_PASSWORD)
    page = client.get(f"/projects/overview?year={DEMO_YEAR}").get_data(as_text=True)
    assert "年度联引资考核排名" in page and "湘西土家族苗族自治州" in page
    assert client.get(f"/projects/overview/{DEMO_YEAR}.xlsx").status_code == 200
    report = client.get(f"/projects/overview/{DEMO_YEAR}.pdf")
    assert report.status_code == 200 and report.data.startswith(b"%PDF")
    assert "未履约项目" in client.get("/projects/unfulfilled").get_data(as_text=True)

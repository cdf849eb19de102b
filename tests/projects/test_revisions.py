"""The KPI pages keep a prefecture's figures only while its ledger token is unchanged: every change
to a project, a stage or funds gives the prefecture a new token in the same transaction."""
import datetime as dt

from investenv.extensions import db
from investenv.registry.models import Prefecture
from projects import operations, queries, revisions

DAY = dt.date(2026, 6, 30)


def _kpis(prefectures):
    return queries.prefecture_kpis(2026, DAY, prefectures, {})


def test_figures_are_kept_until_the_ledger_changes(app, world):
    project = world["project"]
    zhuzhou = db.session.get(Prefecture, project.prefecture_id)
    token = revisions.tokens({zhuzhou.id}, db.session)[zhuzhou.id]
    first = _kpis([zhuzhou])
    again = _kpis([zhuzhou])
    assert again.rows[zhuzhou.code] is first.rows[zhuzhou.code] and first.total.cohort == 1
    assert first.version == (token,) and first.stalled_count == 1
    assert [f.code for f in first.first_stalled(5)] == [project.code]   # nothing since signing on 10 January

    operations.change_stage(project, "registered", dt.date(2026, 6, 1), "", None, dt.date(2026, 6, 30))
    db.session.commit()
    assert revisions.tokens({zhuzhou.id}, db.session)[zhuzhou.id] != token
    changed = _kpis([zhuzhou])
    assert changed.rows[zhuzhou.code] is not first.rows[zhuzhou.code] and changed.stalled_count == 0


def test_a_prefecture_without_a_token_is_always_counted_afresh(app, world):
    zhuzhou = db.session.get(Prefecture, world["project"].prefecture_id)
    revisions.rebuild(db.session.connection())
    db.session.execute(revisions.LedgerRevision.__table__.delete())
    first, second = _kpis([zhuzhou]), _kpis([zhuzhou])
    assert first.rows[zhuzhou.code] is not second.rows[zhuzhou.code] and first.version is None
    assert first.rows[zhuzhou.code].rates() == second.rows[zhuzhou.code].rates()

"""Monitoring-point compliance: ≥10 on time by 30 November, counties covered, late ones."""
import datetime as dt

from investenv.extensions import db
from investenv.registry import compliance
from investenv.registry.models import FilingStatus, MonitoringPoint


def _point(enterprise, registered_on, withdrawn_on=None, filed=True):
    db.session.add(
        MonitoringPoint(
            enterprise=enterprise,
            registered_on=registered_on,
            withdrawn_on=withdrawn_on,
            filing_status=(FilingStatus.FILED if filed else FilingStatus.PENDING).value,
        )
    )
    db.session.commit()


def _entry(prefecture, year=2025):
    (entry,) = compliance.prefecture_compliance(db.session, year, {prefecture.id})
    return entry


def test_ten_points_on_time_meet_the_minimum_and_coverage_counts_counties(
    app, make_enterprise, prefecture
):
    xiangtan = prefecture("湘潭市")  # 5 counties
    for i in range(10):
        _point(make_enterprise("湘潭市", county_index=i % 3), dt.date(2025, 11, 30), filed=i > 0)
    entry = _entry(xiangtan)
    assert len(entry.on_time) == 10 and entry.meets_minimum
    assert [c.name for c in entry.covered] == ["雨湖区", "岳塘区", "湘潭县"]
    assert [c.name for c in entry.missing] == ["湘乡市", "韶山市"]
    assert entry.pending_filing == 1


def test_points_after_the_deadline_are_late_and_do_not_count_towards_ten(app, make_enterprise, prefecture):
    for _ in range(9):
        _point(make_enterprise("娄底市"), dt.date(2025, 6, 1))
    _point(make_enterprise("娄底市", county_index=1), dt.date(2025, 12, 1))
    entry = _entry(prefecture("娄底市"))
    assert (len(entry.on_time), len(entry.late), entry.total) == (9, 1, 10)
    assert not entry.meets_minimum
    assert len(entry.covered) == 2  # the late point still covers its county


def test_withdrawn_points_and_next_year_registrations_do_not_count(app, make_enterprise, prefecture):
    _point(make_enterprise("益阳市"), dt.date(2025, 3, 1), withdrawn_on=dt.date(2025, 11, 1))
    _point(make_enterprise("益阳市"), dt.date(2025, 3, 1), withdrawn_on=dt.date(2025, 12, 15))
    _point(make_enterprise("益阳市"), dt.date(2026, 1, 5))
    entry = _entry(prefecture("益阳市"))
    assert len(entry.on_time) == 1  # withdrawn after the deadline: still in force on it
    assert entry.late == []
    assert len(_entry(prefecture("益阳市"), 2026).on_time) == 1


def test_every_prefecture_is_listed_even_without_points(app):
    rows = compliance.prefecture_compliance(db.session, 2025)
    assert [r.prefecture.code for r in rows][:2] == ["430100", "430200"]
    assert len(rows) == 14
    assert all(not r.meets_minimum and r.total == 0 for r in rows)

"""The maintained queue counts (complaints.queuecounts) equal a direct count of the cases after
every kind of case change, on any day (the time-dependent queues change without a write), and a
rebuild gives the same rows."""
import datetime as dt
from decimal import Decimal

import sqlalchemy as sa

from complaints import operations, queries, queuecounts
from complaints.models import Complaint, ComplaintQueueCount
from complaints.vocabulary import CATEGORIES, STATUSES
from investenv.extensions import db

from .test_kpis_bundle import _case

D = dt.date
DAYS = [D(2026, 3, 1), D(2026, 3, 5), D(2026, 3, 20), D(2026, 4, 2), D(2026, 4, 20), D(2026, 12, 31)]


def _rows() -> list[tuple]:
    return sorted(tuple(getattr(r, c) for c in (*queuecounts.KEY, "cases"))
                  for r in db.session.scalars(sa.select(ComplaintQueueCount)))


def _assert_counts_equal_cases(prefectures) -> None:
    db.session.commit()
    t = ComplaintQueueCount
    for day in DAYS:
        soon = day + dt.timedelta(days=5)
        for name in queries.QUEUES:
            if name == "mine":
                continue
            for narrowing in ([], [("prefecture_id", prefectures[0].id)], [("status", "extended")],
                              [("category", "inspection")]):
                def where(table, name=name, day=day, soon=soon, narrowing=narrowing):
                    return [queries.queue_filter(name, day, soon, 0, table),
                            *(getattr(table, column) == value for column, value in narrowing)]

                maintained = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(t.cases), 0)).where(*where(t)))
                direct = db.session.scalar(sa.select(sa.func.count()).select_from(Complaint).where(*where(Complaint)))
                assert maintained == direct, (day, name, narrowing)
    assert all(r[-1] > 0 for r in _rows())  # emptied rows are dropped
    incremental = _rows()
    queuecounts.rebuild(db.session.connection())
    assert _rows() == incremental


def test_counts_follow_every_kind_of_case_change(app, prefecture, make_user):
    visitor = make_user("centre")
    cs, zz = prefecture("长沙市"), prefecture("株洲市")
    check = lambda: _assert_counts_equal_cases([cs, zz])  # noqa: E731
    first = _case(cs)
    second = _case(cs, received=D(2026, 3, 3), category="inspection")
    third = _case(zz, received=D(2026, 3, 4))
    refused = _case(zz, received=D(2026, 3, 5))
    check()  # intake: waiting for acknowledgement
    operations.accept(first, None, D(2026, 3, 2), "simple", major=False)
    operations.accept(second, None, D(2026, 3, 4), "simple", major=True)
    operations.refuse(refused, None, "不属于受理范围")
    check()  # accepted (one major: supervised), refused
    operations.assign(first, None, cs, "市场监管局")
    operations.assign(second, None, zz, "")  # transferred to another prefecture
    check()
    operations.start(first, None)
    operations.extend(first, None, "需要调查", D(2026, 3, 20))
    check()  # extended: a progress report falls due
    operations.progress(first, None, "调查中", D(2026, 3, 25))
    check()
    operations.reply(first, None, "答复", D(2026, 4, 10))
    operations.close(first, None, "resolved", Decimal("100"), D(2026, 4, 11))
    check()  # replied and closed: waiting for the return visit
    operations.return_visit(first, visitor.id, "满意", D(2026, 4, 12))
    check()
    operations.object_to_result(first, None, "不满意")
    operations.reopen(first, None, "重新调查")
    check()  # escalated and handled again, without a reply
    for event in third.events:
        db.session.delete(event)
    db.session.delete(third)
    check()
    assert {c.status for c in db.session.scalars(sa.select(Complaint))} <= set(STATUSES)
    assert CATEGORIES


def test_counts_start_from_a_migrated_database_with_cases(app, prefecture):
    """Cases written past the ORM (as a bulk load does) are counted after a rebuild."""
    _case(prefecture("长沙市"))
    db.session.commit()
    db.session.execute(sa.update(Complaint).values(status="accepted", due_on=D(2026, 4, 1)))
    queuecounts.rebuild(db.session.connection())
    _assert_counts_equal_cases([prefecture("长沙市")])

"""Concurrent intakes in one prefecture get distinct case numbers (no duplicate-key failures)."""
import datetime as dt
import threading

import sqlalchemy as sa

from complaints import operations
from complaints.models import Complaint
from investenv.extensions import db
from investenv.registry.models import Prefecture


def test_concurrent_intakes_take_consecutive_numbers(app, app_factory):
    workers, results = 4, []
    barrier = threading.Barrier(workers, timeout=20)
    other = app_factory()

    def intake(n: int) -> None:
        with other.app_context():
            try:
                prefecture = db.session.scalar(sa.select(Prefecture).where(Prefecture.code == "430100"))
                barrier.wait()
                case, _ = operations.intake(operations.CaseIntake(
                    prefecture=prefecture, county=prefecture.counties[0], department="", complainant=f"企业{n}",
                    enterprise_id=None, contact_name="", contact_phone="", channel="hotline",
                    received_on=dt.date(2026, 5, 1), category="fees", summary=f"事项{n}", claims="",
                    amount_yuan=None, user_id=None, today=dt.date(2026, 5, 1)))
                db.session.commit()
                results.append(case.case_no)
            except Exception as exc:  # reported by the assertion below
                results.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=intake, args=(n,)) for n in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [f"2026-4301-{n:04d}" for n in range(1, workers + 1)]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Complaint)) == workers

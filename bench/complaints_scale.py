"""Benchmark: the home of today's work, every queue's list (with a filter, a column sort, a later
page, a date filter and a search) and the per-prefecture KPI page with 1,000,000 cases in PostgreSQL.

Starts a throwaway PostgreSQL 15 cluster, migrates it, fills ``complaints`` with a million
cases spread over the 14 prefectures and every state (one INSERT … SELECT from
generate_series), then times the real pages through the app (Flask test client, so the figure
is the app's own work: queries plus rendering) for a prefecture user and a provincial user.
The baseline, in the same run and as the same users, is what the lists did before the queue counts
table: one grouped count of the visible cases by status (a tenth of the counting they did); and the
list query of a search as it was before the substring indexes (LIKE alone, "search_before").

    python bench/complaints_scale.py [--cases 1000000] [--requests 20]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pages import migrated_app, timed, timed_query  # noqa: E402

FILL = """
INSERT INTO complaints (case_no, year, prefecture_code, sequence, secret_hash, prefecture_id, department, complainant,
    contact_name, contact_phone, channel, received_on, category, summary, claims, procedure, major, rule_set, status,
    escalated, accepted_on, acknowledge_due_on, due_on, progress_due_on, deadline_problem, replied_on, reply_working_days,
    closed_on, satisfaction, loss_recovered_yuan, version, created_at)
SELECT format('2026-%s-%s', substr(p.code, 1, 4), lpad((g / 14 + 1)::text, 6, '0')), 2026, p.code, g / 14 + 1,
    md5(g::text), p.id, '市场监管局', '压测企业' || g, '', '', 'hotline', r.received, 'fees', '压测', '', 'simple',
    (g % 97 = 0), 'seed', s.status, false,
    CASE WHEN s.status <> 'received' THEN r.received + 1 END, r.received + 3, r.received + 31,
    CASE WHEN s.status = 'extended' THEN r.received + 46 END, '',
    CASE WHEN s.status IN ('replied', 'closed') THEN r.received + (g % 45) END,
    CASE WHEN s.status IN ('replied', 'closed') THEN (g % 45) * 5 / 7 END,
    CASE WHEN s.status = 'closed' THEN r.received + (g % 45) + 2 END,
    CASE WHEN s.status = 'closed' AND g % 3 = 0 THEN '满意' WHEN s.status = 'closed' AND g % 3 = 1 THEN '基本满意' END,
    CASE WHEN s.status = 'closed' THEN (g % 50) * 1000 END, 1, now()
FROM generate_series(0, :n - 1) AS g
JOIN (SELECT id, code, row_number() OVER (ORDER BY code) - 1 AS k FROM prefectures) p ON p.k = g % 14
CROSS JOIN LATERAL (SELECT date '2026-01-01' + (g * 7 % 327) AS received) r
CROSS JOIN LATERAL (SELECT CASE
    WHEN g % 100 < 3 THEN 'received' WHEN g % 100 < 6 THEN 'accepted' WHEN g % 100 < 10 THEN 'assigned'
    WHEN g % 100 < 16 THEN 'handling' WHEN g % 100 < 18 THEN 'extended' WHEN g % 100 < 25 THEN 'replied'
    WHEN g % 100 < 27 THEN 'not_accepted' ELSE 'closed' END AS status) s
"""


# Searches by part of a name or number: a long one, two characters found in no case and in every
# case, one character found in none, digits, a part of a case number.
SEARCHES = ("压测企业12345", "华天", "企业", "华", "12345", "4302-00001")
QUEUES = ("open", "new", "assigned", "mine", "due_soon", "overdue", "progress", "visit", "supervision", "all")
PAGES = ("/work", *(f"/complaints/?queue={q}" for q in QUEUES), "/complaints/?queue=open&category=fees",
         "/complaints/?queue=all&sort=received&dir=desc", "/complaints/?queue=overdue&page=20",
         "/complaints/?queue=open&from=2026-06-01&to=2026-06-30", *(f"/complaints/?queue=all&q={q}" for q in SEARCHES),
         "/complaints/?queue=all&q=2026-4302-000012",
         "/complaints/kpis?from=2026-01-01&to=2026-12-31")


def explained(app, client, url: str) -> dict:
    """The database's own time for the queries of one request of ``url`` (EXPLAIN ANALYZE of each
    SELECT as it was sent), the slowest first."""
    from sqlalchemy import event

    from investenv.extensions import db

    sent = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    timings = []
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        for statement, parameters in sent:
            with raw.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters)
                plan = cursor.fetchone()[0][0]
            timings.append((round(plan["Execution Time"] + plan["Planning Time"], 1), plan["Plan"]["Node Type"],
                            " ".join(statement.split())[:160]))
        raw.rollback()
    timings.sort(reverse=True)
    return {"db_ms": round(sum(t[0] for t in timings), 1), "queries": len(timings), "slowest": timings[:2]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--explain", action="store_true",
                        help="also EXPLAIN ANALYZE every query of one request of each page (database time, "
                             "free of the load on the machine)")
    args = parser.parse_args()

    from sqlalchemy import func, select, text

    from complaints import daystats, queuecounts
    from investenv.auth.operations import create_user
    from investenv.extensions import db
    from investenv.permissions import Role
    from investenv.registry.models import Prefecture

    with migrated_app() as app:
        with app.app_context():
            started = time.perf_counter()
            db.session.execute(text(FILL), {"n": args.cases})
            daystats.rebuild(db.session.connection())  # the bulk load bypassed the ORM hooks
            queuecounts.rebuild(db.session.connection())
            db.session.commit()
            fill_seconds = time.perf_counter() - started
            db.session.commit()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE complaints"))  # as autovacuum would, for index-only scans
            total = db.session.scalar(select(func.count()).select_from(text("complaints")))
            zhuzhou = db.session.scalar(select(Prefecture).where(Prefecture.code == "430200"))
            create_user("bench-zz", "株洲", "bench-password-1", Role.PREFECTURE, zhuzhou.id)
            create_user("bench-centre", "中心", "bench-password-1", Role.CENTRE, None)
            db.session.commit()
            baseline = {}
            for username, where in (("bench-zz", f"WHERE prefecture_id = {zhuzhou.id}"), ("bench-centre", "")):
                query = text(f"SELECT status, count(*) FROM complaints {where} GROUP BY status")
                baseline[username] = timed_query(db.session, query, args.requests)
                pattern = f"'%{SEARCHES[0]}%'"
                query = text(f"SELECT id FROM complaints WHERE {where.replace('WHERE', '') or 'true'} AND "
                             f"(case_no LIKE {pattern} OR complainant LIKE {pattern}) "
                             "ORDER BY deadline_on NULLS LAST, id LIMIT 50")
                baseline[f"{username} search_before"] = timed_query(db.session, query, args.requests)
        results = []
        for username in ("bench-zz", "bench-centre"):
            client = app.test_client()
            client.post("/login", data={"username": username, "password": "bench-password-1"})
            for page in PAGES:
                results.append({"user": username} | timed(client, page, args.requests)
                               | (explained(app, client, page) if args.explain else {}))
        print(json.dumps({"cases": total, "fill_seconds": round(fill_seconds, 1), "baseline": baseline,
                          "results": results},
                         ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

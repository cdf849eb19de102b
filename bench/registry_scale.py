"""Benchmark: the other staff lists at scale in PostgreSQL — the enterprise registry (100,000
enterprises), a survey round's invitations (100,000) and the audit log (1,000,000 events).

Starts a throwaway migrated PostgreSQL 15 cluster (``bench/pages.py``), fills the three tables with
one INSERT … SELECT from generate_series each, ``VACUUM ANALYZE``, then times the real pages (Flask
test client: queries plus rendering) with a filter, a search, a column sort and a later page each, as
a prefecture user (the registry) and as an administrator (every list).  The baseline, in the same run:
one plain count of each whole table (each page counts its list once for the total).

    python bench/registry_scale.py [--enterprises 100000] [--rounds 1] [--events 1000000] [--requests 20] [--explain]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.complaints_scale import explained  # noqa: E402
from bench.pages import migrated_app, timed, timed_query  # noqa: E402

ENTERPRISES = """
INSERT INTO enterprises (name, name_initials, credit_code, prefecture_id, county_id, origin_province, origin_city,
    industry, contact_name, contact_phone, contact_email, created_at, updated_at, version)
SELECT '压测企业' || g, 'ycqy' || g, '91' || c.code || lpad(g::text, 9, '0') || 'X', c.prefecture_id, c.id,
    (ARRAY['广东省', '浙江省', '江苏省', '上海市'])[g % 4 + 1], '', NULL, '', '', '', now(), now(), 1
FROM generate_series(0, :n - 1) AS g
JOIN (SELECT id, code, prefecture_id, row_number() OVER (ORDER BY code) - 1 AS k FROM counties) c
    ON c.k = g % (SELECT count(*) FROM counties)
"""
INVITATIONS = """
INSERT INTO invitations (round_id, enterprise_id, prefecture_id, token, used, revoked, reminders_off, created_at)
SELECT :round, id, prefecture_id, md5('bench' || id), id % 3 = 0, id % 97 = 0, false, now() FROM enterprises
WHERE id % :rounds = :k
"""
EVENTS = """
INSERT INTO audit_events (at, user_id, username, action, target, address, status)
SELECT timestamp '2026-01-01' + g * interval '30 seconds', NULL, 'staff' || (g % 200),
    (ARRAY['login', 'view', 'view', 'view', 'export', 'logout', 'api'])[g % 7 + 1],
    'complaint:2026-4302-' || lpad((g % 70000)::text, 6, '0'), '10.0.' || (g % 250) || '.' || (g % 200), 200
FROM generate_series(0, :n - 1) AS g
"""


def pages(round_id: int) -> dict[str, tuple[str, ...]]:
    """The pages each user times."""
    registry = ("/registry/enterprises", "/registry/enterprises?q=压测企业1234", "/registry/enterprises?prefecture=430200",
                "/registry/enterprises?sort=name", "/registry/enterprises?sort=origin&dir=desc",
                "/registry/enterprises?page=200")
    invitations = f"/survey/rounds/{round_id}/invitations"
    return {"bench-zz": registry, "bench-admin": (
        *registry, invitations, f"{invitations}?pending=1", f"{invitations}?prefecture=430200",
        f"{invitations}?q=压测企业1234", f"{invitations}?sort=enterprise", f"{invitations}?page=200",
        "/admin/audit/", "/admin/audit/?action=login", "/admin/audit/?user=staff7",
        "/admin/audit/?target=2026-4302-012345", "/admin/audit/?from=2026-03-01&to=2026-03-31",
        "/admin/audit/?sort=user", "/admin/audit/?page=200")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=1,
                        help="survey rounds sharing the invitations, one per enterprise (the first is timed)")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--explain", action="store_true",
                        help="also EXPLAIN ANALYZE every query of one request of each page")
    args = parser.parse_args()

    from sqlalchemy import select, text

    from investenv.auth.operations import create_user
    from investenv.extensions import db
    from investenv.permissions import Role
    from investenv.registry.models import Prefecture
    from survey import operations

    with migrated_app() as app:
        with app.app_context():
            started = time.perf_counter()
            db.session.execute(text(ENTERPRISES), {"n": args.enterprises})
            rounds = [operations.create_round(2026, f"压测{k}", "2006", dt.date(2026, 3, 1), dt.date(2026, 12, 31))
                      for k in range(args.rounds)]
            db.session.flush()
            for k, survey_round in enumerate(rounds):
                db.session.execute(text(INVITATIONS), {"round": survey_round.id, "rounds": args.rounds, "k": k})
            round_id = rounds[0].id
            db.session.execute(text(EVENTS), {"n": args.events})
            db.session.commit()
            fill_seconds = time.perf_counter() - started
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                for table in ("enterprises", "invitations", "audit_events"):
                    connection.execute(text(f"VACUUM ANALYZE {table}"))
            zhuzhou = db.session.scalar(select(Prefecture).where(Prefecture.code == "430200"))
            create_user("bench-zz", "株洲", "bench-password-1", Role.PREFECTURE, zhuzhou.id)
            create_user("bench-admin", "管理员", "bench-password-1", Role.ADMIN, None)
            db.session.commit()
            baseline = {}
            for table in ("enterprises", "invitations", "audit_events"):
                baseline[table] = timed_query(db.session, text(f"SELECT count(*) FROM {table}"), args.requests)
        results = []
        for username, urls in pages(round_id).items():
            client = app.test_client()
            client.post("/login", data={"username": username, "password": "bench-password-1"})
            for url in urls:
                results.append({"user": username} | timed(client, url, args.requests)
                               | (explained(app, client, url) if args.explain else {}))
        print(json.dumps({"enterprises": args.enterprises, "rounds": args.rounds, "events": args.events, "fill_seconds": round(fill_seconds, 1),
                          "baseline": baseline, "results": results}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

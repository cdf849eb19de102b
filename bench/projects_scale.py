"""Benchmark: the project ledger's KPI overview and stalled-projects list at national scale —
333 prefecture-level units × 1,000 projects, each with a year of monthly reports — in PostgreSQL.

Starts a throwaway PostgreSQL 15 cluster, migrates it, adds 319 prefectures (with one county each)
to the province's 14 so that there are 333 units, and fills the ledger with INSERT … SELECT from
generate_series: projects in every stage, their stage events, 12 monthly reports per unit
(December of last year to November) and, in each, the funds that arrived for every signed
project (about 2.8 million rows); the bulk load bypasses the ORM, so the maintained figures
(``projects.totals``) are rebuilt after it, timed apart.  Then times the pages through the app (Flask test client: queries
plus rendering) for the province and for one prefecture, with a page that reads nothing of the
ledger (the import form) as the baseline measured in the same run.

    python bench/projects_scale.py [--units 333] [--projects 1000] [--requests 20]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pages import migrated_app, timed  # noqa: E402

UNITS = """
INSERT INTO prefectures (code, name, slug)
SELECT (910000 + k * 100)::text, '压测单位' || k, 'bench-' || k FROM generate_series(1, :extra) AS k;
INSERT INTO counties (code, name, prefecture_id)
SELECT (910001 + k * 100)::text, '压测县' || k, p.id FROM generate_series(1, :extra) AS k
JOIN prefectures p ON p.code = (910000 + k * 100)::text;
"""

# g: 0 … units × projects − 1; unit g % units; stage by g / units % 10.
PROJECTS = """
INSERT INTO projects (code, name, prefecture_id, county_id, park, investor, origin_province, origin_city, industry,
    sector, stage, signed_on, venue, contract_investment, contract_funds, due_registration, due_first_funds,
    due_start, due_production, leader, department, follow_up, created_at, version)
SELECT 'XM-' || u.code || '-' || lpad((g / :units)::text, 4, '0'), '压测项目' || g, u.id, u.county_id, '', '压测投资方',
    CASE WHEN g % 4 = 0 THEN '湖南省' ELSE '广东省' END, '', (1 + g % 3)::text, '', st.stage, sig.signed_on, '',
    (g % 30 + 1) * 10000000, (g % 30 + 1) * 8000000,
    sig.signed_on + 30, sig.signed_on + 60, sig.signed_on + 120, sig.signed_on + 365, '', '', '', now(), 1
FROM generate_series(0, CAST(:units AS integer) * CAST(:projects AS integer) - 1) AS g
JOIN (SELECT p.id, p.code, min(c.id) AS county_id, row_number() OVER (ORDER BY p.code) - 1 AS k
      FROM prefectures p JOIN counties c ON c.prefecture_id = p.id GROUP BY p.id, p.code) u ON u.k = g % :units
CROSS JOIN LATERAL (SELECT (ARRAY['reserve', 'talks', 'signed', 'signed', 'registered', 'started', 'started',
    'started', 'producing', 'terminated'])[g / :units % 10 + 1] AS stage) st
CROSS JOIN LATERAL (SELECT CASE WHEN st.stage NOT IN ('reserve', 'talks')
    THEN date '2025-06-01' + (g * 13 % 520) END AS signed_on) sig
"""

# The dates each project reached its stages (never after 30 November).
EVENTS = """
INSERT INTO project_stage_events (project_id, stage, reached_on, note, created_at)
SELECT p.id, e.stage, least(p.signed_on + e.after, date '2026-11-30'), '', now()
FROM projects p
CROSS JOIN LATERAL (VALUES ('signed', 0, 2), ('registered', 25, 3), ('started', 110, 4), ('producing', 300, 5),
                           ('terminated', 90, 9)) AS e(stage, after, rank)
WHERE p.signed_on IS NOT NULL AND (
    (e.stage = 'terminated' AND p.stage = 'terminated')
    OR (e.stage <> 'terminated' AND p.stage <> 'terminated'
        AND e.rank <= array_position(ARRAY['reserve', 'talks', 'signed', 'registered', 'started', 'producing'], p.stage) - 1
        AND e.rank >= 2)
    OR (e.stage = 'signed' AND p.stage = 'terminated'))
"""

REPORTS = """
INSERT INTO project_monthly_reports (prefecture_id, month, submitted_on, remarks)
SELECT p.id, to_char(m.first, 'YYYY-MM'), (m.first + interval '1 month')::date + 4, ''
FROM prefectures p
CROSS JOIN LATERAL (SELECT (date '2025-12-01' + k * interval '1 month')::date AS first FROM generate_series(0, 11) AS k) m
"""

# Funds in every month report for each signed project that had been signed by the month's end.
FUNDS = """
INSERT INTO project_funds (report_id, project_id, month, arrived_on, amount)
SELECT r.id, p.id, r.month, (to_date(r.month, 'YYYY-MM') + interval '1 month' - interval '1 day')::date,
       round(p.contract_funds / 24, 2)
FROM projects p
JOIN project_monthly_reports r ON r.prefecture_id = p.prefecture_id
WHERE p.signed_on IS NOT NULL AND p.stage <> 'terminated'
  AND p.signed_on <= (to_date(r.month, 'YYYY-MM') + interval '1 month' - interval '1 day')::date
  AND (p.id % 3 <> 0 OR r.month < '2026-06')
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=333)
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()

    from sqlalchemy import func, select, text

    from investenv.auth.operations import create_user
    from investenv.extensions import db
    from investenv.permissions import Role
    from investenv.registry.models import Prefecture
    from projects import totals
    from projects.models import Project

    with migrated_app() as app:
        with app.app_context():
            started = time.perf_counter()
            existing = db.session.scalar(select(func.count()).select_from(Prefecture))
            for statement in UNITS.strip().split(";\n"):
                db.session.execute(text(statement), {"extra": max(0, args.units - existing)})
            for statement in (PROJECTS, EVENTS, REPORTS, FUNDS):
                db.session.execute(text(statement), {"units": args.units, "projects": args.projects})
            db.session.commit()
            fill_seconds = time.perf_counter() - started
            started = time.perf_counter()
            totals.rebuild(db.session.connection())  # the bulk load bypassed the ORM hooks
            db.session.commit()
            rebuild_seconds = time.perf_counter() - started
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE"))
            counts = {table: db.session.scalar(select(func.count()).select_from(text(table)))
                      for table in ("prefectures", "projects", "project_stage_events", "project_monthly_reports",
                                    "project_funds")}
            zhuzhou = db.session.scalar(select(Prefecture).where(Prefecture.code == "430200"))
            create_user("bench-zz", "株洲", "bench-password-1", Role.PREFECTURE, zhuzhou.id)
            create_user("bench-admin", "省办", "bench-password-1", Role.ADMIN, None)
            db.session.commit()
            changed_id = db.session.scalar(select(Project.id).where(Project.prefecture_id == zhuzhou.id,
                                                                    Project.stage == "started").limit(1))

        def change_zhuzhou():
            """A change to one signed project of 株洲 through the ORM (its contract's funds), committed:
            the maintained figures follow in the same transaction."""
            with app.app_context():
                project = db.session.get(Project, changed_id)
                project.contract_funds += 1 if project.contract_funds % 2 == 0 else -1
                db.session.commit()

        results = []
        for username in ("bench-admin", "bench-zz"):
            client = app.test_client()
            client.post("/login", data={"username": username, "password": "bench-password-1"})
            for page in ("/projects/import", "/projects/overview?year=2026", "/projects/stalled?year=2026",
                         "/projects/overview?year=2026&month=6", "/projects/stalled?year=2026&month=6"):
                results.append({"user": username} | timed(client, page, args.requests))
            for page in ("/projects/overview?year=2026", "/projects/stalled?year=2026"):
                results.append({"user": username, "after_change": True}
                               | timed(client, page, args.requests, change_zhuzhou))
        cold = app.test_client()
        cold.post("/login", data={"username": "bench-admin", "password": "bench-password-1"})
        with app.app_context():
            totals.rebuild(db.session.connection())   # every unit's figures written anew
            db.session.commit()
        for page in ("/projects/overview?year=2026", "/projects/stalled?year=2026"):
            started = time.perf_counter()
            assert cold.get(page).status_code == 200
            results.append({"user": "bench-admin", "url": f"{page} (first request, every unit changed)",
                            "once_ms": round((time.perf_counter() - started) * 1000, 1)})
        with app.app_context():
            counts |= {table: db.session.scalar(select(func.count()).select_from(text(table)))
                       for table in ("project_kpi_days", "project_stalled_spans")}
        print(json.dumps({"rows": counts, "fill_seconds": round(fill_seconds, 1),
                          "rebuild_seconds": round(rebuild_seconds, 1), "results": results},
                         ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

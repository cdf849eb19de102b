"""Benchmark: the monitoring-point report list (反馈明细) and the keyed paper-form list at national
scale in PostgreSQL — 333 prefecture-level units × 10 monitoring points × 12 quarterly periods of
feedback (39,960 reports), and one survey round with 100,000 keyed paper forms.

Starts a throwaway PostgreSQL 15 cluster, migrates it, adds 319 units to the province's 14 (as
``bench/projects_scale.py``), fills the tables with INSERT … SELECT from generate_series, and times
each list's pages through the app (Flask test client: queries plus rendering) for a provincial
administrator — the default view, sorts, filters, a deep page — with a page that reads nothing of
either list (the registry's import form) as the baseline measured in the same run.  Each list's
Excel download of a filtered view is timed once.

    python bench/lists_scale.py [--units 333] [--points 10] [--forms 100000] [--requests 20]
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
from bench.projects_scale import UNITS  # noqa: E402

# g: 0 … units × points − 1; unit g % units.
POINTS = """
INSERT INTO enterprises (name, name_initials, credit_code, prefecture_id, county_id, origin_province, origin_city,
    contact_name, contact_phone, contact_email, created_at, updated_at, version)
SELECT '压测测评点企业' || g || '有限公司', 'ycpcd', '9B' || lpad(g::text, 16, '0'), u.id, u.county_id,
    '广东省', '', '', '', '', now(), now(), 1
FROM generate_series(0, CAST(:units AS integer) * CAST(:points AS integer) - 1) AS g
JOIN (SELECT p.id, min(c.id) AS county_id, row_number() OVER (ORDER BY p.code) - 1 AS k
      FROM prefectures p JOIN counties c ON c.prefecture_id = p.id GROUP BY p.id, p.code) u ON u.k = g % :units;
INSERT INTO monitoring_points (enterprise_id, registered_on, filing_status, note, feedback_token)
SELECT e.id, date '2023-01-01', 'filed', '', md5(e.id::text || 'bench') FROM enterprises e
"""

# Every point reports on each of the 12 quarters 2024Q1 … 2026Q4, 20–49 days into the quarter;
# one in five with a remark, one in thirteen with an incident.
FEEDBACK = """
INSERT INTO feedback (monitoring_point_id, prefecture_id, period, d1, d2, d3, d4, d5, comment, incidents,
    submitted_on, created_at)
SELECT m.id, e.prefecture_id, q.year || 'Q' || q.quarter,
    1 + (m.id + q.n) % 5, 1 + (m.id * 3 + q.n) % 5, 1 + (m.id * 7 + q.n) % 5, 1 + (m.id + 2 * q.n) % 5, 1 + (m.id * 11) % 5,
    CASE WHEN (m.id + q.n) % 5 = 0 THEN '办事窗口服务热情，但材料要求反复变化。' ELSE '' END,
    CASE WHEN (m.id + q.n) % 13 = 0 THEN '某部门未经申报到企业检查三次。' ELSE '' END,
    make_date(q.year, (q.quarter - 1) * 3 + 1, 1) + 20 + (m.id * 7 + q.n) % 30, now()
FROM monitoring_points m JOIN enterprises e ON e.id = m.enterprise_id
CROSS JOIN LATERAL (SELECT n, 2024 + n / 4 AS year, 1 + n % 4 AS quarter FROM generate_series(0, 11) AS n) q
"""

ROUND = """
INSERT INTO survey_rounds (year, title, questionnaire_version, opens_on, closes_on, anonymous, created_at)
VALUES (2026, '压测轮次', '2006', date '2026-09-01', date '2026-11-30', true, now())
"""

# g: 0 … forms − 1 over the province's 14 prefectures (form code 43xx-nnnn); 80 % verified, 10 %
# awaiting adjudication, 10 % awaiting their second keying; keyed by four clerks over 60 days.
PAPER = """
INSERT INTO paper_forms (round_id, form_code, prefecture_id, county_id, first_answers, first_clerk_id,
    second_answers, second_clerk_id, verified, verified_by_id, updated_at)
SELECT r.id, left(p.code, 4) || '-' || lpad((g / 14 + 1)::text, 4, '0'), p.id,
    CASE WHEN g % 10 < 8 THEN p.county_id END, a.answers, c.ids[1 + g % 4],
    CASE WHEN g % 10 < 9 THEN a.answers END, CASE WHEN g % 10 < 9 THEN c.ids[1 + (g + 1) % 4] END,
    g % 10 < 8, CASE WHEN g % 10 < 8 THEN c.ids[1 + (g + 1) % 4] END,
    timestamp '2026-09-01 01:00' + (g % 60) * interval '1 day' + (g % 600) * interval '1 minute'
FROM generate_series(0, CAST(:forms AS integer) - 1) AS g
JOIN (SELECT p.id, p.code, min(c.id) AS county_id, row_number() OVER (ORDER BY p.code) - 1 AS k
      FROM prefectures p JOIN counties c ON c.prefecture_id = p.id WHERE p.code LIKE '43%' GROUP BY p.id, p.code) p
  ON p.k = g % 14
CROSS JOIN (SELECT id FROM survey_rounds WHERE title = '压测轮次') r
CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM users WHERE username LIKE 'bench-clerk-%') c
CROSS JOIN LATERAL (SELECT ('{' || string_agg('"q' || k || '": "' || chr(65 + (g + k) % 4) || '"', ', ') || '}')::json
                    AS answers FROM generate_series(1, 40) AS k) a
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=333)
    parser.add_argument("--points", type=int, default=10)
    parser.add_argument("--forms", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()

    from sqlalchemy import func, select, text

    from investenv.auth.operations import create_user
    from investenv.extensions import db
    from investenv.permissions import Role
    from investenv.registry.models import Prefecture

    with migrated_app() as app:
        with app.app_context():
            create_user("bench-admin", "省办", "bench-password-1", Role.ADMIN, None)
            clerks = [create_user(f"bench-clerk-{k}", f"录入员{k}", "bench-password-1", Role.CENTRE, None)
                      for k in range(4)]
            db.session.commit()
            started = time.perf_counter()
            existing = db.session.scalar(select(func.count()).select_from(Prefecture))
            for statement in UNITS.strip().split(";\n"):
                db.session.execute(text(statement), {"extra": max(0, args.units - existing)})
            for statement in [*POINTS.strip().split(";\n"), FEEDBACK, ROUND, PAPER]:
                db.session.execute(text(statement), {"units": args.units, "points": args.points, "forms": args.forms})
            db.session.commit()
            fill_seconds = time.perf_counter() - started
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                # Twice: autovacuum's analyze of the fresh tables can hold back the first pass, which
                # then marks no page all-visible (a steady-state table is, and counts read the index alone).
                connection.execute(text("VACUUM ANALYZE"))
                connection.execute(text("VACUUM"))
            visible = db.session.execute(text(
                "SELECT relname, round(100.0 * relallvisible / greatest(relpages, 1)) FROM pg_class"
                " WHERE relname IN ('feedback', 'paper_forms')")).all()
            counts = {table: db.session.scalar(select(func.count()).select_from(text(table)))
                      for table in ("prefectures", "monitoring_points", "feedback", "paper_forms")}
            round_id = db.session.scalar(text("SELECT id FROM survey_rounds WHERE title = '压测轮次'"))
            clerk_id = clerks[1].id
            unit = db.session.scalar(select(Prefecture.code).where(Prefecture.code.like("91%")).limit(1))

        forms = f"/survey/rounds/{round_id}/paper/forms"
        pages = {
            "baseline": ["/registry/import"],
            "feedback": ["/feedback/reports", "/feedback/reports?page=400", "/feedback/reports?sort=mean",
                         "/feedback/reports?sort=point&dir=desc", "/feedback/reports?period=2026Q2",
                         f"/feedback/reports?prefecture={unit}&sort=period", "/feedback/reports?issue=pending",
                         "/feedback/reports?q=压测测评点企业123", "/feedback/reports?from=2026-04-01&to=2026-06-30"],
            "paper": [forms, f"{forms}?page=1000", f"{forms}?sort=code", f"{forms}?sort=updated&dir=desc",
                      f"{forms}?status=first", f"{forms}?clerk={clerk_id}", f"{forms}?prefecture=430200&sort=code",
                      f"{forms}?from=2026-10-01&to=2026-10-07", f"{forms}?q=0100"],
        }
        client = app.test_client()
        client.post("/login", data={"username": "bench-admin", "password": "bench-password-1"})
        results = [{"list": name} | timed(client, url, args.requests) for name, urls in pages.items() for url in urls]
        for url in ("/feedback/reports.xlsx?period=2026Q2", f"{forms}.xlsx?prefecture=430200&status=first"):
            started = time.perf_counter()
            response = client.get(url)
            assert response.status_code == 200, url
            results.append({"list": "download", "url": url, "bytes": len(response.data),
                            "once_ms": round((time.perf_counter() - started) * 1000, 1)})
        print(json.dumps({"rows": counts, "all_visible_percent": {name: int(share) for name, share in visible}, "fill_seconds": round(fill_seconds, 1),
                          "results": results},
                         ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

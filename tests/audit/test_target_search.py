"""The audit log's search by part of an event's object: on PostgreSQL through the substring index
of migration 0028 (investenv.listing.contains); it finds exactly the events, in the same order,
that LIKE '%…%' alone finds (as on SQLite)."""
import sqlalchemy as sa

from investenv import audit, listing
from investenv.audit import queries
from investenv.audit.models import AuditEvent
from investenv.extensions import db

from ..conftest import postgres_plan

TARGETS = ["complaint:2026-4302-000123", "complaint:2026-4302-012345", "enterprise:91430200MA4L000123",
           "audit-log:action=view&target=2026", "feedback-reports.xlsx", "项目:长沙华天实业", "invitation:77", "",
           "respond:%_\\odd"]


def _found(target: str) -> list[int]:
    return [e.id for e in db.session.scalars(queries.events(None, "", None, None, target))]


def _liked(target: str) -> list[int]:
    stmt = queries.events(None, "", None, None, "")
    return [e.id for e in db.session.scalars(stmt.where(AuditEvent.target.like(f"%{target}%")))]


def test_every_search_finds_what_like_finds_in_the_same_order(app):
    for n, target in enumerate(TARGETS * 3):
        audit.record("view", target, f"user{n % 4}")
    db.session.commit()
    searches = ["2026-4302-012345", "0123", "012", "12", "1", "-", "complaint:", "华天", "华", "xlsx", "77",
                "target=2026", "%", "_", "\\", "%_\\odd", "nothing-like-this", "项目:长沙华天实业"]
    for search in searches:
        found = _found(search)
        assert found == _liked(search), search
        if not set(search) & listing.LIKE_SPECIAL:
            assert len(found) == 3 * sum(search in t for t in TARGETS), search


def test_on_postgresql_the_search_reads_the_index(app):
    """The query's expression is the index's (same function, same length): the planner can use it."""
    stmt = queries.events(None, "", None, None, "2026-4302-012345")
    compiled = str(stmt.compile(db.engine))
    assert ("search_grams" in compiled) == (db.engine.dialect.name == "postgresql")
    if db.engine.dialect.name != "postgresql":
        return
    assert "ix_audit_events_target_grams" in postgres_plan(stmt)


def test_fragments_that_nearly_every_row_holds_are_not_read():
    grams = listing.search_grams("2026-4302-000123", 3)
    shares = {"202": 1.0, "026": 1.0, "-43": 1.0, "000": 0.6, "123": 0.01}
    assert listing.narrowing_grams(grams, shares) == [g for g in grams if g not in ("202", "026", "-43", "000")]
    assert listing.narrowing_grams(["202", "026", "000"], shares) == ["000"]  # all common: the least common
    assert listing.narrowing_grams(grams, {}) == grams  # no statistics: every fragment


def test_on_postgresql_the_statistics_name_the_common_fragments(app):
    for n in range(300):
        audit.record("view", f"complaint:2026-4302-{n:06d}", "clerk")
    db.session.commit()
    if db.engine.dialect.name != "postgresql":
        return
    db.session.execute(sa.text("ANALYZE audit_events"))
    shares = listing.gram_shares("ix_audit_events_target_grams")
    assert shares["202"] > 0.9 and shares["com"] > 0.9 and shares.get("123", 0) < 0.1
    stmt = queries.events(None, "", None, None, "2026-4302-000123")
    asked = next(v for v in stmt.compile(db.engine).params.values() if isinstance(v, list))
    assert "123" in asked and "202" not in asked and "-43" not in asked
    assert _found("2026-4302-000123") == _liked("2026-4302-000123") != []

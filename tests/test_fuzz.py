"""Fuzzing (hypothesis): every import parser and every form.  Random bytes, wrong encodings, huge
files, invalid dates and hostile text give a clear refusal — never a 500, never a partial write."""
import random

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from investenv.errors import RuleError
from investenv.extensions import db
from investenv.tabular import TableError

from .conftest import MAX_BYTES
from .test_scoping import ROUTES

NASTY = ["", "2026-02-30", "2026-13-01", "0000-00-00", "9999-12-31", "26/5/1", "A", "AB", "Z", "430100", "长沙市",
         "=HYPERLINK(\"http://x\")", "-1", "1e309", "NaN", "nan", "Infinity", "-inf", "1e308", "1e999999",
         "99999999999999999999999", "-99999999999999999999", "０.５", "1_000", "<script>alert(1)</script>", "<b>&amp;</b>", "😀" * 5,
         "x" * 5000, "\u0000", "'; DROP TABLE enterprises; --"]
cell = st.one_of(st.sampled_from(NASTY), st.text(max_size=20))
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])


def _table_text(header: list[str], rows: list[list[str]]) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def files(header: list[str]):
    """Random bytes, or a table with the right header and nasty cells in some encoding."""
    table = st.lists(st.lists(cell, min_size=len(header), max_size=len(header)), min_size=1, max_size=4).map(
        lambda rows: _table_text(header, rows))
    encoded = st.tuples(table, st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "latin-1"])).map(
        lambda pair: pair[0].encode(pair[1], errors="replace"))
    return st.one_of(st.binary(max_size=3000), encoded, st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b),
                     st.just(_dtd_workbook(header)))


def _dtd_workbook(header: list[str]) -> bytes:
    """An XLSX whose sheet declares entities (the "billion laughs" shape)."""
    import io
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(header)
    plain = io.BytesIO()
    book.save(plain)
    source, out = zipfile.ZipFile(io.BytesIO(plain.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + body.split(b"?>", 1)[-1]
            target.writestr(info.filename, body)
    return out.getvalue()


BOOKKEEPING = {"rate_limit_events", "audit_events"}  # a refused attempt is still counted and audited


def _counts() -> dict[str, int]:
    db.session.flush()
    return {t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t)) for t in db.metadata.sorted_tables
            if t.name not in BOOKKEEPING}


def _all_or_nothing(run, data: bytes) -> None:
    before = _counts()
    try:
        written, errors = run(data)
    except (TableError, RuleError) as exc:
        assert str(exc)  # a message for the user
        assert _counts() == before
    else:
        if errors:
            assert all(e.message for e in errors) and _counts() == before
        else:
            assert written >= 0
    finally:
        db.session.rollback()


@pytest.mark.parametrize("name", ["enterprises", "responses", "feedback", "spotchecks", "complaints", "projects",
                                  "monthly-reports"])
def test_import_parsers_refuse_garbage_cleanly(importers, name):
    header, run = importers[name]

    @FUZZ
    @given(files(header))
    def check(data):
        _all_or_nothing(run, data)

    check()
    _all_or_nothing(run, b"x" * (MAX_BYTES + 1))  # too large: refused before parsing


def test_every_form_survives_random_input(app, client, world, make_user, login):
    """Every POST route, as an administrator, with random values for the fields its page shows."""
    import re

    login(client, make_user("admin"))
    rng = random.Random(20261123)
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        if "POST" not in rule.methods or rule.endpoint in ("auth.logout",) or rule.endpoint.startswith("api"):
            continue
        make_args = ROUTES[rule.endpoint][1] or (lambda w: {})
        url = rule.build(make_args(world), append_unknown=False)[1]
        page = client.get(url).get_data(as_text=True) if "GET" in rule.methods else ""
        names = set(re.findall(r'name="([a-z_0-9-]+)"', page)) - {"csrf_token"} or {"text", "version", "q1", "date"}
        for _ in range(3):
            before = _counts()
            data = {name: rng.choice(NASTY) for name in sorted(names)}
            response = client.post(url, data=data)
            assert response.status_code < 500, f"POST {url} {data}"
            if response.status_code >= 400:
                assert _counts() == before, f"POST {url} wrote although refused"
            response.close()

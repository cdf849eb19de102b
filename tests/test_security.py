"""Security checks across the whole app (docs/security.md maps them to OWASP ASVS 4.0 level 2)."""
import ast
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from investenv import exporting
from investenv.extensions import db

from .conftest import PASSWORD, job_file
from .test_scoping import ROUTES

ROOT = Path(__file__).resolve().parents[1]
PAYLOAD = "<script>alert(1)</script>"  # short enough for every text column
# Every free-text column a user can fill in (codes, tokens, hashes and enumerations are excluded).
FREE_TEXT = {
    "enterprises": ["name", "origin_city", "contact_name", "contact_phone"],
    "complaints": ["department", "complainant", "contact_name", "contact_phone", "summary", "claims"],
    "complaint_events": ["text"],
    "feedback": ["comment", "incidents"],
    "hotlines": ["person", "office"],
    "inspections": ["department", "reason", "inspectors"],
    "monitoring_points": ["note"],
    "sampled_units": ["name"],
    "item_scores": ["evidence"],
    "score_corrections": ["reason"],
    "survey_rounds": ["title"],
    "spotcheck_rounds": ["title"],
    "rubric_items": ["title", "description"],
    "users": ["display_name"],
    "calendar_days": ["note"],
}
BOOKKEEPING = {"rate_limit_events", "audit_events", "api_tokens"}


def _fingerprint() -> dict[str, list]:
    db.session.expire_all()
    found = {}
    for table in db.metadata.sorted_tables:
        if table.name not in BOOKKEEPING:
            rows = db.session.execute(sa.select(table)).all()
            found[table.name] = sorted(map(repr, rows))
    return found


def _pdf_text(body: bytes) -> str:
    import subprocess

    return subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True).stdout.decode()


def _get_urls(app, world):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        if "GET" in rule.methods and not rule.endpoint.startswith(("api", "static")) and rule.endpoint != "auth.logout":
            arguments = (ROUTES[rule.endpoint][1] or (lambda w: {}))(world)
            yield rule.build(arguments, append_unknown=False)[1]
            if "fmt" in arguments:  # every format of a download: CSV, Excel and PDF
                for fmt in {"csv", "xlsx", "pdf"} - {arguments["fmt"]}:
                    yield rule.build(arguments | {"fmt": fmt}, append_unknown=False)[1]


@pytest.fixture
def admin_client(client, make_user, login):
    login(client, make_user("admin", username="secadmin"))
    return client


def test_no_get_request_changes_data(app, admin_client, run_cli, world):
    assert run_cli(app, "demo").exit_code == 0
    before = _fingerprint()
    for url in _get_urls(app, world):
        response = admin_client.get(url)
        assert response.status_code < 500, url
        response.close()
    assert _fingerprint() == before


def test_hostile_text_in_every_free_text_field_is_escaped_in_every_view(app, admin_client, run_cli, world):
    assert run_cli(app, "demo").exit_code == 0
    for table, columns in FREE_TEXT.items():
        db.session.execute(sa.text(f"UPDATE {table} SET " + ", ".join(f"{c} = :{c}" for c in columns)),
                           dict.fromkeys(columns, PAYLOAD))
    db.session.commit()
    escaped = in_pdfs = 0
    for url in _get_urls(app, world):
        response = admin_client.get(url)
        assert response.status_code < 500, url
        body = response.get_data()
        if response.mimetype == "text/html":
            text = body.decode()
            assert "<script>alert" not in text, url
            escaped += "&lt;script&gt;alert(" in text
        elif response.mimetype == "text/csv":
            assert b"\n=" not in body and b",=" not in body, url
        elif response.mimetype == "application/pdf":
            printed = _pdf_text(body)
            assert printed.count("alert(1)") == printed.count(PAYLOAD), url  # whole, as text: never markup
            in_pdfs += PAYLOAD in printed
        response.close()
    for url, form in _job_starts(world):  # PDFs made by the job queue
        printed = _pdf_text(job_file(admin_client, admin_client.post(url, data=form)))
        assert printed.count("alert(1)") == printed.count(PAYLOAD), url
        in_pdfs += PAYLOAD in printed
    assert escaped > 10 and in_pdfs >= 1  # the payload was really on the pages and in the PDFs, as text


def _job_starts(world):
    """Every request that starts a job making a PDF, with what it posts."""
    survey_round = world["round"].id
    yield f"/survey/rounds/{survey_round}/letters", {}
    yield f"/survey/rounds/{survey_round}/paper.pdf", {"prefecture": "430200", "start": "1", "count": "1"}



def test_production_cookies_and_headers(app_factory, make_user):
    production = app_factory(ENV_MODE="production", SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    with production.app_context():
        user = make_user("analyst", username="prod-user")
        client = production.test_client()
        response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response.headers["X-Frame-Options"] == "DENY" and response.headers["X-Content-Type-Options"] == "nosniff"


def test_csrf_is_required_on_every_state_changing_route(app_factory, make_user, login, world):
    protected = app_factory(WTF_CSRF_ENABLED=True)
    client = protected.test_client()
    with protected.app_context():
        make_user("admin", username="csrf-admin")
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/login", data={"username": "csrf-admin", "password": PASSWORD,
                                       "csrf_token": token}).status_code == 302
    checked = 0
    for rule in protected.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        make_args = ROUTES[rule.endpoint][1] or (lambda w: {})
        url = rule.build(make_args(world), append_unknown=False)[1]
        response = client.post(url, data={"text": "x"})
        if rule.endpoint.startswith("api"):
            assert response.status_code == 401, url  # token-authenticated, never by cookie
        else:
            assert response.status_code == 400 and "页面已过期" in response.get_data(as_text=True), url
        checked += 1
    assert checked >= 35  # every POST route of the app, none skipped


def test_no_sql_is_built_from_strings():
    """No f-string, % or .format() reaches sqlalchemy.text()/execute() in the application code."""
    offending = []
    for path in [*ROOT.glob("investenv/**/*.py"), *ROOT.glob("survey/**/*.py"), *ROOT.glob("complaints/**/*.py")]:
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text("utf-8"))
        sql_text = any(isinstance(n, ast.ImportFrom) and n.module == "sqlalchemy" and any(a.name == "text" for a in n.names)
                       for n in ast.walk(tree))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            built = isinstance(node.args[0], ast.JoinedStr | ast.BinOp) or (
                isinstance(node.args[0], ast.Call) and getattr(node.args[0].func, "attr", "") == "format")
            if built and (name in ("execute", "exec_driver_sql") or (name == "text" and sql_text)):
                offending.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offending == []


def test_personal_links_carry_at_least_128_bits(make_invitation, make_point):
    import base64

    for token in (make_invitation().token, make_point().feedback_token):
        assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8 >= 128


def test_nul_characters_are_refused_before_they_reach_the_database(admin_client):
    """PostgreSQL cannot store NUL; found by the form fuzzer as a 500 on the status lookup."""
    assert admin_client.post("/status", data={"case_no": "\x00", "code": "x"}).status_code == 400
    assert admin_client.get("/complaints/%00").status_code == 400
    assert admin_client.get("/registry/enterprises?q=%00").status_code == 400
    response = admin_client.post("/api/v1/complaints", data='{"summary": "a\\u0000b"}',
                                 content_type="application/json")
    assert response.status_code == 400


def test_downloads_are_never_cached_and_name_their_charset_once(client, make_user, login):
    login(client, make_user("admin"))
    for path in ("/registry/enterprises/export.csv", "/registry/enterprises/export.xlsx", "/registry/import/template.csv"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
        assert response.headers["Content-Type"].count("charset") <= 1, path
    with client.get("/static/site.css") as static:
        assert "no-store" not in static.headers.get("Cache-Control", "")


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\n=1", "＝1+1", "＋1", "－1",
                                  "＠SUM(A1)", " =1", "\u3000＝1", "\u00a0@x"])
def test_the_formula_guard_covers_full_width_and_spaced_signs(text):
    assert exporting.safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["长沙=1", "a+b", "收费太多", "", "1e5", "（一）"])
def test_the_formula_guard_leaves_ordinary_text(text):
    assert exporting.safe_cell(text) == text

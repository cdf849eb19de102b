"""The JSON API: bearer tokens, the same validation and scoping as the pages, an OpenAPI spec."""
import datetime as dt
import json

import pytest
import sqlalchemy as sa
from flask import abort
from sqlalchemy.exc import OperationalError

from complaints import operations
from complaints.api import OPENAPI, new_token
from complaints.models import Complaint
from investenv import jsonapi
from investenv.extensions import db
from investenv.timeutil import today

from .test_pages import INTAKE as PAGE_CASE

CASE = {"prefecture_code": "430200", "county_code": "430202", "department": "市场监管局",
        "complainant": "株洲某企业", "category": "fees", "summary": "12345 热线转来：乱收费", "received_on": "2026-11-02"}


def _token(make_user, role="centre", prefecture=None, username=None):
    user = make_user(role, prefecture, username=username)
    token = new_token(user, "测试平台")
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_a_platform_transfers_a_case_reads_it_and_the_prefecture_replies(client, make_user):
    centre = _token(make_user)
    created = client.post("/api/v1/complaints", json=CASE, headers=centre)
    assert created.status_code == 201
    body = created.json
    assert body["case_no"] == "2026-4302-0001" and body["status"] == "received" and len(body["lookup_code"]) == 8
    case = db.session.scalar(sa.select(Complaint))
    assert case.channel == "transfer" and case.summary == CASE["summary"]
    operations.accept(case, None, dt.date(2026, 11, 3), "simple", major=False)
    operations.assign(case, None, case.prefecture, "")
    db.session.commit()
    zhuzhou = _token(make_user, "prefecture", "株洲市", "zzapi")
    replied = client.post(f"/api/v1/complaints/{body['case_no']}/replies", json={"text": "已退还"}, headers=zhuzhou)
    assert replied.status_code == 201 and replied.json["status"] == "replied"
    again = client.post(f"/api/v1/complaints/{body['case_no']}/replies", json={"text": "再答复"}, headers=zhuzhou)
    assert again.status_code == 409
    read = client.get(f"/api/v1/complaints/{body['case_no']}", headers=centre).json
    assert [t["kind"] for t in read["timeline"]] == ["intake", "accept", "assign", "reply"]


def test_validation_scoping_and_authentication(client, make_user):
    centre = _token(make_user)
    bad = client.post("/api/v1/complaints", json=CASE | {"prefecture_code": "999999"}, headers=centre)
    assert bad.status_code == 400 and "prefecture_code" in bad.json["errors"]
    bad = client.post("/api/v1/complaints", json=CASE | {"category": "x", "summary": ""}, headers=centre)
    assert bad.status_code == 400 and set(bad.json["errors"]) == {"category", "summary"}
    assert client.post("/api/v1/complaints", data="not json", headers=centre).status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Complaint)) == 0
    case_no = client.post("/api/v1/complaints", json=CASE, headers=centre).json["case_no"]
    changsha = _token(make_user, "prefecture", "长沙市", "csapi")
    assert client.get(f"/api/v1/complaints/{case_no}", headers=changsha).status_code == 404
    assert client.post("/api/v1/complaints", json=CASE, headers=changsha).status_code == 403
    assert client.get(f"/api/v1/complaints/{case_no}").status_code == 401
    assert client.get(f"/api/v1/complaints/{case_no}", headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_openapi_spec_describes_every_api_route(app, client):
    spec = client.get("/api/openapi.json").json
    assert spec == json.loads(json.dumps(OPENAPI))  # what tests/complaints/test_api_contract.py checks against
    assert spec["openapi"].startswith("3.")
    documented = set(spec["paths"])
    routes = {rule.rule.replace("<case_no>", "{case_no}") for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi"}
    assert routes == documented
    error = {"$ref": "#/components/schemas/Error"}
    for path, operation in ((p, o) for p, item in spec["paths"].items() for o in item.values()):
        refusals = {"400", "401", "403", "404", "409"} & set(operation["responses"])
        assert {"400", "401", "403"} <= refusals and ("{case_no}" not in path or "404" in refusals), path
        assert all(operation["responses"][s]["content"]["application/json"]["schema"] == error for s in refusals)


def test_the_spec_s_rules_are_the_forms_rules():
    """The request objects' schemas are derived from the forms: the same lengths, values and patterns."""
    intake = OPENAPI["components"]["schemas"]["NewComplaint"]
    fields = intake["properties"]
    assert set(intake["required"]) == {"prefecture_code", "complainant", "category", "summary"}
    assert intake["additionalProperties"] is False
    assert (fields["complainant"]["maxLength"], fields["summary"]["maxLength"], fields["contact_phone"]["maxLength"]) == (
        200, operations.TEXT_LIMIT, 40)
    assert fields["category"]["enum"] == ["fees", "inspection", "fines", "approval", "policy", "contract",
                                          "enforcement", "security", "other"]
    assert fields["channel"]["default"] == "transfer" and None in fields["channel"]["enum"]
    assert fields["received_on"] | {"description": "", "example": ""} == {"type": "string", "format": "date", "description": "", "example": "",
                                                          "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "nullable": True}
    assert (fields["amount_yuan"]["minimum"], fields["amount_yuan"]["maximum"], fields["amount_yuan"]["multipleOf"]) == (
        0, 10_000_000_000, 0.01)
    assert fields["prefecture_code"]["pattern"] == "^[0-9]{6}$"
    reply = OPENAPI["components"]["schemas"]["Reply"]
    assert reply["required"] == ["text"] and reply["properties"]["text"]["maxLength"] == operations.TEXT_LIMIT


def test_api_token_command(app, run_cli, make_user):
    make_user("centre", username="platform")
    result = run_cli(app, "api-token", "create", "platform", "--name", "12345 热线")
    assert result.exit_code == 0 and "只显示这一次" in result.output
    token = result.output.strip().split("：")[-1]
    response = app.test_client().post("/api/v1/complaints", json=CASE, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201


# Found by an attack on the API: it checked less than the intake page.  The API now validates with
# the page's own forms; each class of fault has its test.
STRING_FIELDS = [name for name, rule in OPENAPI["components"]["schemas"]["NewComplaint"]["properties"].items()
                 if rule["type"] == "string"]


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Complaint))


def test_a_million_characters_in_any_text_field_are_refused_naming_the_field(client, make_user):
    centre = _token(make_user)
    for name in STRING_FIELDS:
        response = client.post("/api/v1/complaints", json=CASE | {name: "x" * 1_000_000}, headers=centre)
        assert response.status_code == 400 and set(response.json["errors"]) == {name}, name
    assert _count() == 0


@pytest.mark.parametrize("value", [[], ["株洲"], {}, {"a": 1}, True, False, 12])
def test_a_list_object_boolean_or_number_in_a_text_field_is_refused_never_stored_as_text(client, make_user, value):
    centre = _token(make_user)
    for name in STRING_FIELDS:
        response = client.post("/api/v1/complaints", json=CASE | {name: value}, headers=centre)
        assert response.status_code == 400 and response.json["errors"] == {name: "应为文字（JSON 字符串）"}, name
    if not isinstance(value, int) or isinstance(value, bool):
        bad = client.post("/api/v1/complaints", json=CASE | {"amount_yuan": value}, headers=centre)
        assert bad.status_code == 400 and bad.json["errors"] == {"amount_yuan": "应为数字（JSON 数值）"}
    assert _count() == 0


def test_text_that_no_database_can_store_is_refused(client, make_user):
    """A lone surrogate is valid JSON but no text: it was a 500 on both databases."""
    response = client.post("/api/v1/complaints", data=json.dumps(CASE | {"complainant": "株洲\ud800"}),
                           headers=_token(make_user), content_type="application/json")
    assert response.status_code == 400 and set(response.json["errors"]) == {"complainant"}
    assert _count() == 0


def test_null_is_a_field_left_out(client, make_user):
    """An optional field given as null is absent (its default, or empty); a required one is missing."""
    centre = _token(make_user)
    required = set(OPENAPI["components"]["schemas"]["NewComplaint"]["required"])
    for name in STRING_FIELDS + ["amount_yuan"]:
        response = client.post("/api/v1/complaints", json=CASE | {name: None}, headers=centre)
        if name in required:
            assert response.status_code == 400 and set(response.json["errors"]) == {name}, name
        else:
            assert response.status_code == 201, (name, response.json)
    stored = db.session.scalars(sa.select(Complaint)).all()
    assert len(stored) == len(STRING_FIELDS) + 1 - len(required)
    texts = {getattr(c, column) for c in stored for column in ("department", "contact_name", "contact_phone", "claims")}
    assert texts <= {"", CASE["department"]}
    assert {c.channel for c in stored} == {"transfer"} and {c.county_id is None for c in stored} == {False, True}


@pytest.mark.parametrize("day", ["1900-01-01", "1999-12-31", "tomorrow", "2026-02-30", "2026-1-2", "20261102", ""])
def test_an_implausible_or_malformed_received_date_is_refused(client, make_user, day):
    if day == "tomorrow":
        day = (today() + dt.timedelta(days=1)).isoformat()
    response = client.post("/api/v1/complaints", json=CASE | {"received_on": day}, headers=_token(make_user))
    assert response.status_code == 400 and set(response.json["errors"]) == {"received_on"}
    assert _count() == 0


def test_malformed_and_deeply_nested_json_is_a_json_400(client, make_user):
    centre = _token(make_user)
    for body in ("[" * 100_000 + "]" * 100_000, '{"summary": ' + "[" * 100_000 + "]" * 100_000 + "}", "{", "NaN", '{"amount_yuan": NaN}',
                 '"text"', "[]", b"\xff\xfe{", '{"complainant": "\\ud800"} trailing'):
        response = client.post("/api/v1/complaints", data=body, headers=centre, content_type="application/json")
        assert response.status_code == 400 and response.json == {"error": "请求体应为 JSON 对象"}, body[:20]
    assert _count() == 0


def test_a_body_over_the_limit_is_a_json_413(client, make_user):
    response = client.post("/api/v1/complaints", data=b" " * (jsonapi.MAX_BODY_BYTES + 1), headers=_token(make_user),
                           content_type="application/json")
    assert response.status_code == 413 and response.is_json and "请求体过大" in response.json["error"]


def test_an_unknown_member_is_refused_by_name(client, make_user):
    response = client.post("/api/v1/complaints", json=CASE | {"complaiant": "错拼的字段"}, headers=_token(make_user))
    assert response.status_code == 400 and response.json["errors"] == {"complaiant": "不接受这个字段"}


def test_every_error_under_api_is_json(app_factory, make_user, monkeypatch):
    app = app_factory(PROPAGATE_EXCEPTIONS=False)
    client = app.test_client()
    with app.app_context():
        centre = _token(make_user)

    def broken(*args, **kwargs):
        raise RuntimeError("a fault in a view")

    monkeypatch.setitem(app.view_functions, "api.read", broken)
    monkeypatch.setitem(app.view_functions, "api.openapi", lambda: abort(501))  # a status without a page of its own
    answers = {
        404: client.get("/api/v1/nothing-here", headers=centre),
        405: client.delete("/api/v1/complaints", headers=centre),
        500: client.get("/api/v1/complaints/2026-4302-0001", headers=centre),
        400: client.get("/api/v1/complaints/%00", headers=centre),
        501: client.get("/api/openapi.json"),
    }
    for status, response in answers.items():
        assert response.status_code == status and response.is_json, status
        assert set(response.json) == {"error"} and response.json["error"] == jsonapi.MESSAGES[min(status, 500)]
    assert set(answers[405].headers["Allow"].split(", ")) >= {"POST"}

    def database_down(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, ConnectionError("the server closed the connection"))

    monkeypatch.setitem(app.view_functions, "api.reply", database_down)
    down = client.post("/api/v1/complaints/2026-4302-0001/replies", json={"text": "已答复"}, headers=centre)
    assert down.status_code == 503 and down.is_json and "Retry-After" in down.headers
    assert "暂时无法连接" in down.json["error"]  # the Error schema the spec documents for 503
    page = client.get("/no-such-page")
    assert page.status_code == 404 and page.mimetype == "text/html"  # pages keep their Chinese error page


@pytest.mark.parametrize("header", ["bearer {}", "BEARER {}", "  Bearer   {}  ", "Bearer\t{}".replace("\t", " ")])
def test_the_authorization_scheme_is_case_insensitive(client, make_user, header):
    token = _token(make_user)["Authorization"].removeprefix("Bearer ")
    response = client.post("/api/v1/complaints", json=CASE, headers={"Authorization": header.format(token)})
    assert response.status_code == 201


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer ", "Basic {}", "Token {}", "{}", "Bearer {} extra", "Bearer{}"])
def test_anything_else_in_authorization_is_a_json_401(client, make_user, header):
    token = _token(make_user)["Authorization"].removeprefix("Bearer ")
    response = client.post("/api/v1/complaints", json=CASE, headers={"Authorization": header.format(token)})
    assert response.status_code == 401 and response.is_json and response.headers["WWW-Authenticate"] == "Bearer"
    assert _count() == 0


INVALID = {"complainant": "企" * 201, "contact_phone": "1" * 41, "category": "gifts", "channel": "fax",
           "summary": "   ", "claims": "请" * 5001, "received_on": "1999-12-31"}


def test_the_page_and_the_api_refuse_the_same_input_with_the_same_message(client, make_user, login):
    api = client.post("/api/v1/complaints", json=CASE | INVALID | {"amount_yuan": -5}, headers=_token(make_user))
    assert api.status_code == 400 and set(api.json["errors"]) == set(INVALID) | {"amount_yuan"}
    login(client, make_user("centre"))
    page = client.post("/complaints/new", data=PAGE_CASE | INVALID | {"amount_yuan": "-5"})
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    for name, message in api.json["errors"].items():
        assert message in html, (name, message)
    assert _count() == 0


def test_a_reply_meets_the_page_s_rules(client, make_user, login):
    centre = _token(make_user)
    case_no = client.post("/api/v1/complaints", json=CASE | {"received_on": today().isoformat()}, headers=centre).json["case_no"]
    case = db.session.scalar(sa.select(Complaint))
    operations.accept(case, None, today(), "simple", major=False)
    operations.assign(case, None, case.prefecture, "")
    db.session.commit()
    for text, status in (("答" * 5001, 400), (["答复"], 400), (None, 400), ("  ", 400)):
        response = client.post(f"/api/v1/complaints/{case_no}/replies", json={"text": text}, headers=centre)
        assert response.status_code == status and set(response.json["errors"]) == {"text"}, text
    extra = client.post(f"/api/v1/complaints/{case_no}/replies", json={"text": "已答复", "version": "1"}, headers=centre)
    assert extra.status_code == 400 and set(extra.json["errors"]) == {"version"}
    too_long = client.post(f"/api/v1/complaints/{case_no}/replies", json={"text": "答" * 5001}, headers=centre)
    login(client, make_user("centre"))
    page = client.post(f"/complaints/{case_no}/reply", data={"version": str(case.version), "text": "答" * 5001})
    assert page.status_code == 400 and too_long.json["errors"]["text"] in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(Complaint.status)) == "assigned"

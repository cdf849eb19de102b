"""The JSON API: bearer tokens, the same validation and scoping as the pages, an OpenAPI spec."""
import sqlalchemy as sa

from complaints.api import new_token
from complaints.models import Complaint
from investenv.extensions import db

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
    import datetime as dt

    from complaints import operations

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
    assert spec["openapi"].startswith("3.")
    documented = set(spec["paths"])
    routes = {rule.rule.replace("<case_no>", "{case_no}") for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi"}
    assert routes == documented


def test_api_token_command(app, run_cli, make_user):
    make_user("centre", username="platform")
    result = run_cli(app, "api-token", "create", "platform", "--name", "12345 热线")
    assert result.exit_code == 0 and "只显示这一次" in result.output
    token = result.output.strip().split("：")[-1]
    response = app.test_client().post("/api/v1/complaints", json=CASE, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201

"""A 长沙市 user can neither see nor change 株洲市 data, through any route of the app.

The table below must name every endpoint in the URL map, so a new route fails this test until
someone decides how it is scoped.  Each entry says how to fill the URL with 株洲 objects and what
a 长沙 user must get: ``OTHER`` (403/404 for every method), ``LIST`` (200, but no trace of 株洲
data in the body), or ``OPEN`` (pages with no prefecture data at all).
"""
import datetime as dt
import io

import pytest
import sqlalchemy as sa

from investenv.extensions import db
from investenv.registry.models import Enterprise, MonitoringPoint

OTHER, LIST, OPEN = "other", "list", "open"

ROUTES = {
    "static": (OPEN, lambda w: {"filename": "site.css"}),
    "web.index": (OPEN, None),
    "web.health": (OPEN, None),
    "auth.login": (OPEN, None),
    "auth.logout": (OPEN, None),
    "auth.change_password": (OPEN, None),
    "auth.users": (OTHER, None),  # admin only
    "auth.new_user": (OTHER, None),
    "auth.edit_user": (OTHER, lambda w: {"user_id": w["user"].id}),
    "registry.overview": (LIST, None),
    "registry.prefecture": (OTHER, lambda w: {"code": "430200"}),
    "registry.enterprises": (LIST, None),
    "registry.export": (LIST, lambda w: {"fmt": "csv"}),
    "registry.new_enterprise": (LIST, None),
    "registry.enterprise": (OTHER, lambda w: {"enterprise_id": w["enterprise"].id}),
    "registry.edit_enterprise": (OTHER, lambda w: {"enterprise_id": w["enterprise"].id}),
    "registry.register_point": (OTHER, lambda w: {"enterprise_id": w["enterprise"].id}),
    "registry.set_filing": (OTHER, lambda w: {"enterprise_id": w["enterprise"].id}),
    "registry.withdraw_point": (OTHER, lambda w: {"enterprise_id": w["enterprise"].id}),
    "registry.import_file": (LIST, None),
    "registry.import_template": (OPEN, lambda w: {"fmt": "csv"}),
}

# What a 长沙 user posts to each route: the most damaging thing they could try.
POSTS = {
    "registry.new_enterprise": {"name": "越权企业", "credit_code": "91350100M000100Y43", "county": "430202",
                                "origin_province": "广东省"},
    "registry.edit_enterprise": {"name": "越权修改", "county": "430202", "origin_province": "广东省"},
    "registry.register_point": {"registered_on": "2025-01-01"},
    "registry.set_filing": {"filing_status": "returned"},
    "registry.withdraw_point": {"withdrawn_on": "2025-12-01"},
    "auth.new_user": {"username": "evil", "display_name": "x", "role": "admin", "password": "abcdefgh12"},
    "auth.edit_user": {"display_name": "x", "password": "abcdefgh12"},
}


def test_every_endpoint_is_classified(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == set(ROUTES), "classify new endpoints in ROUTES"


@pytest.fixture
def world(app, make_user, make_enterprise):
    zhuzhou = make_enterprise("株洲市", name="株洲机密科技有限公司")
    db.session.add(MonitoringPoint(enterprise=zhuzhou, registered_on=dt.date(2025, 5, 1)))
    make_enterprise("长沙市", name="长沙本地有限公司")
    db.session.commit()
    return {
        "enterprise": zhuzhou,
        "user": make_user("prefecture", "株洲市", username="zzuser"),
        "changsha": make_user("prefecture", "长沙市", username="csuser"),
    }


def _snapshot():
    rows = db.session.execute(sa.select(Enterprise.name, Enterprise.version, Enterprise.county_id)).all()
    points = db.session.execute(
        sa.select(MonitoringPoint.filing_status, MonitoringPoint.withdrawn_on, MonitoringPoint.registered_on)
    ).all()
    return sorted(rows), sorted(points, key=str)


def test_changsha_user_reaches_no_zhuzhou_data(app, client, world, login):
    login(client, world["changsha"])
    secrets = ("株洲机密", world["enterprise"].credit_code, "zzuser")
    before = _snapshot()
    for rule in app.url_map.iter_rules():
        kind, make_args = ROUTES[rule.endpoint]
        if rule.endpoint == "auth.logout":
            continue  # it would end this very session; it shows no data
        url = rule.build((make_args or (lambda w: {}))(world), append_unknown=False)[1]
        for method in sorted(rule.methods & {"GET", "POST"}):
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data=POSTS.get(rule.endpoint, {}))
            where = f"{method} {url}"
            if kind == OTHER:
                assert response.status_code in (403, 404), where
            else:
                assert response.status_code < 500, where
                body = response.get_data(as_text=True) if response.mimetype.startswith("text") else ""
                for secret in secrets:
                    assert secret not in body, f"{where} shows {secret}"
            response.close()
    assert _snapshot() == before, "no 株洲 data may change"
    names = db.session.scalars(sa.select(Enterprise.name)).all()
    assert "越权企业" not in names


def test_changsha_import_cannot_touch_zhuzhou(client, world, login):
    login(client, world["changsha"])
    code = world["enterprise"].credit_code
    body = f"企业名称,统一社会信用代码,市州,县市区,投资方来源省份\n改名,{code},株洲市,荷塘区,广东省\n"
    response = client.post(
        "/registry/import",
        data={"file": (io.BytesIO(body.encode()), "x.csv"), "update_existing": "y"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    db.session.refresh(world["enterprise"])
    assert world["enterprise"].name == "株洲机密科技有限公司"


def test_list_routes_do_show_own_data(client, world, login):
    """The LIST checks above would pass on an empty page; make sure they are not empty."""
    login(client, world["changsha"])
    assert "长沙本地有限公司" in client.get("/registry/enterprises").get_data(as_text=True)
    assert "长沙本地有限公司" in client.get("/registry/enterprises/export.csv").data.decode("utf-8-sig")
    assert "长沙市" in client.get("/registry/").get_data(as_text=True)

"""A prefecture user learns nothing of what another prefecture holds from a refusal.

Province-wide unique keys are where existence leaks live: the enterprise's credit code (form,
edit, import with and without updating) and, before it was made the prefecture's own, an
inspection notice number.  Every path answers a code held elsewhere with the same words, naming
neither the enterprise nor its prefecture, and writes nothing.
"""
import io

import pytest
import sqlalchemy as sa

from complaints.models import Inspection
from investenv.extensions import db
from investenv.registry import importer
from investenv.registry.credit_code import compose
from investenv.registry.models import Enterprise
from investenv.registry.operations import CODE_NOT_USABLE
from investenv.tabular import csv_bytes


@pytest.fixture
def held_elsewhere(make_enterprise):
    return make_enterprise("株洲市", name="株洲秘密科技有限公司")


def _form(credit_code, **overrides):
    return {"name": "长沙新元信息技术有限公司", "credit_code": credit_code, "county": "430104",
            "origin_province": "北京市", "origin_city": "", "industry": "I", "contact_name": "", "contact_phone": ""
            } | overrides


def _assert_told_nothing(html: str):
    assert CODE_NOT_USABLE in html
    assert "株洲秘密" not in html and "株洲" not in html


def _snapshot():
    return [(e.id, e.name, e.credit_code, e.prefecture_id, e.version)
            for e in db.session.scalars(sa.select(Enterprise).order_by(Enterprise.id))]


def test_registering_with_a_code_held_elsewhere(client, make_user, login, held_elsewhere):
    login(client, make_user("prefecture", "长沙市"))
    before = _snapshot()
    response = client.post("/registry/enterprises/new", data=_form(held_elsewhere.credit_code))
    _assert_told_nothing(response.get_data(as_text=True))
    assert _snapshot() == before


def test_editing_to_a_code_held_elsewhere(client, make_user, login, make_enterprise, held_elsewhere):
    own = make_enterprise("长沙市")
    login(client, make_user("prefecture", "长沙市"))
    before = _snapshot()
    response = client.post(f"/registry/enterprises/{own.id}/edit",
                           data=_form(held_elsewhere.credit_code, name=own.name, version=str(own.version)))
    _assert_told_nothing(response.get_data(as_text=True))
    assert _snapshot() == before


@pytest.mark.parametrize("update_existing", [False, True])
def test_importing_a_code_held_elsewhere(client, make_user, login, held_elsewhere, update_existing):
    login(client, make_user("prefecture", "长沙市"))
    before = _snapshot()
    row = ["长沙新元信息技术有限公司", held_elsewhere.credit_code, "长沙市", "岳麓区", "北京市", "", "", "", "", "否", ""]
    data = {"file": (io.BytesIO(csv_bytes([c.label for c in importer.COLUMNS], [row])), "e.csv")}
    if update_existing:
        data["update_existing"] = "y"
    response = client.post("/registry/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    _assert_told_nothing(response.get_data(as_text=True))
    assert _snapshot() == before


def test_the_province_is_told_who_holds_a_code(client, make_user, login, held_elsewhere):
    login(client, make_user("centre"))
    html = client.post("/registry/enterprises/new", data=_form(held_elsewhere.credit_code)).get_data(as_text=True)
    assert "株洲秘密科技有限公司" in html


def test_an_unknown_code_of_ones_own_is_simply_registered(client, make_user, login, held_elsewhere):
    login(client, make_user("prefecture", "长沙市"))
    response = client.post("/registry/enterprises/new", data=_form(compose("91", "430104", "MA4L7777")))
    assert response.status_code == 302


def test_inspection_notice_numbers_are_each_prefectures_own(client, make_user, login, make_enterprise):
    changsha, zhuzhou = make_enterprise("长沙市"), make_enterprise("株洲市")

    def register(user, enterprise):
        login(client, user)
        response = client.post("/complaints/inspections", data={
            "credit_code": enterprise.credit_code, "department": "市场监管局", "reason": "抽检",
            "planned_on": "2026-05-01", "inspectors": "2 人", "notice_no": "检通〔2026〕001号"})
        client.post("/logout")
        return response

    assert register(make_user("prefecture", "长沙市"), changsha).status_code == 302
    # The same number in another prefecture is that prefecture's business: accepted, nothing told.
    assert register(make_user("prefecture", "株洲市"), zhuzhou).status_code == 302
    again = register(make_user("prefecture", "株洲市"), zhuzhou)
    assert again.status_code == 400 and "本市州已登记过通知单编号" in again.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Inspection)) == 2

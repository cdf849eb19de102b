"""Registry pages: overview, enterprise forms with errors by the field, monitoring points."""
import datetime as dt
import io
import os
import re

import sqlalchemy as sa

from investenv.extensions import db
from investenv.registry.credit_code import compose
from investenv.registry.models import Enterprise, MonitoringPoint


def _form(**overrides):
    data = {
        "name": "长沙新元信息技术有限公司",
        "credit_code": compose("91", "430104", "MA4L7777"),
        "county": "430104",
        "origin_province": "北京市",
        "origin_city": "北京市",
        "industry": "I",
        "contact_name": "赵六",
        "contact_phone": "13800000000",
    }
    return data | overrides


def test_overview_lists_all_fourteen_prefectures_with_compliance(client, make_user, login):
    login(client, make_user("analyst"))
    html = client.get("/registry/?year=2025").get_data(as_text=True)
    assert html.count('href="/registry/prefectures/43') == 14
    assert "湘西土家族苗族自治州" in html and "差 10 个" in html


def test_prefecture_staff_see_only_their_own_row(client, make_user, login):
    login(client, make_user("prefecture", "长沙市"))
    html = client.get("/registry/").get_data(as_text=True)
    assert "长沙市" in html and "株洲市" not in html


def test_registering_an_enterprise(client, make_user, login):
    login(client, make_user("prefecture", "长沙市"))
    response = client.post("/registry/enterprises/new", data=_form())
    assert response.status_code == 302
    enterprise = db.session.scalar(sa.select(Enterprise))
    assert (enterprise.prefecture.name, enterprise.county.name) == ("长沙市", "岳麓区")
    assert response.headers["Location"] == f"/registry/enterprises/{enterprise.id}"


def test_bad_fields_re_render_with_each_error_next_to_its_field(client, make_user, login):
    login(client, make_user("centre"))
    response = client.post(
        "/registry/enterprises/new",
        data=_form(name="", credit_code="91350100M000100Y44", county="999999", origin_province=""),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'id="name-error">请填写企业名称', html)
    assert re.search(r'id="credit_code-error">[^<]*校验位错误', html)
    assert re.search(r'id="county-error">未知的市州', html)
    assert 'aria-invalid="true"' in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enterprise)) == 0


def test_prefecture_staff_cannot_register_in_another_prefecture(client, make_user, login):
    login(client, make_user("prefecture", "长沙市"))
    response = client.post("/registry/enterprises/new", data=_form(county="430202"))
    assert "无权登记其他市州（株洲市）的企业" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enterprise)) == 0


def test_duplicate_credit_code_is_refused_next_to_the_field(client, make_user, login, make_enterprise):
    existing = make_enterprise("长沙市")
    login(client, make_user("admin"))
    html = client.post(
        "/registry/enterprises/new", data=_form(credit_code=existing.credit_code)
    ).get_data(as_text=True)
    assert re.search(r'id="credit_code-error">[^<]*已在登记册中', html)


def test_two_clerks_editing_at_once_the_second_gets_a_conflict(app, make_user, login, make_enterprise):
    enterprise = make_enterprise("长沙市")
    first, second = app.test_client(), app.test_client()
    login(first, make_user("centre"))
    login(second, make_user("centre"))
    version = enterprise.version
    url = f"/registry/enterprises/{enterprise.id}/edit"
    data = _form(credit_code=enterprise.credit_code, version=str(version))
    assert first.post(url, data=data | {"name": "第一位的修改"}).status_code == 302
    response = second.post(url, data=data | {"name": "第二位的修改"})
    assert response.status_code == 409
    assert "已被其他人修改" in response.get_data(as_text=True)
    db.session.refresh(enterprise)
    assert enterprise.name == "第一位的修改"


def test_monitoring_point_lifecycle(client, make_user, login, make_enterprise):
    enterprise = make_enterprise("株洲市")
    login(client, make_user("prefecture", "株洲市"))
    base = f"/registry/enterprises/{enterprise.id}/monitoring-point"
    assert client.post(base, data={"registered_on": "2025-10-10"}).status_code == 302
    point = db.session.scalar(sa.select(MonitoringPoint))
    assert (point.filing_status, point.registered_on) == ("pending", dt.date(2025, 10, 10))
    # Filing is the provincial office's decision.
    assert client.post(base + "/filing", data={"filing_status": "filed"}).status_code == 403
    again = client.post(base, data={"registered_on": "2025-10-11"})
    assert again.status_code == 400 and "已是测评点" in again.get_data(as_text=True)
    early = client.post(base + "/withdraw", data={"withdrawn_on": "2025-01-01"})
    assert "撤销日期不能早于登记日期" in early.get_data(as_text=True)
    assert client.post(base + "/withdraw", data={"withdrawn_on": "2026-01-01"}).status_code == 302
    db.session.refresh(point)
    assert point.withdrawn_on == dt.date(2026, 1, 1)


def test_centre_files_a_monitoring_point(client, make_user, login, make_enterprise):
    enterprise = make_enterprise("株洲市")
    login(client, make_user("centre"))
    base = f"/registry/enterprises/{enterprise.id}/monitoring-point"
    client.post(base, data={"registered_on": "2025-10-10"})
    assert client.post(base + "/filing", data={"filing_status": "filed"}).status_code == 302
    point = db.session.scalar(sa.select(MonitoringPoint))
    assert point.filing_status == "filed" and point.filed_on is not None


def test_future_registration_date_is_refused(client, make_user, login, make_enterprise):
    enterprise = make_enterprise("株洲市")
    login(client, make_user("centre"))
    response = client.post(
        f"/registry/enterprises/{enterprise.id}/monitoring-point", data={"registered_on": "2999-01-01"}
    )
    assert re.search(r'id="registered_on-error">登记日期不能晚于今天', response.get_data(as_text=True))


def test_import_page_lists_bad_rows_and_writes_nothing(client, make_user, login):
    login(client, make_user("admin"))
    body = "企业名称,统一社会信用代码,市州,县市区,投资方来源省份\n甲公司,91350100M000100Y44,长沙市,芙蓉区,广东省\n"
    response = client.post(
        "/registry/import",
        data={"file": (io.BytesIO(body.encode()), "x.csv")},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "发现 1 处错误，未写入任何数据" in html and "校验位错误" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enterprise)) == 0


def test_import_page_refuses_a_non_spreadsheet(client, make_user, login):
    login(client, make_user("admin"))
    response = client.post(
        "/registry/import",
        data={"file": (io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00"), "photo.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "这不是表格文件" in response.get_data(as_text=True)


def test_templates_download_and_reimport_of_an_export_round_trips(client, make_user, login, make_enterprise):
    make_enterprise("长沙市")
    login(client, make_user("admin"))
    assert client.get("/registry/import/template.xlsx").data.startswith(b"PK")
    assert client.get("/registry/import/template.csv").data.startswith("\ufeff企业名称".encode())
    exported = client.get("/registry/enterprises/export.csv").data
    response = client.post(
        "/registry/import",
        data={"file": (io.BytesIO(exported), "e.csv"), "update_existing": "y"},
        content_type="multipart/form-data",
    )
    assert "新增企业 0 家，更新 1 家" in response.get_data(as_text=True)


def test_exports_neutralise_formula_cells(client, make_user, login, make_enterprise):
    make_enterprise("长沙市", name="=HYPERLINK(\"http://x\")有限公司")
    login(client, make_user("admin"))
    text = client.get("/registry/enterprises/export.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_search_and_filters(client, make_user, login, make_enterprise):
    make_enterprise("长沙市", name="长沙甲有限公司")
    make_enterprise("株洲市", name="株洲乙有限公司")
    login(client, make_user("admin"))
    html = client.get("/registry/enterprises?prefecture=430200").get_data(as_text=True)
    assert "株洲乙" in html and "长沙甲" not in html
    html = client.get("/registry/enterprises?q=甲").get_data(as_text=True)
    assert "长沙甲" in html and "株洲乙" not in html


def _post_big_file(client, content: bytes, filename: str):
    response = client.post(
        "/registry/import",
        data={"file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )
    # Werkzeug's test client spools a large body to a temporary file that nothing closes.
    response.request.environ["wsgi.input"].close()
    return response


def test_ten_megabytes_of_random_bytes_over_http_get_a_clear_400(client, make_user, login):
    login(client, make_user("admin"))
    response = _post_big_file(client, os.urandom(10 * 1024 * 1024), "big.xlsx")
    assert response.status_code == 400
    assert "未写入任何数据" in response.get_data(as_text=True)


def test_upload_over_the_request_limit_gets_the_chinese_413_page(client, make_user, login):
    login(client, make_user("admin"))
    response = _post_big_file(client, b"x" * (11 * 1024 * 1024), "huge.csv")
    assert response.status_code == 413
    assert "文件过大" in response.get_data(as_text=True)

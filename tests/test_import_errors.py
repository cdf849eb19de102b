"""A refused import's error list names each row (the enterprise, the project) and downloads as Excel,
the same way on every import page; the download takes only a list signed for the user who uploaded."""
import io
import re
from html import unescape

from openpyxl import load_workbook


def _upload(client, url, body, **fields):
    return client.post(url, data={"file": (io.BytesIO(body.encode()), "x.csv"), **fields},
                       content_type="multipart/form-data")


def _token(html: str) -> str:
    return unescape(re.search(r'name="errors" value="([^"]+)"', html).group(1))


def _rows(response):
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    return list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))


def test_the_enterprise_import_errors_name_their_rows_and_download(client, make_user, login):
    clerk = make_user("admin")
    login(client, clerk)
    body = ("企业名称,统一社会信用代码,市州,县市区,投资方来源省份\n"
            "甲公司,91350100M000100Y44,长沙市,芙蓉区,广东省\n"
            "乙公司,91350100M000100Y43,长沙市,没有这个区,广东省\n")
    html = _upload(client, "/registry/import", body).get_data(as_text=True)
    assert "<td>甲公司</td>" in html and "<td>乙公司</td>" in html
    rows = _rows(client.post("/registry/import/errors.xlsx", data={"errors": _token(html)}))
    assert rows[0] == ("行", "名称", "列", "问题")
    assert [(r[0], r[1]) for r in rows[1:]] == [(2, "甲公司"), (3, "乙公司")]
    assert "校验位错误" in rows[1][3]


def test_the_project_import_errors_name_their_rows_and_the_list_is_the_uploaders(client, make_user, login):
    login(client, make_user("admin"))
    body = ("项目名称,市州,县市区,产业,阶段,合同总投资（元）,拟引进资金（元）\n"
            "=HYPERLINK(\"x\"),长沙市,芙蓉区,二产,签约,不是数字,1\n")
    html = _upload(client, "/projects/import", body, kind="projects").get_data(as_text=True)
    token = _token(html)
    rows = _rows(client.post("/registry/import/errors.xlsx", data={"errors": token}))
    assert {r[1] for r in rows[1:]} == {"'=HYPERLINK(\"x\")"}  # a name that would be a formula is escaped
    assert client.post("/registry/import/errors.xlsx", data={"errors": token[:-2] + "xx"}).status_code == 400
    client.post("/logout")
    login(client, make_user("centre"))
    assert client.post("/registry/import/errors.xlsx", data={"errors": token}).status_code == 400

"""Every number a user or a file can supply is finite, within its documented range, and refused with
a clear Chinese message otherwise; numbers in paths and query strings that reach SQL are bounded."""
import inspect
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_wtf import FlaskForm
from wtforms import DecimalField, FloatField, IntegerField

import complaints.forms
import feedback.forms
import investenv.auth.forms
import investenv.registry.forms
import spotchecks.forms
import survey.forms
from investenv import numbers
from investenv.extensions import db
from investenv.timeutil import today

NOT_NUMBERS = ["NaN", "nan", "Infinity", "-Infinity", "inf", "1e308", "1e999999", "1E5", "０.５", "٣", "0x10",
               "1_000", "--1", "", " ", "1.2.3", "¥5"]


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_only_plain_finite_numbers_are_numbers(text):
    with pytest.raises(ValueError, match="金额"):
        numbers.parse(text, numbers.MONEY)


@pytest.mark.parametrize(("text", "value"), [("0", Decimal(0)), ("1,234.5", Decimal("1234.5")), (" 12 ", Decimal(12)),
                                            ("10000000000", Decimal("1e10")), ("0.01", Decimal("0.01"))])
def test_plain_numbers_within_the_range_are_read(text, value):
    assert numbers.parse(text, numbers.MONEY) == value


@pytest.mark.parametrize(("text", "message"), [("-5", "不能为负数"), ("10000000000.01", "0–10,000,000,000 元之间"),
                                               ("99999999999999999999999", "之间"), ("1.001", "最多保留 2 位小数")])
def test_out_of_range_amounts_are_refused_with_the_range(text, message):
    with pytest.raises(ValueError, match=message):
        numbers.parse(text, numbers.MONEY)


def test_floats_and_decimals_that_are_not_finite_are_refused():
    for value in (float("nan"), float("inf"), Decimal("NaN"), Decimal("-Infinity")):
        with pytest.raises(ValueError, match="有限"):
            numbers.SCORE.check(value)


def _form_classes():
    for module in (complaints.forms, feedback.forms, investenv.auth.forms, investenv.registry.forms, spotchecks.forms,
                   survey.forms):
        yield from (c for _, c in inspect.getmembers(module, inspect.isclass)
                    if issubclass(c, FlaskForm) and c.__module__ == module.__name__)


def test_no_form_uses_a_wtforms_number_field(app):
    """WTForms' number fields accept NaN, Infinity and 1e999999: every number is a NumberField."""
    checked = 0
    with app.test_request_context():
        forms = [cls(meta={"csrf": False}) for cls in _form_classes()]
        forms.append(spotchecks.forms.score_form([type("Item", (), {"id": 1, "title": "项目", "max_score": 10.0})()],
                                                 meta={"csrf": False}))
        for form in forms:
            for field in form:
                assert not isinstance(field, IntegerField | DecimalField | FloatField), f"{type(form).__name__}.{field.name}"
                checked += 1
    assert checked > 50


@pytest.mark.parametrize("path", [
    "/evaluation/99999999999999999999", "/evaluation/3000", "/evaluation/1999/dashboard",
    "/survey/responses-99999999999999999999.csv", "/complaints/?page=99999999999999999999",
    "/complaints/?page=-1", "/complaints/?page=NaN", "/admin/audit/?page=99999999999999999999",
    "/registry/?year=99999999999999999999", "/registry/?year=1e4", "/evaluation/?year=Infinity",
    "/registry/enterprises/99999999999999999999", "/spotchecks/units/9223372036854775808",
    "/spotchecks/1/?item=99999999999999999999", "/survey/rounds/18446744073709551616",
])
def test_huge_or_odd_numbers_in_urls_are_404_not_500(client, make_user, login, path):
    login(client, make_user("admin"))
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("value", ["Infinity", "NaN", "1e999999", "1e308", "-5", "99999999999999999999"])
def test_a_non_finite_or_huge_recovered_loss_is_refused_and_nothing_changes(client, make_user, login, value):
    from complaints.models import Complaint

    from .complaints.test_pages import INTAKE, _act, _case

    login(client, make_user("admin"))
    assert client.post("/complaints/new", data=INTAKE | {"received_on": today().isoformat()}).status_code == 201
    assert _act(client, _case(), "accept", procedure="simple").status_code == 302
    assert _act(client, _case(), "assign", prefecture="430200", department="市场监管局").status_code == 302
    assert _act(client, _case(), "start").status_code == 302
    assert _act(client, _case(), "reply", text="答复").status_code == 302
    response = _act(client, _case(), "close", outcome="resolved", loss_recovered=value)
    assert response.status_code == 400
    assert "金额" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(sa.select(Complaint.status)) == "replied"
    assert client.get("/complaints/kpis").status_code == 200
    assert client.get("/complaints/kpis.xlsx").status_code == 200

"""One idiom per kind of code in the views: a change a business rule may refuse runs through
investenv.forms.attempt (the session is rolled back and the message shown), and reads are
functions of the domain's queries module, never SQL written in a view."""
import re
from pathlib import Path

from flask_wtf import FlaskForm
from wtforms import StringField

from investenv.errors import FieldErrors, RuleError
from investenv.extensions import db
from investenv.forms import attempt

ROOT = Path(__file__).resolve().parents[1]
VIEWS = sorted({*ROOT.glob("*/views.py"), *ROOT.glob("investenv/*/views.py"), ROOT / "complaints" / "api.py"})


def test_every_domain_has_its_views_scanned():
    names = {str(p.relative_to(ROOT)) for p in VIEWS}
    assert {"investenv/auth/views.py", "investenv/registry/views.py", "survey/views.py", "feedback/views.py",
            "spotchecks/views.py", "complaints/views.py", "complaints/api.py"} <= names


def test_views_leave_refusals_to_attempt():
    for path in VIEWS:
        text = path.read_text("utf-8")
        assert not re.search(r"except\b[^:\n]*\b(RuleError|FieldErrors|AlreadySubmitted)\b", text), \
            f"{path}: run the change through investenv.forms.attempt"


def test_views_read_through_queries_modules():
    for path in VIEWS:
        text = path.read_text("utf-8")
        assert not re.search(r"\bselect\(|(?<![\"'])\.(where|join|order_by|group_by)\(", text), \
            f"{path}: put the read in the domain's queries module"


class _Form(FlaskForm):
    name = StringField()


def test_attempt_rolls_a_refused_change_back_and_shows_why_on_the_form(app, prefecture):
    changsha = prefecture("长沙市")

    def rename():
        changsha.name = "改名"
        db.session.flush()
        raise FieldErrors({"name": "名称不对", "other": "另一个问题"})

    with app.test_request_context():
        form = _Form(meta={"csrf": False})
        result, refusal = attempt(rename, form)
    assert result is None and isinstance(refusal, FieldErrors)
    assert changsha.name == "长沙市"
    assert form.name.errors == ["名称不对"] and form.form_errors == ["other：另一个问题"]


def test_attempt_without_a_form_returns_the_refusal_or_the_result(app):
    def refuse():
        raise RuleError("不行")

    assert attempt(lambda: 42) == (42, None)
    result, refusal = attempt(refuse)
    assert result is None and refusal.message == "不行"

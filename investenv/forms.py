"""Form helpers shared by every blueprint."""
from __future__ import annotations

from collections.abc import Iterable

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional

from . import numbers
from .errors import FieldErrors, RuleError
from .extensions import db


def options(pairs: Iterable[tuple[str, str]], optgroup: str | None = None) -> list[SelectChoice]:
    """Select options from ``(value, label)`` pairs, optionally inside one ``<optgroup>``."""
    return [SelectChoice(value, label, optgroup=optgroup) for value, label in pairs]


def apply_rule_error(form: FlaskForm, exc: RuleError) -> None:
    """Show a business-rule error next to its field(s), or above the form if it names none."""
    problems = exc.errors if isinstance(exc, FieldErrors) else {exc.field: exc.message}
    for name, message in problems.items():
        field = getattr(form, name, None) if name else None
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(f"{name}：{message}" if name else message)


def attempt(form: FlaskForm, action):
    """Run a state change for a submitted form.  If a rule refuses it, roll back, show the
    errors on the form and return None; otherwise return what the action returned."""
    try:
        return action()
    except RuleError as exc:
        db.session.rollback()
        apply_rule_error(form, exc)
        return None


class NumberField(StringField):
    """A number typed by a person, read by :func:`investenv.numbers.parse`: finite, within its
    documented range, written plainly; a refusal is a Chinese message next to the field.  Every
    numeric form field of the project is one of these (a test checks it), since WTForms' own
    number fields accept ``NaN``, ``Infinity`` and ``1e999999``."""

    def __init__(self, label: str, kind: numbers.Range, required: str | None = None, **kwargs):
        validators = [InputRequired(required)] if required else [Optional()]
        render_kw = {"inputmode": "numeric" if kind.places == 0 else "decimal", "autocomplete": "off"}
        super().__init__(label, validators=validators, render_kw=render_kw | kwargs.pop("render_kw", {}), **kwargs)
        self.kind = kind

    def process_formdata(self, valuelist) -> None:
        self.text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if self.text:
            number = numbers.parse(self.text, self.kind)  # a ValueError becomes the field's error
            self.data = int(number) if self.kind.places == 0 else number

    def _value(self) -> str:
        if getattr(self, "text", None) is not None:
            return self.text
        return "" if self.data is None else f"{self.data}"

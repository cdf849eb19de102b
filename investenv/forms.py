"""Form helpers shared by every blueprint."""
from __future__ import annotations

from collections.abc import Iterable

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

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

"""Form helpers shared by every blueprint."""
from __future__ import annotations

from collections.abc import Iterable

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from .errors import RuleError


def options(pairs: Iterable[tuple[str, str]], optgroup: str | None = None) -> list[SelectChoice]:
    """Select options from ``(value, label)`` pairs, optionally inside one ``<optgroup>``."""
    return [SelectChoice(value, label, optgroup=optgroup) for value, label in pairs]


def apply_rule_error(form: FlaskForm, exc: RuleError) -> None:
    """Show a business-rule error next to its field, or above the form if it names none."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, exc.message]
    else:
        form.form_errors.append(exc.message)

"""Form helpers shared by every blueprint, and :func:`attempt`, the one way a request runs a
state change that a business rule may refuse."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import TypeVar

from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from . import numbers
from .errors import FieldErrors, RuleError
from .extensions import db
from .timeutil import today

T = TypeVar("T")


def options(pairs: Iterable[tuple[str, str]], optgroup: str | None = None) -> list[SelectChoice]:
    """Select options from ``(value, label)`` pairs, optionally inside one ``<optgroup>``."""
    return [SelectChoice(value, label, optgroup=optgroup) for value, label in pairs]


def max_length(limit: int) -> Length:
    """At most ``limit`` characters (as the database column holds), refused in Chinese."""
    return Length(max=limit, message=f"不能超过 {limit} 字。")


def optional_text(limit: int) -> list:
    """An optional text: empty, or at most ``limit`` characters, white space included (WTForms'
    plain ``Optional()`` would let any amount of white space through unchecked)."""
    return [Optional(strip_whitespace=False), max_length(limit)]


def apply_rule_error(form: FlaskForm, exc: RuleError) -> None:
    """Show a business-rule error next to its field(s), or above the form if it names none."""
    problems = exc.errors if isinstance(exc, FieldErrors) else {exc.field: exc.message}
    for name, message in problems.items():
        field = getattr(form, name, None) if name else None
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(f"{name}：{message}" if name else message)


def attempt(action: Callable[[], T], form: FlaskForm | None = None) -> tuple[T | None, RuleError | None]:
    """Run the state change (or check) of a request: ``(what it returned, None)``, or, if a
    business rule refuses it, ``(None, the refusal)`` after rolling the session back, so that
    nothing of the refused change stays.

    With ``form``, the refusal is also shown on the form (:func:`apply_rule_error`); a page
    without a form shows ``refusal.message`` its own way (a flashed warning, a page, JSON).
    The caller commits when the refusal is None.
    """
    try:
        return action(), None
    except RuleError as exc:
        db.session.rollback()
        if form is not None:
            apply_rule_error(form, exc)
        return None, exc


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


class DayField(DateField):
    """A day typed by a person or sent by a platform: exactly ``YYYY-MM-DD`` (ASCII digits), a day
    that exists, from 1 January of the first year :data:`investenv.numbers.YEAR` admits up to today
    in China.  A received date of 1900 or of next month is a typing error, refused next to the
    field; WTForms' own date field also takes ``2026-1-2`` and answers in English."""

    PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
    EARLIEST = dt.date(int(numbers.YEAR.low), 1, 1)

    def __init__(self, label: str, required: str | None = None, **kwargs):
        super().__init__(label, validators=[InputRequired(required)] if required else [Optional()], **kwargs)

    def process_formdata(self, valuelist) -> None:
        self.data = None
        text = valuelist[0] if valuelist else ""
        if not text:
            return
        if not re.fullmatch(self.PATTERN, text):
            raise ValueError(f"{self.label.text}应写作 年-月-日，如 2026-11-02。")
        try:
            self.data = dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"没有这一天：{text}。") from None

    def pre_validate(self, form) -> None:
        if self.data is not None and self.data < self.EARLIEST:
            raise ValidationError(f"{self.label.text}不能早于 {self.EARLIEST.isoformat()}。")
        if self.data is not None and self.data > today():
            raise ValidationError(f"{self.label.text}不能晚于今天。")

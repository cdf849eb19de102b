"""JSON under ``/api/``: the request body read within bounds, every answer and refusal as JSON, and
a WTForms form as the JSON object a request carries.

An API endpoint validates its request object with the same form as the page beside it
(:meth:`JsonForm.read`), so that a platform and a clerk meet the same rules with the same
messages; the object's JSON schema in the OpenAPI description is derived from that form's fields
(:attr:`JsonForm.schema`), so the description can promise neither more nor less than the
validation.  docs/api.md describes the limits and the errors.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any, NoReturn

from flask import abort, jsonify, request
from werkzeug.datastructures import MultiDict
from wtforms import Field, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.meta import DefaultMeta
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional, Regexp

from .forms import DayField, NumberField

PREFIX = "/api/"
# A case with every field at its length limit, each character written as the JSON escape of a
# surrogate pair (12 bytes), is about 125 KB.  The limit leaves room above that while keeping a parse
# cheap; a field of a million ASCII characters still gets its 400 naming the field.
MAX_BODY_BYTES = 2 * 1024 * 1024

# What an error status says under /api/ ({"error": …}); pages say it in investenv.web.ERROR_MESSAGES.
MESSAGES = {
    400: "请求有误",
    401: "缺少或无效的访问令牌（Authorization: Bearer …）",
    403: "此令牌的账号无权进行该操作",
    404: "没有这个资源，或不在令牌账号的范围内",
    405: "此路径不接受这种请求方式",
    409: "与资源的当前状态冲突",
    413: f"请求体过大（上限 {MAX_BODY_BYTES // 2**20} MB）",
    415: "不支持的内容类型，请求体应为 JSON",
    429: "请求过于频繁，请稍后再试",
    500: "系统错误，错误已记录",
    503: "服务暂时不可用，请稍后重试",
}


def is_api_request() -> bool:
    return request.path.startswith(PREFIX)


def limit_body() -> None:
    """Before anything reads it: an API request's body above :data:`MAX_BODY_BYTES` is a 413."""
    if is_api_request():
        request.max_content_length = MAX_BODY_BYTES


def error(status: int, message: str | None = None, errors: Mapping[str, str] | None = None):
    """The JSON answer of a refused API request: ``{"error": …, "errors": {field: message}}``."""
    body: dict[str, Any] = {"error": message or MESSAGES.get(status) or MESSAGES[500 if status >= 500 else 400]}
    if errors:
        body["errors"] = dict(errors)
    response = jsonify(body)
    response.status_code = status
    return response


def refuse(status: int, message: str | None = None, errors: Mapping[str, str] | None = None) -> NoReturn:
    abort(error(status, message, errors))


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def json_object() -> dict[str, Any]:
    """The request body as a JSON object, its numbers as exact Decimals (any size, any exponent).
    Malformed JSON, ``NaN``/``Infinity``, nesting beyond Python's recursion limit (``json``
    raises RecursionError there) and anything but an object are a 400."""
    try:
        data = json.loads(request.get_data(), parse_float=Decimal, parse_int=Decimal, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        data = None
    if not isinstance(data, dict):
        refuse(400, "请求体应为 JSON 对象")
    return data


def _unicode(text: str) -> bool:
    """Whether ``text`` is Unicode text: JSON lets ``"\\ud800"`` through, a lone surrogate that no
    database can store."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _plain(number: Decimal) -> str:
    """A JSON number as the text a person would type (``1E+2`` → ``100``); one far beyond any range
    keeps its exponent, which :func:`investenv.numbers.parse` refuses with its usual message."""
    if number.is_zero():
        return "0"
    return f"{number:f}" if -30 < number.adjusted() < 30 else str(number)


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _bound_fields(form_class: type) -> list[tuple[str, Field]]:
    """The form's fields in their declared order, bound outside any request (for their rules)."""
    meta = DefaultMeta()
    unbound = [(name, getattr(form_class, name)) for name in dir(form_class)
               if not name.startswith("_") and hasattr(getattr(form_class, name), "_formfield")]
    unbound.sort(key=lambda item: (item[1].creation_counter, item[0]))
    return [(name, item.bind(None, name, _meta=meta)) for name, item in unbound]


def _refuses_absence(bound: Field) -> bool:
    """Whether the field refuses to be left out: it is required, or only certain values will do."""
    validators = list(bound.validators)
    if any(isinstance(v, Optional) for v in validators):
        return False
    return (any(isinstance(v, DataRequired | InputRequired) or (isinstance(v, AnyOf) and None not in v.values)
                for v in validators) or (isinstance(bound, SelectField) and bound.validate_choice))


def _field_schema(bound: Field) -> tuple[dict[str, Any], bool]:
    """The JSON schema of one field's value, and whether the field is required."""
    validators = list(bound.validators)
    required = _refuses_absence(bound)
    label = bound.label.text
    if isinstance(bound, NumberField):
        kind = bound.kind
        schema = {"type": "integer" if kind.places == 0 else "number", "minimum": _json_number(kind.low),
                  "maximum": _json_number(kind.high), "description": f"{label}：{kind.describe()}"}
        if kind.places:
            schema["multipleOf"] = float(Decimal(1).scaleb(-kind.places))
        return schema, required
    if isinstance(bound, DayField):
        return {"type": "string", "format": "date", "pattern": bound.PATTERN,
                "description": f"{label}：{bound.EARLIEST.isoformat()} 至今天"}, required
    if not isinstance(bound, StringField | SelectField):
        raise TypeError(f"{bound.name}: a {type(bound).__name__} has no JSON form here")
    schema: dict[str, Any] = {"type": "string", "description": label}
    for validator in validators:
        if isinstance(validator, Length):
            if validator.min > 0:
                schema["minLength"] = validator.min
            if validator.max >= 0:
                schema["maxLength"] = validator.max
        elif isinstance(validator, AnyOf):
            schema["enum"] = list(validator.values)
        elif isinstance(validator, Regexp):
            schema["pattern"] = validator.regex.pattern
    if isinstance(bound, SelectField):
        labels = {choice.value: choice.label for choice in map(SelectChoice.from_input, bound.choices)}
        if bound.validate_choice:
            schema["enum"] = list(labels)
        if "enum" in schema:
            schema["description"] += "：" + "，".join(f"{value} {labels.get(value, '')}".strip() for value in schema["enum"])
    if any(isinstance(v, DataRequired) for v in validators) and not {"enum", "pattern"} & set(schema):
        schema |= {"minLength": max(1, schema.get("minLength", 0)), "pattern": r"\S"}  # not only white space
    return schema, required


@dataclass(frozen=True)
class JsonForm:
    """A form as the JSON object of an API request.

    ``leave_out`` names fields of the form the API does not take (a page's hidden fields);
    ``defaults`` gives a value (or a function making one) for a field the request leaves out, so
    that field is optional in the schema; ``example`` is a valid object, for the documentation.
    Any other member of the object is refused."""

    form_class: type
    leave_out: tuple[str, ...] = ()
    defaults: Mapping[str, str | Callable[[], str]] = field(default_factory=dict)
    example: Mapping[str, Any] = field(default_factory=dict)

    @cached_property
    def schema(self) -> dict[str, Any]:
        """The object's JSON schema: each field's type, required fields, lengths, allowed values,
        patterns and number ranges, as the form checks them; an optional field may be ``null``
        (left out); ``additionalProperties`` false."""
        properties, required = {}, []
        for name, bound in _bound_fields(self.form_class):
            if name in self.leave_out:
                continue
            properties[name], needed = _field_schema(bound)
            default = self.defaults.get(name)
            if isinstance(default, str):
                properties[name]["default"] = default
            if name in self.example:
                properties[name]["example"] = self.example[name]
            if needed and default is None:
                required.append(name)
            else:  # null is taken as left out (OpenAPI 3.0 wants null among the values of an enum, too)
                properties[name]["nullable"] = True
                if "enum" in properties[name]:
                    properties[name]["enum"].append(None)
        return {"type": "object", "required": required, "properties": properties, "additionalProperties": False}

    def read(self):
        """The request's JSON object in a validated form, and what is wrong with it by field (empty
        when nothing is): unknown members, values of the wrong JSON type (a list, an object, a
        boolean, a number for text or text for a number; ``null`` counts as left out), text with a
        lone surrogate, then the form's own messages — the same as the page shows."""
        data, problems = MultiDict(), {}
        for name, value in json_object().items():
            kind = self.schema["properties"].get(name, {}).get("type")
            if kind is None:
                problems[name[:40]] = "不接受这个字段"
            elif value is None:
                continue
            elif kind == "string" and isinstance(value, str) and not _unicode(value):
                problems[name] = "含有无法保存的字符（不成对的 UTF-16 代理项）"
            elif kind == "string" and isinstance(value, str):
                data[name] = value
            elif kind in ("number", "integer") and isinstance(value, Decimal):
                data[name] = _plain(value)
            else:
                problems[name] = "应为文字（JSON 字符串）" if kind == "string" else "应为数字（JSON 数值）"
        for name, default in self.defaults.items():
            if name not in data and name not in problems:
                data[name] = default() if callable(default) else default
        form = self.form_class(formdata=data, meta={"csrf": False})
        form.validate()
        return form, {name: "；".join(messages) for name, messages in form.errors.items() if name} | problems

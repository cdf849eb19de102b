"""The error list of a refused import, for people: each error with its row's identifying name (an
enterprise's or a project's), shown on the import page and downloadable as Excel.  One mechanism for
every import page.

The server keeps nothing: the page carries the list as a token signed for the user who uploaded the
file, and the download (``registry.import_error_list``) posts it back; only a list this server signed for
this very user becomes a workbook.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from .tabular import Column, RowError, TableError, read_table

HEADER = ["行", "名称", "列", "问题"]


@dataclass(frozen=True)
class NamedError:
    row: int
    name: str  # what identifies the row to a person: the enterprise's or the project's name, the project code
    column: str
    message: str


def named(errors: list[RowError], data: bytes, columns: list[Column], max_bytes: int,
          name_keys: tuple[str, ...]) -> list[NamedError]:
    """``errors`` with each row's name, read again from the uploaded ``data`` (the first of
    ``name_keys`` that the row fills)."""
    try:
        rows = read_table(data, columns, max_bytes)
    except TableError:
        rows = []
    names = {r.number: next((r.values[k] for k in name_keys if r.values.get(k)), "") for r in rows}
    return [NamedError(e.row, names.get(e.row, ""), e.column, e.message) for e in errors]


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="import-errors")


def token(errors: list[NamedError], kind: str, user_id: int) -> str:
    """The list, signed for ``user_id``, to carry in the page (compressed)."""
    return _serializer().dumps({"user": user_id, "kind": kind,
                                "errors": [[e.row, e.name, e.column, e.message] for e in errors]})


def read_token(value: str, user_id: int) -> tuple[str, list[list]]:
    """``(kind, rows)`` of a token signed for ``user_id``; ValueError for any other."""
    try:
        content = _serializer().loads(value)
    except BadSignature:
        raise ValueError("错误清单无效") from None
    if content.get("user") != user_id:
        raise ValueError("错误清单无效")
    return content["kind"], content["errors"]

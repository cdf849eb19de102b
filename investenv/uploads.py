"""Uploaded files: the type is recognised by content (never by name or declared type), the
size is bounded, and files are stored under the instance folder, outside the web root, under
random names; they are served only by views that check who is asking."""
from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from pathlib import Path

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .errors import RuleError
from .exporting import XLSX_MIMETYPE
from .timeutil import utcnow

KINDS = {  # kind → (content type, what people call it, the file extension it is served under)
    "pdf": ("application/pdf", "PDF", "pdf"),
    "jpeg": ("image/jpeg", "JPEG", "jpg"),
    "png": ("image/png", "PNG", "png"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word（.docx）", "docx"),
    "xlsx": (XLSX_MIMETYPE, "Excel（.xlsx）", "xlsx"),
}


class StoredFile:
    """The columns of a model row for a file kept by :func:`store`: its random name, its checked
    size, who uploaded it and when (the model adds what it belongs to and its content type)."""

    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


def sniff(data: bytes) -> str | None:
    """The kind of file ``data`` is, from its first bytes (and, for Office files, its parts)."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
    return None


def check(data: bytes, allowed: tuple[str, ...], limit: int, field: str) -> str:
    """The kind of an upload that may be stored (see :func:`store`), or RuleError; writes nothing,
    so that several files can all be checked before any is stored."""
    if not data:
        raise RuleError("文件为空。", field=field)
    if len(data) > limit:
        raise RuleError(f"文件不能超过 {limit / 2**20:.0f} MB（此文件 {len(data) / 2**20:.1f} MB）。", field=field)
    kind = sniff(data)
    if kind not in allowed:
        names = "、".join(KINDS[k][1] for k in allowed)
        raise RuleError(f"只接受 {names} 文件（按文件内容判断，与扩展名无关）。", field=field)
    return kind


def store(data: bytes, folder: Path, allowed: tuple[str, ...], limit: int, field: str) -> tuple[str, str]:
    """Check and store an upload; returns (stored file name, content type) or raises RuleError."""
    kind = check(data, allowed, limit, field)
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{uuid.uuid4().hex}.{kind}"
    (folder / stored).write_bytes(data)
    return stored, KINDS[kind][0]


def display_name(original: str, stored: str) -> str:
    """The name a stored upload is offered under: the uploader's name without its extension,
    cleaned of path separators and control characters, with the extension of the type its content
    was checked to be (read from the stored name), so that a PDF uploaded as ``x.html`` or ``x.hta``
    is downloaded as ``x.pdf`` and opens as what it is."""
    kind = stored.rsplit(".", 1)[-1]
    stem = "".join(c for c in (original or "") if c.isprintable() and c not in '/\\:*?"<>|').strip(" .")
    stem = stem.rsplit(".", 1)[0].strip(" .") if "." in stem else stem
    return f"{(stem or '附件')[:120]}.{KINDS[kind][2]}"


def stored_file(folder: Path, name: str) -> Path:
    """The path of a stored upload; 404 (and an error in the log) when the file has gone missing,
    e.g. after a database restore without the upload folder."""
    from flask import abort, current_app

    path = folder / name
    if not path.is_file():
        current_app.logger.error("stored upload missing: %s", path)
        abort(404)
    return path

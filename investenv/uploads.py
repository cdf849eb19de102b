"""Uploaded files: the type is recognised by content (never by name or declared type), the
size is bounded, and files are stored under the instance folder, outside the web root, under
random names; they are served only by views that check who is asking."""
from __future__ import annotations

import io
import uuid
import zipfile
from pathlib import Path

from .errors import RuleError

KINDS = {
    "pdf": ("application/pdf", "PDF"),
    "jpeg": ("image/jpeg", "JPEG"),
    "png": ("image/png", "PNG"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word（.docx）"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel（.xlsx）"),
}


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


def store(data: bytes, folder: Path, allowed: tuple[str, ...], limit: int, field: str) -> tuple[str, str]:
    """Check and store an upload; returns (stored file name, content type) or raises RuleError."""
    if not data:
        raise RuleError("文件为空。", field=field)
    if len(data) > limit:
        raise RuleError(f"文件不能超过 {limit / 2**20:.0f} MB（此文件 {len(data) / 2**20:.1f} MB）。", field=field)
    kind = sniff(data)
    if kind not in allowed:
        names = "、".join(KINDS[k][1] for k in allowed)
        raise RuleError(f"只接受 {names} 文件（按文件内容判断，与扩展名无关）。", field=field)
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{uuid.uuid4().hex}.{kind}"
    (folder / stored).write_bytes(data)
    return stored, KINDS[kind][0]


def stored_file(folder: Path, name: str) -> Path:
    """The path of a stored upload; 404 (and an error in the log) when the file has gone missing,
    e.g. after a database restore without the upload folder."""
    from flask import abort, current_app

    path = folder / name
    if not path.is_file():
        current_app.logger.error("stored upload missing: %s", path)
        abort(404)
    return path

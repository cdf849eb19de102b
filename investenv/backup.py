"""Backups of the whole database and their restoration (``investenv backup`` / ``restore``).

SQLite uses the online backup API (a consistent copy while the site keeps running; the restore
copies the file back under the database's own lock).  PostgreSQL uses ``pg_dump --format=custom``
and ``pg_restore --clean --single-transaction``, so a failed restore changes nothing.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from .extensions import db

SQLITE_MAGIC, POSTGRES_MAGIC = b"SQLite format 3\x00", b"PGDMP"


class BackupError(RuntimeError):
    pass


def _kind() -> str:
    return db.engine.dialect.name


def _sqlite_path() -> str:
    return make_url(str(db.engine.url)).database


def _postgres(tool: str, *args: str) -> None:
    """Run pg_dump/pg_restore against the configured database (password through the environment)."""
    url = make_url(str(db.engine.url))
    program = shutil.which(tool) or next(iter(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{tool}"), reverse=True)), None)
    if not program:
        raise BackupError(f"找不到 {tool}：请安装 postgresql-client（apt-get install postgresql-client）")
    environment = os.environ | ({"PGPASSWORD": url.password} if url.password else {})
    connection = ["--host", url.host or "localhost", "--port", str(url.port or 5432), "--username", url.username or "postgres"]
    result = subprocess.run([str(program), *connection, *args], env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{tool} 失败：{result.stderr.strip()[:500]}")


def _copy(origin: str | Path, destination: str | Path) -> None:
    """SQLite's online backup from one database file to another (page by page, under its locks)."""
    source, copy = sqlite3.connect(origin), sqlite3.connect(destination)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()


def backup(target: str | Path) -> Path:
    """Write a backup of the whole database to ``target``."""
    target = Path(target)
    if _kind() == "sqlite":
        _copy(_sqlite_path(), target)
    else:
        _postgres("pg_dump", "--format=custom", "--no-owner", "--file", str(target), make_url(str(db.engine.url)).database)
    return target


def restore(source: str | Path) -> None:
    """Replace the whole database by the backup in ``source``; refuses a file of the wrong kind."""
    source = Path(source)
    head = source.read_bytes()[:16] if source.is_file() else b""
    db.session.remove()
    db.engine.dispose()
    if _kind() == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{source} 不是 SQLite 备份文件")
        _copy(source, _sqlite_path())
    else:
        if not head.startswith(POSTGRES_MAGIC):
            raise BackupError(f"{source} 不是 pg_dump 自定义格式的备份文件")
        _postgres("pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
                  "--dbname", make_url(str(db.engine.url)).database, str(source))

"""``investenv db``: the database schema's migrations (Alembic)."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from .. import migrate


@click.group("db")
def db_group() -> None:
    """数据库结构迁移（Alembic）。"""


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def db_upgrade(revision: str) -> None:
    """把数据库升级到 REVISION（默认最新），并同步市州、县市区参考数据。"""
    migrate.upgrade(revision)
    click.echo(f"数据库已升级到 {migrate.current_revision()}。")


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision: str) -> None:
    """把数据库降级到 REVISION（如 base 或 -1）。"""
    migrate.downgrade(revision)
    click.echo(f"数据库已降级到 {migrate.current_revision() or 'base'}。")


@db_group.command("current")
@with_appcontext
def db_current() -> None:
    """显示数据库当前的迁移版本。"""
    click.echo(migrate.current_revision() or "（空数据库）")


@db_group.command("revision")
@click.option("-m", "--message", required=True, help="迁移说明")
@with_appcontext
def db_revision(message: str) -> None:
    """根据模型自动生成新的迁移脚本（开发用）。"""
    migrate.revision(message)

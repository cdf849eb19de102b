"""``investenv create-user`` and ``investenv api-token``: staff accounts and API tokens."""
from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from complaints.api import new_token

from ..auth.models import User
from ..auth.operations import create_user as create
from ..errors import RuleError
from ..extensions import db
from ..permissions import Role
from ..registry.operations import Divisions


@click.command("create-user")
@click.argument("username")
@click.option("--name", "display_name", default="", help="姓名（默认同用户名）")
@click.option(
    "--role", type=click.Choice([r.value for r in Role]), required=True,
    help="admin 省级管理员；analyst 省级分析员；centre 投诉中心；prefecture 市州工作人员",
)
@click.option("--prefecture", default=None, help="市州工作人员所属市州（名称或代码）")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码（用于脚本）")
@with_appcontext
def create_user(username, display_name, role, prefecture, password_stdin) -> None:
    """创建工作人员账号。"""
    prefecture_id = None
    if prefecture:
        found = Divisions(db.session).prefecture(prefecture)
        if found is None:
            raise click.BadParameter(f"未知的市州：{prefecture}", param_hint="--prefecture")
        prefecture_id = found.id
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")
    try:
        user = create(username, display_name, password, Role(role), prefecture_id)
    except RuleError as exc:
        raise click.ClickException(exc.message) from None
    db.session.commit()
    click.echo(f"已创建账号 {user.username}（{user.role_enum.label}）。")


@click.group("api-token")
def api_token() -> None:
    """JSON 接口的访问令牌。"""


@api_token.command("create")
@click.argument("username")
@click.option("--name", required=True, help="令牌用途，如“12345 热线平台”")
@with_appcontext
def api_token_create(username: str, name: str) -> None:
    """为账号 USERNAME 创建访问令牌（只显示这一次）。"""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"没有账号 {username}")
    token = new_token(user, name)
    db.session.commit()
    click.echo(f"令牌（只显示这一次，请妥善保存）：{token}")

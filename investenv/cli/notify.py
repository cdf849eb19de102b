"""``investenv notify``: send what the outbox holds (docs/notifications.md), and
``investenv notify-contact``: a prefecture's contact for notices."""
from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import with_appcontext

from complaints import notices as complaint_notices
from feedback import notices as feedback_notices
from notifications import delivery
from notifications import operations as notification_operations
from notifications.models import Contact

from .. import audit
from ..errors import RuleError
from ..extensions import db
from ..registry.operations import Divisions
from ..timeutil import today


def _run_once() -> None:
    warned = complaint_notices.scan_deadlines(today()) + complaint_notices.scan_calendar(today())
    if current_app.config.get("BASE_URL"):  # the points' links need the site's public address
        warned += feedback_notices.scan_periods(today(), current_app.config["FEEDBACK_CADENCE"])
    else:
        click.echo("未设置 INVESTENV_BASE_URL：不发送测评点反馈提醒（提醒中的专用链接需要对外网址）。", err=True)
    db.session.commit()
    summary = delivery.send_due()
    click.echo(f"已发送 {summary.sent} 条，待重试 {summary.retrying} 条，失败 {summary.failed} 条；"
               f"新增提醒 {warned} 条。")
    if summary.waiting:
        click.echo(f"未设置 INVESTENV_MAIL_URL：{summary.waiting} 封邮件留在发件箱中。", err=True)
    if summary.unknown:
        click.echo("以下消息发送过程中断，不能确定是否已送达，未重发（核对邮件服务器日志后可用 --requeue 重新发送）："
                   + "、".join(map(str, summary.unknown)), err=True)


@click.command()
@click.option("--loop", is_flag=True, help="不退出，每隔 --interval 秒发送一次（长期运行的发送进程）")
@click.option("--interval", default=60, show_default=True, type=click.IntRange(5, 3600), help="--loop 时的间隔（秒）")
@click.option("--requeue", type=int, multiple=True, metavar="ID",
              help="把状态不明或发送失败的消息放回发件箱（可重复）；核对过邮件服务器日志后使用")
@with_appcontext
def notify(loop: bool, interval: int, requeue: tuple[int, ...]) -> None:
    """发送发件箱中到期的邮件和短信（发完即退出，可由 systemd 定时器运行），并生成办理期限提醒。"""
    for message_id in requeue:
        if not delivery.requeue(message_id):
            raise click.ClickException(f"消息 {message_id} 不存在，或不是“状态不明”“发送失败”状态。")
        click.echo(f"消息 {message_id} 已放回发件箱。")
    while True:
        _run_once()
        if not loop:
            return
        time.sleep(interval)


@click.command("notify-contact")
@click.argument("prefecture")
@click.option("--name", default="", help="联系人")
@click.option("--email", default="", help="邮件地址")
@click.option("--phone", default="", help="手机号码（短信）")
@with_appcontext
def notify_contact(prefecture: str, name: str, email: str, phone: str) -> None:
    """设置市州接收转办通知和期限提醒的联系人（邮件、短信）。"""
    found = Divisions(db.session).prefecture(prefecture)
    if found is None:
        raise click.BadParameter(f"未知的市州：{prefecture}", param_hint="PREFECTURE")
    before = db.session.get(Contact, found.id)
    try:
        notification_operations.set_contact(found, name, email, phone)
    except RuleError as exc:
        raise click.ClickException("；".join(getattr(exc, "errors", {}).values()) or str(exc)) from None
    # the same entry as the administrators' page writes, by the operating-system account
    audit.record("notice_contact", f"{found.code} {'change' if before else 'add'} {email} {phone}", audit.operator())
    db.session.commit()
    click.echo(f"已设置{found.name}的通知联系人。")

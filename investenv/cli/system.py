"""Running and looking after the system: ``serve``, ``demo``, ``questionnaire``, ``backup``, ``restore``."""
from __future__ import annotations

import datetime as dt
import json

import click
from flask import current_app
from flask.cli import with_appcontext

from survey import questionnaire as qn

from .. import backup as backups
from .. import server
from ..demo import DEMO_PASSWORD, load_demo
from ..extensions import db


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址")
@click.option("--port", default=5000, show_default=True, type=int, help="监听端口")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="gunicorn 工作进程数")
@click.option("--timeout", default=120, show_default=True, type=int, help="单个请求超时（秒）")
@click.option("--trusted-proxies", type=click.IntRange(0, 5), default=None,
              help="网站前面可信的反向代理层数（如 nginx 为 1），据此读取真实的客户端地址；默认取 INVESTENV_TRUSTED_PROXIES，否则 0")
@click.option("--job-threads", default=1, show_default=True, type=click.IntRange(0, 16),
              help="同时启动的后台任务工作进程的线程数；0 表示不启动（另行运行 investenv worker）")
def serve(host: str, port: int, workers: int, timeout: int, trusted_proxies: int | None, job_threads: int) -> None:
    """用 gunicorn 启动网站，并启动处理后台任务（生成 PDF、年度报告等）的工作进程。"""
    server.run(host=host, port=port, workers=workers, timeout=timeout, trusted_proxies=trusted_proxies,
               job_threads=job_threads)


@click.command()
@click.option("--threads", default=2, show_default=True, type=click.IntRange(1, 16), help="同时处理的任务数")
@with_appcontext
def worker(threads: int) -> None:
    """运行后台任务的工作进程（生成纸质问卷、邀请函、年度报告等）；Ctrl+C 在手头的任务做完后退出。"""
    queue = current_app.extensions["jobs"]
    removed = queue.forget_old()
    click.echo(f"后台任务工作进程已启动（{threads} 个线程）；清理了 {removed} 项过期任务。", err=True)
    queue.huey.create_consumer(workers=threads, worker_type="thread", periodic=False).run()


@click.command()
@click.option("--year", default=2026, show_default=True, type=int, help="演示数据的年份")
@click.option("--reset", is_flag=True, help="先清空全部业务数据再载入（慎用）")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="按这一天的情况生成（YYYY-MM-DD，默认今天）：同一天得到完全相同的数据")
@with_appcontext
def demo(year: int, reset: bool, as_of: dt.datetime | None) -> None:
    """载入确定性的演示年度数据，并列出演示账号。"""
    users, loaded = load_demo(year, reset_first=reset, as_of=as_of.date() if as_of else None)
    db.session.commit()
    if loaded:
        click.echo(f"已载入 {year} 年演示数据。")
    else:
        click.echo("数据库中已有数据，未重复载入（如需清空后重新载入，请加 --reset）。")
    click.echo(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
    for user in users:
        where = f" {user.prefecture.name}" if user.prefecture else ""
        click.echo(f"  {user.username:<12} {user.role_enum.label}{where}")


@click.command()
@click.option("--version", "version", default=None, help="问卷版本（默认最新）")
@click.option("--json", "as_json", is_flag=True, help="按固定结构输出 JSON")
def questionnaire(version: str | None, as_json: bool) -> None:
    """打印《投资环境调查问卷》。"""
    try:
        definition = qn.load(version or qn.versions()[-1])
    except KeyError as exc:
        raise click.BadParameter(str(exc.args[0]), param_hint="--version") from None
    if as_json:
        click.echo(json.dumps(definition.public_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"{definition.title}（版本 {definition.version}）")
    for section in definition.sections:
        click.echo(f"\n{section.title}")
        for q in section.questions:
            kind = {"single": "单选", "multi": "多选", "text": "开放题"}[q.kind]
            condition = f"；{q.condition_text(definition)}" if q.show_if else ""
            click.echo(f"  {q.number}. {q.text}（{kind}{condition}）")
            for o in q.choices:
                click.echo(f"     {o.code} {o.text}{'（注明）' if o.other else ''}{'（单独选）' if o.exclusive else ''}")


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup(file: str) -> None:
    """备份整个数据库（SQLite 用在线备份接口，PostgreSQL 用 pg_dump 自定义格式），网站可照常运行。"""
    try:
        path = backups.backup(file)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已备份到 {path}（{path.stat().st_size / 1024:.0f} KB）。")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="不再确认，直接用备份替换当前数据库")
@with_appcontext
def restore(file: str, yes: bool) -> None:
    """用备份文件替换整个数据库（当前数据全部被覆盖；PostgreSQL 上在一个事务中完成，失败则不改变任何数据）。"""
    if not yes:
        click.confirm("当前数据库的全部数据将被备份覆盖，继续吗？", abort=True)
    try:
        backups.restore(file)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已从 {file} 恢复数据库。")

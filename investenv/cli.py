"""The ``investenv`` command: a Flask CLI group with the operator's commands."""
from __future__ import annotations

import contextlib
import sys

import click
from flask.cli import FlaskGroup, with_appcontext

from evaluation import bundle as bundle_files

from . import migrate
from .app import create_app
from .errors import RuleError
from .extensions import db
from .permissions import Role


@click.group(cls=FlaskGroup, create_app=create_app, add_default_commands=False)
def main() -> None:
    """投资环境测评系统 investenv 的管理命令。"""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址")
@click.option("--port", default=5000, show_default=True, type=int, help="监听端口")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="gunicorn 工作进程数")
@click.option("--timeout", default=120, show_default=True, type=int, help="单个请求超时（秒）")
def serve(host: str, port: int, workers: int, timeout: int) -> None:
    """用 gunicorn 启动网站。"""
    from .server import run

    run(host=host, port=port, workers=workers, timeout=timeout)


@main.group("db")
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


@main.command("create-user")
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
    from .auth.operations import create_user as create
    from .registry.operations import Divisions

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


@main.group("api-token")
def api_token() -> None:
    """JSON 接口的访问令牌。"""


@api_token.command("create")
@click.argument("username")
@click.option("--name", required=True, help="令牌用途，如“12345 热线平台”")
@with_appcontext
def api_token_create(username: str, name: str) -> None:
    """为账号 USERNAME 创建访问令牌（只显示这一次）。"""
    from sqlalchemy import select

    from complaints.api import new_token

    from .auth.models import User

    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"没有账号 {username}")
    token = new_token(user, name)
    db.session.commit()
    click.echo(f"令牌（只显示这一次，请妥善保存）：{token}")


@main.command()
@click.option("--year", default=2026, show_default=True, type=int, help="演示数据的年份")
@click.option("--reset", is_flag=True, help="先清空全部业务数据再载入（慎用）")
@with_appcontext
def demo(year: int, reset: bool) -> None:
    """载入确定性的演示年度数据，并列出演示账号。"""
    from .demo import DEMO_PASSWORD, load_demo

    users, loaded = load_demo(year, reset_first=reset)
    db.session.commit()
    if loaded:
        click.echo(f"已载入 {year} 年演示数据。")
    else:
        click.echo("数据库中已有数据，未重复载入（如需清空后重新载入，请加 --reset）。")
    click.echo(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
    for user in users:
        where = f" {user.prefecture.name}" if user.prefecture else ""
        click.echo(f"  {user.username:<12} {user.role_enum.label}{where}")


@main.group("import")
def import_group() -> None:
    """从 CSV/XLSX 文件导入数据（全部成功才写入）。"""


@import_group.command("enterprises")
@click.argument("file", type=click.File("rb"))
@click.option("--update-existing", is_flag=True, help="按统一社会信用代码更新已存在的企业")
@with_appcontext
def import_enterprises(file, update_existing: bool) -> None:
    """导入企业登记表（模板见网页“批量导入”）。"""
    from flask import current_app

    from .registry.importer import import_enterprises as run_import
    from .tabular import TableError

    try:
        report = run_import(file.read(), current_app.config["UPLOAD_MAX_BYTES"], None, update_existing)
    except TableError as exc:
        raise click.ClickException(str(exc)) from None
    _finish_import(
        report.errors,
        f"导入完成：新增 {report.created} 家，更新 {report.updated} 家，新登记测评点 {report.points} 个。",
    )


@main.command()
@click.option("--version", "version", default=None, help="问卷版本（默认最新）")
@click.option("--json", "as_json", is_flag=True, help="按固定结构输出 JSON")
def questionnaire(version: str | None, as_json: bool) -> None:
    """打印《投资环境调查问卷》。"""
    import json

    from survey import questionnaire as qn

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
            for o in q.options:
                click.echo(f"     {o.code} {o.text}{'（注明）' if o.other else ''}")


@main.group("export")
def export_group() -> None:
    """导出数据（CSV 为带 BOM 的 UTF-8；文件名以 .xlsx 结尾时导出 Excel）。"""


def _export_command(name: str, what: str, read) -> None:
    @export_group.command(name, help=f"导出某年度的{what}。")
    @click.option("--year", required=True, type=int, help="年度")
    @click.argument("file", type=click.Path(dir_okay=False, writable=True))
    @with_appcontext
    def export(year: int, file: str) -> None:
        header, rows = read(year)
        bundle_files.write_table(file, name, header, rows)
        click.echo(f"已导出 {len(rows)} 行{what}到 {file}。")


for _name, (_what, _read) in bundle_files.FILES.items():
    _export_command(_name, _what, _read)


@import_group.command("responses")
@click.argument("file", type=click.File("rb"))
@click.option("--round", "round_id", type=int, default=None, help="调查轮次编号（该年度只有一轮时可省略）")
@with_appcontext
def import_responses(file, round_id: int | None) -> None:
    """导入答卷（如在表格中录入的纸质问卷），格式同 responses.csv。"""
    from sqlalchemy import select

    from survey.bundle import import_responses as run_import
    from survey.models import SurveyRound

    from .timeutil import today

    data = file.read()
    survey_round = db.session.get(SurveyRound, round_id) if round_id else None
    if survey_round is None:
        rounds = db.session.scalars(select(SurveyRound).order_by(SurveyRound.id)).all()
        open_rounds = [r for r in rounds if r.closes_on >= today()] or rounds
        if round_id or len(open_rounds) != 1:
            raise click.ClickException("请用 --round 指定调查轮次：" + "；".join(f"{r.id} {r.title}" for r in rounds))
        survey_round = open_rounds[0]
    _import(
        lambda limit: run_import(data, limit, survey_round, today()), f"已导入 {{count}} 份答卷到“{survey_round.title}”。",
    )


@import_group.command("feedback")
@click.argument("file", type=click.File("rb"))
@with_appcontext
def import_feedback(file) -> None:
    """导入测评点反馈（格式同 feedback.csv），全部无误才写入。"""
    from feedback.bundle import import_feedback as run_import

    from .timeutil import today

    _import(lambda limit: run_import(file.read(), limit, today()), "已导入 {count} 条测评点反馈。")


@import_group.command("spotchecks")
@click.argument("file", type=click.File("rb"))
@with_appcontext
def import_spotchecks(file) -> None:
    """导入联合抽查评分（格式同 spotchecks.csv）到已抽样、未锁定的轮次，全部无误才写入。"""
    from spotchecks.bundle import import_scores

    from .timeutil import today

    _import(lambda limit: import_scores(file.read(), limit, None, today()), "已导入 {count} 条抽查评分。")


@import_group.command("complaints")
@click.argument("file", type=click.File("rb"))
@with_appcontext
def import_complaints(file) -> None:
    """导入其他系统的投诉案件（格式同 complaints.csv），全部无误才写入。"""
    from complaints.bundle import import_cases

    _import(lambda limit: import_cases(file.read(), limit), "已导入 {count} 件投诉案件。")


def _import(run, done: str) -> None:
    """Run an all-or-nothing import: ``run(size limit)`` returns (rows written, row errors);
    an unreadable file, or any row error, writes nothing. ``done`` may use ``{count}``."""
    from flask import current_app

    from .tabular import TableError

    try:
        count, errors = run(current_app.config["UPLOAD_MAX_BYTES"])
    except TableError as exc:
        raise click.ClickException(str(exc)) from None
    _finish_import(errors, done.replace("{count}", str(count)))  # not format(): titles may hold braces


def _finish_import(errors, done: str) -> None:
    """Commit a checked import, or roll it back and list its errors row by row."""
    if errors:
        db.session.rollback()
        for error in errors:
            where = f"第 {error.row} 行" if error.row else "文件"
            click.echo(f"{where}【{error.column}】{error.message}", err=True)
        raise click.ClickException(f"共 {len(errors)} 处错误，未写入任何数据。")
    db.session.commit()
    click.echo(done)


@export_group.command("bundle")
@click.option("--year", required=True, type=int, help="年度")
@click.argument("directory", type=click.Path(file_okay=False))
@with_appcontext
def export_bundle(year: int, directory: str) -> None:
    """导出某年度的评估数据包（目录中的 responses、complaints、feedback、spotchecks 四个 CSV）。"""
    bundle_files.write(year, directory)
    click.echo(f"已导出 {year} 年评估数据包到 {directory}。")


@main.command()
@click.option("--year", required=True, type=int, help="测评年度")
@click.option("--bundle", "bundle_dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="评估数据包目录；不给时从数据库取数")
@click.option("--method", "method_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="方法文件（默认 scoring/methods/default.toml）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.option("--detail", is_flag=True, help="JSON 中加上每个中间值（各题、各部分、各测评点、各投诉比率）")
@with_appcontext
def rank(year: int, bundle_dir: str | None, method_file: str | None, as_json: bool, detail: bool) -> None:
    """计算 14 个市州的综合测评排名，附自助法区间、进入前三的概率、权重敏感性和诊断。"""
    import json

    from scoring.method import LABELS, load

    try:
        method = load(method_file)
        evaluation = _evaluate(year, bundle_dir, method)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json or detail:
        click.echo(json.dumps(evaluation.as_json(detail), ensure_ascii=False, indent=2))
        return
    click.echo(f"{year} 年综合测评（方法 {method.name}；区间 {method.uncertainty.level:.0%}，"
               f"自助法 B = {method.uncertainty.replicates}）")
    click.echo(f"{'名次':>4} {_pad('市州', 20)} {'综合':>6} {'区间':>13} {'名次区间':>8} {'前三概率':>6} "
               f"{'问卷':>6} {'反馈':>6} {'投诉':>6} {'抽查':>6}  说明")
    for r in evaluation.prefectures:
        s, (lo, hi), (rlo, rhi) = r.sources, r.composite_interval, r.rank_interval
        notes = ([f"补缺：{'、'.join(LABELS[i] for i in r.imputed)}"] if r.imputed else []) + (["样本少"] if r.small_sample else [])
        click.echo(f"{r.rank:>4} {_pad(r.name, 20)} {r.composite:>6.2f} {f'{lo:.1f}–{hi:.1f}':>13} {f'{rlo}–{rhi}':>8} "
                   f"{r.p_top3:>6.1%} {s['survey']:>6.1f} {s['monitoring']:>6.1f} {s['complaints']:>6.1f} "
                   f"{s['spotcheck']:>6.1f}  {'；'.join(notes)}")
    click.echo(f"前三名：{'、'.join(r.name for r in evaluation.prefectures if r.code in evaluation.top3)}；"
               f"权重扰动下前三名不变的比例 {evaluation.weight_stability:.1%}"
               + ("；第 3、4 名的名次区间重叠（并列区）" if evaluation.tie_zone else ""))


def _pad(text: str, width: int) -> str:
    """Pad to a terminal width, counting a CJK character as two columns."""
    import unicodedata

    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - used)


@contextlib.contextmanager
def _bootstrap_progress(label: str):
    """A progress bar on stderr (stdout stays clean JSON); yields the ``progress`` callback of
    :func:`scoring.evaluate.evaluate`."""
    with click.progressbar(length=14, label=label, file=sys.stderr) as bar:
        def advance(stage: str, done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        yield advance


def _evaluate(year: int, bundle_dir: str | None, method):
    """Evaluate a bundle directory, or the database; progress goes to stderr."""
    from evaluation.service import evaluate_year
    from scoring.evaluate import evaluate

    with _bootstrap_progress("自助抽样（各市州）") as advance:
        if bundle_dir is None:
            return evaluate_year(year, method, advance)
        return evaluate(bundle_dir, year, method, advance)


def _report_data(year: int, bundle_dir: str | None):
    """The report's data from the database (or a bundle directory), with progress on stderr."""
    from evaluation.report import content
    from evaluation.service import report_data

    with _bootstrap_progress("测评计算") as advance:
        try:
            if bundle_dir:
                return content.from_directory(bundle_dir, year, progress=advance)
            return report_data(year, advance)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None


def _write_output(path: str, body: bytes, what: str) -> None:
    with open(path, "wb") as handle:
        handle.write(body)
    click.echo(f"已生成{what}：{path}（{len(body) / 1024:.0f} KB）")


@main.command()
@click.option("--year", required=True, type=int, help="测评年度")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True), help="输出的 PDF 文件")
@click.option("--bundle", "bundle_dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="评估数据包目录；不给时从数据库取数")
@with_appcontext
def report(year: int, output: str, bundle_dir: str | None) -> None:
    """生成年度《全省14个市州投资环境综合测评报告》（PDF）。"""
    from evaluation.report.document import report_pdf

    _write_output(output, report_pdf(_report_data(year, bundle_dir)), "测评报告")


@main.command()
@click.option("--year", required=True, type=int, help="测评年度")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True), help="输出的 PDF 文件")
@with_appcontext
def bulletin(year: int, output: str) -> None:
    """生成年度综合测评结果通报（PDF，1–2 页，公布前三名和排名）。"""
    from evaluation.report.bulletin import bulletin_pdf

    _write_output(output, bulletin_pdf(_report_data(year, None)), "通报")


@export_group.command("workbook")
@click.option("--year", required=True, type=int, help="测评年度")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def export_workbook(year: int, file: str) -> None:
    """导出年度测评报告中的全部表格（Excel 工作簿）。"""
    from evaluation.report.workbook import workbook

    _write_output(file, workbook(_report_data(year, None)), "测评工作簿")


@main.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup_command(file: str) -> None:
    """备份整个数据库（SQLite 用在线备份接口，PostgreSQL 用 pg_dump 自定义格式），网站可照常运行。"""
    from .backup import BackupError, backup

    try:
        path = backup(file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已备份到 {path}（{path.stat().st_size / 1024:.0f} KB）。")


@main.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="不再确认，直接用备份替换当前数据库")
@with_appcontext
def restore_command(file: str, yes: bool) -> None:
    """用备份文件替换整个数据库（当前数据全部被覆盖；PostgreSQL 上在一个事务中完成，失败则不改变任何数据）。"""
    from .backup import BackupError, restore

    if not yes:
        click.confirm("当前数据库的全部数据将被备份覆盖，继续吗？", abort=True)
    try:
        restore(file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已从 {file} 恢复数据库。")

"""``investenv import`` and ``investenv export``: the data files, from one table.

Each kind of file names its export (the evaluation bundle's reader of a year, when the file is
part of the bundle) and its import: an all-or-nothing runner that checks every row and writes
them all, or nothing and a list of errors.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from complaints.bundle import import_cases
from evaluation import bundle as bundle_files
from feedback.bundle import import_feedback
from projects import bundle as project_files
from spotchecks.bundle import import_scores
from survey.bundle import import_responses
from survey.models import SurveyRound

from ..extensions import db
from ..registry.importer import import_enterprises
from ..tabular import RowError, TableError
from ..timeutil import today

# An import runner: (file contents, size limit, the command's options) → (row errors, what was
# written).  It may raise TableError for an unreadable file; with any row error nothing is kept.
Runner = Callable[..., tuple[list[RowError], str]]


@dataclass(frozen=True)
class DataFile:
    export: tuple[str, Callable] | None  # (what the file holds, year → (header, rows)), or no export
    import_help: str
    run: Runner
    options: tuple[click.Option, ...] = ()


def _enterprises(data: bytes, limit: int, update_existing: bool):
    report = import_enterprises(data, limit, None, update_existing)
    return report.errors, f"导入完成：新增 {report.created} 家，更新 {report.updated} 家，新登记测评点 {report.points} 个。"


def _survey_round(round_id: int | None) -> SurveyRound:
    """The round named by ``--round``, or the year's only open round (else: the only round)."""
    survey_round = db.session.get(SurveyRound, round_id) if round_id else None
    if survey_round is None:
        rounds = db.session.scalars(select(SurveyRound).order_by(SurveyRound.id)).all()
        open_rounds = [r for r in rounds if r.closes_on >= today()] or rounds
        if round_id or len(open_rounds) != 1:
            raise click.ClickException("请用 --round 指定调查轮次：" + "；".join(f"{r.id} {r.title}" for r in rounds))
        survey_round = open_rounds[0]
    return survey_round


def _responses(data: bytes, limit: int, round_id: int | None):
    survey_round = _survey_round(round_id)
    count, errors = import_responses(data, limit, survey_round, today())
    return errors, f"已导入 {count} 份答卷到“{survey_round.title}”。"


def _feedback(data: bytes, limit: int):
    count, errors = import_feedback(data, limit, today())
    return errors, f"已导入 {count} 条测评点反馈。"


def _spotchecks(data: bytes, limit: int):
    count, errors = import_scores(data, limit, None, today())
    return errors, f"已导入 {count} 条抽查评分。"


def _complaints(data: bytes, limit: int):
    count, errors = import_cases(data, limit)
    return errors, f"已导入 {count} 件投诉案件。"


def _projects(data: bytes, limit: int):
    count, errors = project_files.import_projects(data, limit, None, None, today())
    return errors, f"已导入 {count} 个项目。"


def _monthly_reports(data: bytes, limit: int):
    count, errors = project_files.import_monthly(data, limit, None, None, today())
    return errors, f"已导入月报 {count} 行（到位资金、阶段变化和问题）。"


DATA_FILES: dict[str, DataFile] = {
    "enterprises": DataFile(
        None, "导入企业登记表（模板见网页“批量导入”）。", _enterprises,
        (click.Option(["--update-existing"], is_flag=True, help="按统一社会信用代码更新已存在的企业"),),
    ),
    "responses": DataFile(
        bundle_files.FILES["responses"], "导入答卷（如在表格中录入的纸质问卷），格式同 responses.csv。", _responses,
        (click.Option(["--round", "round_id"], type=int, default=None, help="调查轮次编号（该年度只有一轮时可省略）"),),
    ),
    "feedback": DataFile(
        bundle_files.FILES["feedback"], "导入测评点反馈（格式同 feedback.csv），全部无误才写入。", _feedback,
    ),
    "spotchecks": DataFile(
        bundle_files.FILES["spotchecks"],
        "导入联合抽查评分（格式同 spotchecks.csv）到已抽样、未锁定的轮次，全部无误才写入。", _spotchecks,
    ),
    "complaints": DataFile(
        bundle_files.FILES["complaints"], "导入其他系统的投诉案件（格式同 complaints.csv），全部无误才写入。", _complaints,
    ),
    "projects": DataFile(
        ("项目台账（projects.csv）", project_files.export_rows),
        "导入项目台账（模板见网页“项目台账 › 批量导入”），全部无误才写入。", _projects,
    ),
    "monthly-reports": DataFile(
        None, "导入各市州的项目月报（到位资金、阶段变化、问题；模板见网页），全部无误才写入。", _monthly_reports,
    ),
}


@click.group("import")
def import_group() -> None:
    """从 CSV/XLSX 文件导入数据（全部成功才写入）。"""


@click.group("export")
def export_group() -> None:
    """导出数据（CSV 为带 BOM 的 UTF-8；文件名以 .xlsx 结尾时导出 Excel）。"""


def _import_command(name: str, kind: DataFile) -> click.Command:
    @with_appcontext
    def run_import(file, **options) -> None:
        try:
            errors, done = kind.run(file.read(), current_app.config["UPLOAD_MAX_BYTES"], **options)
        except TableError as exc:
            raise click.ClickException(str(exc)) from None
        if errors:
            db.session.rollback()
            for error in errors:
                where = f"第 {error.row} 行" if error.row else "文件"
                click.echo(f"{where}【{error.column}】{error.message}", err=True)
            raise click.ClickException(f"共 {len(errors)} 处错误，未写入任何数据。")
        db.session.commit()
        click.echo(done)

    params = [click.Argument(["file"], type=click.File("rb")), *kind.options]
    return click.Command(name, callback=run_import, params=params, help=kind.import_help)


def _export_command(name: str, what: str, read: Callable) -> click.Command:
    @click.command(name, help=f"导出某年度的{what}。")
    @click.option("--year", required=True, type=int, help="年度")
    @click.argument("file", type=click.Path(dir_okay=False, writable=True))
    @with_appcontext
    def export(year: int, file: str) -> None:
        header, rows = read(year)
        bundle_files.write_table(file, name, header, rows)
        click.echo(f"已导出 {len(rows)} 行{what}到 {file}。")

    return export


for _name, _kind in DATA_FILES.items():
    import_group.add_command(_import_command(_name, _kind))
    if _kind.export:
        export_group.add_command(_export_command(_name, *_kind.export))

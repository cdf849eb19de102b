"""The year's evaluation: ``rank`` (the live ranking), the ``evaluation`` group (storing, publishing,
showing, archiving and verifying runs), and ``report``, ``bulletin``, ``export bundle``,
``export workbook`` (the report's products read the published version).

The report, the bulletin and the workbook modules load reportlab, matplotlib and python-docx when
imported, so their commands import them when run: every other command starts without them.
``evaluation verify`` needs no database: it reads an archive and ranks with the installed scoring.
"""
from __future__ import annotations

import contextlib
import json
import sys
import unicodedata

import click
from flask.cli import with_appcontext

from evaluation import bundle as bundle_files
from evaluation import operations, queries, runs
from evaluation.models import EvaluationRun
from evaluation.report import content
from evaluation.service import evaluate_year, report_data, run_year
from investenv import audit
from investenv.errors import RuleError
from investenv.extensions import db
from scoring.evaluate import Evaluation, evaluate
from scoring.method import LABELS, load


@click.command()
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
    try:
        method = load(method_file)
        evaluation = _evaluate(year, bundle_dir, method)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json or detail:
        click.echo(json.dumps(evaluation.as_json(detail), ensure_ascii=False, indent=2))
        return
    _print_ranking(evaluation, f"{year} 年综合测评")


def _print_ranking(evaluation: Evaluation, title: str) -> None:
    method = evaluation.method
    click.echo(f"{title}（方法 {method.name}；区间 {method.uncertainty.level:.0%}，"
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
    with _bootstrap_progress("自助抽样（各市州）") as advance:
        if bundle_dir is None:
            return evaluate_year(year, method, advance)
        return evaluate(bundle_dir, year, method, advance)


def _report_data(year: int, bundle_dir: str | None):
    """The report's data from the database (or a bundle directory), with progress on stderr."""
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


@click.command()
@click.option("--year", required=True, type=int, help="测评年度")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True), help="输出的 PDF 文件")
@click.option("--bundle", "bundle_dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="评估数据包目录；不给时从数据库取数")
@with_appcontext
def report(year: int, output: str, bundle_dir: str | None) -> None:
    """生成年度《全省14个市州投资环境综合测评报告》（PDF；不给 --bundle 时为发布的版本）。"""
    from evaluation.report.document import report_pdf  # reportlab and matplotlib

    _write_output(output, report_pdf(_report_data(year, bundle_dir)), "测评报告")


@click.command()
@click.option("--year", required=True, type=int, help="测评年度")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True),
              help="输出的文件：PDF；以 .docx 结尾时为可编辑的 Word 草稿（按 GB/T 9704-2012 排版）")
@with_appcontext
def bulletin(year: int, output: str) -> None:
    """生成发布的年度综合测评结果通报（PDF 1–2 页，或 Word 草稿；公布前三名、确定程度和排名）。"""
    if output.lower().endswith(".docx"):
        from evaluation.report.official import bulletin_docx  # python-docx

        _write_output(output, bulletin_docx(_report_data(year, None)), "通报（Word 草稿）")
        return
    from evaluation.report.bulletin import bulletin_pdf  # reportlab

    _write_output(output, bulletin_pdf(_report_data(year, None)), "通报")


@click.command("bundle")
@click.option("--year", required=True, type=int, help="年度")
@click.argument("directory", type=click.Path(file_okay=False))
@with_appcontext
def export_bundle(year: int, directory: str) -> None:
    """导出某年度的评估数据包（目录中的 responses、complaints、feedback、spotchecks 四个 CSV；该年有项目台账时另有 projects.csv）。"""
    bundle_files.write(year, directory)
    click.echo(f"已导出 {year} 年评估数据包到 {directory}。")


@click.command("workbook")
@click.option("--year", required=True, type=int, help="测评年度")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def export_workbook(year: int, file: str) -> None:
    """导出发布的年度测评报告中的全部表格（Excel 工作簿）。"""
    from evaluation.report.workbook import workbook  # reportlab (its tables) and openpyxl

    _write_output(file, workbook(_report_data(year, None)), "测评工作簿")


@click.group("evaluation")
def evaluation_group() -> None:
    """综合测评的存档与发布：计算草稿、发布版本、查看发布的结果、导出存档、核验存档。"""


def _stored(year: int, method_file: str | None, bundle_dir: str | None) -> EvaluationRun:
    with _bootstrap_progress("自助抽样（各市州）") as advance:
        try:
            return run_year(year, method_file, bundle_dir, None, advance)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None


def _describe(run: EvaluationRun) -> str:
    return f"{run.year} 年综合测评{run.label}：前三名 {run.top3}；指纹 {run.fingerprint}"


@evaluation_group.command("run")
@click.option("--year", required=True, type=int, help="测评年度")
@click.option("--method", "method_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="方法文件（默认 scoring/methods/default.toml）")
@click.option("--bundle", "bundle_dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="评估数据包目录（如全国 333 个单位的数据包）；不给时用数据库中的当前数据")
@with_appcontext
def run_command(year: int, method_file: str | None, bundle_dir: str | None) -> None:
    """用当前数据计算一次综合测评并存为草稿（数据包、方法文件、程序版本、结果和每个文件的 SHA-256）。"""
    stored = _stored(year, method_file, bundle_dir)
    audit.record("evaluation_run", f"{year} run:{stored.id} {stored.fingerprint[:16]}", audit.operator())
    db.session.commit()
    click.echo(f"已存为草稿（计算 {stored.id}）。{_describe(stored)}")


@evaluation_group.command("publish")
@click.option("--year", required=True, type=int, help="测评年度")
@click.option("--run", "run_id", type=int, default=None, help="要发布的草稿编号；不给时先用当前数据计算一份")
@click.option("--note", default="", help="发布原因（发布第 2 版及以后的版本时必填）")
@with_appcontext
def publish_command(year: int, run_id: int | None, note: str) -> None:
    """发布一份草稿为该年度的下一个版本（发布后锁定，不再改变）。"""
    if run_id is None:
        stored = _stored(year, None, None)
    else:
        stored = db.session.get(EvaluationRun, run_id)
        if stored is None or stored.year != year:
            raise click.ClickException(f"{year} 年没有编号为 {run_id} 的计算。")
    try:
        operations.publish(stored, None, note)
    except RuleError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    audit.record("evaluation_publish", f"{year} {stored.label} run:{stored.id} {stored.fingerprint[:16]}", audit.operator())
    db.session.commit()
    click.echo(f"已发布。{_describe(stored)}")


def _published(year: int, version: int | None = None) -> EvaluationRun:
    found = queries.current_version(year) if version is None else queries.version(year, version)
    if found is None:
        raise click.ClickException(f"{year} 年的综合测评结果尚未发布。" if version is None
                                   else f"{year} 年没有发布的第 {version} 版。")
    return found


@evaluation_group.command("show")
@click.option("--year", required=True, type=int, help="测评年度")
@click.option("--version", "version_number", type=int, default=None, help="版本（默认现行版本）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（与 investenv rank --json 的结构相同）")
@with_appcontext
def show_command(year: int, version_number: int | None, as_json: bool) -> None:
    """显示发布的综合测评结果（存档的结果，不重新计算）。"""
    found = _published(year, version_number)
    if as_json:
        click.echo(json.dumps(runs.without_detail(queries.stored_results(found)), ensure_ascii=False, indent=2))
        return
    _print_ranking(queries.stored_evaluation(found), f"{year} 年综合测评{found.label}（{found.published_at:%Y-%m-%d} 发布）")
    click.echo(f"指纹（SHA-256）：{found.fingerprint}")


@evaluation_group.command("archive")
@click.option("--year", required=True, type=int, help="测评年度")
@click.option("--version", "version_number", type=int, default=None, help="版本（默认现行版本）")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def archive_command(year: int, version_number: int | None, file: str) -> None:
    """把发布的版本导出为存档（ZIP：数据包、方法文件、结果和 SHA-256 清单 manifest.json）。"""
    found = _published(year, version_number)
    _write_output(file, runs.archive(queries.files(found), found.description()), f"{found.label}的存档")
    click.echo(f"指纹（SHA-256）：{found.fingerprint}")


@evaluation_group.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def verify_command(file: str) -> None:
    """核验存档：逐个核对文件的 SHA-256，再用安装的评分程序从存档的数据包和方法文件重新计算，与存档的结果比对
    （不需要数据库）。一致时退出状态为 0，否则列出每一处不同并以 1 退出。"""
    with _bootstrap_progress("重新计算（各单位）") as advance:
        try:
            checked = runs.verify(file, advance)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
    listed = checked.manifest
    label = f"第 {listed['version']} 版" if listed.get("version") else f"草稿 {listed.get('run')}"
    click.echo(f"存档：{listed['year']} 年综合测评{label}，方法 {listed.get('method')}，程序 {listed.get('software')}；"
               f"指纹 {listed.get('fingerprint')}")
    click.echo(f"本机的评分程序：{runs.software_version()}")
    if checked.ok:
        click.echo(f"核验通过：{len(listed['files'])} 个文件的 SHA-256 与清单一致，重新计算的结果与存档的结果完全相同。")
        return
    click.echo(f"核验未通过，{len(checked.problems)} 处问题：")
    for problem in checked.problems:
        click.echo(f"  - {problem}")
    raise SystemExit(1)

"""The year's evaluation: ``rank``, ``report``, ``bulletin``, ``export bundle``, ``export workbook``.

The report, the bulletin and the workbook modules load reportlab and matplotlib when imported, so
their commands import them when run: every other command starts without them.
"""
from __future__ import annotations

import contextlib
import json
import sys
import unicodedata

import click
from flask.cli import with_appcontext

from evaluation import bundle as bundle_files
from evaluation.report import content
from evaluation.service import evaluate_year, report_data
from scoring.evaluate import evaluate
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
    """生成年度《全省14个市州投资环境综合测评报告》（PDF）。"""
    from evaluation.report.document import report_pdf  # reportlab and matplotlib

    _write_output(output, report_pdf(_report_data(year, bundle_dir)), "测评报告")


@click.command()
@click.option("--year", required=True, type=int, help="测评年度")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True), help="输出的 PDF 文件")
@with_appcontext
def bulletin(year: int, output: str) -> None:
    """生成年度综合测评结果通报（PDF，1–2 页，公布前三名和排名）。"""
    from evaluation.report.bulletin import bulletin_pdf  # reportlab

    _write_output(output, bulletin_pdf(_report_data(year, None)), "通报")


@click.command("bundle")
@click.option("--year", required=True, type=int, help="年度")
@click.argument("directory", type=click.Path(file_okay=False))
@with_appcontext
def export_bundle(year: int, directory: str) -> None:
    """导出某年度的评估数据包（目录中的 responses、complaints、feedback、spotchecks 四个 CSV）。"""
    bundle_files.write(year, directory)
    click.echo(f"已导出 {year} 年评估数据包到 {directory}。")


@click.command("workbook")
@click.option("--year", required=True, type=int, help="测评年度")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def export_workbook(year: int, file: str) -> None:
    """导出年度测评报告中的全部表格（Excel 工作簿）。"""
    from evaluation.report.workbook import workbook  # reportlab (its tables) and openpyxl

    _write_output(file, workbook(_report_data(year, None)), "测评工作簿")

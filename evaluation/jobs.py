"""The evaluation's long work, run by the worker (:mod:`investenv.jobs.queue`): a run of the year
(a national bundle takes minutes), the archive of a run, and the year's report, bulletin (PDF and
Word) and workbook from its published version.  The renderers load reportlab, matplotlib and
python-docx, so they are imported when a job runs, not when the worker starts."""
from __future__ import annotations

import json

from investenv.exporting import XLSX_MIMETYPE
from investenv.extensions import db
from investenv.jobs.queue import Output, Progress

from . import queries, runs
from .models import EvaluationRun
from .service import report_data, run_year

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def run(params: dict, progress: Progress) -> Output:
    """A draft run of the year's current data (or of the server-side bundle ``params["bundle"]``);
    the file offered is the run's manifest."""
    stored = run_year(params["year"], bundle_folder=params.get("bundle"), user_id=params.get("user_id"),
                      progress=lambda stage, done, total: progress("测评计算（自助抽样）", done, total))
    progress("保存", 1, 1)
    hashes = {f.name: (f.sha256, f.size) for f in stored.files}
    body = json.dumps(runs.manifest(stored.description(), hashes), ensure_ascii=False, indent=1).encode()
    return Output(body, f"run-{stored.year}-{stored.id}-manifest.json", "application/json")


def archive(params: dict, progress: Progress) -> Output:
    found = db.session.get(EvaluationRun, params["run"])
    if found is None:
        raise ValueError("没有这次计算。")
    progress("打包", 0, 1)
    name = f"evaluation-{found.year}-{f'v{found.version}' if found.published else f'draft{found.id}'}.zip"
    return Output(runs.archive(queries.files(found), found.description()), name, "application/zip")


def _data(params: dict, progress: Progress):
    return report_data(params["year"], lambda stage, done, total: progress("读取发布的结果", done, total))


def report(params: dict, progress: Progress) -> Output:
    from .report.document import report_pdf

    data = _data(params, progress)
    return Output(report_pdf(data, lambda stage: progress(stage, 0, 0)), f"report-{params['year']}.pdf", "application/pdf")


def bulletin(params: dict, progress: Progress) -> Output:
    from .report.bulletin import bulletin_pdf

    return Output(bulletin_pdf(_data(params, progress)), f"bulletin-{params['year']}.pdf", "application/pdf")


def bulletin_docx(params: dict, progress: Progress) -> Output:
    from .report.official import bulletin_docx as build

    return Output(build(_data(params, progress)), f"bulletin-{params['year']}.docx", DOCX_MIMETYPE)


def workbook(params: dict, progress: Progress) -> Output:
    from .report.workbook import workbook as build

    return Output(build(_data(params, progress)), f"evaluation-{params['year']}.xlsx", XLSX_MIMETYPE)

"""The evaluation's long work, run by the worker (:mod:`investenv.jobs.queue`): the year's report,
bulletin and workbook.  The renderers load reportlab and matplotlib, so they are imported when a
job runs, not when the worker starts."""
from __future__ import annotations

from investenv.exporting import XLSX_MIMETYPE
from investenv.jobs.queue import Output, Progress

from .service import report_data


def _data(params: dict, progress: Progress):
    return report_data(params["year"], lambda stage, done, total: progress("测评计算（自助抽样）", done, total))


def report(params: dict, progress: Progress) -> Output:
    from .report.document import report_pdf

    data = _data(params, progress)
    return Output(report_pdf(data, lambda stage: progress(stage, 0, 0)), f"report-{params['year']}.pdf", "application/pdf")


def bulletin(params: dict, progress: Progress) -> Output:
    from .report.bulletin import bulletin_pdf

    return Output(bulletin_pdf(_data(params, progress)), f"bulletin-{params['year']}.pdf", "application/pdf")


def workbook(params: dict, progress: Progress) -> Output:
    from .report.workbook import workbook as build

    return Output(build(_data(params, progress)), f"evaluation-{params['year']}.xlsx", XLSX_MIMETYPE)

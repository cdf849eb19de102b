"""The evaluation and the database: the live ranking of a year's current data (the office's preview
and ``investenv rank``), storing a run of it (:func:`run_year`), and the report's data of the
year's published version (:func:`report_data`), which the dashboard, the report, the bulletin and
the workbook show."""
from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import extract, func, select

from complaints.models import Inspection
from investenv.extensions import db
from investenv.registry.models import Prefecture
from investenv.tabular import csv_bytes
from scoring import bundle as bundles
from scoring.evaluate import Evaluation, evaluate_bundle
from scoring.method import Method, load

from . import bundle, operations, queries, runs
from .models import EvaluationRun, compress
from .report import content

Progress = Callable[[str, int, int], None]


def _optional(method: Method) -> tuple[str, ...]:
    """The optional files (:data:`.bundle.OPTIONAL`) ``method`` ranks by."""
    return tuple(s for s in method.sources if s in bundle.OPTIONAL)


def year_bundle(year: int, method: Method | None = None) -> bundles.Bundle:
    """The database's evaluation bundle of ``year``, with the optional files ``method`` ranks by;
    ``ValueError`` (in Chinese) when it has no data."""
    return bundles.assemble(bundle.tables(year, _optional(method or load())), year, "数据库")


def evaluate_year(year: int, method: Method | None = None, progress: Progress | None = None) -> Evaluation:
    """Rank ``year`` from the database's current data; ``ValueError`` (in Chinese) when the year has no data."""
    method = method or load()
    return evaluate_bundle(year_bundle(year, method), year, method, progress)


def inspections_registered(year: int) -> dict[str, int]:
    """Prefecture code → inspections registered (检查申报) in ``year``."""
    return dict(db.session.execute(
        select(Prefecture.code, func.count(Inspection.id)).join(Inspection, Inspection.prefecture_id == Prefecture.id)
        .where(extract("year", Inspection.planned_on) == year).group_by(Prefecture.code)).all())


def _last_year(year: int) -> dict | None:
    """Last year's ranking for the report's comparison: its published version, else its data as
    they stand (None when it has none)."""
    published = queries.current_version(year - 1)
    if published is not None:
        return runs.without_detail(queries.stored_results(published))
    try:
        return evaluate_year(year - 1).as_json()
    except ValueError:
        return None


def _bundle_folder(folder: Path) -> dict[str, bytes]:
    names = [*bundles.FILES, "units", *bundles.OPTIONAL_FILES]
    return {f"{name}.csv": (folder / f"{name}.csv").read_bytes() for name in names if (folder / f"{name}.csv").is_file()}


def run_year(year: int, method_path: str | Path | None = None, bundle_folder: str | Path | None = None,
             user_id: int | None = None, progress: Progress | None = None) -> EvaluationRun:
    """Evaluate ``year`` and store the run as a draft (flushed): the database's current data, or the
    bundle in ``bundle_folder`` (e.g. a national bundle of 333 units); ``ValueError`` when the year
    has no data or a file is wrong."""
    if bundle_folder is None:
        optional = _optional(load(method_path))
        files = {f"{name}.csv": csv_bytes(header, rows) for name, (header, rows) in bundle.tables(year, optional).items()}
        context, source = {"inspections": inspections_registered(year), "previous": _last_year(year)}, "数据库"
    else:
        files = _bundle_folder(Path(bundle_folder))
        context, source = {"inspections": None, "previous": None}, f"数据包 {bundle_folder}"
    # The bundle's files are compressed for storing in a thread while the ranking runs: zlib releases
    # the GIL, so on a machine with a core to spare this hides the compression (seconds for a national bundle).
    with ThreadPoolExecutor(max_workers=1) as pool:
        compressed = pool.submit(_compressed, files)
        stored, evaluation = runs.compute(year, files, runs.method_file(method_path), context, progress,
                                          origin=source.split()[-1])
        return operations.store_run(year, stored, evaluation, source, user_id, compressed.result())


def _compressed(files: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle's files compressed as their blobs store them, by their names in the run."""
    return {f"{runs.BUNDLE}{name}": compress(body) for name, body in files.items()}


def run_report_data(run: EvaluationRun, progress: Progress | None = None) -> content.ReportData:
    """The report's data of a stored run: its bundle, results and context, nothing recomputed."""
    stored = queries.files(run)
    with tempfile.TemporaryDirectory(prefix="investenv-report-") as tmp:
        folder = Path(tmp)
        for name, body in stored.items():
            if name.startswith(runs.BUNDLE):
                (folder / name.removeprefix(runs.BUNDLE)).write_bytes(body)
        data = bundles.read(folder, run.year)
    context = json.loads(stored[runs.CONTEXT])
    previous = runs.evaluation_from_json(context["previous"]) if context["previous"] else None
    publication = (content.Publication(run.version, run.published_on, run.fingerprint, run.note)
                   if run.published else None)
    evaluation = queries.stored_evaluation(run)
    return content.build(data, run.year, evaluation.method, previous, context["inspections"], progress,
                         evaluation=evaluation, publication=publication)


def published_run(year: int) -> EvaluationRun:
    """The year's current published version; ``ValueError`` (in Chinese) when there is none."""
    run = queries.current_version(year)
    if run is None:
        raise ValueError(f"{year} 年的综合测评结果尚未发布。")
    return run


def report_data(year: int, progress: Progress | None = None) -> content.ReportData:
    """The report's data of ``year``'s published version."""
    return run_report_data(published_run(year), progress)

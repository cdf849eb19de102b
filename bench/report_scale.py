"""Benchmark of the year-end report PDF.

    .venv/bin/python bench/report_scale.py --scale hunan      # 14 prefectures, 500 responses
    .venv/bin/python bench/report_scale.py --scale national   # 333 units, 1,000,000 responses

Writes a synthetic bundle (not timed), then times the whole report from the bundle: reading,
ranking with uncertainty, the charts and the PDF (a page per unit).
"""
from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pypdf import PdfReader  # noqa: E402

from bench.scoring_scale import SCALES, generate  # noqa: E402
from evaluation.report import content  # noqa: E402
from evaluation.report.document import report_pdf  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=SCALES, default="hunan")
    args = parser.parse_args()
    units, responses, _ = SCALES[args.scale]
    with tempfile.TemporaryDirectory() as folder:
        generate(Path(folder), units, responses)
        stages = {}
        started = time.perf_counter()
        data = content.from_directory(folder, 2026)
        stages["ranking"] = time.perf_counter() - started
        mark = time.perf_counter()
        body = report_pdf(data)
        stages["charts and PDF"] = time.perf_counter() - mark
        total = time.perf_counter() - started
        pages = len(PdfReader(io.BytesIO(body)).pages)
    print(f"scale {args.scale}: {units} units, {responses} responses; report {total:.2f} s "
          f"({', '.join(f'{k} {v:.2f} s' for k, v in stages.items())}); {len(body) / 1e6:.1f} MB, {pages} pages")


if __name__ == "__main__":
    main()

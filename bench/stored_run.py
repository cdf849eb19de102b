"""Benchmark of a stored evaluation run at national scale: storing it, and reading the pages from it.

    .venv/bin/python bench/stored_run.py                       # 333 units, 1,000,000 responses, B = 1000
    .venv/bin/python bench/stored_run.py --responses 100000    # the same units, fewer responses

A synthetic national bundle is written first (not timed, as in ``bench/scoring_scale.py``).  Then,
in one process on a fresh SQLite database: the run (``evaluation.service.run_year``: ranking with
the bootstrap, hashing and storing every file) is timed against the bare bootstrap cost measured in
the same process, the peak resident memory is read, the run is published, and the ranking page and
a unit's drill-down are requested through the app as an administrator: the first request (which
parses the stored results) and the 95th percentile of the following ones.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.scoring_scale import bare, generate  # noqa: E402
from evaluation.operations import publish  # noqa: E402
from evaluation.queries import file_bytes  # noqa: E402
from evaluation.service import run_year  # noqa: E402
from investenv import migrate  # noqa: E402
from investenv.app import create_app  # noqa: E402
from investenv.auth.models import Role  # noqa: E402
from investenv.auth.operations import create_user  # noqa: E402
from investenv.extensions import db  # noqa: E402
from scoring import bundle as bundles  # noqa: E402
from scoring.method import load  # noqa: E402

PASSWORD = "bench-stored-run-2026"


def _timed(client, url: str, repeat: int) -> tuple[float, float]:
    """Milliseconds of the first request and the 95th percentile of ``repeat`` more."""
    started = time.perf_counter()
    assert client.get(url).status_code == 200, url
    first = (time.perf_counter() - started) * 1000
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    return first, float(np.percentile(times, 95))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=333)
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="investenv-stored-run-") as tmp:
        folder, instance = Path(tmp) / "bundle", Path(tmp) / "instance"
        folder.mkdir()
        instance.mkdir()
        generate(folder, args.units, args.responses)
        os.environ["INVESTENV_INSTANCE_PATH"] = str(instance)

        app = create_app({"WTF_CSRF_ENABLED": False})
        with app.app_context():
            migrate.upgrade()
            create_user("bench", "基准", PASSWORD, Role.ADMIN, None)
            db.session.commit()
            bare_seconds = bare(bundles.read(folder, 2026), load())
            started = time.perf_counter()
            run = run_year(2026, bundle_folder=folder)
            db.session.commit()
            run_seconds = time.perf_counter() - started
            stored = sum(f.size for f in run.files)
            publish(run, None)
            db.session.commit()
            code = json.loads(file_bytes(run, "results.json"))["prefectures"][0]["code"]
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
        client = app.test_client()
        assert client.post("/login", data={"username": "bench", "password": PASSWORD}).status_code == 302
        ranking = _timed(client, "/evaluation/2026", args.repeat)
        drill = _timed(client, f"/evaluation/2026/{code}", args.repeat)
    print(f"{args.units} 个单位、{args.responses} 份答卷、B = {load().uncertainty.replicates}")
    print(f"计算并存档：{run_seconds:.2f} s；裸自助法 {bare_seconds:.2f} s；比值 {run_seconds / bare_seconds:.2f}；"
          f"存档文件 {stored / 2**20:.1f} MiB；峰值内存 {peak:.2f} GiB")
    print(f"排名页：首次 {ranking[0]:.0f} ms，之后 p95 {ranking[1]:.1f} ms")
    print(f"明细页：首次 {drill[0]:.0f} ms，之后 p95 {drill[1]:.1f} ms")


if __name__ == "__main__":
    main()

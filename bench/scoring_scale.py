"""Benchmark of the full ranking with uncertainty.

    .venv/bin/python bench/scoring_scale.py --scale hunan       # 14 prefectures, 500 responses, B = 2000
    .venv/bin/python bench/scoring_scale.py --scale national    # 333 units, 1,000,000 responses, B = 1000

A synthetic bundle is written first (not timed).  The ranking then runs in a fresh process,
which reports its wall time, its peak resident memory, and — in the same run — the bare cost of
the bootstrap: drawing the same resampling counts for every source the method resamples
(responses, monitoring points, complaint cases, spot-checked offices) and doing the matrix
products they need.  The ranking is timed from the bundle directory (reading the CSV files
included) and, separately, from the bundle already read.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import synthetic  # noqa: E402
from scoring import bundle as bundles  # noqa: E402
from scoring import survey  # noqa: E402
from scoring.evaluate import evaluate, evaluate_bundle  # noqa: E402
from scoring.method import load  # noqa: E402
from scoring.sources import case_counts, point_scores, unit_scores  # noqa: E402
from scoring.uncertainty import replicate_chunks, resampling_counts  # noqa: E402

SCALES = {"hunan": (14, 500, 2000), "national": (333, 1_000_000, 1000)}


def generate(directory: Path, units: int, responses: int) -> None:
    rng = np.random.default_rng(2026)
    codes = [(f"{100000 + i * 100}", f"单位{i + 1}") for i in range(units)]
    weights = rng.dirichlet(np.full(units, 5.0))
    counts = np.maximum(1, np.round(weights * responses)).astype(int)
    counts[-1] += responses - counts.sum()
    synthetic.write(directory, load(), 2026, codes, rng.uniform(0.4, 0.8, units), counts, rng)


def bare(data: bundles.Bundle, method) -> float:
    """Seconds to draw the resampling counts of every resampled source and multiply them into its
    values (answer matrices, point scores, case counts, office scores), unit by unit."""
    matrix = survey.matrix(method, data.responses)
    owner = np.array(data.responses.prefecture)
    groups = [matrix.values[owner == code] for code in data.units]
    cutoff = dt.date(2026, 12, 31)
    others = []
    for code in data.units:
        mine = {name: [r for r in getattr(data, name) if r["prefecture_code"] == code]
                for name in ("feedback", "complaints", "spotchecks")}
        tables = {"monitoring": np.array(list(point_scores(mine["feedback"]).values())),
                  "complaints": case_counts(mine["complaints"], cutoff, method.complaints).reshape(
                      len(mine["complaints"]), -1),
                  "spotcheck": unit_scores(mine["spotchecks"])}
        others.append([tables[name] for name in method.uncertainty.resample if name in tables])
    rng = np.random.default_rng(0)
    replicates = method.uncertainty.replicates
    started = time.perf_counter()
    for values, sources in zip(groups, others, strict=True):
        present, filled = ~np.isnan(values), np.nan_to_num(values)
        for start, stop in replicate_chunks(replicates, len(values)):
            counts = resampling_counts(rng, len(values), stop - start)
            counts @ filled, counts @ present
        for table in sources:
            resampling_counts(rng, len(table), replicates) @ table
    return time.perf_counter() - started


def run(directory: Path, replicates: int, name: str | None) -> dict:
    method = load(name)
    method = dataclasses.replace(method, uncertainty=dataclasses.replace(method.uncertainty, replicates=replicates))
    times, from_memory = [], []
    for _ in range(3):
        started = time.perf_counter()
        result = evaluate(directory, 2026, method)
        times.append(time.perf_counter() - started)
    data = bundles.read(directory, 2026)
    for _ in range(3):
        started = time.perf_counter()
        evaluate_bundle(data, 2026, method)
        from_memory.append(time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    return {"seconds": times, "from_memory": from_memory, "peak_gib": peak, "bare_seconds": bare(data, method),
            "top3": result.top3, "units": len(result.prefectures), "method": f"{method.name} v{method.version}"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=SCALES, default="hunan")
    parser.add_argument("--run", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--replicates", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--method", help="a method file or packaged name (default: the published one)")
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run(args.run, args.replicates, args.method)))
        return
    units, responses, replicates = SCALES[args.scale]
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        generate(Path(folder), units, responses)
        print(f"generated {units} units, {responses} responses in {time.perf_counter() - started:.1f} s", flush=True)
        output = subprocess.run([sys.executable, __file__, "--run", folder, "--replicates", str(replicates),
                                 *(["--method", args.method] if args.method else [])],
                                check=True, capture_output=True, text=True).stdout
    result = json.loads(output)
    best, memory, cost = min(result["seconds"]), min(result["from_memory"]), result["bare_seconds"]
    print(f"scale {args.scale} ({result['method']}): B = {replicates}; ranking from files "
          f"{', '.join(f'{t:.2f}' for t in result['seconds'])} s (best {best:.2f}); from the bundle read "
          f"{', '.join(f'{t:.2f}' for t in result['from_memory'])} s (best {memory:.2f}); bare bootstrap {cost:.2f} s; "
          f"ratio {best / cost:.2f} from files, {memory / cost:.2f} from the bundle read; "
          f"peak memory {result['peak_gib']:.2f} GiB; {result['units']} units ranked")


if __name__ == "__main__":
    main()

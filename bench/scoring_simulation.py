"""Planted-quality simulation of the default method.

    .venv/bin/python bench/scoring_simulation.py --years 200

Each simulated year gives the 14 prefectures a known true quality θ ~ U(0.45, 0.75), writes a
bundle from the model in ``bench/synthetic.py`` (about 500 responses split unevenly, 10
monitoring points each reporting four quarters, 8 complaints, 12 spot-checked units), and ranks
it with the published method.  The truth is the composite an infinite sample of respondents and
monitoring points would give (complaints and spot checks are censuses, so their observed values
are the truth).  Reported: Spearman's ρ between the published and the true ranking, the coverage
of the 90 % rank intervals, and the calibration of P(top 3).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import synthetic  # noqa: E402
from investenv.registry.divisions import prefectures  # noqa: E402
from scoring.composite import competition_rank  # noqa: E402
from scoring.evaluate import evaluate  # noqa: E402
from scoring.method import load  # noqa: E402

GRID = np.linspace(0.3, 0.9, 61)
BINS = [0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0001]


def one_year(method, survey_curve, monitoring_curve, rng, folder: Path) -> list[tuple]:
    units = list(prefectures().items())
    theta = rng.uniform(0.45, 0.75, len(units))
    responses = rng.multinomial(500, rng.dirichlet(np.full(len(units), 4.0)))
    synthetic.write(folder, method, 2026, units, theta, np.maximum(responses, 3), rng)
    result = evaluate(folder, 2026, method)
    truth = {}
    for (code, _), quality in zip(units, theta, strict=True):
        p = result.by_code(code)
        truth[code] = (method.weights["survey"] * np.interp(quality, GRID, survey_curve)
                       + method.weights["monitoring"] * np.interp(quality, GRID, monitoring_curve)
                       + method.weights["complaints"] * p.sources["complaints"]
                       + method.weights["spotcheck"] * p.sources["spotcheck"])
    codes = list(truth)
    true_rank = dict(zip(codes, competition_rank(np.array([truth[c] for c in codes])), strict=True))
    return [(p.rank, true_rank[p.code], *p.rank_interval, p.p_top3, *p.composite_interval, truth[p.code])
            for p in result.prefectures]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=200)
    args = parser.parse_args()
    method = load()
    survey_curve = np.array([synthetic.true_survey(method, t) for t in GRID])
    monitoring_curve = np.array([synthetic.true_monitoring(t) for t in GRID])
    rng = np.random.default_rng(7)
    rows, rhos = [], []
    for year in range(args.years):
        with tempfile.TemporaryDirectory() as folder:
            found = one_year(method, survey_curve, monitoring_curve, rng, Path(folder))
        rows += found
        rhos.append(stats.spearmanr([r[0] for r in found], [r[1] for r in found]).statistic)
        if (year + 1) % 50 == 0:
            print(f"{year + 1} years", file=sys.stderr, flush=True)
    table = np.array(rows, dtype=float)
    published, true, low, high, p_top3, c_low, c_high, c_true = table.T
    covered = (low <= true) & (true <= high)
    in_top3 = true <= 3
    print(f"years {args.years}, prefecture-years {len(table)}")
    print(f"Spearman ρ (published vs true ranking): mean {np.mean(rhos):.3f}, 5th percentile "
          f"{np.percentile(rhos, 5):.3f}")
    print(f"90 % rank-interval coverage: {covered.mean():.3f}; mean width {np.mean(high - low + 1):.2f} places")
    print(f"90 % composite-interval coverage: {np.mean((c_low <= c_true) & (c_true <= c_high)):.3f}")
    print(f"published top 3 = true top 3 in {np.mean(_same_top3(published, true, args.years)):.1%} of years")
    print(f"Brier score of P(top 3): {np.mean((p_top3 - in_top3) ** 2):.4f}")
    print("P(top 3) calibration: bin | prefecture-years | mean P(top 3) | share truly in top 3")
    for lo, hi in zip(BINS, BINS[1:], strict=False):
        pick = (p_top3 >= lo) & (p_top3 < hi)
        if pick.any():
            print(f"[{lo:.2f}, {min(hi, 1):.2f}) | {pick.sum()} | {p_top3[pick].mean():.3f} | {in_top3[pick].mean():.3f}")


def _same_top3(published: np.ndarray, true: np.ndarray, years: int) -> list[bool]:
    per_year = len(published) // years
    return [set(np.flatnonzero(published[i:i + per_year] <= 3)) == set(np.flatnonzero(true[i:i + per_year] <= 3))
            for i in range(0, len(published), per_year)]


if __name__ == "__main__":
    main()

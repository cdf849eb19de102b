"""Planted-quality simulation of the published method (or another: ``--method``).

    .venv/bin/python bench/scoring_simulation.py --years 300              # the three regimes
    .venv/bin/python bench/scoring_simulation.py --years 300 --icc 0.05   # one regime

Each simulated year gives the 14 prefectures a known true quality θ_p ~ N(0.6, s²), where s is
chosen so that the prefectures' true survey means take a share ``icc`` of the variance of one
response's survey score (the intraclass correlation: 0.01 is a realistic small difference between
prefectures, 0.2 a large one).  A bundle is written from the model in ``bench/synthetic.py``:
about 500 responses split unevenly (Dirichlet(4), at least 3 each), 10 monitoring points each
reporting four quarters, 2–11 complaint cases and 4–12 spot-checked offices per prefecture — every
source a sample.  The truth is the composite of infinite samples of every source.  Reported per
regime: the coverage of the 90 % rank interval and of the marginal and simultaneous rank confidence
sets, the composite-interval coverage, how often the published top 3 is the true top 3, whether
the top-3 statement held (every true top-3 prefecture "possibly" in, every "surely" one truly in),
the calibration of P(top 3) by bin, and each source's effective weight.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import synthetic  # noqa: E402
from investenv.registry.divisions import prefectures  # noqa: E402
from scoring import bundle as bundles  # noqa: E402
from scoring import survey  # noqa: E402
from scoring.composite import competition_rank  # noqa: E402
from scoring.evaluate import evaluate  # noqa: E402
from scoring.method import SOURCES, load  # noqa: E402

GRID = np.linspace(0.2, 1.0, 81)
BINS = [0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0001]
REGIMES = (0.01, 0.05, 0.2)


class Truth:
    """The true source scores as functions of θ, and the θ spread that gives an ICC."""

    def __init__(self, method):
        self.method = method
        self.curves = {
            "survey": np.array([synthetic.true_survey(method, t) for t in GRID]),
            "monitoring": np.array([synthetic.true_monitoring(t) for t in GRID]),
            "complaints": np.array([synthetic.true_complaints(method, t, draws=4000) for t in GRID]),
            "spotcheck": np.array([synthetic.true_spotcheck(t, draws=20000) for t in GRID]),
        }
        rng = np.random.default_rng(11)
        columns = synthetic.answers(method, np.full(20000, 0.6), rng)
        responses = bundles.Responses(prefecture=[""] * 20000, answers={n: list(c) for n, c in columns.items()})
        scores = survey.response_scores(survey.matrix(method, responses))
        self.within = float(np.nanvar(scores))
        self.slope = float(np.gradient(self.curves["survey"], GRID)[GRID.searchsorted(0.6)])

    def spread(self, icc: float) -> float:
        """SD of θ for which var(true survey means) / (that + within-prefecture variance) = icc."""
        return float(np.sqrt(icc / (1 - icc) * self.within) / self.slope)

    def composite(self, theta: np.ndarray) -> np.ndarray:
        return sum(self.method.weights[s] * np.interp(theta, GRID, self.curves[s]) for s in SOURCES)


def one_year(method, truth: Truth, sd: float, rng, folder: Path) -> dict:
    units = list(prefectures().items())
    theta = np.clip(rng.normal(0.6, sd, len(units)), 0.25, 0.95)
    responses = np.maximum(rng.multinomial(500, rng.dirichlet(np.full(len(units), 4.0))), 3)
    synthetic.write(folder, method, 2026, units, theta, responses, rng,
                    cases=rng.integers(2, 12, len(units)), checked=rng.integers(4, 13, len(units)))
    result = evaluate(folder, 2026, method)
    true_composite = dict(zip([c for c, _ in units], truth.composite(theta), strict=True))
    codes = [p.code for p in result.prefectures]
    true_rank = dict(zip(codes, competition_rank(np.array([true_composite[c] for c in codes])), strict=True))
    rows = [(p.rank, true_rank[p.code], *p.rank_interval, *p.rank_set_marginal, *p.rank_set_simultaneous,
             p.p_top3, p.p_top3_bootstrap, *p.composite_interval, true_composite[p.code]) for p in result.prefectures]
    true_top = {c for c in codes if true_rank[c] <= 3}
    statement = result.top3_statement
    effective = result.diagnostics["effective_weights"]
    return {"rows": rows, "statement_held": true_top <= set(statement["possibly"]) and set(statement["surely"]) <= true_top,
            "separated": statement["separated"], "effective": [effective[s]["effective"] for s in SOURCES]}


def regime(method, truth: Truth, icc: float, years: int, seed: int) -> None:
    sd = truth.spread(icc)
    rng = np.random.default_rng(seed)
    found = []
    for year in range(years):
        with tempfile.TemporaryDirectory() as folder:
            found.append(one_year(method, truth, sd, rng, Path(folder)))
        if (year + 1) % 100 == 0:
            print(f"  ICC {icc}: {year + 1} years", file=sys.stderr, flush=True)
    table = np.array([r for year in found for r in year["rows"]], dtype=float)
    (published, true, low, high, m_low, m_high, s_low, s_high, p_top3, p_boot, c_low, c_high, c_true) = table.T
    per_year = len(table) // years
    inside = (s_low <= true) & (true <= s_high)
    simultaneous = inside.reshape(years, per_year).all(axis=1)
    in_top3 = true <= 3
    same = [set(np.flatnonzero(published[i:i + per_year] <= 3)) == set(np.flatnonzero(true[i:i + per_year] <= 3))
            for i in range(0, len(table), per_year)]
    print(f"\n### ICC {icc} (θ SD {sd:.4f}; {years} years, {len(table)} prefecture-years; {method.name} v{method.version})")
    print("| measure | result |\n| --- | --- |")
    covered = (low <= true) & (true <= high)
    print(f"| 90 % rank interval (bootstrap, shortest) coverage | {np.mean(covered):.1%} "
          f"(mean width {np.mean(high - low + 1):.2f}); all 14 hold in {np.mean(covered.reshape(years, -1).all(axis=1)):.1%} of years |")
    print(f"| marginal rank confidence set coverage | {np.mean((m_low <= true) & (true <= m_high)):.1%} "
          f"(mean width {np.mean(m_high - m_low + 1):.2f}) |")
    print(f"| simultaneous rank confidence sets: all 14 hold | {np.mean(simultaneous):.1%} "
          f"(mean width {np.mean(s_high - s_low + 1):.2f}) |")
    print(f"| top-3 statement held (true top 3 ⊆ possibly, surely ⊆ true top 3) | "
          f"{np.mean([y['statement_held'] for y in found]):.1%}; separated in {np.mean([y['separated'] for y in found]):.1%} of years |")
    print(f"| 90 % composite interval coverage | {np.mean((c_low <= c_true) & (c_true <= c_high)):.1%} |")
    print(f"| published top 3 = true top 3 | {np.mean(same):.1%} of years |")
    print(f"| Brier score of P(top 3) (bootstrap share) | {np.mean((p_top3 - in_top3) ** 2):.4f} "
          f"({np.mean((p_boot - in_top3) ** 2):.4f}) |")
    effective = np.nanmean([y["effective"] for y in found], axis=0)
    print("| effective weight (nominal) | " + "; ".join(
        f"{s} {e:.2f} ({method.weights[s]:.1f})" for s, e in zip(SOURCES, effective, strict=True)) + " |")
    print("\n| P(top 3) bin | prefecture-years | mean P(top 3) | truly in top 3 | gap | bootstrap share: n / mean / truly in |")
    print("| --- | --- | --- | --- | --- | --- |")
    for lo, hi in zip(BINS, BINS[1:], strict=False):
        pick, boot = (p_top3 >= lo) & (p_top3 < hi), (p_boot >= lo) & (p_boot < hi)
        posterior = (f"{pick.sum()} | {p_top3[pick].mean():.3f} | {in_top3[pick].mean():.3f} | "
                     f"{in_top3[pick].mean() - p_top3[pick].mean():+.3f}") if pick.any() else "0 | – | – | –"
        bootstrap = (f"{boot.sum()} / {p_boot[boot].mean():.3f} / {in_top3[boot].mean():.3f}") if boot.any() else "0"
        print(f"| [{lo:.2f}, {min(hi, 1):.2f}) | {posterior} | {bootstrap} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=300)
    parser.add_argument("--icc", type=float, action="append", help="a regime (default: 0.01, 0.05 and 0.2)")
    parser.add_argument("--method", default=None, help="a method file or packaged name (default: the published one)")
    args = parser.parse_args()
    method = load(args.method)
    truth = Truth(method)
    for icc in args.icc or REGIMES:
        regime(method, truth, icc, args.years, seed=7)  # the same seed whichever regimes are asked for


if __name__ == "__main__":
    main()

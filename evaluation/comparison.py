"""What a leader reads beside each figure of a prefecture's drill-down: the province's value (the
mean over the ranked prefectures that have one) and the gap to the prefecture in 3rd place, the last
of the three 最优单位.  A figure a prefecture lacks stays missing (None), never 0."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scoring.evaluate import Evaluation, PrefectureResult

THIRD = 3


@dataclass(frozen=True)
class Beside:
    province: float | None
    third: float | None

    def gap(self, value: float | None) -> float | None:
        """``value`` minus 3rd place's (negative: behind it); None where either is missing."""
        return None if value is None or self.third is None else value - self.third


def beside(evaluation: Evaluation, pick: Callable[[PrefectureResult], float | None]) -> Beside:
    values = [v for v in map(pick, evaluation.prefectures) if v is not None]
    third = pick(evaluation.prefectures[THIRD - 1]) if len(evaluation.prefectures) >= THIRD else None
    return Beside(sum(values) / len(values) if values else None, third)


def drill_down(evaluation: Evaluation, office: bool) -> dict:
    """The comparisons of the drill-down page.  The composite's are for everyone (the published
    ranking names every composite); the sources', sections' and questions' only for the office,
    which alone sees other prefectures' source scores."""
    found = {"composite": beside(evaluation, lambda p: p.composite)}
    if office:
        first = evaluation.prefectures[0].detail
        found |= {
            "sources": {s: beside(evaluation, lambda p, s=s: p.sources[s]) for s in evaluation.method.sources},
            "sections": [beside(evaluation, lambda p, i=i: p.detail["sections"][i]) for i in range(len(first["sections"]))],
            "questions": {k: beside(evaluation, lambda p, k=k: p.detail["questions"][k]["mean"]) for k in first["questions"]},
        }
    return found

"""The evaluation method: weights and option scores, read from a TOML method file."""
from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

SOURCES = ("survey", "monitoring", "complaints", "spotcheck")


@dataclass(frozen=True)
class Method:
    name: str
    weights: dict[str, float]
    option_scores: dict[int, dict[str, float]]  # question number → option code → score
    problem_lists: tuple[int, ...]
    cutoff: str  # MM-DD within the evaluation year


def load(path: str | Path | None = None) -> Method:
    """Read and check a method file (the packaged default when ``path`` is None).

    Raises ``ValueError`` naming the file and the setting that is wrong.
    """
    source = Path(path) if path else files(__package__).joinpath("methods/default.toml")
    where = str(path or "scoring/methods/default.toml")
    try:
        data = tomllib.loads(source.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{where}：无法读取方法文件（{exc}）") from None
    weights = {k: float(v) for k, v in data.get("weights", {}).items()}
    if set(weights) != set(SOURCES):
        raise ValueError(f"{where}：[weights] 须恰好包含 {', '.join(SOURCES)}")
    if any(w < 0 for w in weights.values()) or not math.isclose(sum(weights.values()), 1.0, abs_tol=1e-9):
        raise ValueError(f"{where}：权重须都不小于 0 且合计为 1，实际合计 {sum(weights.values()):g}")
    survey = data.get("survey", {})
    scores = {}
    for key, options in survey.get("option_scores", {}).items():
        number = int(key.removeprefix("q"))
        for code, score in options.items():
            if not 0 <= score <= 100:
                raise ValueError(f"{where}：{key}.{code} 的分值 {score} 不在 0–100 之间")
        scores[number] = {code: float(score) for code, score in options.items()}
    return Method(
        name=str(data.get("name", source.name)), weights=weights, option_scores=scores,
        problem_lists=tuple(survey.get("problem_lists", ())), cutoff=str(data.get("year_end_cutoff", "12-31")),
    )

"""The evaluation method: every setting of a ranking, read from a TOML method file."""
from __future__ import annotations

import math
import tomllib
from dataclasses import asdict, dataclass
from importlib.resources import files
from pathlib import Path

SOURCES = ("survey", "monitoring", "complaints", "spotcheck")
LABELS = {"survey": "问卷", "monitoring": "测评点反馈", "complaints": "投诉办理", "spotcheck": "抽查"}
NORMALISATIONS = ("none", "minmax", "zscore")
AGGREGATIONS = ("arithmetic", "geometric")


@dataclass(frozen=True)
class Uncertainty:
    seed: int = 20261231
    replicates: int = 2000          # bootstrap replicates B
    weight_draws: int = 2000        # Dirichlet draws N
    concentration: float = 50.0     # Dirichlet(concentration · w)
    level: float = 0.90             # interval coverage
    top: int = 3                    # the awarded places


@dataclass(frozen=True)
class Method:
    name: str
    weights: dict[str, float]
    option_scores: dict[int, dict[str, float]]  # question number → option code → score
    problem_lists: tuple[int, ...]
    cutoff: str  # MM-DD within the evaluation year
    normalisation: str = "none"
    aggregation: str = "arithmetic"
    shrinkage: bool = False         # empirical-Bayes shrinkage of the survey score
    min_respondents: int = 20       # fewer respondents than this are flagged
    uncertainty: Uncertainty = Uncertainty()

    def as_applied(self) -> dict:
        """The method as a JSON-ready dict (the ``method`` block of the ranking output)."""
        return {
            "name": self.name, "weights": dict(self.weights),
            "option_scores": {f"q{n}": dict(s) for n, s in sorted(self.option_scores.items())},
            "problem_lists": list(self.problem_lists), "cutoff": self.cutoff,
            "normalisation": self.normalisation, "aggregation": self.aggregation,
            "shrinkage": self.shrinkage, "min_respondents": self.min_respondents,
            "bootstrap": asdict(self.uncertainty),
        }


def load(path: str | Path | None = None) -> Method:
    """Read and check a method file (the packaged default when ``path`` is None).

    Raises ``ValueError`` naming the file and the setting that is wrong.
    """
    source = Path(path) if path else files(__package__).joinpath("methods/default.toml")
    where = str(path or "scoring/methods/default.toml")
    data = _read(source, where)
    if "extends" in data:  # a variant names the method it changes and lists only the changes
        parent = files(__package__).joinpath("methods", data.pop("extends"))
        data = _merge(_read(parent, str(parent)), data)
    try:
        return _method(data, source.name)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{where}：{exc}") from None


def _read(source, where: str) -> dict:
    try:
        return tomllib.loads(source.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{where}：无法读取方法文件（{exc}）") from None


def _merge(base: dict, change: dict) -> dict:
    merged = dict(base)
    for key, value in change.items():
        merged[key] = _merge(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return merged


def _method(data: dict, default_name: str) -> Method:
    weights = {k: float(v) for k, v in data.get("weights", {}).items()}
    if set(weights) != set(SOURCES):
        raise ValueError(f"[weights] 须恰好包含 {', '.join(SOURCES)}")
    if any(w < 0 for w in weights.values()) or not math.isclose(sum(weights.values()), 1.0, abs_tol=1e-9):
        raise ValueError(f"权重须都不小于 0 且合计为 1，实际合计 {sum(weights.values()):g}")
    survey = data.get("survey", {})
    scores = {}
    for key, options in survey.get("option_scores", {}).items():
        for code, score in options.items():
            if not 0 <= score <= 100:
                raise ValueError(f"{key}.{code} 的分值 {score} 不在 0–100 之间")
        scores[int(key.removeprefix("q"))] = {code: float(score) for code, score in options.items()}
    combine = data.get("composite", {})
    normalisation, aggregation = combine.get("normalisation", "none"), combine.get("aggregation", "arithmetic")
    if normalisation not in NORMALISATIONS:
        raise ValueError(f"[composite] normalisation 须为 {' / '.join(NORMALISATIONS)}")
    if aggregation not in AGGREGATIONS:
        raise ValueError(f"[composite] aggregation 须为 {' / '.join(AGGREGATIONS)}")
    unknown = set(data.get("uncertainty", {})) - set(Uncertainty.__dataclass_fields__)
    if unknown:
        raise ValueError(f"[uncertainty] 没有设定 {', '.join(sorted(unknown))}")
    uncertainty = Uncertainty(**data.get("uncertainty", {}))
    if uncertainty.replicates < 10 or uncertainty.weight_draws < 10 or not 0 < uncertainty.level < 1:
        raise ValueError("[uncertainty] replicates 与 weight_draws 须至少为 10，level 须在 0 与 1 之间")
    return Method(
        name=str(data.get("name", default_name)), weights=weights, option_scores=scores,
        problem_lists=tuple(survey.get("problem_lists", ())), cutoff=str(data.get("year_end_cutoff", "12-31")),
        normalisation=normalisation, aggregation=aggregation,
        shrinkage=bool(data.get("diagnostics", {}).get("shrinkage", False)),
        min_respondents=int(data.get("diagnostics", {}).get("min_respondents", 20)),
        uncertainty=uncertainty,
    )

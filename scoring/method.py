"""The evaluation method: every setting of a ranking, read from a TOML method file."""
from __future__ import annotations

import math
import tomllib
from dataclasses import asdict, dataclass, fields
from importlib.resources import files
from pathlib import Path

SOURCES = ("survey", "monitoring", "complaints", "spotcheck")
# A source a method may add with a weight of its own (off in the default method): the project
# ledger's KPIs (projects.csv, scoring.projects).  It comes after the four, in this order.
OPTIONAL = ("projects",)
ALL_SOURCES = SOURCES + OPTIONAL
LABELS = {"survey": "问卷", "monitoring": "测评点反馈", "complaints": "投诉办理", "spotcheck": "抽查",
          "projects": "项目台账"}
NORMALISATIONS = ("none", "minmax", "zscore")
AGGREGATIONS = ("arithmetic", "geometric")
COMPLAINT_RULES = ("accepted", "received")   # which cases count, and from when a deadline runs
# what a prefecture lacking a source gets, in the words of the pages and the report
MISSING_RULES = {"mean": "用其他市州的平均补齐", "floor": "计 0 分"}
# what is resampled within a prefecture for each source, in the same words
RESAMPLED = {"survey": "答卷", "monitoring": "测评点", "complaints": "投诉案件", "spotcheck": "抽查单位"}
P_TOP_RULES = ("bootstrap", "posterior")     # how P(top k) is computed


@dataclass(frozen=True)
class Complaints:
    """How the complaint score is made (docs/methodology.md, 投诉得分).

    ``accepted`` (v1): the accepted cases at the cut-off, measured against their ``due_on``
    (complaints.measures.at_cutoff), rates of the prefecture's own cases.  ``received`` (v2): every
    case received in the year that the centre accepted (refused ones count nowhere), against one
    deadline ``deadline_days`` after receipt; a late reply earns ``late_reply``, none earns 0; each rate is shrunk towards
    the province's by ``prior_cases`` cases.
    """
    rule: str = "accepted"
    deadline_days: int = 35
    late_reply: float = 0.0
    prior_cases: float = 0.0


@dataclass(frozen=True)
class Uncertainty:
    seed: int = 20261231
    replicates: int = 2000          # bootstrap replicates B
    weight_draws: int = 2000        # Dirichlet draws N
    concentration: float = 50.0     # Dirichlet(concentration · w)
    level: float = 0.90             # interval coverage
    top: int = 3                    # the awarded places
    resample: tuple[str, ...] = ("survey", "monitoring")  # the sources that are samples, resampled per prefecture
    p_top: str = "bootstrap"        # bootstrap share, or the empirical-Bayes posterior of the composites
    posterior_draws: int = 4000     # draws of the posterior when p_top = "posterior"


@dataclass(frozen=True)
class Method:
    name: str
    weights: dict[str, float]
    option_scores: dict[int, dict[str, float]]  # question number → option code → score
    problem_lists: tuple[int, ...]
    cutoff: str  # MM-DD within the evaluation year
    version: str = "1"
    no_problem_score: float | None = None  # the score of "N" (以上都没有) on a problem list; None: a blank
    complaints: Complaints = Complaints()
    missing: str = "mean"
    normalisation: str = "none"
    aggregation: str = "arithmetic"
    shrinkage: bool = False         # empirical-Bayes shrinkage of the survey score
    min_respondents: int = 20       # fewer respondents than this are flagged
    tau2_floor: float = 0.0         # empirical Bayes: τ² ≥ tau2_floor × the median sampling variance
    uncertainty: Uncertainty = Uncertainty()

    @property
    def sources(self) -> tuple[str, ...]:
        """The sources this method ranks by, in order: the four, and the optional ones it weighs."""
        return SOURCES + tuple(s for s in OPTIONAL if s in self.weights)

    @property
    def missing_words(self) -> str:
        """What a lacking source gets (用其他市州的平均补齐 / 计 0 分)."""
        return MISSING_RULES[self.missing]

    @property
    def resampled_words(self) -> str:
        """What the bootstrap resamples within each prefecture (答卷、测评点、…)."""
        return "、".join(RESAMPLED[s] for s in self.uncertainty.resample)

    def as_applied(self) -> dict:
        """The method as a JSON-ready dict (the ``method`` block of the ranking output)."""
        return {
            "name": self.name, "version": self.version, "weights": dict(self.weights),
            "option_scores": {f"q{n}": dict(s) for n, s in sorted(self.option_scores.items())},
            "problem_lists": list(self.problem_lists), "no_problem_score": self.no_problem_score,
            "cutoff": self.cutoff, "complaints": asdict(self.complaints), "missing": self.missing,
            "normalisation": self.normalisation, "aggregation": self.aggregation,
            "shrinkage": self.shrinkage, "min_respondents": self.min_respondents, "tau2_floor": self.tau2_floor,
            "bootstrap": asdict(self.uncertainty) | {"resample": list(self.uncertainty.resample)},
        }


def from_applied(applied: dict) -> Method:
    """The method a result records (:meth:`Method.as_applied`), read back: a stored result is shown
    and reported with the method it was computed by.  Settings a result of an earlier version does
    not record take their defaults, which are that version's."""
    bootstrap = {k: v for k, v in applied.get("bootstrap", {}).items() if k in {f.name for f in fields(Uncertainty)}}
    if "resample" in bootstrap:
        bootstrap["resample"] = tuple(bootstrap["resample"])
    plain = {f.name for f in fields(Method)} - {"weights", "option_scores", "problem_lists", "complaints", "uncertainty"}
    return Method(**{k: v for k, v in applied.items() if k in plain},
                  weights=dict(applied["weights"]),
                  option_scores={int(q.removeprefix("q")): dict(s) for q, s in applied["option_scores"].items()},
                  problem_lists=tuple(applied["problem_lists"]),
                  complaints=Complaints(**applied.get("complaints", {})), uncertainty=Uncertainty(**bootstrap))


def load(path: str | Path | None = None) -> Method:
    """Read and check a method file: the packaged default when ``path`` is None, a packaged method
    when ``path`` is its bare name (``"v1"``: the method of 2026 before version 2), else a file.

    Raises ``ValueError`` naming the file and the setting that is wrong.
    """
    packaged = path is None or (isinstance(path, str) and path.isidentifier())
    name = f"{path or 'default'}.toml" if packaged else None
    source = files(__package__).joinpath("methods", name) if name else Path(path)
    where = f"scoring/methods/{name}" if name else str(path)
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
    if not set(SOURCES) <= set(weights) <= set(ALL_SOURCES):
        raise ValueError(f"[weights] 须恰好包含 {', '.join(SOURCES)}（可另加 {', '.join(OPTIONAL)}）")
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
    settings = dict(data.get("uncertainty", {}))
    settings["resample"] = tuple(settings.get("resample", Uncertainty.resample))
    uncertainty = Uncertainty(**settings)
    if uncertainty.replicates < 10 or uncertainty.weight_draws < 10 or not 0 < uncertainty.level < 1:
        raise ValueError("[uncertainty] replicates 与 weight_draws 须至少为 10，level 须在 0 与 1 之间")
    if not set(uncertainty.resample) <= set(SOURCES):
        raise ValueError(f"[uncertainty] resample 只能列出 {', '.join(SOURCES)}")
    if uncertainty.p_top not in P_TOP_RULES:
        raise ValueError(f"[uncertainty] p_top 须为 {' / '.join(P_TOP_RULES)}")
    unknown = set(data.get("complaints", {})) - set(Complaints.__dataclass_fields__)
    if unknown:
        raise ValueError(f"[complaints] 没有设定 {', '.join(sorted(unknown))}")
    complaints = Complaints(**data.get("complaints", {}))
    if complaints.rule not in COMPLAINT_RULES:
        raise ValueError(f"[complaints] rule 须为 {' / '.join(COMPLAINT_RULES)}")
    if not 0 <= complaints.late_reply <= 1 or complaints.prior_cases < 0 or complaints.deadline_days < 1:
        raise ValueError("[complaints] late_reply 须在 0 与 1 之间，prior_cases 不小于 0，deadline_days 至少为 1")
    missing = data.get("missing", {}).get("rule", "mean")
    if missing not in MISSING_RULES:
        raise ValueError(f"[missing] rule 须为 {' / '.join(MISSING_RULES)}")
    no_problem = survey.get("no_problem_score")
    if no_problem is not None and not 0 <= no_problem <= 100:
        raise ValueError(f"[survey] no_problem_score {no_problem} 不在 0–100 之间")
    diagnostics = data.get("diagnostics", {})
    return Method(
        name=str(data.get("name", default_name)), version=str(data.get("version", "1")), weights=weights,
        option_scores=scores, problem_lists=tuple(survey.get("problem_lists", ())),
        no_problem_score=None if no_problem is None else float(no_problem),
        cutoff=str(data.get("year_end_cutoff", "12-31")), complaints=complaints, missing=missing,
        normalisation=normalisation, aggregation=aggregation,
        shrinkage=bool(diagnostics.get("shrinkage", False)), min_respondents=int(diagnostics.get("min_respondents", 20)),
        tau2_floor=float(diagnostics.get("tau2_floor", 0.0)), uncertainty=uncertainty,
    )

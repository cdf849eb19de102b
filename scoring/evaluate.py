"""The whole evaluation of one year: from a bundle to the ranked prefectures with their
intervals, weight sensitivity and diagnostics (the JSON of ``investenv rank``)."""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from complaints.measures import SATISFACTION_RATE
from survey import questionnaire

from . import bundle as bundles
from . import diagnostics, survey
from . import projects as ledger
from .composite import aggregate, competition_rank, impute, normalise
from .method import Method
from .ranksets import rank_sets
from .sources import (
    MEASURES,
    case_counts,
    complaint_scores,
    mean_point_score,
    point_scores,
    shrunk_rates,
    unit_scores,
)
from .uncertainty import bootstrap_sources, posterior_p_top, replicate_ranking, tie_zone, weight_sensitivity


@dataclass
class PrefectureResult:
    code: str
    name: str
    rank: int
    composite: float
    sources: dict[str, float]
    imputed: list[str]
    n_responses: int
    composite_interval: list[float]
    rank_interval: list[int]
    p_top3: float
    weight_rank_range: list[int]
    small_sample: bool
    rank_set_marginal: list[int] = field(default_factory=list)
    rank_set_simultaneous: list[int] = field(default_factory=list)
    p_top3_bootstrap: float = 0.0
    detail: dict = field(default_factory=dict)

    def as_json(self, detail: bool = False) -> dict:
        data = {
            "code": self.code, "name": self.name, "rank": self.rank, "composite": round(self.composite, 4),
            "sources": {k: round(v, 4) for k, v in self.sources.items()}, "imputed": self.imputed,
            "n_responses": self.n_responses, "composite_interval": [round(v, 2) for v in self.composite_interval],
            "rank_interval": self.rank_interval, "p_top3": round(self.p_top3, 4),
            "weight_rank_range": self.weight_rank_range, "small_sample": self.small_sample,
            "rank_set_marginal": self.rank_set_marginal, "rank_set_simultaneous": self.rank_set_simultaneous,
            "p_top3_bootstrap": round(self.p_top3_bootstrap, 4),
        }
        if detail:
            data["detail"] = self.detail
        return data


@dataclass
class Evaluation:
    year: int
    method: Method
    prefectures: list[PrefectureResult]   # in rank order
    tie_zone: bool
    weight_stability: float
    diagnostics: dict
    top3_statement: dict = field(default_factory=dict)

    @property
    def top3(self) -> list[str]:
        return [p.code for p in self.prefectures if p.rank <= self.method.uncertainty.top]

    def by_code(self, code: str) -> PrefectureResult | None:
        return next((p for p in self.prefectures if p.code == code), None)

    def as_json(self, detail: bool = False) -> dict:
        return {"year": self.year, "method": self.method.as_applied(),
                "prefectures": [p.as_json(detail) for p in self.prefectures], "top3": self.top3,
                "tie_zone": self.tie_zone, "weight_stability": round(self.weight_stability, 4),
                "top3_statement": self.top3_statement, "diagnostics": self.diagnostics}


@dataclass
class _Inputs:
    """The year's data split by prefecture (in the order of the bundle's units)."""
    codes: list[str]
    survey: list[survey.SurveyMatrix]
    all_survey: survey.SurveyMatrix
    points: list[dict[str, float]]
    rows: list[dict[str, list[dict]]]
    problems: list[dict[str, dict[str, int]]]
    cases: list[np.ndarray]     # per prefecture: n cases × 3 measures × (numerator, denominator)
    units: list[np.ndarray]     # per prefecture: n spot-checked units × (score, max_score)
    projects: np.ndarray | None = None  # per prefecture: the project source (NaN: none), when the method weighs it

    def subset(self, keep: np.ndarray) -> _Inputs:
        pick = np.flatnonzero(keep)
        return _Inputs([self.codes[i] for i in pick], [self.survey[i] for i in pick], self.all_survey,
                       [self.points[i] for i in pick], [self.rows[i] for i in pick], [self.problems[i] for i in pick],
                       [self.cases[i] for i in pick], [self.units[i] for i in pick],
                       None if self.projects is None else self.projects[pick])


def _split(data: bundles.Bundle, method: Method, cutoff: dt.date) -> _Inputs:
    codes = list(data.units)
    matrix = survey.matrix(method, data.responses)
    at = {c: i for i, c in enumerate(codes)}
    owner = np.fromiter(map(at.__getitem__, data.responses.prefecture), dtype=int, count=len(data.responses))
    members = [np.flatnonzero(owner == i) for i in range(len(codes))]
    rows: list[dict[str, list[dict]]] = [defaultdict(list) for _ in codes]
    for source in ("complaints", "feedback", "spotchecks"):
        for row in getattr(data, source):
            rows[at[row["prefecture_code"].strip()]][source].append(row)
    projects = None
    if "projects" in method.sources:
        scores = ledger.prefecture_scores(data.project_rows(), cutoff.year, cutoff, codes)
        projects = np.array([_or_nan(scores[c]) for c in codes], dtype=float)
    return _Inputs(codes, [matrix.rows(m) for m in members], matrix,
                   [point_scores(r["feedback"]) for r in rows], rows, _problems(data.responses, owner, len(codes)),
                   [case_counts(r["complaints"], cutoff, method.complaints) for r in rows],
                   [unit_scores(r["spotchecks"]) for r in rows], projects)


def _problems(responses: bundles.Responses, owner: np.ndarray, units: int) -> list[dict[str, dict[str, int]]]:
    """How often each option of the questionnaire's problem questions (those with a purpose) was ticked,
    per unit (counted per distinct answer)."""
    result: list[dict[str, dict[str, int]]] = [{} for _ in range(units)]
    for question in (q.number for q in questionnaire.load().problem_questions):
        distinct = sorted(set(responses.answers[question]))
        at = {a: i for i, a in enumerate(distinct)}
        ids = np.fromiter(map(at.__getitem__, responses.answers[question]), dtype=int, count=len(responses))
        table = np.bincount(owner * len(distinct) + ids, minlength=units * len(distinct)).reshape(units, -1)
        for unit in range(units):
            ticks: Counter[str] = Counter()
            for answer, count in zip(distinct, table[unit], strict=True):
                for letter in answer.replace(bundles.NO_PROBLEM, ""):  # "none of the above" names no problem
                    ticks[letter] += int(count)
            result[unit][f"q{question}"] = dict(sorted(ticks.items()))
    return result


def _estimates(inputs: _Inputs, prior_cases: float) -> np.ndarray:
    """The table of source scores (prefecture × source, in the method's order); the complaint rates
    are shrunk towards the rates of the prefectures in ``inputs`` by ``prior_cases``."""
    totals = np.array([c.sum(axis=0) for c in inputs.cases]).reshape(len(inputs.codes), len(MEASURES), 2)
    checked = np.array([u.sum(axis=0) for u in inputs.units]).reshape(len(inputs.codes), 2)
    columns = [
        [float(survey.replicate_scores(m)[0]) for m in inputs.survey],
        [_or_nan(mean_point_score(p)) for p in inputs.points],
        complaint_scores(shrunk_rates(totals, prior_cases)),
        np.divide(100.0 * checked[:, 0], checked[:, 1], out=np.full(len(checked), np.nan), where=checked[:, 1] > 0),
        *([] if inputs.projects is None else [inputs.projects]),
    ]
    return np.column_stack(columns).reshape(len(inputs.codes), len(columns))


@dataclass
class _Combined:
    filled: np.ndarray
    imputed: np.ndarray
    normalised: np.ndarray
    composites: np.ndarray
    ranks: np.ndarray


def _combine(estimates: np.ndarray, method: Method) -> _Combined:
    """Impute, normalise, aggregate and rank one table of source scores (prefecture × source)."""
    filled, imputed = impute(estimates, method.missing)
    normalised = normalise(filled, method.normalisation)
    composites = aggregate(normalised, np.array([method.weights[s] for s in method.sources]), method.aggregation)
    return _Combined(filled, imputed, normalised, composites, competition_rank(composites))


def _with_survey(estimates: np.ndarray, survey_scores: np.ndarray) -> np.ndarray:
    table = estimates.copy()
    table[:, 0] = survey_scores
    return table


def _or_nan(value: float | None) -> float:
    return float("nan") if value is None else value


def evaluate(directory: str | Path, year: int, method: Method,
             progress: Callable[[str, int, int], None] | None = None) -> Evaluation:
    """Rank the prefectures of ``year`` from the bundle in ``directory`` with ``method``.

    ``progress(stage, done, total)`` is called as the bootstrap advances over prefectures.
    """
    return evaluate_bundle(bundles.read(directory, year), year, method, progress)


def evaluate_bundle(data: bundles.Bundle, year: int, method: Method,
                    progress: Callable[[str, int, int], None] | None = None) -> Evaluation:
    """:func:`evaluate` for a bundle already read."""
    cutoff = dt.date.fromisoformat(f"{year}-{method.cutoff}")
    everyone = _split(data, method, cutoff)
    # a prefecture without any score of its own (complaint rates unshrunk) is not ranked
    evaluated = ~np.isnan(_estimates(everyone, 0.0)).all(axis=1)
    inputs = everyone.subset(evaluated)
    estimates = _estimates(inputs, method.complaints.prior_cases)
    groups = [survey.response_scores(m) for m in inputs.survey]
    factors = diagnostics.shrinkage_factors(estimates[:, 0], groups, method.tau2_floor)
    shrinking = bool(method.shrinkage and factors)
    combined = _combine(_with_survey(estimates, diagnostics.shrink(estimates[:, 0], factors)) if shrinking
                        else estimates, method)
    filled, imputed, composites, ranks = combined.filled, combined.imputed, combined.composites, combined.ranks

    total = len(inputs.codes)
    draws = bootstrap_sources(estimates, inputs.survey, [np.array(list(p.values())) for p in inputs.points], method,
                              progress and (lambda done: progress("bootstrap", done, total)), inputs.cases, inputs.units)
    if shrinking:
        draws[:, :, 0] = diagnostics.shrink(draws[:, :, 0], factors)
    replicates = replicate_ranking(draws, method)
    level, top = method.uncertainty.level, method.uncertainty.top
    composite_interval, rank_interval = replicates.composite_interval(level), replicates.rank_interval(level)
    p_bootstrap = replicates.p_top(top)
    posterior = posterior_p_top(composites, replicates.composites, method)
    p_top = posterior.p_top if method.uncertainty.p_top == "posterior" else p_bootstrap
    sets = rank_sets(composites, replicates.composites, level, top)
    sensitivity = weight_sensitivity(combined.normalised, ranks, method)

    names = data.units
    results = [
        PrefectureResult(
            code=code, name=names[code], rank=int(ranks[i]), composite=float(composites[i]),
            sources={s: float(filled[i, j]) for j, s in enumerate(method.sources)},
            imputed=[s for j, s in enumerate(method.sources) if imputed[i, j]],
            n_responses=len(inputs.survey[i].values),
            composite_interval=[float(v) for v in composite_interval[i]],
            rank_interval=[int(v) for v in rank_interval[i]], p_top3=float(p_top[i]),
            weight_rank_range=[int(v) for v in sensitivity.rank_range[i]],
            small_sample=len(inputs.survey[i].values) < method.min_respondents,
            rank_set_marginal=[int(v) for v in sets.marginal[i]],
            rank_set_simultaneous=[int(v) for v in sets.simultaneous[i]], p_top3_bootstrap=float(p_bootstrap[i]),
            detail=_detail(inputs, i, estimates, method),
        )
        for i, code in enumerate(inputs.codes)
    ]
    results.sort(key=lambda r: (r.rank, -r.composite, r.code))
    order = [inputs.codes.index(r.code) for r in results]
    return Evaluation(
        year=year, method=method, prefectures=results,
        tie_zone=tie_zone(ranks, rank_interval, composites, top), weight_stability=sensitivity.stability,
        top3_statement={
            "top": top, "level": level,
            "surely": [inputs.codes[i] for i in order if sets.surely_top[i]],
            "possibly": [inputs.codes[i] for i in order if sets.possibly_top[i]],
            "separated": bool(sets.possibly_top.sum() <= top),
        },
        diagnostics=_diagnostics(inputs, estimates, groups, factors, method)
        | {"not_evaluated": [c for c, ok in zip(everyone.codes, evaluated, strict=True) if not ok],
           "effective_weights": _effective_weights(combined.normalised, method),
           "complaint_leverage": _complaint_leverage(inputs, method),
           "p_top3": {"rule": method.uncertainty.p_top, "grand_mean": round(posterior.grand_mean, 4),
                      "tau2": round(posterior.tau2, 4),
                      "factors": {c: round(float(k), 4) for c, k in zip(inputs.codes, posterior.factors, strict=True)}}},
    )


def _effective_weights(normalised: np.ndarray, method: Method) -> dict:
    """Each source's nominal weight and its share of the variance of the composite."""
    weights = np.array([method.weights[s] for s in method.sources])
    shares = diagnostics.effective_weights(normalised, weights)
    return {s: {"nominal": method.weights[s], "effective": _rounded(shares[j])} for j, s in enumerate(method.sources)}


def _complaint_leverage(inputs: _Inputs, method: Method) -> dict:
    """The most one more case, handled perfectly, can add to each prefecture's composite (points,
    rounded up).  Its rate on measure m, :math:`r = (a + k \\bar r)/(n + k)`, rises by
    :math:`(1 - r)/(n + k + 1)` and through the province's rate :math:`\\bar r = A/N` by at most
    :math:`k/((N + 1)(n + k + 1))`, so the composite by at most
    :math:`w \\cdot 100/3 \\cdot \\sum_m (1 + k/(N_m + 1))/(n_m + k + 1)`; m more cases add at most m times this."""
    weight, k = method.weights["complaints"], method.complaints.prior_cases
    counted = np.array([c[:, :, 1].sum(axis=0) for c in inputs.cases]).reshape(len(inputs.codes), len(MEASURES))
    province = counted.sum(axis=0)
    bound = weight * 100.0 / len(MEASURES) * ((1 + k / (province + 1)) / (counted + k + 1)).sum(axis=1)
    return {code: float(np.ceil(b * 1e4) / 1e4) for code, b in zip(inputs.codes, bound, strict=True)}


def _detail(inputs: _Inputs, i: int, estimates: np.ndarray, method: Method) -> dict:
    """Every number behind a prefecture's source scores."""
    matrix = inputs.survey[i]
    question_mean = survey.question_means(matrix)[0]
    section_mean = survey.section_means(question_mean[None, :], matrix.membership)[0]
    answered = matrix.present.sum(axis=0)
    rows = inputs.rows[i]
    counts = {key: (float(num) if key == SATISFACTION_RATE.key else _count(num), int(den))
              for key, (num, den) in zip(MEASURES, inputs.cases[i].sum(axis=0), strict=True)}
    totals = np.array([c.sum(axis=0) for c in inputs.cases]).reshape(len(inputs.codes), len(MEASURES), 2)
    shrunk = shrunk_rates(totals, method.complaints.prior_cases)[i]
    return {
        "questions": {f"q{q}": {"mean": _rounded(m), "n": int(n)}
                      for q, m, n in zip(matrix.questions, question_mean, answered, strict=True)},
        "sections": [_rounded(m) for m in section_mean],
        "monitoring_points": {code: round(score, 4) for code, score in sorted(inputs.points[i].items())},
        "complaints": {name: {"numerator": num, "denominator": den, "rate": round(num / den, 4) if den else None,
                              "shrunk": _rounded(rate)}
                       for (name, (num, den)), rate in zip(counts.items(), shrunk, strict=True)}
        | {"cases": len(rows["complaints"])},
        "spotcheck": {"units": len(rows["spotchecks"]),
                      "score": sum(float(r["score"]) for r in rows["spotchecks"]),
                      "max_score": sum(float(r["max_score"]) for r in rows["spotchecks"])},
        "problems": inputs.problems[i],
    } | ({} if inputs.projects is None else {"projects": _rounded(inputs.projects[i])})


def _count(value: float) -> int | float:
    """A count as it reads: 3, not 3.0 (version 2's late replies count halves)."""
    return int(value) if float(value).is_integer() else float(value)


def _rounded(value: float) -> float | None:
    return None if np.isnan(value) else round(float(value), 4)


def _diagnostics(inputs: _Inputs, estimates: np.ndarray, groups: list[np.ndarray], factors: dict | None,
                 method: Method) -> dict:
    respondents = {code: len(m.values) for code, m in zip(inputs.codes, inputs.survey, strict=True)}
    return {
        "respondents": respondents,
        "small_samples": [c for c, n in respondents.items() if n < method.min_respondents],
        "cronbach_alpha": diagnostics.cronbach_alpha(inputs.all_survey.values),
        "spearman": diagnostics.source_correlations(estimates),
        "kruskal_wallis": diagnostics.kruskal_wallis(groups),
        "shrinkage": factors and _shrinkage_effect(inputs.codes, estimates, factors, method),
    }


def _shrinkage_effect(codes: list[str], estimates: np.ndarray, factors: dict, method: Method) -> dict:
    """The survey means before and after empirical-Bayes shrinkage, and the ranks either gives."""
    shrunk = diagnostics.shrink(estimates[:, 0], factors)
    ranks_raw = _combine(estimates, method).ranks
    ranks_shrunk = _combine(_with_survey(estimates, shrunk), method).ranks
    return {
        "applied": method.shrinkage, "grand_mean": round(factors["grand_mean"], 4), "tau2": round(factors["tau2"], 4),
        "prefectures": {code: {"raw": _rounded(estimates[i, 0]), "shrunk": _rounded(shrunk[i]),
                               "factor": round(float(factors["factors"][i]), 4),
                               "rank_raw": int(ranks_raw[i]), "rank_shrunk": int(ranks_shrunk[i])}
                        for i, code in enumerate(codes)},
        "ranks_changed": int((ranks_raw != ranks_shrunk).sum()),
    }

"""The survey score, vectorised so that the point estimate and every bootstrap replicate use
one formula: a replicate is the same weighted mean with resampling counts as weights.

.. math:: S = \\frac{1}{|K|} \\sum_{k \\in K} \\frac{1}{|Q_k|} \\sum_{q \\in Q_k}
          \\frac{\\sum_r c_r\\, m_{rq}\\, s_{rq}}{\\sum_r c_r\\, m_{rq}}

where :math:`s_{rq}` is response :math:`r`'s score on question :math:`q`, :math:`m_{rq}` is 1 when
it is present, :math:`c_r` the weight of the response (1 for the estimate, the resampling count in a
bootstrap replicate). A question with :math:`\\sum_r c_r m_{rq} = 0` is skipped, and so is a section
with no question left.  Reference: OECD/JRC *Handbook on Constructing Composite Indicators* (2008),
step 6 (aggregation).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from survey import questionnaire

from .bundle import NO_PROBLEM, Responses, problems_listed
from .method import Method


def question_score(method: Method, number: int, answer: str) -> float:
    """One answer's score; NaN when it is missing (blank, 其它, or an unscored question).

    .. math:: s = \\text{option\\_scores}[q][a] \\quad\\text{or, for problem lists,}\\quad
              s = 100\\,(1 - k / n)

    where :math:`k` is the number of ticked problems and :math:`n` the number of problems listed.
    The explicit "none of the above" (:data:`~scoring.bundle.NO_PROBLEM`) scores the method's
    ``no_problem_score`` (version 2: 100, the same as k = 0), or is a blank when the method has none (v1).
    """
    if not answer:
        return np.nan
    if number in method.problem_lists:
        if answer == NO_PROBLEM:
            return np.nan if method.no_problem_score is None else method.no_problem_score
        return 100.0 * (1 - len(answer) / problems_listed(number))
    return method.option_scores.get(number, {}).get(answer, np.nan)


@dataclass
class SurveyMatrix:
    """Scores of the scored questions: ``values[r, j]`` for response r and question ``questions[j]``."""
    questions: tuple[int, ...]
    values: np.ndarray          # n × Q, NaN where missing
    membership: np.ndarray      # Q × K: question j belongs to section k

    @property
    def present(self) -> np.ndarray:
        return ~np.isnan(self.values)

    def rows(self, index) -> SurveyMatrix:
        return SurveyMatrix(self.questions, self.values[index], self.membership)


def scored_questions(method: Method) -> tuple[int, ...]:
    return tuple(sorted(set(method.option_scores) | set(method.problem_lists)))


def matrix(method: Method, responses: Responses) -> SurveyMatrix:
    """Score every answer once; a column's distinct answers are looked up, not each cell."""
    questions = scored_questions(method)
    values = np.empty((len(responses), len(questions)))
    for j, number in enumerate(questions):
        column = responses.answers.get(number, [""] * len(responses))
        table = {a: question_score(method, number, a) for a in set(column)}
        values[:, j] = np.fromiter(map(table.__getitem__, column), dtype=float, count=len(column))
    sections = [{q.number for q in s.questions} for s in questionnaire.load().sections]
    membership = np.array([[n in s for s in sections] for n in questions], dtype=float).reshape(len(questions), -1)
    return SurveyMatrix(questions, values, membership)


def question_means(data: SurveyMatrix, counts: np.ndarray | None = None) -> np.ndarray:
    """Weighted mean of each question over the responses (NaN when nobody answered).

    ``counts`` is (B × n): one row of response weights per replicate; None means all ones.
    """
    present = data.present
    if counts is None:
        counts = np.ones((1, len(data.values)))
    totals = counts @ np.where(present, data.values, 0.0)
    answered = counts @ present.astype(float)
    return np.divide(totals, answered, out=np.full_like(totals, np.nan), where=answered > 0)


def section_means(question_mean: np.ndarray, membership: np.ndarray) -> np.ndarray:
    """Mean over each section's questions that have a mean (NaN for a section with none)."""
    known = ~np.isnan(question_mean)
    totals = np.where(known, question_mean, 0.0) @ membership
    counted = known.astype(float) @ membership
    return np.divide(totals, counted, out=np.full_like(totals, np.nan), where=counted > 0)


def overall(section_mean: np.ndarray) -> np.ndarray:
    """Mean over the sections that have a mean (NaN when none has)."""
    known = ~np.isnan(section_mean)
    counted = known.sum(axis=-1)
    totals = np.where(known, section_mean, 0.0).sum(axis=-1)
    return np.divide(totals, counted, out=np.full(totals.shape, np.nan), where=counted > 0)


def replicate_scores(data: SurveyMatrix, counts: np.ndarray | None = None) -> np.ndarray:
    """The survey score for each row of ``counts`` (a single estimate when ``counts`` is None)."""
    return overall(section_means(question_means(data, counts), data.membership))


def response_scores(data: SurveyMatrix) -> np.ndarray:
    """Each response's own survey score (the formula applied to that response alone)."""
    return overall(section_means(data.values, data.membership))


def survey_score(method: Method, responses: Responses) -> float | None:
    """The survey score of a group of responses; None when none of them answered a scored question."""
    score = float(replicate_scores(matrix(method, responses))[0])
    return None if np.isnan(score) else score

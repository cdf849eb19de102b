"""Properties of the survey score and ranking (hypothesis)."""
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.bundle import Responses, options
from scoring.composite import aggregate, competition_rank, impute
from scoring.method import load
from scoring.survey import survey_score as score_responses

METHOD = load()
OPTIONS = options()
SCORED = sorted(METHOD.option_scores)


def survey_score(method, rows):
    return score_responses(method, Responses.from_rows(rows))


def answer(question: int):
    letters = OPTIONS[question]
    if question in METHOD.problem_lists:
        return st.lists(st.sampled_from(letters), unique=True).map(lambda picked: "".join(sorted(picked)))
    return st.sampled_from(["", *letters])


response = st.fixed_dictionaries({f"q{n}": answer(n) for n in SCORED + list(METHOD.problem_lists)})
responses = st.lists(response, min_size=1, max_size=12)


@settings(max_examples=80)
@given(responses)
def test_survey_score_stays_within_0_and_100(rows):
    score = survey_score(METHOD, rows)
    assert score is None or 0 <= score <= 100


@settings(max_examples=60)
@given(responses, st.randoms(use_true_random=False))
def test_permuting_rows_changes_nothing(rows, rng):
    shuffled = list(rows)
    rng.shuffle(shuffled)
    before, after = survey_score(METHOD, rows), survey_score(METHOD, shuffled)
    assert (before is None and after is None) or math.isclose(before, after, abs_tol=1e-9)


@settings(max_examples=80)
@given(responses, st.data())
def test_improving_one_answer_never_lowers_the_score(rows, data):
    row = data.draw(st.integers(0, len(rows) - 1))
    question = data.draw(st.sampled_from(SCORED))
    scores = METHOD.option_scores[question]
    current = rows[row][f"q{question}"]
    best = max(scores, key=scores.get)
    if current in scores:  # an answered, scored question: replace it by its best option
        improved = [dict(r) for r in rows]
        improved[row][f"q{question}"] = best
        assert survey_score(METHOD, improved) >= survey_score(METHOD, rows) - 1e-9


@settings(max_examples=40)
@given(st.lists(st.one_of(st.none(), st.floats(0, 100)), min_size=4 * 5, max_size=4 * 5), st.integers(0, 2**32 - 1))
def test_identical_inputs_give_identical_ranks(values, seed):
    table = np.array([np.nan if v is None else v for v in values]).reshape(5, 4)
    table[0] = [50, 50, 50, 50]  # every source known somewhere
    order = np.random.default_rng(seed).permutation(5)

    def run(rows):
        filled, _ = impute(rows)
        return competition_rank(aggregate(filled, np.array([0.4, 0.2, 0.2, 0.2]), "arithmetic"))

    assert run(table).tolist() == run(table).tolist()
    assert run(table[order]).tolist() == run(table)[order].tolist()

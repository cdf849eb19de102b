"""Properties of the survey score and ranking (hypothesis)."""
import math
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.bundle import options
from scoring.composite import Result, combine, impute, rank
from scoring.method import load
from scoring.sources import survey_score

METHOD = load()
OPTIONS = options()
COUNTS = {n: len(letters) for n, letters in OPTIONS.items()}
SCORED = sorted(METHOD.option_scores)


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
    score = survey_score(METHOD, rows, COUNTS)
    assert score is None or 0 <= score <= 100


@settings(max_examples=60)
@given(responses, st.randoms(use_true_random=False))
def test_permuting_rows_changes_nothing(rows, rng):
    shuffled = list(rows)
    rng.shuffle(shuffled)
    before, after = survey_score(METHOD, rows, COUNTS), survey_score(METHOD, shuffled, COUNTS)
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
        assert survey_score(METHOD, improved, COUNTS) >= survey_score(METHOD, rows, COUNTS) - 1e-9


@settings(max_examples=40)
@given(st.lists(st.floats(0, 100), min_size=4 * 5, max_size=4 * 5), st.integers(0, 2**32 - 1))
def test_identical_inputs_give_identical_ranks(values, seed):
    def run():
        results = [Result(str(430100 + i * 100), str(i), dict(zip(("survey", "monitoring", "complaints", "spotcheck"),
                                                                values[4 * i:4 * i + 4], strict=True)))
                   for i in range(5)]
        random.Random(seed).shuffle(results)
        impute(results)
        combine(METHOD, results)
        rank(results)
        return [(r.code, r.rank) for r in results]

    assert run() == run()

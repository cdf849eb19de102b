"""The spot-check sample: reproducible from seed and frame, stratified by county."""
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spotchecks.sampling import Unit, draw

FRAME = [Unit("430800", county, f"{county}-{kind}") for county in ("430802", "430811", "430821", "430822")
         for kind in "ABCDEFG"] + [Unit("430300", "430302", f"x{i}") for i in range(3)]


def test_redrawing_from_the_stored_seed_and_frame_gives_the_identical_sample():
    first = draw(FRAME, 20261015, 6)
    assert draw(list(reversed(FRAME)), 20261015, 6) == first  # frame order does not matter
    assert draw(FRAME, 20261016, 6) != first


def test_every_county_gets_one_before_any_gets_two():
    sample = [u for u in draw(FRAME, 1, 6) if u.prefecture_code == "430800"]
    counts = Counter(u.county_code for u in sample)
    assert len(sample) == 6 and set(counts) == {"430802", "430811", "430821", "430822"}
    assert sorted(counts.values()) == [1, 1, 2, 2]


def test_a_small_prefecture_gives_what_it_has():
    assert len([u for u in draw(FRAME, 3, 6) if u.prefecture_code == "430300"]) == 3


def test_bad_input_raises():
    with pytest.raises(ValueError, match="抽样框为空"):
        draw([], 1, 2)
    with pytest.raises(ValueError, match="至少为 1"):
        draw(FRAME, 1, 0)


@settings(max_examples=60)
@given(st.integers(0, 2**31 - 1), st.integers(1, 30))
def test_sample_is_distinct_units_of_the_frame_and_balanced(seed, size):
    sample = draw(FRAME, seed, size)
    assert len(sample) == len(set(sample)) and set(sample) <= set(FRAME)
    big = Counter(u.county_code for u in sample if u.prefecture_code == "430800")
    assert max(big.values()) - min(big.values()) <= 1

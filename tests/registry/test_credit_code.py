"""Unified social credit codes: GB 32100-2015 check character."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from investenv.registry.credit_code import ALPHABET, check_character, compose, validate

# The example printed in GB 32100-2015 and in most explanations of it.
STANDARD_EXAMPLE = "91350100M000100Y43"


def test_standard_example_is_valid():
    assert validate(STANDARD_EXAMPLE) == STANDARD_EXAMPLE


def test_check_character_worked_by_hand():
    # Σ v(c_i)·w_i for 91350100M000100Y4 = 9·1 + 1·3 + 3·9 + 5·27 + 0 + 1·26 + 0 + 0
    #   + 21·20 (M) + 0 + 0 + 0 + 1·8 + 0 + 0 + 30·30 (Y) + 4·28 = 1640; 1640 mod 31 = 28;
    # 31 − 28 = 3.
    assert check_character("91350100M000100Y4") == "3"


def test_input_is_normalised():
    assert validate(" 91350100m000100y43 ") == STANDARD_EXAMPLE
    assert validate("９１３５０１００Ｍ０００１００Ｙ４３") == STANDARD_EXAMPLE


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y44", "校验位错误：按 GB 32100-2015 应为 3"),
        ("91350100M000100Y4", "应为 18 位"),
        ("91350100M000100I43", "非法字符 I"),
        ("91ABCDEFM000100Y43", "行政区划代码"),
        ("", "应为 18 位，实际为 0 位"),
    ],
)
def test_invalid_codes_are_explained(code, message):
    with pytest.raises(ValueError, match=message):
        validate(code)


body = st.text(alphabet=ALPHABET, min_size=8, max_size=8)


@given(body, st.integers(0, 17), st.sampled_from(ALPHABET))
def test_every_single_character_substitution_is_detected(organisation_body, position, replacement):
    code = compose("91", "430100", organisation_body)
    assert validate(code) == code
    changed = code[:position] + replacement + code[position + 1 :]
    if changed != code:
        with pytest.raises(ValueError):
            validate(changed)

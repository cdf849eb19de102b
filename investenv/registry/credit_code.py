"""The unified social credit code (统一社会信用代码), GB 32100-2015.

Eighteen characters: registration authority (1), organisation type (1), administrative division
(6), organisation code (9, per GB 11714) and a check character.  The check character is

.. math:: c_{18} = (31 - \\sum_{i=1}^{17} v(c_i) w_i \\bmod 31) \\bmod 31

where :math:`v` maps a character to its position in ``0123456789ABCDEFGHJKLMNPQRTUWXY`` (the
letters I, O, Z, S and V are never used) and :math:`w_i = 3^{i-1} \\bmod 31`.
"""
from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}


def check_character(first17: str) -> str:
    """The check character for the first 17 characters of a code."""
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise(raw: str) -> str:
    """Upper-case, drop spaces and hyphens, and turn full-width characters half-width."""
    text = "".join(chr(ord(c) - 0xFEE0) if "！" <= c <= "～" else c for c in raw)
    return "".join(text.split()).replace("-", "").upper()


def validate(raw: str) -> str:
    """Return the normalised code, or raise ``ValueError`` with a Chinese message."""
    code = normalise(raw)
    if len(code) != 18:
        raise ValueError(f"统一社会信用代码应为 18 位，实际为 {len(code)} 位")
    bad = sorted({c for c in code if c not in _VALUE})
    if bad:
        raise ValueError(f"统一社会信用代码含非法字符 {'、'.join(bad)}（不使用 I、O、Z、S、V）")
    if not code[2:8].isdigit():
        raise ValueError("统一社会信用代码第 3–8 位应为行政区划代码（6 位数字）")
    expected = check_character(code[:17])
    if code[17] != expected:
        raise ValueError(f"统一社会信用代码校验位错误：按 GB 32100-2015 应为 {expected}，实际为 {code[17]}")
    return code


ORG_ALPHABET = ALPHABET  # characters usable in the organisation-code body as well
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organisation_check(body: str) -> str:
    """Check character of an 8-character organisation-code body (GB 11714-1997)."""
    value = 11 - sum(int(c, 36) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def compose(prefix: str, division_code: str, organisation_body: str) -> str:
    """A complete, valid code from its parts: 2-character prefix, 6-digit division, 8-character body.

    Used to generate demo and test enterprises.
    """
    first17 = prefix + division_code + organisation_body + organisation_check(organisation_body)
    return first17 + check_character(first17)

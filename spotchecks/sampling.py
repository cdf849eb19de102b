"""Drawing the spot-check sample: seeded, stratified by county, reproducible from its inputs.

Given the sampling frame (every unit with its prefecture and county), the seed and the number
of units per prefecture, :func:`draw` returns the same sample on any machine:

1. one ``numpy.random.Generator`` (PCG64) is seeded with the round's seed;
2. prefectures are taken in order of their codes, and within each the counties in order of
   their codes, units in order of their names;
3. for each prefecture the counties that have units are put in a random order
   (``rng.permutation``); draws go round-robin over that order, so every county gets one unit
   before any county gets a second (stratification by county where the frame allows);
4. each draw picks a not-yet-drawn unit of that county uniformly (``rng.integers``).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Unit:
    prefecture_code: str
    county_code: str
    name: str


def draw(frame: list[Unit], seed: int, per_prefecture: int) -> list[Unit]:
    """The sample, in draw order; ``ValueError`` for an empty frame or a non-positive size."""
    if per_prefecture < 1:
        raise ValueError("每个市州的抽样数至少为 1")
    if not frame:
        raise ValueError("抽样框为空")
    rng = np.random.default_rng(seed)
    strata: dict[str, dict[str, list[Unit]]] = defaultdict(lambda: defaultdict(list))
    for unit in sorted(set(frame), key=lambda u: (u.prefecture_code, u.county_code, u.name)):
        strata[unit.prefecture_code][unit.county_code].append(unit)
    sample = []
    for prefecture_code in sorted(strata):
        counties = strata[prefecture_code]
        order = [sorted(counties)[i] for i in rng.permutation(len(counties))]
        remaining = {c: list(units) for c, units in counties.items()}
        wanted = min(per_prefecture, sum(len(u) for u in remaining.values()))
        taken = 0
        while taken < wanted:
            for county in order:
                if taken == wanted or not remaining[county]:
                    continue
                sample.append(remaining[county].pop(int(rng.integers(len(remaining[county])))))
                taken += 1
    return sample


UNIT_TYPES = ("政务服务中心", "市场监督管理局", "税务局", "自然资源局", "住房和城乡建设局", "生态环境局", "人力资源和社会保障局")


def default_frame(prefectures) -> list[Unit]:
    """A frame of the service units of every county: the county name plus each unit type."""
    return [
        Unit(p.code, c.code, f"{c.name}{kind}")
        for p in prefectures for c in p.counties for kind in UNIT_TYPES
    ]

"""The report's charts, drawn with matplotlib in the embedded CJK font (PNG bytes).

Every chart takes :class:`~evaluation.report.content.ReportData` and returns PNG bytes, so the
PDF and the dashboard show the same pictures.
"""
from __future__ import annotations

import io
import json
from collections import OrderedDict
from functools import cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from complaints import measures  # noqa: E402
from investenv.pdf import font_path  # noqa: E402
from scoring.method import LABELS  # noqa: E402

from .content import ReportData  # noqa: E402

COLOURS = ("#1f5fa8", "#e08a1e", "#3a9a5b", "#a23b72", "#6b6b6b")
TILES = Path(__file__).with_name("tiles.json")


@cache
def _font() -> str:
    path = str(font_path())
    font_manager.fontManager.addfont(path)
    name = font_manager.FontProperties(fname=path).get_name()
    plt.rcParams.update({"font.sans-serif": [name], "font.family": "sans-serif", "axes.unicode_minus": False})
    return name


def _png(figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=150, bbox_inches="tight")
    plt.close(figure)
    return out.getvalue()


def _width(units: int) -> float:
    return max(7.0, min(40.0, 0.45 * units))


def composites(data: ReportData) -> bytes:
    """The composites in rank order, with their 90 % intervals as whiskers."""
    _font()
    ranked = data.evaluation.prefectures
    values = np.array([p.composite for p in ranked])
    low = values - np.array([p.composite_interval[0] for p in ranked])
    high = np.array([p.composite_interval[1] for p in ranked]) - values
    figure, axes = plt.subplots(figsize=(_width(len(ranked)), 3.6))
    colours = [COLOURS[1] if p.code in data.evaluation.top3 else COLOURS[0] for p in ranked]
    axes.bar(range(len(ranked)), values, color=colours, yerr=[np.maximum(low, 0), np.maximum(high, 0)], capsize=3)
    axes.set_xticks(range(len(ranked)), [p.name for p in ranked], rotation=45, ha="right", fontsize=10)
    axes.set_ylabel("综合得分")
    axes.set_ylim(max(0, values.min() - 20), min(100, values.max() + 10))
    axes.set_title(f"{data.year} 年综合得分与 {data.evaluation.method.uncertainty.level:.0%} 区间（橙色为前三名）")
    return _png(figure)


def contributions(data: ReportData) -> bytes:
    """Each source's weighted contribution to the composite, stacked."""
    _font()
    ranked = data.evaluation.prefectures
    weights = data.evaluation.method.weights
    figure, axes = plt.subplots(figsize=(_width(len(ranked)), 3.6))
    bottom = np.zeros(len(ranked))
    for source, colour in zip(data.evaluation.method.sources, COLOURS, strict=False):
        part = np.array([weights[source] * p.sources[source] for p in ranked])
        axes.bar(range(len(ranked)), part, bottom=bottom, color=colour, label=f"{LABELS[source]}（权重 {weights[source]:g}）")
        bottom += part
    axes.set_xticks(range(len(ranked)), [p.name for p in ranked], rotation=45, ha="right", fontsize=10)
    axes.set_ylabel("加权得分")
    axes.legend(fontsize=9, loc="upper left", bbox_to_anchor=(1.01, 1))
    axes.set_title(f"{'四' if len(weights) == 4 else '五'}个来源对综合得分的贡献")
    return _png(figure)


def sections(data: ReportData) -> bytes:
    """Heat map of the six questionnaire sections × the prefectures (blank where no answers)."""
    _font()
    ranked = data.evaluation.prefectures
    grid = np.array([[np.nan if v is None else v for v in p.detail["sections"]] for p in ranked], dtype=float).T
    figure, axes = plt.subplots(figsize=(_width(len(ranked)), 3.4))
    image = axes.imshow(np.ma.masked_invalid(grid), cmap="RdYlGn", vmin=0, vmax=100, aspect="auto")
    axes.set_yticks(range(len(data.sections)), [s.split("、", 1)[-1] for s in data.sections], fontsize=10)
    axes.set_xticks(range(len(ranked)), [p.name for p in ranked], rotation=45, ha="right", fontsize=10)
    if len(ranked) <= 20:
        for (row, col), value in np.ndenumerate(grid):
            if not np.isnan(value):
                axes.text(col, row, f"{value:.0f}", ha="center", va="center", fontsize=9)
    figure.colorbar(image, ax=axes, fraction=0.03)
    axes.set_title("问卷六个部分的得分")
    return _png(figure)


def complaint_rates(data: ReportData) -> bytes:
    """Closure, on-time and satisfaction rates per prefecture."""
    _font()
    ranked = data.evaluation.prefectures
    figure, axes = plt.subplots(figsize=(_width(len(ranked)), 3.4))
    step = 0.8 / len(measures.EVALUATION)
    for k, (measure, colour) in enumerate(zip(measures.EVALUATION, COLOURS, strict=False)):
        rates = [p.detail["complaints"][measure.key]["rate"] for p in ranked]
        places = np.arange(len(ranked)) + (k - 1) * step
        axes.bar(places, [100 * r if r is not None else np.nan for r in rates], width=step, color=colour,
                 label=measure.label)
        for place, rate in zip(places, rates, strict=True):
            if rate is None:  # missing, not 0: no bar, and said so
                axes.text(place, 1, "无", ha="center", va="bottom", fontsize=8, color="#555555")
    axes.set_xticks(range(len(ranked)), [p.name for p in ranked], rotation=45, ha="right", fontsize=10)
    axes.set_ylabel("%")
    axes.set_ylim(0, 105)
    axes.legend(fontsize=9, loc="upper left", bbox_to_anchor=(1.01, 1))
    axes.set_title(f"投诉办理：{'、'.join(m.label for m in measures.EVALUATION)}（“无”为不计的比率）")
    return _png(figure)


def tile_map(data: ReportData) -> bytes | None:
    """The 14 prefectures as tiles coloured by composite; None when the units are not Hunan's."""
    _font()
    layout = {k: v for k, v in json.loads(TILES.read_text("utf-8")).items() if not k.startswith("_")}
    ranked = [p for p in data.evaluation.prefectures if p.code in layout]
    if not ranked or len(ranked) < len(data.evaluation.prefectures):
        return None
    figure, axes = plt.subplots(figsize=(5.2, 5.6))
    colormap = plt.get_cmap("RdYlGn")
    low, high = min(p.composite for p in ranked), max(p.composite for p in ranked)
    for p in ranked:
        row, col = layout[p.code]
        shade = colormap((p.composite - low) / (high - low) if high > low else 0.5)
        axes.add_patch(plt.Rectangle((col, -row), 0.95, 0.95, color=shade))
        axes.text(col + 0.475, -row + 0.6, p.name[:4], ha="center", va="center", fontsize=10)
        axes.text(col + 0.475, -row + 0.3, f"{p.composite:.1f}（{p.rank}）", ha="center", va="center", fontsize=9)
    missing = [c for c in layout if data.evaluation.by_code(c) is None]
    for code in missing:
        row, col = layout[code]
        axes.add_patch(plt.Rectangle((col, -row), 0.95, 0.95, color="#dddddd"))
    axes.set_xlim(-0.1, 4.1)
    axes.set_ylim(-4.1, 1.1)
    axes.set_aspect("equal")
    axes.axis("off")
    axes.set_title("各市州综合得分（括号内为名次；灰色为未参评）")
    return _png(figure)


CHARTS = {"composites": composites, "contributions": contributions, "sections": sections,
          "complaints": complaint_rates, "map": tile_map}

# The charts of published versions, by the run's fingerprint: a published run never changes.
_DRAWN: OrderedDict[str, dict[str, bytes]] = OrderedDict()
KEPT_IN_MEMORY = 4


def drawn(data: ReportData) -> dict[str, bytes]:
    """Every chart that applies (the map only for Hunan's prefectures), drawn once per published version."""
    key = data.publication and data.publication.fingerprint
    found = _DRAWN.get(key) if key else None
    if found is None:
        found = {name: png for name, draw in CHARTS.items() if (png := draw(data))}
        if key:
            _DRAWN[key] = found
            while len(_DRAWN) > KEPT_IN_MEMORY:
                _DRAWN.popitem(last=False)
    return found

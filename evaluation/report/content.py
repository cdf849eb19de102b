"""What the report says, gathered once: the evaluation, last year's, complaint KPIs, inspections,
problem lists and open-text themes — plain data that the PDF, the workbook and the dashboard share."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import numpy as np

from scoring import bundle as bundles
from scoring.evaluate import Evaluation, evaluate_bundle
from scoring.method import Method, load
from survey import questionnaire

# Open-text themes by keyword (a response may belong to several; one without a keyword is 其他).
THEMES = {
    "审批与办事效率": ("审批", "手续", "办事", "效率", "窗口", "材料", "跑", "拖"),
    "收费与负担": ("收费", "费用", "罚款", "乱收", "摊派", "税", "负担"),
    "检查与执法": ("检查", "执法", "处罚", "检查组", "多头"),
    "政策兑现与诚信": ("政策", "兑现", "承诺", "优惠", "落实", "诚信", "合同"),
    "融资与用地": ("融资", "贷款", "资金", "用地", "土地", "厂房"),
    "用工与人才": ("用工", "招工", "人才", "工人", "技术人员"),
    "基础设施与配套": ("水", "电", "路", "交通", "物流", "网络", "配套"),
    "治安与社会环境": ("治安", "盗", "阻工", "强揽", "黑恶"),
    "服务态度": ("态度", "服务", "热情", "刁难", "冷", "推诿"),
}
EXCERPT_CHARS = 60
MIN_THEME_SIZE = 3       # excerpts only from themes with at least this many answers province-wide
_IDENTIFYING = re.compile(r"\S+@\S+|https?://\S+|[0-9０-９]+|[\u4e00-\u9fff]{1,8}(公司|厂|集团|酒店|门店|商行|店)")


@dataclass
class UnitFacts:
    """Per-prefecture figures beside the evaluation: complaint KPIs, loss recovered, inspections."""
    cases: int = 0
    accepted: int = 0
    extended: int = 0
    major: int = 0
    loss_recovered: Decimal = Decimal(0)
    inspections_registered: int | None = None
    inspections_unregistered: int = 0


@dataclass
class Theme:
    name: str
    count: int
    excerpts: list[str]


@dataclass(frozen=True)
class Publication:
    """Which published version the products show: the bulletin names it."""
    version: int
    published_on: dt.date
    fingerprint: str        # SHA-256 of the run's files (docs/publication.md)
    note: str               # why this version was published (empty for the first)


@dataclass
class ReportData:
    year: int
    evaluation: Evaluation
    previous: Evaluation | None
    facts: dict[str, UnitFacts]
    themes: list[Theme]
    totals: dict[str, int]
    questions: dict[str, str]                     # "q7" → question text
    options: dict[str, dict[str, str]]            # "q7" → letter → option text
    sections: list[str]
    open_questions: list[int]                     # the numbers of the open-text questions
    publication: Publication | None = None        # None when made from a bundle, not a published run

    @property
    def province(self) -> dict[str, float]:
        """The province's figures: the mean over the ranked prefectures."""
        ranked = self.evaluation.prefectures
        values = {s: float(np.mean([p.sources[s] for p in ranked])) for s in self.evaluation.method.sources}
        return values | {"composite": float(np.mean([p.composite for p in ranked]))}

    def weakest(self, code: str, count: int = 5) -> list[tuple[str, float]]:
        questions = self.evaluation.by_code(code).detail["questions"]
        scored = [(q, v["mean"]) for q, v in questions.items() if v["mean"] is not None]
        return sorted(scored, key=lambda item: (item[1], int(item[0][1:])))[:count]

    def cited(self, code: str, count: int = 2) -> list[tuple[str, str, int]]:
        """The options ticked most on each problem question: (question, option text, times)."""
        problems = self.evaluation.by_code(code).detail["problems"]
        found = []
        for question, ticks in problems.items():
            for letter, times in sorted(ticks.items(), key=lambda item: -item[1])[:count]:
                found.append((question, self.options[question].get(letter, letter), times))
        return found


def _facts(data: bundles.Bundle) -> dict[str, UnitFacts]:
    facts: dict[str, UnitFacts] = {code: UnitFacts() for code in data.units}
    for row in data.complaints:
        unit = facts[row["prefecture_code"].strip()]
        unit.cases += 1
        unit.accepted += bool(row.get("accepted_on"))
        unit.extended += row.get("extended") == "1"
        unit.major += row.get("major") == "1"
        unit.inspections_unregistered += row.get("category") == "inspection"
        try:
            unit.loss_recovered += Decimal(row.get("loss_recovered_yuan") or 0)
        except InvalidOperation:
            raise ValueError(f"complaints.csv 第 {row['_row']} 行 loss_recovered_yuan：应为金额") from None
    return facts


def anonymised(text: str) -> str:
    """A short excerpt with anything that could name its author masked (numbers such as phone or
    licence numbers, e-mail and web addresses, names of firms), cut to :data:`EXCERPT_CHARS` characters."""
    cleaned = _IDENTIFYING.sub("＊", " ".join(text.split()))
    return cleaned[:EXCERPT_CHARS] + ("…" if len(cleaned) > EXCERPT_CHARS else "")


def themes(texts: list[str]) -> list[Theme]:
    """Group open answers by keyword; excerpts are province-wide, never tied to a prefecture."""
    grouped: dict[str, list[str]] = {name: [] for name in [*THEMES, "其他"]}
    for text in (t.strip() for t in texts):
        if not text:
            continue
        names = [name for name, words in THEMES.items() if any(w in text for w in words)] or ["其他"]
        for name in names:
            grouped[name].append(text)
    result = []
    for name, members in grouped.items():
        if members:
            shortest = sorted(set(members), key=len)[:2] if len(members) >= MIN_THEME_SIZE else []
            result.append(Theme(name, len(members), list(dict.fromkeys(anonymised(t) for t in shortest))))
    return sorted(result, key=lambda t: -t.count)


def build(data: bundles.Bundle, year: int, method: Method | None = None, previous: Evaluation | None = None,
          inspections: dict[str, int] | None = None, progress=None, evaluation: Evaluation | None = None,
          publication: Publication | None = None) -> ReportData:
    """Everything the report needs, from a bundle already read (and, optionally, the database's
    inspection register: prefecture code → inspections registered in the year).  ``evaluation``
    is the bundle's ranking when it is already known (a stored run's results)."""
    evaluation = evaluation or evaluate_bundle(data, year, method or load(), progress)
    facts = _facts(data)
    if inspections is not None:
        for code, unit in facts.items():
            unit.inspections_registered = inspections.get(code, 0)
    definition = questionnaire.load()
    texts = [t for q in definition.open_questions for t in data.responses.texts.get(q.number, [])]
    return ReportData(
        year=year, evaluation=evaluation, previous=previous, facts=facts, themes=themes(texts),
        totals={"responses": len(data.responses), "cases": len(data.complaints), "feedback": len(data.feedback),
                "spotchecks": len(data.spotchecks),
                "points": len({r["enterprise_code"] for r in data.feedback})},
        questions=definition.question_texts,
        options={q.key: {o.code: o.text for o in q.options} for q in definition.questions},
        sections=definition.section_titles, open_questions=[q.number for q in definition.open_questions],
        publication=publication,
    )


def last_year(read: Callable[[int], bundles.Bundle], year: int, method: Method) -> Evaluation | None:
    """The evaluation of the year before ``year`` from ``read(year)``; None when that year has no
    data (the report says so)."""
    try:
        return evaluate_bundle(read(year - 1), year - 1, method)
    except ValueError:
        return None


def from_directory(directory: str | Path, year: int, method: Method | None = None,
                   previous_directory: str | Path | None = None, inspections: dict[str, int] | None = None,
                   progress=None) -> ReportData:
    """Report data from bundle directories (this year's, and last year's when given)."""
    method = method or load()
    previous = None
    if previous_directory:
        previous = last_year(lambda y: bundles.read(previous_directory, y), year, method)
    return build(bundles.read(directory, year), year, method, previous, inspections, progress)

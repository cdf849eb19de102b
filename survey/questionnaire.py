"""The questionnaire as data: one JSON file per version in ``survey/questionnaires/``.

Answers travel everywhere (the web form, paper entry, imports, exports) as one flat mapping
with the column names of ``responses.csv``: ``q1 … q33`` hold a letter code (single), letter
codes in option order (multi, e.g. ``"AC"``) or free text, ``qN_other`` holds the text of
a chosen "其它" option, and the closing fields (``origin_province`` …) their short texts.
:func:`Questionnaire.clean` is the one validator for all of them.

A problem list (Q9, Q19) also offers "以上都没有" (its ``none_option``, code ``N``): an answer
of its own, never combined with a listed problem, kept apart from ``options`` so that "how many
of the listed problems" still counts the problems only.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

DEFAULT_VERSION = "2006"

# What a question is for in the analysis, beyond being asked: its optional ``purpose`` in the JSON.
# The report counts how often each option of these questions is chosen ("problems cited most").
PURPOSES = {
    "problems": "所遇问题的清单（多选，勾选越多问题越多）",
    "attribution": "问题所在的层级或部门",
    "main_problem": "最突出的问题",
}


@dataclass(frozen=True)
class Option:
    code: str
    text: str
    other: bool
    exclusive: bool = False  # "以上都没有": chosen alone or not at all


@dataclass(frozen=True)
class ShowIf:
    question: int
    any_of: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    number: int
    text: str
    kind: str  # single | multi | text
    options: tuple[Option, ...]
    show_if: ShowIf | None
    purpose: str | None = None  # one of PURPOSES
    none_option: Option | None = None  # "以上都没有" of a multi-choice list, after its options

    @property
    def key(self) -> str:
        return f"q{self.number}"

    @property
    def choices(self) -> tuple[Option, ...]:
        """What the respondent can tick: the options, then "以上都没有" if the question has it."""
        return self.options + ((self.none_option,) if self.none_option else ())

    @property
    def other_key(self) -> str | None:
        return f"q{self.number}_other" if self.other_code else None

    @property
    def other_code(self) -> str | None:
        return next((o.code for o in self.options if o.other), None)

    def option(self, code: str) -> Option | None:
        return next((o for o in self.choices if o.code == code), None)

    def condition_text(self, questionnaire: Questionnaire) -> str:
        """The condition in words, e.g. 第4题选“很高”或“较高”时回答."""
        if self.show_if is None:
            return ""
        source = questionnaire.question(self.show_if.question)
        chosen = "或".join(f"“{source.option(c).text}”" for c in self.show_if.any_of)
        return f"第{source.number}题选{chosen}时回答"


@dataclass(frozen=True)
class Gap:
    """A question left unanswered, or a 其它 ticked without its text (``key`` is the field to fill)."""
    question: Question
    key: str

    @property
    def message(self) -> str:
        if self.key == self.question.key:
            return f"第 {self.question.number} 题未回答"
        return f"第 {self.question.number} 题选了“{self.question.option(self.question.other_code).text}”，未注明内容"


@dataclass(frozen=True)
class Section:
    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class FooterField:
    key: str
    label: str
    max_length: int


@dataclass(frozen=True)
class Questionnaire:
    version: str
    title: str
    intro: str
    instructions: str
    closing: str
    footer: tuple[FooterField, ...]
    text_max_length: int
    sections: tuple[Section, ...]

    @property
    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]

    def question(self, number: int) -> Question:
        return self.questions[number - 1]

    def section_number(self, question: Question) -> int:
        """The page (1-based section number) a question is on."""
        return next(i for i, s in enumerate(self.sections, 1) if question in s.questions)

    @property
    def question_texts(self) -> dict[str, str]:
        """Column → question text (``"q7"`` → …)."""
        return {q.key: q.text for q in self.questions}

    def column_label(self, key: str) -> str:
        """An answer column as people read it: ``第 3 题　<question text>``, ``第 7 题“其它”的内容``,
        or the footer field's label."""
        for question in self.questions:
            if key == question.key:
                return f"第 {question.number} 题　{question.text}"
            if key == question.other_key:
                return f"第 {question.number} 题“{question.option(question.other_code).text}”的内容"
        return next((f.label for f in self.footer if f.key == key), key)

    def value_text(self, key: str, value: str) -> str:
        """An answer as people read it: each chosen code with its option's text (``A 很满意；C 一般``),
        free text as it is, ``（空）`` when unanswered."""
        if not value:
            return "（空）"
        question = next((q for q in self.questions if q.key == key and q.kind != "text"), None)
        if question is None:
            return value
        return "；".join(f"{code} {option.text}" if (option := question.option(code)) else f"{code}（无此选项）"
                        for code in value)

    @property
    def section_titles(self) -> list[str]:
        return [s.title for s in self.sections]

    @property
    def open_questions(self) -> list[Question]:
        """The open-text questions (kind ``text``)."""
        return [q for q in self.questions if q.kind == "text"]

    @property
    def problem_questions(self) -> list[Question]:
        """The questions with a purpose (:data:`PURPOSES`): where respondents name problems."""
        return [q for q in self.questions if q.purpose]

    @property
    def columns(self) -> list[str]:
        """Answer columns in export order: q1…qN, then the 其它 texts, then the footer."""
        return (
            [q.key for q in self.questions]
            + [q.other_key for q in self.questions if q.other_key]
            + [f.key for f in self.footer]
        )

    def applies(self, question: Question, answers: dict[str, str]) -> bool:
        """Whether ``question`` is asked, given the answers so far (its condition holds)."""
        if question.show_if is None:
            return True
        return answers.get(f"q{question.show_if.question}", "") in question.show_if.any_of

    def gaps(self, answers: dict[str, str], questions: list[Question] | None = None) -> list[Gap]:
        """The questions that apply but are unanswered, and the 其它 ticked without text, in order."""
        found = []
        for question in questions if questions is not None else self.questions:
            value = answers.get(question.key, "")
            if not value and self.applies(question, answers):
                found.append(Gap(question, question.key))
            elif question.other_code and question.other_code in value and not answers.get(question.other_key):
                found.append(Gap(question, question.other_key))
        return found

    def withdraw_inapplicable(self, raw: dict[str, str], questions: list[Question]) -> tuple[dict[str, str], list[Question]]:
        """``raw`` without the answers to those of ``questions`` whose condition no longer holds
        (Q5 after Q4 changed to 一般), and those questions; the online form drops such an answer
        instead of refusing the page, since a chosen radio button cannot be cleared without script."""
        known = self._context(raw)
        withdrawn = [q for q in questions if (raw.get(q.key) or "").strip() and not self.applies(q, known)]
        dropped = {q.key for q in withdrawn} | {q.other_key for q in withdrawn if q.other_key}
        return {k: v for k, v in raw.items() if k not in dropped}, withdrawn

    def public_dict(self) -> dict:
        """The definition in the documented shape of ``investenv questionnaire --json``."""
        return {
            "version": self.version,
            "title": self.title,
            "sections": [
                {
                    "title": s.title,
                    "questions": [
                        {
                            "number": q.number,
                            "text": q.text,
                            "kind": q.kind,
                            "options": [
                                {"code": o.code, "text": o.text, "other": o.other, "exclusive": o.exclusive}
                                for o in q.choices
                            ],
                            "show_if": None
                            if q.show_if is None
                            else {"question": q.show_if.question, "any_of": list(q.show_if.any_of)},
                        }
                        for q in s.questions
                    ],
                }
                for s in self.sections
            ],
        }

    def clean(
        self, raw: dict[str, str], questions: list[Question] | None = None, require_followups: bool = False
    ) -> tuple[dict[str, str], dict[str, str]]:
        """Normalise and check answers; return ``(clean, errors)``, both keyed by column.

        ``questions`` limits the check to some questions (one page of the web form); the
        footer is checked when all questions are (:meth:`clean_footer` checks it alone).  Questions
        are optional, but an answer that is given must be valid ("以上都没有" alone), a 其它 text
        needs its 其它 option, and a conditional question
        may only be answered when its condition holds.  With ``require_followups`` (the online
        form) a conditional question that applies must be answered; a paper form is keyed as
        it was filled in.
        """
        clean: dict[str, str] = {}
        errors: dict[str, str] = {}
        for question in questions if questions is not None else self.questions:
            value, message = _clean_value(question, raw.get(question.key) or "", self.text_max_length)
            if message:
                errors[question.key] = message
            elif value:
                clean[question.key] = value
            if question.other_key:
                other = (raw.get(question.other_key) or "").strip()
                if len(other) > 200:
                    errors[question.other_key] = f"不能超过 200 字（现为 {len(other)} 字）"
                elif other and question.other_code not in clean.get(question.key, ""):
                    errors[question.other_key] = "填写了“其它”的内容，但没有选择“其它”"
                elif other:
                    clean[question.other_key] = other
        known = {**self._context(raw), **clean}
        for question in questions if questions is not None else self.questions:
            if question.key in clean and not self.applies(question, known):
                errors[question.key] = f"只有{question.condition_text(self)}，请不要回答本题"
                del clean[question.key]
            elif (require_followups and question.show_if and question.key not in clean
                  and question.key not in errors and self.applies(question, known)):
                errors[question.key] = f"请回答本题（{question.condition_text(self)}）"
        if questions is None:
            footer_clean, footer_errors = self.clean_footer(raw)
            clean.update(footer_clean)
            errors.update(footer_errors)
        return clean, errors

    def clean_footer(self, raw: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
        """The closing fields (来自的省、市（区）、职业): short single-line texts, each optional."""
        clean: dict[str, str] = {}
        errors: dict[str, str] = {}
        for field in self.footer:
            value = " ".join((raw.get(field.key) or "").split())
            if len(value) > field.max_length:
                errors[field.key] = f"不能超过 {field.max_length} 字（现为 {len(value)} 字）"
            elif value:
                clean[field.key] = value
        return clean, errors

    def _context(self, raw: dict[str, str]) -> dict[str, str]:
        """Answers to questions that conditions refer to, normalised (for page-wise checks)."""
        context = {}
        for question in self.questions:
            value, message = _clean_value(question, raw.get(question.key) or "", self.text_max_length)
            if value and not message:
                context[question.key] = value
        return context


def _clean_value(question: Question, raw: str, text_max: int) -> tuple[str, str | None]:
    if question.kind == "text":
        text = raw.strip()
        if len(text) > text_max:
            return "", f"不能超过 {text_max} 字（现为 {len(text)} 字）"
        return text, None
    letters = "".join(raw.split()).upper()
    if not letters:
        return "", None
    unknown = sorted({c for c in letters if question.option(c) is None})
    if unknown:
        valid = "、".join(o.code for o in question.choices)
        return "", f"没有选项 {'、'.join(unknown)}（本题选项为 {valid}）"
    if question.kind == "single" and len(letters) > 1:
        return "", "单选题只能选一项"
    chosen = "".join(o.code for o in question.choices if o.code in letters)
    none = question.none_option
    if none and none.code in chosen and len(chosen) > 1:
        return "", f"“{none.text}”（{none.code}）不能与其它选项同时选择"
    return chosen, None


@cache
def load(version: str = DEFAULT_VERSION) -> Questionnaire:
    """The questionnaire of ``version``; raises ``KeyError`` for an unknown version."""
    path = files(__package__).joinpath(f"questionnaires/{version}.json")
    if not path.is_file():
        raise KeyError(f"没有版本为 {version} 的问卷")
    data = json.loads(path.read_text("utf-8"))
    sections = tuple(
        Section(
            s["title"],
            tuple(
                Question(
                    number=q["number"],
                    text=q["text"],
                    kind=q["kind"],
                    options=tuple(Option(**o) for o in q["options"]),
                    show_if=ShowIf(q["show_if"]["question"], tuple(q["show_if"]["any_of"]))
                    if q["show_if"]
                    else None,
                    purpose=_purpose(q),
                    none_option=_none_option(q),
                )
                for q in s["questions"]
            ),
        )
        for s in data["sections"]
    )
    return Questionnaire(
        version=data["version"],
        title=data["title"],
        intro=data["intro"],
        instructions=data["instructions"],
        closing=data["closing"],
        footer=tuple(FooterField(**f) for f in data["footer"]),
        text_max_length=data["text_max_length"],
        sections=sections,
    )


def _purpose(question: dict) -> str | None:
    purpose = question.get("purpose")
    if purpose is not None and purpose not in PURPOSES:
        raise ValueError(f"第 {question['number']} 题的 purpose “{purpose}” 不是 {'、'.join(PURPOSES)} 之一")
    return purpose


def _none_option(question: dict) -> Option | None:
    none = question.get("none_option")
    if none is None:
        return None
    if question["kind"] != "multi" or any(o["code"] == none["code"] for o in question["options"]):
        raise ValueError(f"第 {question['number']} 题：none_option 只用于多选题，且字母不能与选项重复")
    return Option(code=none["code"], text=none["text"], other=False, exclusive=True)


def versions() -> list[str]:
    folder = files(__package__).joinpath("questionnaires")
    return sorted(p.name.removesuffix(".json") for p in folder.iterdir() if p.name.endswith(".json"))

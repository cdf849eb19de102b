"""WTForms classes for the survey: the enterprise's section pages, rounds, paper keying."""
from __future__ import annotations

from decimal import Decimal
from functools import cache

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from investenv import numbers
from investenv.forms import NumberField, options

from . import questionnaire as qn

FORM_NUMBER = numbers.Range("起始序号", Decimal(1), Decimal(9999))
PRINT_COUNT = numbers.Range("份数（一次最多打印 500 份）", Decimal(1), Decimal(500))

class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AnswerForm(FlaskForm):
    """Base of the generated answer forms: ``raw()`` gives the answers as column → text."""

    def raw(self) -> dict[str, str]:
        values = {}
        for field in self:
            if field.name == "csrf_token":
                continue
            data = field.data
            values[field.name] = "".join(data) if isinstance(data, list) else (data or "")
        return values


def _choice_field(question: qn.Question, label: str):
    choices = options((o.code, o.text) for o in question.choices)
    if question.kind == "multi":
        return MultiCheckboxField(label, choices=choices, validate_choice=False)
    return RadioField(label, choices=choices, validate_choice=False, validators=[Optional()])


def section_form(questionnaire: qn.Questionnaire, index: int, **kwargs) -> AnswerForm:
    """The form of section ``index``; the last section also carries the footer."""
    return _section_form_class(questionnaire.version, index)(**kwargs)


@cache
def _section_form_class(version: str, index: int) -> type[AnswerForm]:
    questionnaire = qn.load(version)
    section = questionnaire.sections[index]
    fields = {}
    for question in section.questions:
        label = f"{question.number}. {question.text}"
        if question.kind == "text":
            fields[question.key] = TextAreaField(label, validators=[Optional()])
        else:
            fields[question.key] = _choice_field(question, label)
        if question.other_key:
            fields[question.other_key] = StringField("请注明“其它”的具体内容", validators=[Optional()])
    if index == len(questionnaire.sections) - 1:
        for footer in questionnaire.footer:
            fields[footer.key] = StringField(footer.label, validators=[Optional()])
    return type("SectionForm", (AnswerForm,), fields)


def paper_form(questionnaire: qn.Questionnaire, county_choices: list, **kwargs) -> AnswerForm:
    """The keying screen: one short text box per question, letters as printed on the form."""
    fields = {
        "form_code": StringField("问卷编号", validators=[DataRequired("请填写问卷上印的编号。"), Length(max=20)],
                                 description="如 4302-0015，印在问卷右上角"),
        "county": SelectField("县市区", choices=county_choices, validate_choice=False),
    }
    for question in questionnaire.questions:
        if question.kind == "text":
            fields[question.key] = TextAreaField(f"{question.number}", validators=[Optional()])
        else:
            fields[question.key] = StringField(f"{question.number}", validators=[Optional(), Length(max=8)])
        if question.other_key:
            fields[question.other_key] = StringField(f"{question.number} 其它", validators=[Optional()])
    for footer in questionnaire.footer:
        fields[footer.key] = StringField(footer.label, validators=[Optional()])
    return type("PaperForm", (AnswerForm,), fields)(**kwargs)


class RoundForm(FlaskForm):
    year = NumberField("年度", numbers.YEAR, required="请填写年度。")
    title = StringField("名称", validators=[Optional(), Length(max=100)])
    questionnaire_version = SelectField("问卷版本", choices=[])
    opens_on = DateField("开始日期", validators=[InputRequired("请填写开始日期。")])
    closes_on = DateField("截止日期", validators=[InputRequired("请填写截止日期。")])
    anonymous = BooleanField("匿名调查（答卷不与企业关联，推荐）", default=True)
    invite_points = BooleanField("创建后立即邀请全部测评点企业", default=True)


class InviteForm(FlaskForm):
    credit_code = StringField("企业统一社会信用代码", validators=[DataRequired("请填写统一社会信用代码。"), Length(max=40)])


class PaperPrintForm(FlaskForm):
    prefecture = SelectField("市州", choices=[])
    start = NumberField("起始序号", FORM_NUMBER, required="请填写起始序号。", default=1)
    count = NumberField("份数", PRINT_COUNT, required="请填写份数。", default=20)

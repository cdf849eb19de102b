"""WTForms classes for monitoring-point feedback and hotlines."""
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from investenv.forms import options

from .models import DIMENSIONS, SCALE


def _rating(label: str) -> RadioField:
    return RadioField(
        label, choices=options((str(k), v) for k, v in SCALE.items()), validate_choice=False,
        validators=[DataRequired("请选择一项评价。")],
    )


class FeedbackForm(FlaskForm):
    period = SelectField("反馈期间", choices=[], validate_choice=False)
    d1 = _rating(DIMENSIONS[0])
    d2 = _rating(DIMENSIONS[1])
    d3 = _rating(DIMENSIONS[2])
    d4 = _rating(DIMENSIONS[3])
    d5 = _rating(DIMENSIONS[4])
    comment = TextAreaField("意见和建议", validators=[Optional()])
    incidents = TextAreaField(
        "具体事件（如乱收费、未经申报的检查等：时间、单位、经过）", validators=[Optional()],
        description="如需立案处理，投诉中心会与贵企业联系。",
    )


class HotlineForm(FlaskForm):
    phone = StringField("专用热线电话", validators=[DataRequired("请填写热线电话。"), Length(max=40)])
    person = StringField("负责人", validators=[DataRequired("请填写负责人。"), Length(max=60)])
    office = StringField("负责科室", validators=[Optional(), Length(max=100)])

"""WTForms classes for monitoring-point feedback and hotlines."""
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from investenv.forms import options

from .vocabulary import DIMENSIONS, SCALE


def _rating(label: str) -> RadioField:
    return RadioField(
        label, choices=options((str(k), v) for k, v in SCALE.items()), validate_choice=False,
        validators=[DataRequired("请选择一项评价。")],
    )


class FeedbackForm(FlaskForm):
    period = SelectField("反馈期间", choices=[], validate_choice=False)
    comment = TextAreaField("意见和建议", validators=[Optional()])
    incidents = TextAreaField(
        "具体事件（如乱收费、未经申报的检查等：时间、单位、经过）", validators=[Optional()],
        description="如需立案处理，投诉中心会与贵企业联系。",
    )


for _key, _name in DIMENSIONS.items():  # one rating field per dimension, named by its column
    setattr(FeedbackForm, _key, _rating(_name))


class HotlineForm(FlaskForm):
    phone = StringField("专用热线电话", validators=[DataRequired("请填写热线电话。"), Length(max=40)])
    person = StringField("负责人", validators=[DataRequired("请填写负责人。"), Length(max=60)])
    office = StringField("负责科室", validators=[Optional(), Length(max=100)])

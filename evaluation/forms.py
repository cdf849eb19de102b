"""WTForms classes of the evaluation: publishing a run, requesting a review and answering it."""
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from investenv.forms import options

from .operations import MAX_TEXT


class PublishForm(FlaskForm):
    note = TextAreaField("发布说明", validators=[Optional(), Length(max=MAX_TEXT)],
                         description="发布第 2 版及以后的版本时必填：为什么发布新版本（采纳了哪些复核申请、更正了哪些数据）。")


class ObjectionForm(FlaskForm):
    reason = TextAreaField("申请复核的理由", validators=[DataRequired("请写明申请复核的理由。"), Length(max=MAX_TEXT)],
                           description="哪一项数据或计算可能有误，依据是什么（如某条投诉的办结日期、某个测评点的反馈）。")


class AnswerForm(FlaskForm):
    decision = RadioField("答复", choices=options([("accept", "采纳：更正数据后发布新的版本"), ("reject", "不采纳")]),
                          validators=[InputRequired("请选择采纳或不采纳。")])
    answer = TextAreaField("答复意见", validators=[DataRequired("请写明答复意见。"), Length(max=MAX_TEXT)],
                           description="采纳时说明将更正什么；不采纳时说明理由。申请的市州能看到这段文字。")

"""WTForms classes for spot checks."""
from decimal import Decimal

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from investenv import numbers
from investenv.forms import NumberField

UNITS_PER_PREFECTURE = numbers.Range("每个市州抽查单位数", Decimal(1), Decimal(50))

class CheckRoundForm(FlaskForm):
    year = NumberField("年度", numbers.YEAR, required="请填写年度。")
    title = StringField("名称", validators=[Optional(), Length(max=100)])
    seed = NumberField("随机种子", numbers.SEED, required="请填写随机种子。",
                        description="公开的随机种子，任何人用它和抽样框都能重现同一样本（例如用当天的日期 20261123）")
    per_prefecture = NumberField("每个市州抽查单位数", UNITS_PER_PREFECTURE, required="请填写每个市州抽查单位数。", default=4)


class ItemForm(FlaskForm):
    title = StringField("检查项目", validators=[DataRequired("请填写检查项目名称。"), Length(max=60)])
    max_score = NumberField("满分", numbers.MAX_SCORE, required="请填写满分。")
    description = TextAreaField("评分要点", validators=[Optional(), Length(max=500)])


class CorrectionForm(FlaskForm):
    new_score = NumberField("更正后的得分", numbers.SCORE, required="请填写更正后的得分。")
    reason = TextAreaField("更正理由", validators=[DataRequired("请说明更正理由。"), Length(max=1000)])


def score_form(items, **kwargs):
    """One score box and one evidence note per rubric item, the check date and a photo."""
    fields = {
        "checked_on": DateField("检查日期", validators=[InputRequired("请填写检查日期。")]),
        "photo": FileField("现场照片（可选，JPEG/PNG，5 MB 以内）"),
    }
    for item in items:
        fields[f"item-{item.id}"] = NumberField(f"{item.title}（满分 {item.max_score:g}）", numbers.SCORE,
                                                required="请填写得分。")
        fields[f"evidence-{item.id}"] = TextAreaField("依据", validators=[Optional(), Length(max=1000)])
    return type("ScoreForm", (FlaskForm,), fields)(**kwargs)

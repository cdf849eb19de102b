"""WTForms classes for complaint handling."""
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange


class CalendarYearForm(FlaskForm):
    year = IntegerField("年度", validators=[InputRequired("请填写年度。"), NumberRange(2000, 2100)])
    holidays = TextAreaField(
        "放假日期", validators=[DataRequired("请填写放假日期。")],
        description="每行一个日期或一段日期，如 2027-01-01 或 2027-02-06..2027-02-14（周末可以写进去，不影响结果）",
    )
    workdays = TextAreaField("调休上班日期", description="落在周六、周日的上班日，每行一个，如 2027-02-20")
    source = StringField("依据", validators=[DataRequired("请注明依据。"), Length(max=200)],
                         description="如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）")

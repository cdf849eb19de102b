"""WTForms classes for complaint handling."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from investenv import numbers
from investenv.forms import NumberField, options

from .vocabulary import CATEGORIES, CHANNELS, OUTCOMES, SATISFACTION


class CalendarYearForm(FlaskForm):
    year = NumberField("年度", numbers.YEAR, required="请填写年度。")
    holidays = TextAreaField(
        "放假日期", validators=[DataRequired("请填写放假日期。")],
        description="每行一个日期或一段日期，如 2027-01-01 或 2027-02-06..2027-02-14（周末可以写进去，不影响结果）",
    )
    workdays = TextAreaField("调休上班日期", description="落在周六、周日的上班日，每行一个，如 2027-02-20")
    source = StringField("依据", validators=[DataRequired("请注明依据。"), Length(max=200)],
                         description="如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）")


class IntakeForm(FlaskForm):
    complainant = StringField("投诉企业", validators=[DataRequired("请填写投诉企业。"), Length(max=200)])
    credit_code = StringField("统一社会信用代码（名录中的企业可只填此项）", validators=[Optional(), Length(max=40)])
    contact_name = StringField("联系人", validators=[Optional(), Length(max=60)])
    contact_phone = StringField("联系电话", validators=[Optional(), Length(max=40)])
    channel = SelectField("投诉渠道", choices=options(CHANNELS.items()))
    received_on = DateField("收件日期", validators=[InputRequired("请填写收件日期。")])
    county = SelectField("被投诉的市州、县市区", choices=[], validate_choice=False)
    department = StringField("被投诉的部门", validators=[Optional(), Length(max=100)])
    category = SelectField("投诉类别", choices=options(CATEGORIES.items()))
    summary = TextAreaField("投诉事项", validators=[DataRequired("请填写投诉事项。")])
    claims = TextAreaField("投诉请求", validators=[Optional()])
    amount_yuan = NumberField("涉及金额（元）", numbers.MONEY)
    intake_key = HiddenField(validators=[Optional(), Length(max=32)])


class ActionForm(FlaskForm):
    """Every case action carries the version the clerk saw (optimistic locking)."""

    version = HiddenField()
    text = TextAreaField("说明", validators=[Optional(), Length(max=5000)])


class RefuseForm(ActionForm):
    """不予受理 ends the case: the clerk confirms it with a box (no script needed)."""
    confirm = BooleanField("我已核实，确认不予受理（投诉人将看到理由）", validators=[DataRequired("请勾选确认后再提交。")])


class ReopenForm(ActionForm):
    """重新办理 undoes the reply and the closure: confirmed with a box as well."""
    confirm = BooleanField("确认重新办理：原答复和办结记录保留在办理过程中，案件回到“办理中”，须重新答复",
                           validators=[DataRequired("请勾选确认后再提交。")])


class AcceptForm(ActionForm):
    procedure = SelectField("办理程序", choices=options([("simple", "简易程序（事实清楚、情节简单）"), ("joint", "联合办理（事实不清或情节复杂）")]))
    major = BooleanField("重大典型案件（报省级督办）")


class AssignForm(ActionForm):
    prefecture = SelectField("承办市州", choices=[], validate_choice=False)
    department = StringField("承办部门", validators=[Optional(), Length(max=100)])


class CloseForm(ActionForm):
    outcome = SelectField("办理结果", choices=options([("", "请选择")] + list(OUTCOMES.items())))
    loss_recovered = NumberField("挽回经济损失（元）", numbers.MONEY)


class VisitForm(ActionForm):
    satisfaction = SelectField("回访结果", choices=options([("", "请选择")] + [(s, s) for s in SATISFACTION]))


class AttachmentForm(FlaskForm):
    file = FileField("附件（PDF、图片、Word、Excel）", validators=[FileRequired("请选择文件。")])


class StatusLookupForm(FlaskForm):
    case_no = StringField("案件编号", validators=[DataRequired("请填写案件编号。"), Length(max=20)],
                          description="如 2026-4301-0007")
    code = StringField("查询码", validators=[DataRequired("请填写查询码。"), Length(max=20)],
                       description="登记投诉时告知您的 8 位查询码")


class InspectionForm(FlaskForm):
    credit_code = StringField("被检查企业的统一社会信用代码", validators=[DataRequired("请填写被检查企业。"), Length(max=40)])
    department = StringField("检查部门", validators=[DataRequired("请填写检查部门。"), Length(max=100)])
    reason = TextAreaField("检查理由和内容", validators=[DataRequired("请填写检查理由。")])
    planned_on = DateField("检查日期", validators=[InputRequired("请填写检查日期。")])
    inspectors = StringField("检查人员（人数、姓名）", validators=[DataRequired("请填写检查人员。"), Length(max=200)])
    notice_no = StringField("《检查外来投资企业通知单》编号", validators=[DataRequired("请填写通知单编号。"), Length(max=40)])


class InspectionReportForm(FlaskForm):
    credit_code = StringField("报告企业的统一社会信用代码", validators=[DataRequired("请填写报告企业。"), Length(max=40)])
    department = StringField("进行检查的部门", validators=[DataRequired("请填写检查部门。"), Length(max=100)])
    occurred_on = DateField("检查日期", validators=[InputRequired("请填写检查日期。")])
    notice_no = StringField("对方出示的通知单编号（没有则留空）", validators=[Optional(), Length(max=40)])
    description = TextAreaField("经过（未申报、改变时间或内容、增加人数等）", validators=[DataRequired("请填写经过。")])

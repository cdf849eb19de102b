"""WTForms classes for complaint handling."""
import re

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Regexp, ValidationError

from investenv import numbers
from investenv.forms import DayField, NumberField, max_length, optional_text, options
from investenv.registry import credit_code

from .operations import SUPPLEMENT_FILES, TEXT_LIMIT
from .vocabulary import CATEGORIES, CHANNELS, OUTCOMES, SATISFACTION, VISIT_METHODS

# A prefecture's or county's code (GB/T 2260), as the registry holds it; optionally left empty.
PLACE_CODE = Regexp("^[0-9]{6}$", message="应为 6 位数字的行政区划代码。", matcher=re.fullmatch)
PLACE_CODE_OR_EMPTY = Regexp("^(?:[0-9]{6})?$", message=PLACE_CODE.message, matcher=re.fullmatch)


class CalendarYearForm(FlaskForm):
    year = NumberField("年度", numbers.YEAR, required="请填写年度。")
    holidays = TextAreaField(
        "放假日期", validators=[DataRequired("请填写放假日期。")],
        description="每行一个日期或一段日期，如 2027-01-01 或 2027-02-06..2027-02-14（周末可以写进去，不影响结果）",
    )
    workdays = TextAreaField("调休上班日期", description="落在周六、周日的上班日，每行一个，如 2027-02-20")
    source = StringField("依据", validators=[DataRequired("请注明依据。"), max_length(200)],
                         description="如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）")


class CaseForm(FlaskForm):
    """A new case's fields with every rule they must meet, for a clerk (:class:`IntakeForm`) and for
    a platform (:class:`ApiIntakeForm`) alike: required fields, lengths as the columns hold, the
    channel and category from the vocabulary, a plausible received date, the amount as money.  The
    JSON API feeds its request object into the same fields, and its OpenAPI description is derived
    from them (:mod:`investenv.jsonapi`)."""

    complainant = StringField("投诉企业", validators=[DataRequired("请填写投诉企业。"), max_length(200)])
    credit_code = StringField("统一社会信用代码（名录中的企业可只填此项）", validators=optional_text(40))
    contact_name = StringField("联系人", validators=optional_text(60))
    contact_phone = StringField("联系电话", validators=optional_text(40))
    channel = SelectField("投诉渠道", choices=options(CHANNELS.items()), validate_choice=False,
                          validators=[AnyOf(list(CHANNELS), "请选择投诉渠道。")])
    received_on = DayField("收件日期", required="请填写收件日期。")
    department = StringField("被投诉的部门", validators=optional_text(100))
    category = SelectField("投诉类别", choices=options(CATEGORIES.items()), validate_choice=False,
                           validators=[AnyOf(list(CATEGORIES), "请选择投诉类别。")])
    summary = TextAreaField("投诉事项", validators=[DataRequired("请填写投诉事项。"), max_length(TEXT_LIMIT)])
    claims = TextAreaField("投诉请求", validators=optional_text(TEXT_LIMIT))
    amount_yuan = NumberField("涉及金额（元）", numbers.MONEY)


class IntakeForm(CaseForm):
    """The intake page: the county chosen from a list (its prefecture follows), and a one-time key
    so that a form sent twice logs one case."""

    contact_email = StringField("电子邮箱（用于告知办理进展）", validators=optional_text(200))
    county = SelectField("被投诉的市州、县市区", choices=[], validate_choice=False)
    intake_key = HiddenField(validators=optional_text(32))


class ApiIntakeForm(CaseForm):
    """A case transferred through the JSON API: the prefecture by its code, the county optionally."""

    prefecture_code = StringField("被投诉的市州（行政区划代码）", validators=[DataRequired("请填写市州代码。"), PLACE_CODE])
    county_code = StringField("被投诉的县市区（行政区划代码）", validators=[PLACE_CODE_OR_EMPTY])


class OnlineComplaintForm(IntakeForm):
    """The public online form (channel 网站): the intake form's fields and checks, without what only
    the clerk knows (channel, date received), with the contact required, a field that people never
    see (a robot that fills it is refused) and the time the form was shown (signed), so that a
    submission faster than a person can type is refused."""

    channel = None
    received_on = None
    contact_name = StringField("联系人", validators=[DataRequired("请填写联系人。"), max_length(60)])
    contact_phone = StringField("联系电话（手机号码可收到短信通知）", validators=[DataRequired("请填写联系电话。"), max_length(40)])
    attachment = FileField("证明材料（可选：PDF、图片、Word、Excel，一个文件）")
    website = StringField("网址（请勿填写）", validators=optional_text(200))
    shown = HiddenField(validators=optional_text(200))

    def validate_credit_code(self, field):
        if field.data and field.data.strip():
            try:
                field.data = credit_code.validate(field.data)
            except ValueError as exc:
                raise ValidationError(str(exc)) from None


class ActionForm(FlaskForm):
    """Every case action carries the version the clerk saw (optimistic locking)."""

    version = HiddenField()
    text = TextAreaField("说明", validators=optional_text(TEXT_LIMIT))


class ReplyForm(ActionForm):
    """The reply to the complainant, on the case page and through the JSON API."""

    text = TextAreaField("答复内容", validators=[DataRequired("请填写答复内容。"), max_length(TEXT_LIMIT)])


class RefuseForm(ActionForm):
    """不予受理 ends the case: the clerk confirms it with a box (no script needed)."""
    confirm = BooleanField("我已核实，确认不予受理（投诉人将看到理由）", validators=[DataRequired("请勾选确认后再提交。")])


class ReopenForm(ActionForm):
    """重新办理 undoes the reply and the closure: confirmed with a box as well."""
    confirm = BooleanField("确认重新办理：原答复和办结记录保留在办理过程中，案件回到“办理中”，须重新答复",
                           validators=[DataRequired("请勾选确认后再提交。")])


# Every field of a case action says whether the complainant will see it (on the status page and in
# the notices): the public timeline entry the action writes carries it, or it stays with the staff.
class AcceptForm(ActionForm):
    procedure = SelectField("办理程序（投诉人可见）", choices=options([("simple", "简易程序（事实清楚、情节简单）"), ("joint", "联合办理（事实不清或情节复杂）")]))
    major = BooleanField("重大典型案件（报省级督办；投诉人可见）")


class AssignForm(ActionForm):
    """派单: the prefecture, department and 说明 go on the public timeline; the internal part is a
    separate internal entry for the handling side."""
    prefecture = SelectField("承办市州（投诉人可见）", choices=[], validate_choice=False)
    department = StringField("承办部门（投诉人可见）", validators=optional_text(100))
    internal = TextAreaField("给承办单位的内部说明（仅工作人员可见）", validators=optional_text(TEXT_LIMIT))


class CloseForm(ActionForm):
    outcome = SelectField("办理结果（投诉人可见）", choices=options([("", "请选择")] + list(OUTCOMES.items())))
    loss_recovered = NumberField("挽回经济损失（元；仅工作人员可见）", numbers.MONEY)


class VisitForm(ActionForm):
    """The return visit: the answer and how it was obtained are public, the rest internal."""
    method = SelectField("回访方式（投诉人可见）", choices=options(VISIT_METHODS.items()), default="phone")
    satisfaction = SelectField("回访结果（投诉人可见）", choices=options([("", "请选择")] + [(s, s) for s in SATISFACTION]))
    comment = TextAreaField("回访人的意见（仅工作人员可见）", validators=optional_text(TEXT_LIMIT))
    words = TextAreaField("投诉人的原话（仅工作人员可见）", validators=optional_text(TEXT_LIMIT),
                          description="尽量照录投诉人在回访中说的话")


class CorrectVisitForm(ActionForm):
    """An administrator's correction: the corrected answer replaces the one the complainant sees."""
    satisfaction = SelectField("更正后的回访结果（投诉人可见）", choices=options([("", "请选择")] + [(s, s) for s in SATISFACTION]))


class AttachmentForm(FlaskForm):
    file = FileField("附件（PDF、图片、Word、Excel；仅工作人员可见）", validators=[FileRequired("请选择文件。")])


class StatusLookupForm(FlaskForm):
    case_no = StringField("案件编号", validators=[DataRequired("请填写案件编号。"), max_length(20)],
                          description="如 2026-4301-0007")
    code = StringField("查询码", validators=[DataRequired("请填写查询码。"), max_length(20)],
                       description="登记投诉时告知您的 8 位查询码")


class ComplainantActionForm(StatusLookupForm):
    """What the complainant does on the status page, each time with the case number and code."""

    text = TextAreaField("异议内容", validators=optional_text(5000))
    satisfaction = SelectField("您对办理结果", choices=options([("", "请选择")] + [(s, s) for s in SATISFACTION]),
                               validate_choice=False)  # the operation checks it


class SupplementForm(StatusLookupForm):
    """The complainant's answer to a request to supplement material, with the case number and code."""

    text = TextAreaField("补正说明", validators=optional_text(TEXT_LIMIT))
    files = MultipleFileField(f"补正材料（PDF、图片、Word、Excel，最多 {SUPPLEMENT_FILES} 个文件，可一次选择多个）")


class InspectionForm(FlaskForm):
    credit_code = StringField("被检查企业的统一社会信用代码", validators=[DataRequired("请填写被检查企业。"), max_length(40)])
    department = StringField("检查部门", validators=[DataRequired("请填写检查部门。"), max_length(100)])
    reason = TextAreaField("检查理由和内容", validators=[DataRequired("请填写检查理由。")])
    planned_on = DateField("检查日期", validators=[InputRequired("请填写检查日期。")])
    inspectors = StringField("检查人员（人数、姓名）", validators=[DataRequired("请填写检查人员。"), max_length(200)])
    notice_no = StringField("《检查外来投资企业通知单》编号", validators=[DataRequired("请填写通知单编号。"), max_length(40)])


class InspectionReportForm(FlaskForm):
    credit_code = StringField("报告企业的统一社会信用代码", validators=[DataRequired("请填写报告企业。"), max_length(40)])
    department = StringField("进行检查的部门", validators=[DataRequired("请填写检查部门。"), max_length(100)])
    occurred_on = DateField("检查日期", validators=[InputRequired("请填写检查日期。")])
    notice_no = StringField("对方出示的通知单编号（没有则留空）", validators=optional_text(40))
    description = TextAreaField("经过（未申报、改变时间或内容、增加人数等）", validators=[DataRequired("请填写经过。")])

"""WTForms classes for the registry pages."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from .. import access
from ..extensions import db
from ..forms import options
from .codes import INDUSTRIES, ORIGIN_PROVINCES
from .models import FilingStatus, Prefecture


class EnterpriseForm(FlaskForm):
    name = StringField("企业名称", validators=[DataRequired("请填写企业名称。"), Length(max=200)])
    credit_code = StringField(
        "统一社会信用代码",
        validators=[DataRequired("请填写统一社会信用代码。"), Length(max=40)],
        description="18 位，按 GB 32100-2015 校验",
    )
    county = SelectField("所在县市区", choices=[], validate_choice=False)
    origin_province = SelectField(
        "投资方来源省份", choices=options([("", "请选择")] + [(p, p) for p in ORIGIN_PROVINCES])
    )
    origin_city = StringField("投资方来源城市", validators=[Optional(), Length(max=50)])
    industry = SelectField(
        "行业门类", choices=options([("", "（未填）")] + [(k, f"{k} {v}") for k, v in INDUSTRIES.items()])
    )
    contact_name = StringField("联系人", validators=[Optional(), Length(max=60)])
    contact_phone = StringField("联系电话", validators=[Optional(), Length(max=40)])
    contact_email = StringField("联系邮箱", validators=[Optional(), Length(max=200)],
                                description="省经协办用它发送问卷邀请函和催填邮件；只能由省经协办填写或修改")
    version = HiddenField()

    def values(self) -> dict[str, str]:
        """The raw field values in the shape :func:`clean_enterprise` expects."""
        return {
            "name": self.name.data or "",
            "credit_code": self.credit_code.data or "",
            "prefecture": "",
            "county": self.county.data or "",
            "origin_province": self.origin_province.data or "",
            "origin_city": self.origin_city.data or "",
            "industry": self.industry.data or "",
            "contact_name": self.contact_name.data or "",
            "contact_phone": self.contact_phone.data or "",
            "contact_email": self.contact_email.data or "",
        }


class MonitoringPointForm(FlaskForm):
    registered_on = DateField("登记日期", validators=[InputRequired("请填写登记日期。")])
    note = TextAreaField("备注", validators=[Optional(), Length(max=1000)])


class FilingForm(FlaskForm):
    filing_status = SelectField("备案状态", choices=options((s.value, s.label) for s in FilingStatus))


class WithdrawForm(FlaskForm):
    withdrawn_on = DateField("撤销日期", validators=[InputRequired("请填写撤销日期。")])


class ImportForm(FlaskForm):
    file = FileField("表格文件（.xlsx 或 .csv）", validators=[FileRequired("请选择要导入的文件。")])
    update_existing = BooleanField("更新已存在的企业（按统一社会信用代码匹配）")


def county_choices(blank: str, scoped: bool = True) -> list:
    """The counties the user may choose (every county on public pages, ``scoped=False``),
    grouped by prefecture, after a blank choice."""
    stmt = select(Prefecture).order_by(Prefecture.code)
    if scoped:
        stmt = access.scope(stmt, Prefecture.id)
    choices = options([("", blank)])
    for p in db.session.scalars(stmt):
        choices += options(((c.code, c.name) for c in p.counties), optgroup=p.name)
    return choices

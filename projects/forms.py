"""WTForms classes of the project ledger."""
from decimal import Decimal

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from investenv import numbers
from investenv.forms import NumberField, options

from .vocabulary import INDUSTRIES, MILESTONES, PROBLEM_KINDS, RESPONSIBILITIES, STAGES

COUNT = numbers.Range("个数", Decimal(0), Decimal(100000))


class ProjectForm(FlaskForm):
    name = StringField("项目名称", validators=[DataRequired("请填写项目名称。"), Length(max=200)])
    investor = StringField("投资方", validators=[Optional(), Length(max=200)],
                           description="企业名录中的企业可只填统一社会信用代码")
    credit_code = StringField("投资方统一社会信用代码（名录中的企业）", validators=[Optional(), Length(max=40)])
    origin_province = StringField("投资方来源省份", validators=[Optional(), Length(max=20)],
                                  description="湖南省以外即为联引资项目")
    origin_city = StringField("来源城市", validators=[Optional(), Length(max=50)])
    county = SelectField("所在县市区", choices=[], validate_choice=False)
    park = StringField("园区", validators=[Optional(), Length(max=100)])
    industry = SelectField("产业", choices=options(INDUSTRIES.items()))
    sector = StringField("行业", validators=[Optional(), Length(max=60)])
    stage = SelectField("当前阶段", choices=options(STAGES.items()))
    stage_on = DateField("进入当前阶段的日期", validators=[InputRequired("请填写日期。")])
    signed_on = DateField("签约日期", validators=[Optional()])
    venue = StringField("签约地点（如中博会、珠洽会）", validators=[Optional(), Length(max=60)])
    contract_investment = NumberField("合同总投资（元）", numbers.MONEY, required="请填写合同总投资。")
    contract_funds = NumberField("拟引进资金（元）", numbers.MONEY, required="请填写拟引进资金。")
    leader = StringField("责任领导", validators=[Optional(), Length(max=60)])
    department = StringField("责任部门", validators=[Optional(), Length(max=100)])
    follow_up = StringField("跟踪责任人", validators=[Optional(), Length(max=60)])


for _key, (_label, _) in MILESTONES.items():  # one date per contract milestone, named due_<milestone>
    setattr(ProjectForm, f"due_{_key}", DateField(f"合同约定{_label}日期", validators=[Optional()]))


class StageForm(FlaskForm):
    stage = SelectField("新阶段", choices=options(STAGES.items()))
    reached_on = DateField("日期", validators=[InputRequired("请填写日期。")])
    note = TextAreaField("说明", validators=[Optional(), Length(max=2000)])


class MonthlyForm(FlaskForm):
    """The month and the remarks; the per-project lines and the problems are added per request
    (:func:`monthly_form`)."""

    month = StringField("月份（YYYY-MM）", validators=[DataRequired("请填写月份。"), Length(max=7)])
    remarks = TextAreaField("本月调度情况说明", validators=[Optional(), Length(max=2000)])


PROBLEM_ROWS = 3


def monthly_form(projects, problem_choices):
    """A monthly-report form with a funds field and a stage change for each of ``projects``, and
    :data:`PROBLEM_ROWS` rows for problems."""

    class Form(MonthlyForm):
        pass

    stage_choices = options([("", "（无变化）"), *STAGES.items()])
    for p in projects:
        setattr(Form, f"funds_{p.id}", NumberField(f"{p.name} 当月到位资金（元）", numbers.MONEY))
        setattr(Form, f"stage_{p.id}", SelectField(f"{p.name} 阶段变化", choices=stage_choices, validate_choice=False))
        setattr(Form, f"stage_on_{p.id}", DateField(f"{p.name} 阶段变化日期", validators=[Optional()]))
    for n in range(1, PROBLEM_ROWS + 1):
        setattr(Form, f"problem_{n}", SelectField(f"问题{n}：项目", choices=options([("", "（无）"), *problem_choices]),
                                                  validate_choice=False))
        setattr(Form, f"problem_{n}_kind", SelectField("类别", choices=options(PROBLEM_KINDS.items()),
                                                       validate_choice=False))
        setattr(Form, f"problem_{n}_text", TextAreaField("问题", validators=[Optional(), Length(max=2000)]))
        setattr(Form, f"problem_{n}_help", TextAreaField("请求帮助事项", validators=[Optional(), Length(max=2000)]))
    return Form()


class UnfulfilledForm(FlaskForm):
    reason = TextAreaField("未履约的原因", validators=[DataRequired("请说明原因。"), Length(max=2000)])
    responsibility = SelectField("责任方", choices=options(RESPONSIBILITIES.items()))
    measures = TextAreaField("整改措施", validators=[Optional(), Length(max=2000)])


class ReviewForm(FlaskForm):
    decision = SelectField("审核结果", choices=options([("accept", "通过"), ("return", "退回重报")]))
    note = TextAreaField("审核意见", validators=[Optional(), Length(max=2000)])


class TargetForm(FlaskForm):
    prefecture = SelectField("市州", choices=[], validate_choice=False)
    funds = NumberField("联引资到位资金目标（元）", numbers.MONEY, required="请填写到位资金目标。")
    projects = NumberField("新签约联引资项目个数", COUNT, required="请填写项目个数目标。")
    large_projects = NumberField("其中亿元以上项目个数", COUNT, required="请填写亿元以上项目个数目标。")


class ImportForm(FlaskForm):
    kind = SelectField("导入内容", choices=options([("projects", "项目台账"), ("monthly", "月报（到位资金、阶段变化、问题）")]))
    file = FileField("表格文件（.xlsx 或 .csv）", validators=[FileRequired("请选择要导入的文件。")])

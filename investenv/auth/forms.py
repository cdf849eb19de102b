"""WTForms classes for login, passwords and account administration."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from ..forms import options
from ..permissions import ROLE_LABELS


class LoginForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名。"), Length(max=40)])
    password = PasswordField("密码", validators=[DataRequired("请输入密码。"), Length(max=200)])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("当前密码", validators=[DataRequired("请输入当前密码。")])
    password = PasswordField("新密码", validators=[DataRequired("请输入新密码。"), Length(max=200)])
    confirm = PasswordField(
        "再次输入新密码", validators=[EqualTo("password", "两次输入的新密码不一致。")]
    )


class UserForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名。"), Length(max=40)])
    display_name = StringField("姓名", validators=[DataRequired("请输入姓名。"), Length(max=60)])
    role = SelectField("角色", choices=options((r.value, label) for r, label in ROLE_LABELS.items()))
    prefecture = SelectField("所属市州（仅市州工作人员）", choices=[], validators=[Optional()])
    password = PasswordField("初始密码", validators=[DataRequired("请输入初始密码。"), Length(max=200)])


class EditUserForm(FlaskForm):
    display_name = StringField("姓名", validators=[DataRequired("请输入姓名。"), Length(max=60)])
    active = BooleanField("账号启用")
    password = PasswordField("重设密码（留空则不变）", validators=[Optional(), Length(max=200)])

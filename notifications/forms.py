"""The administrator's form for a prefecture's contact for notices."""
from flask_wtf import FlaskForm
from wtforms import StringField

from investenv.forms import optional_text


class ContactForm(FlaskForm):
    name = StringField("联系人或部门", validators=optional_text(60))
    email = StringField("邮件地址", validators=optional_text(200), description="接收转办通知和期限提醒的邮件地址")
    phone = StringField("手机号码", validators=optional_text(40), description="接收短信（11 位手机号码）；邮件和手机至少填一项")

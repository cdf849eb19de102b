"""Changing the notification settings (flush only)."""
from __future__ import annotations

from investenv.errors import FieldErrors
from investenv.extensions import db
from investenv.registry.models import Prefecture

from .models import Contact


def set_contact(prefecture: Prefecture, name: str, email: str, phone: str) -> Contact:
    """The prefecture's contact for notices: who receives its transfers and deadline warnings
    (added, or changed and active again)."""
    problems = {}
    if email and ("@" not in email or any(c.isspace() for c in email.strip())):
        problems["email"] = "邮件地址格式不正确"
    if not (email.strip() or phone.strip()):
        problems["email"] = "请至少填写邮件地址或手机号码"
    if problems:
        raise FieldErrors(problems)
    contact = db.session.get(Contact, prefecture.id) or Contact(prefecture_id=prefecture.id)
    contact.name, contact.email, contact.phone = name.strip(), email.strip(), phone.strip()
    contact.active = True
    db.session.add(contact)
    db.session.flush()
    return contact


def deactivate_contact(contact: Contact) -> None:
    """The contact receives nothing more (kept, so that the page shows who it was)."""
    contact.active = False
    db.session.flush()

"""Writing messages into the outbox, in the caller's transaction (flush only).

A message is rendered when it is written, from a template file under ``templates/notifications/``
that an administrator may edit: its first line is the subject, the rest the body.  What the
recipient gets is therefore what the outbox shows, whenever it is sent.
"""
from __future__ import annotations

import re

from flask import current_app, has_request_context, render_template, request
from sqlalchemy import select

from investenv.errors import RuleError
from investenv.extensions import db
from investenv.registry.models import Enterprise
from investenv.timeutil import utcnow

from .models import CHANNELS, Contact, Message

AUDIENCES = ("complainant", "prefecture", "province", "enterprise")
# An enterprise's personal survey (/s/<token>) or feedback (/f/<token>) link: prefecture staff and
# contacts must never receive one (they are the evaluated); see may_carry_personal_link.
PERSONAL_LINK = re.compile(r"/[sf]/[A-Za-z0-9_-]{8,}")
MOBILE = re.compile(r"^1\d{10}$")


def mobile_number(phone: str) -> str | None:
    """``phone`` as an SMS recipient (a mainland mobile number, spaces and hyphens dropped), else None."""
    digits = phone.replace(" ", "").replace("-", "")
    return digits if MOBILE.match(digits) else None


def prefecture_addresses() -> set[str]:
    """The e-mail addresses and mobile numbers of the prefectures' notice contacts (active or not):
    a message with a personal link never goes there, whatever the registry says of an enterprise."""
    addresses = set()
    for email, phone in db.session.execute(select(Contact.email, Contact.phone)):
        addresses |= {email.strip().lower(), mobile_number(phone) or ""}
    return addresses - {""}


def may_carry_personal_link(channel: str, recipient: str, enterprise: Enterprise | None) -> bool:
    """The one rule for every message that carries a personal link (checked by :func:`enqueue`):
    it goes only by e-mail, and only to the contact e-mail of ``enterprise``, the enterprise it is
    written to, which only the province may enter or change (``registry.operations.
    email_change_refused``; a monitoring point's reminders use its enterprise's), and never to a
    prefecture's notice contact.  Never by SMS: contact phones are kept by the prefectures, who are
    the evaluated, so an SMS only says where the link is (the e-mail or the paper letter)."""
    address = recipient.strip().lower()
    return (channel == "email" and enterprise is not None and bool(address)
            and address == enterprise.contact_email.strip().lower() and address not in prefecture_addresses())


def render(template: str, **context) -> tuple[str, str]:
    """The subject and body of ``templates/notifications/<template>.txt``."""
    text = render_template(f"notifications/{template}.txt", **context).strip()
    subject, _, body = text.partition("\n")
    return " ".join(subject.split()), body.strip() + "\n"


def public_url(path: str) -> str:
    """``path`` on the site's public address (``INVESTENV_BASE_URL``, else the request's)."""
    base = current_app.config.get("BASE_URL") or (request.url_root.rstrip("/") if has_request_context() else "")
    return f"{base}{path}"


def enqueue(channel: str, recipient: str, audience: str, template: str, context: dict, *,
            complaint_id: int | None = None, event_id: int | None = None, round_id: int | None = None,
            user_id: int | None = None, dedupe_key: str | None = None,
            enterprise: Enterprise | None = None) -> Message | None:
    """Write one message (flush only); None when ``dedupe_key`` was already written.  In-app
    messages are delivered by being written; e-mail and SMS wait for ``investenv notify``.  A
    message with a personal link is refused unless :func:`may_carry_personal_link` allows it to
    ``recipient`` as the contact e-mail of ``enterprise``."""
    if channel not in CHANNELS or audience not in AUDIENCES:
        raise ValueError(f"unknown channel or audience: {channel}, {audience}")
    subject, body = render(template, **context)
    if PERSONAL_LINK.search(subject + body) and not (
            audience == "enterprise" and may_carry_personal_link(channel, recipient, enterprise)):
        if audience == "prefecture" or recipient.strip().lower() in prefecture_addresses():
            raise RuleError("发给市州的通知中不能含有企业的专用问卷或反馈链接（/s/…、/f/…），请删去后再提交。")
        raise RuleError("企业的专用问卷或反馈链接（/s/…、/f/…）只能以邮件发到省经协办登记的企业联系邮箱，"
                        "不能用短信或发到其他地址。")
    if dedupe_key and db.session.scalar(select(Message.id).where(Message.dedupe_key == dedupe_key)):
        return None
    now = utcnow()
    message = Message(channel=channel, recipient=recipient.strip(), audience=audience, template=template,
                      subject=subject[:200], body=body, state="sent" if channel == "app" else "pending",
                      sent_at=now if channel == "app" else None, next_try=now, created_at=now,
                      dedupe_key=dedupe_key, complaint_id=complaint_id, complaint_event_id=event_id,
                      round_id=round_id, user_id=user_id)
    db.session.add(message)
    db.session.flush()
    return message

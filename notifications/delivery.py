"""Sending what the outbox holds: ``investenv notify``.

Each message is sent by a claim, a send and a record, each step committed on its own:

1. claim: ``pending`` → ``sending`` with a fresh claim token, attempts + 1 (an UPDATE that only one
   sender can win, so two senders never take the same message);
2. send: hand it to the SMTP server or the SMS gateway;
3. record: ``sent`` with ``sent_at`` once the server accepted it; on a refusal ``pending`` again
   with the next try after a backoff, or ``failed`` when a retry cannot help or the tries are used up.

A sender stopped between 2 and 3 (killed, power lost) leaves the message ``sending``: the server
may or may not have accepted it.  It is never sent again by itself; once its claim is older than
:data:`CLAIM_LEASE` the next run marks it ``unknown`` and lists it, and an administrator who has
checked the mail server's log for its Message-ID puts it back with ``investenv notify --requeue ID``.
Nothing is lost, and nothing is sent twice unless a person decides so.
"""
from __future__ import annotations

import datetime as dt
import secrets
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from flask import current_app
from sqlalchemy import select, update

from investenv.extensions import db
from investenv.timeutil import utcnow

from . import sms
from .models import Message

BACKOFF = (dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=30), dt.timedelta(hours=2),
           dt.timedelta(hours=12))
MAX_ATTEMPTS = len(BACKOFF) + 1
CLAIM_LEASE = dt.timedelta(minutes=15)
SMTP_TIMEOUT = 30


class DeliveryError(Exception):
    def __init__(self, message: str, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


@dataclass
class Summary:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    unknown: list[int] = field(default_factory=list)
    waiting: int = 0  # e-mail held back because no mail server is configured


def email_message(message: Message, sender: str) -> EmailMessage:
    """The MIME message: UTF-8 throughout, the subject encoded per RFC 2047 (by the SMTP policy),
    and a Message-ID that names the outbox row, for finding it in the mail server's log."""
    mail = EmailMessage()
    mail["Subject"] = message.subject
    mail["From"] = sender
    mail["To"] = message.recipient
    mail["Date"] = format_datetime(message.created_at.replace(tzinfo=dt.UTC))
    domain = parseaddr(sender)[1].rpartition("@")[2] or "investenv.local"
    mail["Message-ID"] = f"<investenv-{message.id}-{message.created_at:%Y%m%d%H%M%S}@{domain}>"
    mail.set_content(message.body, charset="utf-8")
    return mail


def _send_email(message: Message, settings: dict) -> None:
    scheme, host, port = settings["scheme"], settings["host"], settings["port"]
    try:
        if scheme == "smtps":
            server = smtplib.SMTP_SSL(host, port, timeout=SMTP_TIMEOUT, context=ssl.create_default_context())
        else:
            server = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT)
        with server:
            if scheme == "smtp+starttls":
                server.starttls(context=ssl.create_default_context())
            if settings["user"]:
                server.login(settings["user"], settings["password"])
            server.send_message(email_message(message, settings["sender"]))
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        raise DeliveryError(f"收件人被拒绝：{exc.recipients}", permanent=all(c >= 500 for c in codes)) from None
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(f"{exc.smtp_code} {exc.smtp_error!r}", permanent=exc.smtp_code >= 500) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"{exc.__class__.__name__}: {exc}") from None


def _send(message: Message, gateway: sms.Gateway) -> None:
    if message.channel == "email":
        _send_email(message, current_app.config["MAIL"])
        return
    try:
        gateway.send(message.recipient, f"{message.subject}\n{message.body}".strip())
    except sms.SmsError as exc:
        raise DeliveryError(str(exc), permanent=exc.permanent) from None


def expire_claims(now: dt.datetime) -> list[int]:
    """Mark ``unknown`` the messages whose sender stopped more than :data:`CLAIM_LEASE` ago."""
    stale = list(db.session.scalars(select(Message.id).where(
        Message.state == "sending", Message.claimed_at < now - CLAIM_LEASE)))
    if stale:
        db.session.execute(update(Message).where(Message.id.in_(stale), Message.state == "sending")
                           .values(state="unknown", last_error="发送过程中断，不能确定服务器是否已收到"))
    db.session.commit()
    return stale


def requeue(message_id: int) -> bool:
    """Put an ``unknown`` or ``failed`` message back in the queue (an administrator's decision)."""
    done = db.session.execute(update(Message).where(Message.id == message_id, Message.state.in_(("unknown", "failed")))
                              .values(state="pending", next_try=utcnow(), claim=None, attempts=0)).rowcount
    db.session.commit()
    return bool(done)


def _claim(message_id: int, now: dt.datetime) -> str | None:
    token = secrets.token_hex(16)
    won = db.session.execute(update(Message).where(Message.id == message_id, Message.state == "pending")
                             .values(state="sending", claim=token, claimed_at=now,
                                     attempts=Message.attempts + 1)).rowcount
    db.session.commit()
    return token if won else None


def _record(message_id: int, token: str, **values) -> None:
    db.session.execute(update(Message).where(Message.id == message_id, Message.claim == token).values(**values))
    db.session.commit()


def send_due(now: dt.datetime | None = None) -> Summary:
    """Send every message that is due, once each; commits after each step (see the module)."""
    now = now or utcnow()
    summary = Summary(unknown=expire_claims(now))
    channels = ["sms"] + (["email"] if current_app.config.get("MAIL") else [])
    summary.waiting = 0 if "email" in channels else len(db.session.scalars(select(Message.id).where(
        Message.channel == "email", Message.state == "pending")).all())
    gateway = sms.gateway(current_app.config["SMS_BACKEND"])
    due = list(db.session.scalars(select(Message.id).where(
        Message.state == "pending", Message.next_try <= now, Message.channel.in_(channels)).order_by(Message.id)))
    for message_id in due:
        token = _claim(message_id, now)
        if token is None:
            continue  # another sender took it
        message = db.session.get(Message, message_id)
        try:
            _send(message, gateway)
        except DeliveryError as exc:
            attempts = message.attempts
            if exc.permanent or attempts >= MAX_ATTEMPTS:
                _record(message_id, token, state="failed", claim=None, last_error=str(exc)[:2000])
                summary.failed += 1
            else:
                _record(message_id, token, state="pending", claim=None, last_error=str(exc)[:2000],
                        next_try=utcnow() + BACKOFF[attempts - 1])
                summary.retrying += 1
            continue
        _record(message_id, token, state="sent", sent_at=utcnow(), claim=None, last_error="")
        summary.sent += 1
    return summary

"""The SMS gateway adapter: how ``investenv notify`` hands a text message to a gateway.

An adapter is a class built with no arguments (it reads its own settings, e.g. from environment
variables) whose ``send(phone, text)`` returns the gateway's reference for the message once the
gateway has accepted it, and raises :class:`SmsError` when it has not (``permanent=True`` when a
retry cannot help, e.g. an invalid number).  ``INVESTENV_SMS_BACKEND`` names it: ``console`` (the
log), ``file:<path>`` (one JSON line per message, for development and tests) or
``<module>:<class>`` for a real gateway's adapter (docs/notifications.md).
"""
from __future__ import annotations

import importlib
import json
import logging
import uuid
from pathlib import Path
from typing import Protocol

log = logging.getLogger("investenv.sms")


class SmsError(Exception):
    def __init__(self, message: str, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


class Gateway(Protocol):
    def send(self, phone: str, text: str) -> str: ...


class ConsoleGateway:
    def send(self, phone: str, text: str) -> str:
        reference = uuid.uuid4().hex
        log.warning("SMS to %s (%s): %s", phone, reference, text)
        return reference


class FileGateway:
    def __init__(self, path: str):
        self.path = Path(path)

    def send(self, phone: str, text: str) -> str:
        reference = uuid.uuid4().hex
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps({"phone": phone, "text": text, "reference": reference}, ensure_ascii=False) + "\n")
        return reference


def gateway(spec: str) -> Gateway:
    """The adapter ``spec`` names (validated by investenv.config.sms_backend)."""
    if spec == "console":
        return ConsoleGateway()
    if spec.startswith("file:"):
        return FileGateway(spec[5:])
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)()

"""The error that state-changing operations raise when input breaks a business rule."""
from __future__ import annotations


class RuleError(ValueError):
    """A business rule refused the change; ``field`` names the form field it concerns, if any.

    Operations raise it before they write anything, so the caller can re-render the form with
    the message next to the field and the transaction stays clean.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class FieldErrors(RuleError):
    """Several fields are wrong at once: ``errors`` maps each field name to its message."""

    def __init__(self, errors: dict[str, str], message: str = "有需要修改的地方，请看各项下方的提示。"):
        super().__init__(message)
        self.errors = errors

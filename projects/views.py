"""Project-ledger pages."""
from __future__ import annotations

from flask import Blueprint

from . import models  # noqa: F401

bp = Blueprint("projects", __name__, url_prefix="/projects")

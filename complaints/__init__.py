"""Complaint case management for the 投资企业投诉服务中心 (issue #4).

Deadline rule sets (``rules``), the official working-day calendar (``calendar``,
``calendar_store``), the workflow (``operations``), work queues and the case pages.
"""
from flask import Flask

from . import stats  # noqa: F401,E402  (keeps the statistics table current on every flush)


def init_app(app: Flask) -> None:
    from . import cases, inspections, statistics  # noqa: F401  (they register their pages on the blueprint)
    from .api import api
    from .routes import bp

    app.register_blueprint(bp)
    app.register_blueprint(api)

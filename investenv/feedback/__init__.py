"""Monitoring-point feedback (测评点反馈): the points' own links, reminders and hotlines."""
from flask import Flask


def init_app(app: Flask) -> None:
    from .routes import bp, public

    app.register_blueprint(bp)
    app.register_blueprint(public)

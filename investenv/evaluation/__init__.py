"""The annual evaluation: the ranking page with its drill-down, and the year-end dashboard."""
from flask import Flask


def init_app(app: Flask) -> None:
    from .routes import bp

    app.register_blueprint(bp)

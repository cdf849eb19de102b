"""The registry: prefectures and counties, enterprises and monitoring points (测评点)."""
from flask import Flask


def init_app(app: Flask) -> None:
    from .routes import bp

    app.register_blueprint(bp)

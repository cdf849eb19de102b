"""Spot checks by the joint provincial team (联合调研小组抽样调查)."""
from flask import Flask


def init_app(app: Flask) -> None:
    from .routes import bp

    app.register_blueprint(bp)

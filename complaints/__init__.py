"""Complaint case management for the 投资企业投诉服务中心 (issue #4).

So far: deadline rule sets (``rules``), the official working-day calendar (``calendar``,
``calendar_store``) and its administration page.
"""
from flask import Flask


def init_app(app: Flask) -> None:
    from .routes import bp

    app.register_blueprint(bp)

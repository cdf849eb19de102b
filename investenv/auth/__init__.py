"""Staff accounts, roles, login throttling and account administration."""
from flask import Flask

from ..extensions import login_manager
from .operations import load_user


def init_app(app: Flask) -> None:
    from .routes import bp

    login_manager.user_loader(load_user)
    app.register_blueprint(bp)

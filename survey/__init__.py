"""The 《投资环境调查问卷》: questionnaire definition, survey rounds, the enterprise form,
paper entry, response tracking and the ``responses.csv`` bundle file."""
from flask import Flask


def init_app(app: Flask) -> None:
    from . import paper  # noqa: F401  (registers the paper-entry routes on the survey blueprint)
    from .respond import bp as respond_bp
    from .staff import bp as staff_bp

    app.register_blueprint(staff_bp)
    app.register_blueprint(respond_bp)

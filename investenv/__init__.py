"""investenv: the application shell (app factory, configuration, database, accounts, registry).

Domain packages (``survey``, ``complaints``) plug in as blueprints; ``scoring`` stays free of
Flask and the database.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

from flask import Flask

from . import config as config_module
from .database import engine_options
from .extensions import csrf, db, login_manager

__all__ = ["create_app"]


def _templates_folder() -> str:
    spec = importlib.util.find_spec("templates")
    return list(spec.submodule_search_locations)[0]


def create_app(config: dict | None = None) -> Flask:
    """Build the Flask application.

    ``config`` overrides any setting read from the ``INVESTENV_*`` environment variables.
    """
    import os

    instance_path = os.environ.get("INVESTENV_INSTANCE_PATH") or None
    app = Flask(
        __name__,
        instance_path=str(Path(instance_path).resolve()) if instance_path else None,
        instance_relative_config=True,
        template_folder=_templates_folder(),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    settings = config_module.from_environment(Path(app.instance_path))
    settings.update(config or {})
    config_module.ensure_secret_key(settings, Path(app.instance_path))
    settings.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS", engine_options(settings["SQLALCHEMY_DATABASE_URI"])
    )
    app.config.from_mapping(settings)

    db.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)

    import complaints
    import survey

    from . import audit, auth, evaluation, feedback, registry, spotcheck, web

    web.init_app(app)
    auth.init_app(app)
    registry.init_app(app)
    survey.init_app(app)
    feedback.init_app(app)
    spotcheck.init_app(app)
    complaints.init_app(app)
    evaluation.init_app(app)
    audit.init_app(app)
    return app

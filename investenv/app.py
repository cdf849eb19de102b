"""The application factory: the shell's services, then every domain's blueprints, registered here
and nowhere else (docs/architecture.md shows the packages and their imports)."""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import complaints.api
import complaints.views
import evaluation.jobs
import evaluation.views
import feedback.views
import notifications.views
import portal.views
import projects.views
import spotchecks.views
import survey.jobs
import survey.views
from complaints import daystats, queuecounts
from projects import totals as project_totals

from . import audit, auditlog, web
from . import config as config_module
from .auth import views as auth_views
from .auth.views import load_user
from .database import engine_options
from .extensions import csrf, db, login_manager
from .jobs import queue as jobs
from .jobs import views as jobs_views
from .registry import views as registry_views

BLUEPRINTS = (
    web.bp, portal.views.bp, auth_views.bp, registry_views.bp, auditlog.bp, jobs_views.bp,
    survey.views.bp, survey.views.respond, feedback.views.bp, feedback.views.public, spotchecks.views.bp,
    complaints.views.bp, complaints.api.api, evaluation.views.bp, notifications.views.bp, projects.views.bp,
)

# Every kind of long work the worker runs (investenv.jobs.queue), by the name a job records.
JOB_KINDS = {
    "paper_forms": survey.jobs.paper_forms,
    "letters": survey.jobs.letters,
    "evaluation_run": evaluation.jobs.run,
    "evaluation_archive": evaluation.jobs.archive,
    "evaluation_report": evaluation.jobs.report,
    "evaluation_bulletin": evaluation.jobs.bulletin,
    "evaluation_bulletin_docx": evaluation.jobs.bulletin_docx,
    "evaluation_workbook": evaluation.jobs.workbook,
}


def _templates_folder() -> str:
    spec = importlib.util.find_spec("templates")
    return list(spec.submodule_search_locations)[0]


def create_app(config: dict | None = None) -> Flask:
    """Build the Flask application.

    ``config`` overrides any setting read from the ``INVESTENV_*`` environment variables.
    """
    instance_path = os.environ.get("INVESTENV_INSTANCE_PATH") or None
    app = Flask(
        "investenv",
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
    if app.config["TRUSTED_PROXIES"]:
        # The client's address, scheme and host as the trusted reverse proxies saw them; every
        # throttle and the audit log key on request.remote_addr (docs/deployment.md).
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    db.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    daystats.listen(db.session)
    project_totals.listen(db.session)
    queuecounts.listen(db.session)
    web.init_app(app)
    audit.init_app(app)
    jobs.init_app(app, JOB_KINDS)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    return app

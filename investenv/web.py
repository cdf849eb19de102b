"""The site shell: health check, error pages, security headers, template helpers."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    g,
    jsonify,
    render_template,
    request,
)
from flask_wtf.csrf import CSRFError
from sqlalchemy import text
from sqlalchemy.exc import DataError, DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import BadRequest, HTTPException
from werkzeug.routing import IntegerConverter

from . import jsonapi, numbers
from .database import finish_session
from .extensions import db
from .permissions import ROLE_LABELS, CurrentPermissions
from .timeutil import local

bp = Blueprint("web", __name__)

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)

ERROR_MESSAGES = {
    400: ("请求无效", "提交的内容无法处理，请返回后重试。"),
    401: ("需要登录", "请先登录后再访问此页面。"),
    403: ("无权访问", "您的账号没有访问此页面的权限。"),
    404: ("页面不存在", "您访问的页面不存在，或不在您的权限范围内。"),
    405: ("请求方式不允许", "此页面不接受这种请求方式。"),
    409: ("操作冲突", "内容已被其他人更新，请刷新页面后重试。"),
    413: ("文件过大", "上传的文件超过了大小上限。"),
    415: ("内容类型不支持", "提交的内容类型无法处理。"),
    429: ("请求过于频繁", "请稍后再试。"),
    500: ("系统错误", "服务器处理请求时出错，请稍后重试。错误已记录。"),
    503: ("服务暂时不可用", "数据库暂时无法连接，请稍等片刻后刷新页面重试；您已提交成功的内容不会丢失。"),
}
RETRY_AFTER_SECONDS = 10


class BoundedIntConverter(IntegerConverter):
    """The ``int`` URL converter, bounded to what an integer column holds: a larger number in a
    path is a 404, never a database error."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002 (werkzeug's names)
        super().__init__(url_map, fixed_digits, min if min is not None else (None if signed else 0),
                         max if max is not None else int(numbers.ROW_ID.high), signed)


class YearConverter(IntegerConverter):
    """``<year:year>`` in a route: an evaluation year within :data:`investenv.numbers.YEAR`, else 404."""

    def __init__(self, url_map):
        super().__init__(url_map, min=int(numbers.YEAR.low), max=int(numbers.YEAR.high))


def number_arg(name: str, kind: numbers.Range, default: int | None = None) -> int | None:
    """An integer query-string argument: ``default`` when it is absent or blank, 404 when it is
    not a plain number within ``kind``'s range (a year, a page, an id)."""
    raw = request.args.get(name, "")
    if not raw.strip():
        return default
    try:
        return int(numbers.parse(raw, kind))
    except ValueError:
        abort(404)


def site_url() -> str:
    """The site's public address for links that leave it (letters, messages): ``BASE_URL``, else
    the address of the request at hand."""
    return current_app.config.get("BASE_URL") or request.url_root.rstrip("/")


def safe_redirect_target(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None.

    Browsers drop tabs and line breaks inside URLs and read a backslash as a slash, so
    ``/%09/evil.example`` or ``/\\evil.example`` would become ``//evil.example``, another host:
    any control character, whitespace or backslash refuses the target, and what is left must
    parse as a path with neither scheme nor host."""
    if not target or not target.startswith("/") or any(c <= " " or c in "\\\x7f" for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return None
    return target


@bp.get("/health")
def health():
    """Liveness and database check for load balancers and monitoring."""
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")


def _error_page(error):
    """The error page, or under ``/api/`` the JSON error ``{"error": …}``; with the error's own
    headers (``Allow`` of a 405, ``Retry-After``)."""
    code = getattr(error, "code", 500) or 500
    if code >= 500:  # the failed unit of work must not break the error page itself
        try:
            db.session.rollback()
        except DBAPIError:
            db.session.remove()
    if jsonapi.is_api_request():
        response = jsonapi.error(code)
    else:
        title, message = ERROR_MESSAGES.get(code, ERROR_MESSAGES[500])
        if isinstance(error, CSRFError):
            title, message = "页面已过期", "表单安全令牌无效或已过期，请刷新页面后重新提交。"
        response = current_app.make_response(
            (render_template("errors/error.html", code=code, title=title, message=message), code))
    if isinstance(error, HTTPException):
        response.headers.extend((k, v) for k, v in error.get_headers() if k.lower() != "content-type")
    return response


def _other_http_error(error: HTTPException):
    """An HTTP error without a page of its own (a 414, a 501…): under ``/api/`` still the JSON
    error; elsewhere Werkzeug's own answer."""
    return _error_page(error) if jsonapi.is_api_request() else error


def _database_unavailable(error):
    """The database cannot be reached (restarting, failing over, locked): a retry page, not a trace.

    The pool's pre-ping replaces dead connections, so the next request succeeds once it is back.
    """
    current_app.logger.warning("database unavailable: %s", error.__class__.__name__)
    finish_session()
    g._login_user = current_app.login_manager.anonymous_user()  # the page must not load the user
    if jsonapi.is_api_request() or request.path.startswith("/health"):
        response = jsonify(status="unavailable", error=ERROR_MESSAGES[503][1])
        response.status_code = 503
    else:
        title, message = ERROR_MESSAGES[503]
        response = current_app.make_response(
            (render_template("errors/error.html", code=503, title=title, message=message), 503))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _refuse_nul_characters():
    """No text may carry a NUL character: PostgreSQL cannot store it, and no person types it."""
    values = [request.path, *(v for source in (request.args, request.form) for vs in source.listvalues() for v in vs)]
    json_body = request.is_json or jsonapi.is_api_request()
    if any("\x00" in v for v in values) or (json_body and b"\\u0000" in request.get_data()):
        abort(400)


def _invalid_data(error):
    """A value the database refuses (a safety net behind the forms' own checks): 400, not 500."""
    current_app.logger.warning("database refused a value: %s", error.__class__.__name__)
    finish_session()
    return _error_page(BadRequest())


def _security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.endpoint != "static":  # pages, downloads and API answers may carry names, contacts and links
        response.headers.setdefault("Cache-Control", "no-store")
    if current_app.config.get("ENV_MODE") == "production":  # served over TLS only (docs/deployment.md)
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def init_app(app: Flask) -> None:
    """Error pages, security headers, session teardown and template helpers (``bp`` is registered
    with the other blueprints by the app factory)."""
    app.url_map.converters.update(int=BoundedIntConverter, year=YearConverter)
    for code in ERROR_MESSAGES:
        app.register_error_handler(code, _error_page)
    app.register_error_handler(CSRFError, _error_page)
    app.register_error_handler(HTTPException, _other_http_error)  # the codes above keep their own handler
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(InterfaceError, _database_unavailable)
    app.teardown_appcontext(finish_session)
    app.before_request(jsonapi.limit_body)  # before any handler reads the body
    app.before_request(_refuse_nul_characters)
    app.register_error_handler(DataError, _invalid_data)
    app.after_request(_security_headers)
    app.jinja_env.filters["localtime"] = lambda v, fmt="%Y-%m-%d %H:%M": (
        local(v).strftime(fmt) if v else ""
    )
    app.jinja_env.filters["reject_key"] = lambda args, key: {k: v for k, v in args.items() if k != key}
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(ROLE_LABELS=ROLE_LABELS, can=CurrentPermissions(), YEAR=numbers.YEAR)

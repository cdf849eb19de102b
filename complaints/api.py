"""A small JSON API for other platforms (a 12345 hotline, another centre), in the spirit of
Open311: create a case (上级转办), read its status and public timeline, add a reply.

Authentication is a bearer token (``investenv api-token``); the API acts as the token's user,
with that user's role and prefecture scope.  A request object is validated by the page's own form
(:mod:`investenv.jsonapi`), so the rules and messages are the page's; the OpenAPI description,
served at ``/api/openapi.json``, derives the objects' schemas from the same forms.
"""
from __future__ import annotations

import hashlib
import secrets
from decimal import Decimal
from functools import wraps

from flask import Blueprint, g, jsonify, request

from investenv import audit, jsonapi
from investenv.auth import queries as auth_queries
from investenv.auth.models import ApiToken
from investenv.errors import FieldErrors, RuleError
from investenv.extensions import csrf, db
from investenv.forms import attempt
from investenv.permissions import can
from investenv.registry import queries as registry_queries
from investenv.timeutil import today, utcnow

from . import operations, queries
from .forms import ApiIntakeForm, ReplyForm
from .models import Complaint
from .vocabulary import CATEGORIES, OUTCOMES, STATUSES

api = Blueprint("api", __name__, url_prefix="/api")
csrf.exempt(api)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(user, name: str) -> str:
    """Create a token for ``user``; the token itself is returned once and stored hashed."""
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, name=name, token_hash=token_hash(token)))
    db.session.flush()
    return token


def _bearer_token() -> str | None:
    """The token of ``Authorization: Bearer <token>``; the scheme's case does not matter (RFC 7235)
    and white space around the header's parts is ignored."""
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def authenticated(permission: str):
    """Require a valid bearer token whose account holds ``permission`` (:mod:`investenv.permissions`)."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            token = _bearer_token()
            found = auth_queries.api_token(token_hash(token)) if token else None
            if found is None or found.revoked or not found.user.active:
                response = jsonapi.error(401)
                response.headers["WWW-Authenticate"] = "Bearer"
                return response
            if not can(permission, found.user):
                return jsonapi.error(403)
            found.last_used_at = utcnow()
            g.api_user = found.user
            audit.note("api", f"{request.method} {request.path}", username=found.user.username)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _visible(case_no: str) -> Complaint | None:
    case = queries.case_by_number(case_no)
    user = g.api_user
    if case is None or (not user.is_provincial and case.prefecture_id != user.prefecture_id):
        return None
    return case


def _case_json(case: Complaint) -> dict:
    def day(value):
        return value.isoformat() if value else None

    return {
        "case_no": case.case_no, "status": case.status, "status_label": STATUSES[case.status],
        "prefecture_code": case.prefecture.code, "category": case.category, "received_on": day(case.received_on),
        "accepted_on": day(case.accepted_on), "due_on": day(case.due_on), "replied_on": day(case.replied_on),
        "closed_on": day(case.closed_on), "outcome": case.outcome, "deadline_problem": case.deadline_problem or None,
        "timeline": [{"at": e.at.isoformat() + "Z", "kind": e.kind, "text": e.text} for e in case.events if e.public],
    }


# The request objects: the page's forms, as JSON (investenv.jsonapi); a platform passes cases on
# (上级转办), received today unless it says otherwise.
INTAKE = jsonapi.JsonForm(
    ApiIntakeForm, defaults={"channel": "transfer", "received_on": lambda: today().isoformat()},
    example={"prefecture_code": "430200", "county_code": "430202", "department": "市场监管局",
             "complainant": "株洲某电子有限公司", "category": "fees", "summary": "收费超出费负卡范围", "received_on": "2026-01-05"})
REPLY = jsonapi.JsonForm(ReplyForm, leave_out=("version",), example={"text": "已责令退还多收的费用，并向企业说明。"})
# Names of the intake's rules (complaints.operations.CaseIntake) that the API's object calls otherwise.
API_NAMES = {"prefecture": "prefecture_code", "county": "county_code"}


def _refused(refusal: RuleError, status: int):
    """A business rule's refusal: 400 naming its fields, or ``status`` for a refusal of the action
    as such (the case's state)."""
    if isinstance(refusal, FieldErrors):
        return jsonapi.error(400, errors={API_NAMES.get(k, k): v for k, v in refusal.errors.items()})
    if refusal.field:
        return jsonapi.error(400, errors={API_NAMES.get(refusal.field, refusal.field): refusal.message})
    return jsonapi.error(status, refusal.message)


@api.post("/v1/complaints")
@authenticated("take_complaints")
def create():
    form, problems = INTAKE.read()
    prefecture = county = None
    if "prefecture_code" not in problems:
        prefecture = registry_queries.prefecture_by_code(form.prefecture_code.data)
        if prefecture is None:
            problems["prefecture_code"] = f"未知的市州代码：{form.prefecture_code.data}"
    if form.county_code.data and "county_code" not in problems:
        county = registry_queries.county_by_code(form.county_code.data)
        if county is None:
            problems["county_code"] = f"未知的县市区代码：{form.county_code.data}"
    if problems:
        return jsonapi.error(400, errors=problems)
    enterprise = registry_queries.enterprise_by_credit_code(form.credit_code.data) if form.credit_code.data else None
    logged, refusal = attempt(lambda: operations.intake(operations.CaseIntake(
        prefecture=prefecture, county=county, department=form.department.data or "",
        complainant=form.complainant.data, enterprise_id=enterprise.id if enterprise else None,
        contact_name=form.contact_name.data or "", contact_phone=form.contact_phone.data or "",
        channel=form.channel.data, received_on=form.received_on.data, category=form.category.data,
        summary=form.summary.data, claims=form.claims.data or "",
        amount_yuan=Decimal(form.amount_yuan.data) if form.amount_yuan.data is not None else None,
        user_id=g.api_user.id, today=today())))
    if refusal is not None:
        return _refused(refusal, 400)
    case, code = logged
    db.session.commit()
    return jsonify(_case_json(case) | {"lookup_code": code}), 201


@api.get("/v1/complaints/<case_no>")
@authenticated("use_staff_pages")
def read(case_no: str):
    case = _visible(case_no)
    if case is None:
        return jsonapi.error(404, "没有这个案件，或不在令牌账号的范围内")
    db.session.commit()  # keeps the token's last use
    return jsonify(_case_json(case))


@api.post("/v1/complaints/<case_no>/replies")
@authenticated("handle_complaints")
def reply(case_no: str):
    case = _visible(case_no)
    if case is None:
        return jsonapi.error(404, "没有这个案件，或不在令牌账号的范围内")
    form, problems = REPLY.read()
    if problems:
        return jsonapi.error(400, errors=problems)
    _, refusal = attempt(lambda: operations.reply(case, g.api_user.id, form.text.data, today()))
    if refusal is not None:
        return _refused(refusal, 409)
    db.session.commit()
    return jsonify(_case_json(case)), 201


@api.get("/openapi.json")
def openapi():
    return jsonify(OPENAPI)


def _day(nullable: bool = True) -> dict:
    return {"type": "string", "format": "date"} | ({"nullable": True} if nullable else {})


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int, **descriptions: str) -> dict:
    """The documented refusals of an operation, each with the error schema."""
    error = {"$ref": "#/components/schemas/Error"}
    return {str(s): _json(error, descriptions.get(f"s{s}", jsonapi.MESSAGES[s])) for s in statuses}


_CASE = {
    "type": "object",
    "required": ["case_no", "status", "status_label", "prefecture_code", "category", "received_on", "accepted_on",
                 "due_on", "replied_on", "closed_on", "outcome", "deadline_problem", "timeline"],
    "properties": {
        "case_no": {"type": "string", "example": "2026-4301-0007"}, "status": {"type": "string", "enum": list(STATUSES)},
        "status_label": {"type": "string"}, "prefecture_code": {"type": "string"},
        "category": {"type": "string", "enum": list(CATEGORIES)}, "received_on": _day(nullable=False),
        "accepted_on": _day(), "due_on": _day(), "replied_on": _day(), "closed_on": _day(),
        "outcome": {"type": "string", "enum": list(OUTCOMES), "nullable": True},
        "deadline_problem": {"type": "string", "nullable": True},
        "timeline": {"type": "array", "items": {"type": "object", "required": ["at", "kind", "text"], "properties": {
            "at": {"type": "string", "format": "date-time"}, "kind": {"type": "string"}, "text": {"type": "string"}}}},
    },
}
_NEW_CASE = {"allOf": [{"$ref": "#/components/schemas/Case"}, {
    "type": "object", "required": ["lookup_code"],
    "properties": {"lookup_code": {"type": "string", "pattern": "^[0-9A-F]{8}$", "description": "投诉人的查询码，只返回这一次"}}}]}
_ERROR = {"type": "object", "required": ["error"], "properties": {
    "error": {"type": "string"}, "errors": {"type": "object", "additionalProperties": {"type": "string"},
                                            "description": "每个有误的字段及其问题"}}}
_CASE_NO = {"name": "case_no", "in": "path", "required": True,
            "schema": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{4}-[0-9]{4,6}$", "example": "2026-4302-0001"}}
OPENAPI = {
    "openapi": "3.0.3",
    "info": {"title": "investenv 投诉案件接口", "version": "1",
             "description": "供 12345 热线平台或其他投诉中心转办案件并跟踪办理情况。使用 Bearer 令牌（investenv api-token create）。"
                            f"请求体为 JSON 对象，最大 {jsonapi.MAX_BODY_BYTES // 2**20} MB；对象中不接受未列出的字段；"
                            "字段的规则与网页登记表单相同，错误时返回 400 并逐项说明。"},
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                   "schemas": {"Case": _CASE, "NewCase": _NEW_CASE, "Error": _ERROR,
                               "NewComplaint": INTAKE.schema, "Reply": REPLY.schema}},
    "security": [{"bearer": []}],
    "paths": {
        "/api/v1/complaints": {"post": {
            "summary": "转办一件投诉（上级转办）",
            "description": "channel 不填为 transfer（上级转办），received_on 不填为当天。",
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/NewComplaint"}}}},
            "responses": {"201": _json({"$ref": "#/components/schemas/NewCase"}, "已登记；lookup_code 只返回这一次"),
                          **_errors(400, 401, 403, 413, 503, s400="请求有误：errors 逐项说明（未知的市州或县市区代码也在此列）")}}},
        "/api/v1/complaints/{case_no}": {"get": {
            "summary": "案件状态与公开办理记录",
            "parameters": [_CASE_NO],
            "responses": {"200": _json({"$ref": "#/components/schemas/Case"}, "案件"),
                          **_errors(400, 401, 403, 404, 503, s400="请求有误（如路径中含 NUL 字符）",
                                    s404="没有这个案件，或不在令牌账号的范围内")}}},
        "/api/v1/complaints/{case_no}/replies": {"post": {
            "summary": "答复投诉人",
            "parameters": [_CASE_NO],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Reply"}}}},
            "responses": {"201": _json({"$ref": "#/components/schemas/Case"}, "已答复"),
                          **_errors(400, 401, 403, 404, 409, 413, 503, s404="没有这个案件，或不在令牌账号的范围内",
                                    s409="案件当前状态不能答复")}}},
    },
}

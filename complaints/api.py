"""A small JSON API for other platforms (a 12345 hotline, another centre), in the spirit of
Open311: create a case (上级转办), read its status and public timeline, add a reply.

Authentication is a bearer token (``investenv api-token``); the API acts as the token's user,
with that user's role and prefecture scope, and applies the same validation as the pages.
The OpenAPI description is served at ``/api/openapi.json``.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from decimal import Decimal, InvalidOperation
from functools import wraps

from flask import Blueprint, g, jsonify, request

from investenv import audit
from investenv.auth import queries as auth_queries
from investenv.auth.models import ApiToken
from investenv.errors import FieldErrors
from investenv.extensions import csrf, db
from investenv.forms import attempt
from investenv.permissions import can
from investenv.registry import queries as registry_queries
from investenv.timeutil import today, utcnow

from . import operations, queries
from .models import Complaint
from .vocabulary import STATUSES

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


def _error(status: int, message: str, errors: dict | None = None):
    body = {"error": message} | ({"errors": errors} if errors else {})
    return jsonify(body), status


def authenticated(permission: str):
    """Require a valid bearer token whose account holds ``permission`` (:mod:`investenv.permissions`)."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            header = request.headers.get("Authorization", "")
            token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
            found = auth_queries.api_token(token_hash(token)) if token else None
            if found is None or found.revoked or not found.user.active:
                return _error(401, "缺少或无效的访问令牌（Authorization: Bearer …）")
            if not can(permission, found.user):
                return _error(403, "此令牌的账号无权进行该操作")
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


@api.post("/v1/complaints")
@authenticated("take_complaints")
def create():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return _error(400, "请求体应为 JSON 对象")
    problems = {}
    prefecture = registry_queries.prefecture_by_code(str(data.get("prefecture_code", "")))
    if prefecture is None:
        problems["prefecture_code"] = f"未知的市州代码：{data.get('prefecture_code')}"
    county = None
    if data.get("county_code"):
        county = registry_queries.county_by_code(str(data["county_code"]))
        if county is None:
            problems["county_code"] = f"未知的县市区代码：{data['county_code']}"
    try:
        received = dt.date.fromisoformat(str(data.get("received_on") or today().isoformat()))
    except ValueError:
        problems["received_on"], received = "日期格式应为 YYYY-MM-DD", today()
    amount = None
    if data.get("amount_yuan") not in (None, ""):
        try:
            amount = Decimal(str(data["amount_yuan"]))
        except InvalidOperation:
            problems["amount_yuan"] = "应为金额"
    if problems:
        return _error(400, "请求有误", problems)
    enterprise = registry_queries.enterprise_by_credit_code(str(data["credit_code"])) if data.get("credit_code") else None
    logged, refusal = attempt(lambda: operations.intake(operations.CaseIntake(
        prefecture=prefecture, county=county, department=str(data.get("department", "")),
        complainant=str(data.get("complainant", "")), enterprise_id=enterprise.id if enterprise else None,
        contact_name=str(data.get("contact_name", "")), contact_phone=str(data.get("contact_phone", "")),
        channel=str(data.get("channel", "transfer")), received_on=received, category=str(data.get("category", "")),
        summary=str(data.get("summary", "")), claims=str(data.get("claims", "")), amount_yuan=amount,
        user_id=g.api_user.id, today=today())))
    if isinstance(refusal, FieldErrors):
        return _error(400, "请求有误", refusal.errors)
    if refusal is not None:
        return _error(400, refusal.message)
    case, code = logged
    db.session.commit()
    return jsonify(_case_json(case) | {"lookup_code": code}), 201


@api.get("/v1/complaints/<case_no>")
@authenticated("use_staff_pages")
def read(case_no: str):
    case = _visible(case_no)
    if case is None:
        return _error(404, "没有这个案件")
    db.session.commit()  # keeps the token's last use
    return jsonify(_case_json(case))


@api.post("/v1/complaints/<case_no>/replies")
@authenticated("handle_complaints")
def reply(case_no: str):
    case = _visible(case_no)
    if case is None:
        return _error(404, "没有这个案件")
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not str(data.get("text", "")).strip():
        return _error(400, "请求有误", {"text": "请填写答复内容"})
    _, refusal = attempt(lambda: operations.reply(case, g.api_user.id, str(data["text"]), today()))
    if refusal is not None:
        return _error(409, refusal.message)
    db.session.commit()
    return jsonify(_case_json(case)), 201


@api.get("/openapi.json")
def openapi():
    return jsonify(OPENAPI)


_CASE = {
    "type": "object",
    "properties": {
        "case_no": {"type": "string", "example": "2026-4301-0007"}, "status": {"type": "string", "enum": list(STATUSES)},
        "status_label": {"type": "string"}, "prefecture_code": {"type": "string"}, "category": {"type": "string"},
        "received_on": {"type": "string", "format": "date"}, "accepted_on": {"type": "string", "format": "date", "nullable": True},
        "due_on": {"type": "string", "format": "date", "nullable": True},
        "replied_on": {"type": "string", "format": "date", "nullable": True},
        "closed_on": {"type": "string", "format": "date", "nullable": True},
        "outcome": {"type": "string", "nullable": True}, "deadline_problem": {"type": "string", "nullable": True},
        "timeline": {"type": "array", "items": {"type": "object", "properties": {
            "at": {"type": "string", "format": "date-time"}, "kind": {"type": "string"}, "text": {"type": "string"}}}},
    },
}
_ERROR = {"type": "object", "properties": {"error": {"type": "string"}, "errors": {"type": "object"}}}
OPENAPI = {
    "openapi": "3.0.3",
    "info": {"title": "investenv 投诉案件接口", "version": "1",
             "description": "供 12345 热线平台或其他投诉中心转办案件并跟踪办理情况。使用 Bearer 令牌（investenv api-token create）。"},
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                   "schemas": {"Case": _CASE, "Error": _ERROR}},
    "security": [{"bearer": []}],
    "paths": {
        "/api/v1/complaints": {"post": {
            "summary": "转办一件投诉（上级转办）",
            "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object", "required": [
                "prefecture_code", "complainant", "category", "summary"], "properties": {
                "prefecture_code": {"type": "string", "example": "430200"}, "county_code": {"type": "string"},
                "department": {"type": "string"}, "complainant": {"type": "string"}, "credit_code": {"type": "string"},
                "contact_name": {"type": "string"}, "contact_phone": {"type": "string"},
                "channel": {"type": "string", "default": "transfer"}, "received_on": {"type": "string", "format": "date"},
                "category": {"type": "string", "enum": ["fees", "inspection", "fines", "approval", "policy", "contract",
                                                         "enforcement", "security", "other"]},
                "summary": {"type": "string"}, "claims": {"type": "string"}, "amount_yuan": {"type": "number"}}}}}},
            "responses": {"201": {"description": "已登记；lookup_code 只返回这一次",
                                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Case"}}}},
                          "400": {"description": "请求有误", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                          "401": {"description": "令牌无效"}, "403": {"description": "无权操作"}}}},
        "/api/v1/complaints/{case_no}": {"get": {
            "summary": "案件状态与公开办理记录",
            "parameters": [{"name": "case_no", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "案件", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Case"}}}},
                          "404": {"description": "没有这个案件，或不在令牌账号的范围内"}}}},
        "/api/v1/complaints/{case_no}/replies": {"post": {
            "summary": "答复投诉人",
            "parameters": [{"name": "case_no", "in": "path", "required": True, "schema": {"type": "string"}}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object", "required": ["text"],
                            "properties": {"text": {"type": "string"}}}}}},
            "responses": {"201": {"description": "已答复"}, "409": {"description": "案件当前状态不能答复"},
                          "404": {"description": "没有这个案件，或不在令牌账号的范围内"}}}},
    },
}

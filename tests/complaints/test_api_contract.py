"""The served OpenAPI description against the real API (schemathesis): requests that fit the spec
and requests that break it, with a valid token, never get a 5xx, and every answer is documented —
its status, its content type, its body's schema; what the spec forbids is refused."""
import datetime as dt
import json
import zlib

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from complaints import operations, queries
from complaints.api import OPENAPI
from investenv.extensions import db
from investenv.timeutil import today

from .test_api import CASE, _token

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection]


@pytest.fixture
def centre(client, make_user):
    """A centre account's token, and one of its cases accepted and routed, so that it can be read and replied to."""
    headers = _token(make_user)
    created = client.post("/api/v1/complaints", json=CASE | {"received_on": today().isoformat()}, headers=headers).json
    case = queries.case_by_number(created["case_no"])
    operations.accept(case, None, today(), "simple", major=False)
    operations.assign(case, None, case.prefecture, "")
    db.session.commit()
    return headers, created["case_no"]


def _fits(case, location: ParameterLocation) -> bool:
    component = case.meta.components.get(location) if case.meta else None
    return component is None or component.mode == GenerationMode.POSITIVE


def _every_other(value) -> bool:
    return zlib.crc32(repr(value).encode()) % 2 == 0


# The spec as /api/openapi.json serves it (tests/complaints/test_api.py checks they are the same); the
# requests go to each test's app, on each database.
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(OPENAPI)))


@schema.parametrize()
@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_the_api_answers_as_its_spec_says(case, app, centre):
    headers, case_no = centre
    # Where a request was generated to fit the spec, every other one goes to the existing case (so that
    # reads and replies get past the 404), or names a known place and a plausible day (so that an intake
    # can succeed).
    path = case.path_parameters or {}
    if "case_no" in path and _fits(case, ParameterLocation.PATH) and _every_other(path["case_no"]):
        path["case_no"] = case_no
    body = case.body
    if isinstance(body, dict) and "complainant" in body and _fits(case, ParameterLocation.BODY) and _every_other(body):
        body |= {"prefecture_code": "430200", "county_code": "430202",
                 "received_on": (today() - dt.timedelta(days=3)).isoformat()}
    case.call_and_validate(app=app, headers=headers, checks=CHECKS)

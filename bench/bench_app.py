"""The app under benchmark, plus the baseline: a bare endpoint that inserts one row.

``python bench/bench_app.py setup N`` prepares the database (schema, a round, N invitations)
and prints the tokens; ``count`` prints the responses written; gunicorn serves ``bench_app:app``.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Integer, String, func, select  # noqa: E402
from sqlalchemy.orm import Mapped, mapped_column  # noqa: E402

from bench.survey_load import STAFF_PASSWORD  # noqa: E402
from investenv.app import create_app  # noqa: E402
from investenv.extensions import csrf, db  # noqa: E402


class BareRow(db.Model):
    __tablename__ = "bench_rows"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[str] = mapped_column(String(20))


app = create_app()


@app.post("/bench/bare")
@csrf.exempt
def bare():
    from flask import request

    db.session.add(BareRow(value=request.form.get("value", "")[:20]))
    db.session.commit()
    return "ok"


def setup(count: int) -> list[str]:
    from investenv import migrate
    from investenv.registry.credit_code import compose
    from investenv.registry.models import Prefecture
    from investenv.registry.operations import EnterpriseData, create_enterprise
    from investenv.timeutil import today
    from survey import operations

    migrate.upgrade()
    BareRow.__table__.create(db.engine, checkfirst=True)
    day = today()
    survey_round = operations.create_round(day.year, "bench", "2006", day - dt.timedelta(days=1), day + dt.timedelta(days=1))
    prefectures = db.session.scalars(select(Prefecture).order_by(Prefecture.code)).all()
    tokens = []
    for n in range(count):
        prefecture = prefectures[n % len(prefectures)]
        county = prefecture.counties[0]
        enterprise = create_enterprise(EnterpriseData(
            name=f"压测企业{n}", credit_code=compose("91", county.code, f"B{n:07d}"), prefecture_id=prefecture.id,
            county_id=county.id, origin_province="广东省", origin_city="", industry=None, contact_name="",
            contact_phone=""), None)
        tokens.append(operations.invite(survey_round, enterprise).token)
    from investenv.auth.operations import create_user
    from investenv.permissions import Role

    create_user("bench-centre", "压测工作人员", STAFF_PASSWORD, Role.CENTRE, None)
    db.session.commit()
    return tokens


def count() -> dict:
    from complaints.models import Complaint
    from survey.models import Invitation, Response

    return {
        "responses": db.session.scalar(select(func.count()).select_from(Response)),
        "used": db.session.scalar(select(func.count()).select_from(Invitation).where(Invitation.used.is_(True))),
        "used_tokens": list(db.session.scalars(select(Invitation.token).where(Invitation.used.is_(True)))),
        "complaint_summaries": list(db.session.scalars(select(Complaint.summary))),
    }


if __name__ == "__main__":
    with app.app_context():
        if sys.argv[1] == "setup":
            print(json.dumps(setup(int(sys.argv[2]))))
        else:
            print(json.dumps(count()))

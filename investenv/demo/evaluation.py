"""The demo year's published ranking (第 1 版, published by the administrator) and one request for
review from 株洲市 waiting for the office's answer, so every evaluation page has something to show."""
from __future__ import annotations

from evaluation import operations
from evaluation.models import Objection
from evaluation.service import run_year

from ..auth.models import User
from ..extensions import db

REASON = ("我市 2026 年第三季度有 3 个测评点按期报送了反馈，但排名明细中这 3 个测评点没有得分，"
          "请核实测评点反馈数据是否完整录入。")


def load(year: int, users: list[User]) -> None:
    by_name = {u.username: u for u in users}
    admin, zhuzhou = by_name["admin"], by_name["zhuzhou"]
    run = operations.publish(run_year(year, user_id=admin.id), admin.id)
    # Added as a record rather than through operations.file_objection, whose window depends on the
    # day the demo is loaded (and on the next year's calendar being entered).
    db.session.add(Objection(run=run, prefecture_id=zhuzhou.prefecture_id, filed_by_id=zhuzhou.id,
                              reason=REASON, state="filed"))

"""A staff member's in-app messages: their own only."""
import datetime as dt

from complaints import operations
from investenv.extensions import db


def test_each_user_sees_their_own_in_app_messages(app, client, login, make_user, prefecture):
    clerk, zz, cs = (make_user("centre", username="clerk"), make_user("prefecture", "株洲市", username="zzh"),
                     make_user("prefecture", "长沙市", username="csh"))
    found = prefecture("长沙市")
    case, _ = operations.intake(operations.CaseIntake(
        prefecture=found, county=found.counties[0], complainant="某企业", channel="web", received_on=dt.date(2026, 11, 2),
        category="fees", summary="收费", user_id=None, today=dt.date(2026, 11, 2)))
    operations.accept(case, clerk.id, dt.date(2026, 11, 3), "simple", False)
    operations.assign(case, clerk.id, prefecture("株洲市"), "")
    db.session.commit()
    login(client, zz)
    assert f"转办投诉：{case.case_no}" in client.get("/notifications/").get_data(as_text=True)
    other = client.application.test_client()
    login(other, cs)
    page = other.get("/notifications/").get_data(as_text=True)
    assert case.case_no not in page and "没有通知" in page

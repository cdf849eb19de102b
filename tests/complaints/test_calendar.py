"""Deadline arithmetic on the real 2026 calendar, and a year the calendar does not know yet."""
import datetime as dt

import pytest
import sqlalchemy as sa

from complaints import calendar_store
from complaints.calendar import CalendarMissing, WorkCalendar
from complaints.models import CalendarYear
from complaints.rules import MOFCOM_2020, SEED, Period, rule_set
from investenv.errors import FieldErrors
from investenv.extensions import db

D = dt.date


@pytest.fixture
def cal(app):
    return calendar_store.load()


def test_packaged_years_are_loaded_by_db_upgrade(cal):
    assert set(range(2004, 2027)) <= cal.known_years
    assert 2027 not in cal.known_years
    assert cal.is_workday(D(2026, 10, 10))  # an adjusted working Saturday
    assert not cal.is_workday(D(2026, 10, 1))


def test_received_on_the_last_working_day_before_national_day_2026(cal):
    # 30 Sep (Wed); 1–7 Oct off; 8 (Thu), 9 (Fri) and 10 Oct (Sat, 调休上班) are working days,
    # so the third working day is a Saturday.
    assert cal.deadline(D(2026, 9, 30), SEED.acknowledge) == D(2026, 10, 10)
    # 30 calendar days from 30 Sep is 30 Oct, a Friday and a working day.
    assert cal.deadline(D(2026, 9, 30), SEED.reply) == D(2026, 10, 30)


def test_received_on_an_adjusted_working_saturday(cal):
    # Sat 14 Feb 2026 is a working day before the Spring Festival (15–23 Feb off).
    assert cal.is_workday(D(2026, 2, 14))
    assert cal.deadline(D(2026, 2, 14), SEED.acknowledge) == D(2026, 2, 26)


def test_a_case_spanning_the_2026_spring_festival(cal):
    # Received Wed 11 Feb; MOFCOM: accept within 7 working days: 12, 13, 14 (Sat, 调休),
    # then the holiday to 23 Feb, then 24, 25, 26, 27 Feb.
    assert cal.deadline(D(2026, 2, 11), MOFCOM_2020.acknowledge) == D(2026, 2, 27)
    # A calendar-day deadline ending inside the holiday moves to the next working day.
    assert cal.deadline(D(2026, 1, 20), Period(30, working=False)) == D(2026, 2, 24)


def test_a_deadline_in_2027_is_missing_until_2027_is_entered(app, make_user):
    cal = calendar_store.load()
    with pytest.raises(CalendarMissing, match="缺少 2027 年的节假日安排") as caught:
        cal.deadline(D(2026, 12, 10), SEED.reply)
    assert caught.value.year == 2027
    admin = make_user("admin")
    calendar_store.enter_year(
        2027, "2027-01-01\n2027-02-05..2027-02-11", "2027-02-13", "国务院办公厅通知（测试）", admin.username)
    db.session.commit()
    cal = calendar_store.load()
    # 30 days from 10 Dec 2026 is Sat 9 Jan 2027, a day off: the deadline moves to Mon 11 Jan.
    assert cal.deadline(D(2026, 12, 10), SEED.reply) == D(2027, 1, 11)
    assert cal.is_workday(D(2027, 2, 13)) and not cal.is_workday(D(2027, 2, 8))
    assert cal.deadline(D(2027, 2, 4), SEED.acknowledge) == D(2027, 2, 15)


@pytest.mark.parametrize(
    ("holidays", "workdays", "message"),
    [
        ("2027-13-01", "", "无法识别"),
        ("2026-12-31", "", "不在 2027 年内"),
        ("2027-02-05..2027-02-01", "", "无法识别"),
        ("2027-02-05", "2027-02-05", "不能既放假又上班"),
        ("2027-02-05", "2027-02-09", "本来就是工作日"),
    ],
)
def test_bad_calendar_entries_are_refused_and_nothing_is_written(app, make_user, holidays, workdays, message):
    admin = make_user("admin")
    with pytest.raises(FieldErrors) as caught:
        calendar_store.enter_year(2027, holidays, workdays, "通知", admin.username)
    assert message in caught.value.errors["holidays"]
    db.session.rollback()
    assert db.session.get(CalendarYear, 2027) is None


def test_admin_enters_next_year_on_the_calendar_page(client, make_user, login):
    login(client, make_user("admin"))
    page = client.get("/admin/calendar").get_data(as_text=True)
    assert "尚未录入 2027 年的节假日安排" in page
    refused = client.post("/admin/calendar", data={"year": "2027", "holidays": "2027-02-30", "source": "通知"})
    assert refused.status_code == 400 and "无法识别“2027-02-30”" in refused.get_data(as_text=True)
    ok = client.post("/admin/calendar", data={"year": "2027", "holidays": "2027-01-01", "workdays": "", "source": "通知"})
    assert ok.status_code == 302
    assert db.session.scalar(sa.select(CalendarYear.source).where(CalendarYear.year == 2027)) == "通知"
    assert "尚未录入" not in client.get("/admin/calendar").get_data(as_text=True)


def test_only_admins_manage_the_calendar(client, make_user, login):
    login(client, make_user("centre"))
    assert client.get("/admin/calendar").status_code == 403


def test_rule_sets_and_month_arithmetic():
    assert rule_set("mofcom2020").reply == Period(60, working=True)
    with pytest.raises(ValueError, match="可选：seed、mofcom2020"):
        rule_set("hubei")
    cal = WorkCalendar(known_years={2026}, exceptions={})
    with pytest.raises(CalendarMissing):
        cal.add_months(D(2026, 11, 30), 3)
    assert cal.add_months(D(2026, 5, 31), 3) == D(2026, 8, 31)

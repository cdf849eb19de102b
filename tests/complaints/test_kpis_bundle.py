"""Complaint KPIs worked by hand, the statistics report, and complaints.csv."""
import datetime as dt
import subprocess
from decimal import Decimal

import sqlalchemy as sa

from complaints import bundle, calendar_store, kpis, operations
from complaints.models import Complaint
from investenv.extensions import db

D = dt.date
MONDAY = D(2026, 3, 2)


def _case(prefecture, received=MONDAY, **kw):
    values = dict(prefecture=prefecture, county=None, department="", complainant="企业", enterprise_id=None,
                  contact_name="", contact_phone="", channel="hotline", received_on=received, category="fees",
                  summary="事项", claims="", amount_yuan=None, user_id=None, today=D(2026, 11, 23))
    case, _ = operations.intake(operations.CaseIntake(**(values | kw)))
    return case


def _through(case, replied, accepted=MONDAY):
    operations.accept(case, None, accepted, "simple", major=False)
    operations.assign(case, None, case.prefecture, "")
    operations.reply(case, None, "答复", replied)


def test_kpis_match_a_hand_count(app, prefecture, make_user):
    cs = prefecture("长沙市")
    visitor = make_user("centre")
    on_time = _case(cs)
    _through(on_time, D(2026, 3, 20))  # due 1 Apr: on time; 14 working days from 2 Mar
    operations.close(on_time, None, "resolved", Decimal("5000"), D(2026, 3, 21))
    operations.return_visit(on_time, visitor.id, "满意", D(2026, 3, 22))
    late = _case(cs)
    _through(late, D(2026, 4, 10))  # due 1 Apr: late
    operations.return_visit(late, visitor.id, "基本满意", D(2026, 4, 12))
    overdue = _case(cs, category="inspection")
    operations.accept(overdue, None, D(2026, 3, 2), "simple", major=True)  # still open, overdue
    _case(cs, received=D(2026, 11, 20))  # waiting for acceptance, not late yet
    db.session.commit()
    rows, total = kpis.kpis(D(2026, 1, 1), D(2026, 12, 31), None, D(2026, 11, 23))
    row = rows[0]
    assert (row.received, row.accepted, row.closed) == (4, 3, 1)
    assert row.clearance_rate == 0.25
    assert (row.on_time, row.late) == (1, 2) and row.punctuality_rate == 1 / 3
    # Working days 3–20 Mar (14) and 3 Mar–10 Apr (28: Qingming, 4–6 Apr, is off).
    assert (row.reply_days_total, row.replies_timed, row.mean_reply_days) == (42, 2, 21)
    assert row.satisfaction_rate == 0.75
    assert row.loss_recovered == Decimal("5000") and row.major == 1 and row.unregistered_inspections == 1
    assert rows[1].received == 0 and rows[1].clearance_rate is None
    assert total.received == 4


def test_statistics_report_pdf_and_xlsx(client, make_user, login, prefecture, tmp_path):
    _through(_case(prefecture("株洲市")), D(2026, 3, 20))
    db.session.commit()
    login(client, make_user("analyst"))
    pdf = client.get("/complaints/kpis.pdf?from=2026-01-01&to=2026-12-31")
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf.data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "投资企业投诉处理情况统计表" in text and "株洲市" in text and "全省" in text
    assert client.get("/complaints/kpis.xlsx?from=2026-01-01&to=2026-12-31").data.startswith(b"PK")
    assert client.get("/complaints/kpis?from=2026-12-31&to=2026-01-01").status_code == 404


def test_complaints_csv_round_trip_and_bad_rows(app, prefecture, run_cli, tmp_path):
    case = _case(prefecture("株洲市"))
    _through(case, D(2026, 3, 20))
    db.session.commit()
    out = tmp_path / "complaints.csv"
    assert run_cli(app, "export", "complaints", "--year", "2026", str(out)).exit_code == 0
    lines = out.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(bundle.HEADER)
    assert lines[1] == "2026-4302-0001,430200,2026-03-02,2026-03-02,simple,0,fees,replied,2026-04-01,2026-03-20,,0,,"
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([lines[0], lines[1],
                              "2026-4301-0009,430200,2026-02-30,,fast,2,theft,lost,,,,0,很好,abc"]), encoding="utf-8")
    result = run_cli(app, "import", "complaints", str(bad))
    assert result.exit_code == 1
    for column in ("case_no】该案件编号已存在", "case_no】案件编号中的市州 4301", "received_on】", "procedure】", "major】",
                   "category】", "status】", "satisfaction】", "loss_recovered_yuan】"):
        assert column in result.output, column
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Complaint)) == 1
    good = tmp_path / "good.csv"
    good.write_text("\n".join([lines[0], "2025-4301-0003,430100,2025-05-06,2025-05-07,joint,1,approval,closed,"
                               "2025-06-06,2025-06-01,2025-06-02,0,满意,12000.00"]), encoding="utf-8")
    assert run_cli(app, "import", "complaints", str(good)).exit_code == 0
    imported = db.session.scalar(sa.select(Complaint).where(Complaint.case_no == "2025-4301-0003"))
    assert (imported.status, imported.major, imported.satisfaction, imported.loss_recovered_yuan) == (
        "closed", True, "满意", Decimal("12000.00"))


def _stats_rows():
    from complaints.models import ComplaintDayStats

    return sorted(tuple(getattr(r, c) for c in ("prefecture_id", "day", "received", "accepted", "closed", "on_time",
                                                  "replied_late", "reply_days_total", "replies_timed", "visits", "major"))
                  for r in db.session.scalars(sa.select(ComplaintDayStats)))


def test_day_statistics_follow_every_change_including_transfers(app, prefecture, make_user):
    from complaints import daystats

    visitor = make_user("centre")
    cs, zz = prefecture("长沙市"), prefecture("株洲市")
    first, second = _case(cs), _case(cs, received=D(2026, 3, 3))
    _through(first, D(2026, 3, 20))
    operations.return_visit(first, visitor.id, "基本满意", D(2026, 3, 21))
    operations.accept(second, None, D(2026, 3, 4), "simple", major=True)
    operations.assign(second, None, zz, "")  # transferred: its row moves from 长沙 to 株洲
    db.session.commit()
    incremental = _stats_rows()
    assert {(r[0], r[2]) for r in incremental} == {(cs.id, 1), (zz.id, 1)}
    daystats.rebuild(db.session.connection())
    assert _stats_rows() == incremental


def test_overdue_queue_lists_the_most_overdue_first_and_pages_with_numbers(client, make_user, login, prefecture):
    from investenv import listing

    cs = prefecture("长沙市")
    for offset in range(3):
        case = _case(cs, received=D(2026, 3, 2 + offset))
        operations.accept(case, None, D(2026, 3, 2 + offset), "simple", major=False)
    late_ack = _case(cs, received=D(2026, 2, 2))  # never accepted: overdue for acknowledgement
    answered = _case(cs)
    _through(answered, D(2026, 3, 20))
    db.session.commit()
    login(client, make_user("centre"))
    html = client.get("/complaints/?queue=overdue").get_data(as_text=True)
    order = [n for n in ("2026-4301-0004", "2026-4301-0001", "2026-4301-0002", "2026-4301-0003") if n in html]
    assert order == ["2026-4301-0004", "2026-4301-0001", "2026-4301-0002", "2026-4301-0003"]
    assert sorted(order, key=html.index) == order and answered.case_no not in html
    assert late_ack.case_no == "2026-4301-0004"
    page = listing.Page(list(range(50, 100)), 2, 50, total=101)
    assert (page.items[0], page.has_prev, page.has_next, page.pages, page.first) == (50, True, True, 3, 51)
    assert listing.Page([], 6, 10, total=200).numbers() == [1, None, 4, 5, 6, 7, 8, None, 20]


def test_status_constraint_and_open_condition_are_derived_from_the_vocabulary():
    """The SQL the migrations created, unchanged: derived from vocabulary.STATUSES and HANDLING."""
    from complaints import models

    checks = {c.name: str(c.sqltext) for c in Complaint.__table__.constraints if isinstance(c, sa.CheckConstraint)}
    assert checks["ck_complaints_status"] == (
        "status IN ('received', 'accepted', 'not_accepted', 'assigned', 'handling', 'extended', 'replied', 'closed')")
    assert models.OPEN_CONDITION == "replied_on IS NULL AND status IN ('accepted', 'assigned', 'handling', 'extended')"


def test_different_measures_have_different_names_and_labels():
    from complaints import measures

    every = {*measures.STATISTICS, *measures.EVALUATION}
    assert len(every) == len({m.key for m in every}) == len({m.label for m in every}) == 5
    assert kpis.NOTE == ("结案率＝办结÷收到；按期率＝按期答复÷（已答复＋未答复已超期）；"
                         "满意率＝（满意＋0.5×基本满意）÷已回访")
    assert [m.label for m in measures.EVALUATION] == ["到期结案率", "按期答复率", "满意率"]


def test_a_case_belongs_to_the_year_it_was_received_in(app, run_cli, tmp_path):
    """An imported case numbered 2025 but received in 2026 is a 2026 case, in the export and in the evaluation."""
    from evaluation.service import year_bundle

    path = tmp_path / "late.csv"
    path.write_text("\n".join([",".join(bundle.HEADER), "2025-4301-0003,430100,2026-01-02,2026-01-03,simple,0,fees,"
                               "closed,2026-02-02,2026-01-20,2026-01-21,0,满意,"]), encoding="utf-8")
    assert run_cli(app, "import", "complaints", str(path)).exit_code == 0
    assert [row[0] for row in bundle.export_rows(2026)[1]] == ["2025-4301-0003"]
    assert bundle.export_rows(2025)[1] == []
    assert [row["case_no"] for row in year_bundle(2026).complaints] == ["2025-4301-0003"]


def test_the_ranking_never_reads_a_provisional_deadline(app, prefecture):
    """complaints.csv carries exact deadlines only: a deadline counted without next year's holidays
    (预计) is written blank until the year is entered, then exact."""
    december = _case(prefecture("长沙市"), received=D(2026, 12, 10), today=D(2026, 12, 10))
    operations.accept(december, None, D(2026, 12, 10), "simple", major=False)
    db.session.commit()
    assert december.due_on == D(2027, 1, 11) and december.deadline_problem
    _, rows = bundle.export_rows(2026)
    due = bundle.HEADER.index("due_on")
    assert [r[due] for r in rows if r[0] == december.case_no] == [""]
    calendar_store.enter_year(2027, "2027-01-01", "", "国务院办公厅通知", "admin")
    operations.recompute_deadlines(2027)
    _, rows = bundle.export_rows(2026)
    assert [r[due] for r in rows if r[0] == december.case_no] == ["2027-01-11"]

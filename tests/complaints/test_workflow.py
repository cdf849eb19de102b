"""The complaint workflow as plain operations: numbering, deadlines, states and the timeline."""
import datetime as dt
from decimal import Decimal

import pytest

from complaints import calendar_store, operations
from complaints.models import ComplaintEvent
from investenv.errors import FieldErrors, RuleError
from investenv.extensions import db

D = dt.date
RECEIVED = D(2026, 9, 30)  # the last working day before the 2026 National Day holiday


@pytest.fixture
def new_case(app, prefecture, make_user):
    clerk = make_user("centre", username="clerk")

    def factory(received_on=RECEIVED, prefecture_name="长沙市", **fields):
        found = prefecture(prefecture_name)
        values = dict(prefecture=found, county=found.counties[0], department="市场监管局", complainant="某投资企业",
                      enterprise_id=None, contact_name="张三", contact_phone="13800000000", channel="hotline",
                      received_on=received_on, category="fees", summary="超出费负卡收费", claims="退还多收费用",
                      amount_yuan=Decimal("12000"), user_id=clerk.id, today=D(2026, 11, 23))
        case, code = operations.intake(operations.CaseIntake(**(values | fields)))
        db.session.commit()
        return case, code

    return factory


def test_case_numbers_run_per_year_and_prefecture(new_case):
    first, code = new_case()
    second, _ = new_case()
    other, _ = new_case(prefecture_name="株洲市")
    assert (first.case_no, second.case_no, other.case_no) == ("2026-4301-0001", "2026-4301-0002", "2026-4302-0001")
    assert len(code) == 8 and first.secret_hash == operations.hash_secret(code.lower())
    assert first.acknowledge_due_on == D(2026, 10, 10)  # 3 working days, across National Day


def test_intake_refuses_bad_input_field_by_field(new_case, prefecture):
    with pytest.raises(FieldErrors) as caught:
        new_case(channel="fax", category="x", received_on=D(2030, 1, 1), county=prefecture("株洲市").counties[0],
                 summary="", amount_yuan=Decimal("-1"))
    assert set(caught.value.errors) == {"channel", "category", "received_on", "county", "summary", "amount_yuan"}


def test_full_closed_loop_with_separate_outcome_and_public_timeline(new_case, make_user, prefecture):
    case, _ = new_case()
    clerk = case.created_by_id
    handler = make_user("prefecture", "株洲市", username="zzhandler")
    visitor = make_user("centre", username="visitor")
    operations.accept(case, clerk, D(2026, 10, 8), "joint", major=True)
    assert case.due_on == D(2026, 11, 9)  # 30 days from 8 Oct is Sat 7 Nov: next working day
    operations.assign(case, clerk, prefecture("株洲市"), "税务局", "属地办理")
    operations.start(case, handler.id)
    operations.note(case, handler.id, "内部：已约谈企业负责人")
    operations.reply(case, handler.id, "经核查，已责令退还多收费用。", D(2026, 10, 20))
    with pytest.raises(RuleError, match="不能记录或更正满意度回访"):
        operations.return_visit(case, handler.id, "满意", D(2026, 10, 22))
    operations.return_visit(case, visitor.id, "满意", D(2026, 10, 22))
    operations.close(case, visitor.id, "resolved", Decimal("12000"), D(2026, 10, 22))
    db.session.commit()
    assert (case.status, case.outcome, case.satisfaction) == ("closed", "resolved", "满意")
    public = [e.text for e in case.events if e.public]
    assert "内部：已约谈企业负责人" not in public and "经核查，已责令退还多收费用。" in public
    assert [e.status_to for e in case.events if e.status_to] == ["accepted", "assigned", "handling", "replied", "closed"]


def test_closing_before_replying_and_replying_to_a_closed_case_are_refused(new_case):
    case, _ = new_case()
    operations.accept(case, None, D(2026, 10, 8), "simple", major=False)
    with pytest.raises(RuleError, match="尚未答复投诉人，不能办结"):
        operations.close(case, None, "resolved", None, D(2026, 10, 9))
    operations.assign(case, None, case.prefecture, "")
    operations.reply(case, None, "答复", D(2026, 10, 9))
    operations.close(case, None, "not_substantiated", None, D(2026, 10, 10))
    with pytest.raises(RuleError, match="不能答复"):
        operations.reply(case, None, "再次答复", D(2026, 10, 11))
    operations.reopen(case, None, "投诉人补充了证据")
    assert case.status == "handling" and case.outcome is None


def test_extension_sets_the_maximum_and_progress_reports(new_case):
    case, _ = new_case(received_on=D(2026, 6, 1))
    operations.accept(case, None, D(2026, 6, 2), "joint", major=False)
    operations.assign(case, None, case.prefecture, "")
    operations.extend(case, None, "涉及多个部门", D(2026, 6, 20))
    assert (case.status, case.extended_until, case.progress_due_on) == ("extended", D(2026, 9, 2), D(2026, 7, 6))
    operations.progress(case, None, "已召开协调会", D(2026, 7, 3))
    assert case.progress_due_on == D(2026, 7, 20)  # 15 days from 3 Jul is Sat 18 Jul: moved to Monday


def test_a_december_case_has_a_provisional_deadline_until_2027_is_entered(new_case, make_user):
    case, _ = new_case(received_on=D(2026, 12, 10), today=D(2026, 12, 10))
    operations.accept(case, None, D(2026, 12, 10), "simple", major=False)
    db.session.commit()
    # 30 days from 10 Dec is Sat 9 Jan 2027: moved to Monday, counting weekends only (预计)
    assert case.due_on == D(2027, 1, 11) and "缺少 2027 年的节假日安排" in case.deadline_problem
    assert calendar_store.Deadlines()(case.due_on) == "2027-01-11（预计）"
    calendar_store.enter_year(2027, "2027-01-01", "", "国务院办公厅通知", "admin")
    assert operations.recompute_deadlines(2027) == 1
    assert (case.due_on, case.deadline_problem) == (D(2027, 1, 11), "")
    assert calendar_store.Deadlines()(case.due_on) == "2027-01-11"


def test_a_provisional_deadline_becomes_exact_when_the_holidays_move_it(new_case):
    case, _ = new_case(received_on=D(2026, 12, 29), today=D(2026, 12, 29))
    # 3 working days from Tue 29 Dec: 30, 31 Dec and Fri 1 Jan, when 元旦 is not yet known
    assert case.acknowledge_due_on == D(2027, 1, 1) and "预计" in case.deadline_problem
    calendar_store.enter_year(2027, "2027-01-01", "", "国务院办公厅通知", "admin")
    assert operations.recompute_deadlines(2027) == 1
    assert (case.acknowledge_due_on, case.deadline_problem) == (D(2027, 1, 4), "")


def test_an_extended_case_is_told_its_exact_latest_closure(new_case):
    case, _ = new_case(received_on=D(2026, 11, 2), today=D(2026, 11, 2))
    operations.accept(case, None, D(2026, 11, 3), "joint", major=False)
    operations.assign(case, None, case.prefecture, "")
    operations.extend(case, None, "涉及多个部门", D(2026, 11, 20))
    assert case.extended_until == D(2027, 2, 3)  # three months from acceptance, a Wednesday
    assert "最迟 2027-02-03（预计）" in case.events[-1].text and case.events[-1].public
    db.session.commit()
    calendar_store.enter_year(2027, "2027-02-03..2027-02-09", "", "国务院办公厅通知", "admin")
    assert operations.recompute_deadlines(2027) == 1
    assert (case.extended_until, case.due_on, case.deadline_problem) == (D(2027, 2, 10), D(2027, 2, 10), "")
    told = case.events[-1]
    assert told.kind == "deadline" and told.public and "确定为 2027-02-10（原为预计的 2027-02-03" in told.text


def test_objection_goes_up_to_the_province(new_case):
    case, _ = new_case()
    operations.accept(case, None, D(2026, 10, 8), "simple", major=False)
    operations.assign(case, None, case.prefecture, "")
    operations.reply(case, None, "答复", D(2026, 10, 9))
    operations.object_to_result(case, None, "退费金额不对")
    assert case.escalated and case.events[-1].kind == "objection"
    assert db.session.query(ComplaintEvent).count() == len(case.events)


def test_inspection_register_and_a_reported_departure_opens_a_linked_case(app, make_enterprise, make_user):
    enterprise = make_enterprise("株洲市")
    user = make_user("prefecture", "株洲市", username="zzinspect")
    inspection = operations.register_inspection(enterprise, "市场监管局", "产品质量抽检", D(2026, 5, 6), "2 人",
                                                "检通〔2026〕001号", user.id)
    with pytest.raises(FieldErrors) as caught:
        operations.register_inspection(enterprise, "", "x", D(2026, 5, 6), "2 人", "检通〔2026〕001号", user.id)
    assert set(caught.value.errors) == {"department", "notice_no"}
    case, code = operations.report_inspection(enterprise, "市场监管局", D(2026, 5, 6), "来了 5 人", inspection, None,
                                               D(2026, 5, 7))
    db.session.commit()
    assert (case.category, case.inspection_id, case.prefecture.name) == ("inspection", inspection.id, "株洲市")
    assert "与申报不符的检查（通知单 检通〔2026〕001号）" in case.summary

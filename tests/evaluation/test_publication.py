"""Publication of the evaluation: a published version is frozen (later data do not change it, the
archive verifies, one altered byte fails), only the provincial office runs and publishes, prefecture
staff see neither drafts nor the live preview nor another prefecture's drill-down, and a request for
review runs to a correcting version with its reason, its moves and the audit trail.

The demo year comes published (第 1 版) with one request for review from 株洲市 waiting."""
import csv
import datetime as dt
import io
import json
import zipfile

import docx
import pytest
import sqlalchemy as sa

from complaints import calendar_store
from evaluation import operations
from evaluation.models import EvaluationRun, Objection
from investenv.audit.models import AuditEvent
from investenv.errors import RuleError
from investenv.extensions import db
from investenv.timeutil import today

from ..conftest import job_file


@pytest.fixture
def published(app, demo_database, run_cli):
    """The demo year's published result as ``evaluation show --json`` prints it."""
    shown = run_cli(app, "evaluation", "show", "--year", "2026", "--json")
    assert shown.exit_code == 0, shown.output
    return json.loads(shown.stdout)


def _last(results: dict) -> dict:
    return results["prefectures"][-1]


def _add_excellent_answers(app, run_cli, tmp_path, code: str, count: int = 40) -> None:
    """Data arriving after publication: ``count`` questionnaires from ``code`` with the best answers."""
    path = tmp_path / "late.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["prefecture_code", *(f"q{n}" for n in range(1, 34))])
        out.writerows([[code, *["A"] * 8, *[""] * 24]] * count)
    result = run_cli(app, "import", "responses", str(path))
    assert result.exit_code == 0, result.output


def test_data_changed_after_publication_leave_the_published_result_and_move_the_preview(
        app, client, run_cli, published, tmp_path, make_user, login):
    last = _last(published)
    _add_excellent_answers(app, run_cli, tmp_path, last["code"])
    again = json.loads(run_cli(app, "evaluation", "show", "--year", "2026", "--json").stdout)
    assert again == published
    live = json.loads(run_cli(app, "rank", "--year", "2026", "--json").stdout)
    moved = next(p for p in live["prefectures"] if p["code"] == last["code"])
    assert moved["composite"] != last["composite"]

    login(client, make_user("analyst"))
    page = client.get("/evaluation/2026").get_data(as_text=True)
    assert f"{last['composite']:.2f}" in page and "第 1 版" in page
    preview = client.get("/evaluation/2026/preview").get_data(as_text=True)
    assert "实时预览" in preview and f"{moved['composite']:.2f}" in preview
    drill = client.get(f"/evaluation/2026/{last['code']}").get_data(as_text=True)
    assert f"综合 {last['composite']:.2f}" in drill


def test_the_archive_verifies_and_one_altered_byte_fails(app, run_cli, published, tmp_path):
    path = tmp_path / "evaluation-2026.zip"
    archived = run_cli(app, "evaluation", "archive", "--year", "2026", str(path))
    assert archived.exit_code == 0, archived.output
    with zipfile.ZipFile(path) as handle:
        contents = {name: handle.read(name) for name in handle.namelist()}
        manifest = json.loads(contents["manifest.json"])
    assert json.loads(contents["results.json"])["top3"] == published["top3"]
    assert {"bundle/responses.csv", "bundle/complaints.csv", "method/default.toml", "results.json",
            "context.json"} <= set(manifest["files"])
    assert manifest["version"] == 1 and manifest["software"] and len(manifest["fingerprint"]) == 64

    verified = run_cli(app, "evaluation", "verify", str(path))
    assert verified.exit_code == 0, verified.output
    assert "核验通过" in verified.output

    body = bytearray(contents["bundle/complaints.csv"])
    at = body.rindex(b"1")
    body[at:at + 1] = b"2"  # one byte of one archived CSV
    altered = tmp_path / "altered.zip"
    with zipfile.ZipFile(altered, "w") as handle:
        for name, data in contents.items():
            handle.writestr(name, bytes(body) if name == "bundle/complaints.csv" else data)
    failed = run_cli(app, "evaluation", "verify", str(altered))
    assert failed.exit_code == 1, failed.output
    assert "核验未通过" in failed.output and "bundle/complaints.csv：SHA-256 与清单不符" in failed.output


def test_a_published_version_cannot_be_changed_or_deleted(app, published):
    run = db.session.scalar(sa.select(EvaluationRun).where(EvaluationRun.version == 1))
    run.note = "事后修改"
    with pytest.raises(RuleError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(EvaluationRun, run.id))
    with pytest.raises(RuleError):
        db.session.flush()
    db.session.rollback()


def test_prefecture_staff_see_no_draft_no_preview_and_no_other_prefecture(
        app, client, run_cli, published, tmp_path, make_user, login):
    own, other = published["prefectures"][-1], published["prefectures"][0]
    _add_excellent_answers(app, run_cli, tmp_path, own["code"])
    drafted = run_cli(app, "evaluation", "run", "--year", "2026")
    assert drafted.exit_code == 0, drafted.output
    draft = db.session.scalar(sa.select(EvaluationRun).where(EvaluationRun.state == "draft"))
    live = json.loads(run_cli(app, "rank", "--year", "2026", "--json").stdout)
    drafted_composite = f"{next(p for p in live['prefectures'] if p['code'] == own['code'])['composite']:.2f}"
    assert drafted_composite != f"{own['composite']:.2f}"
    zhuzhou = db.session.scalar(sa.select(Objection.id))

    staff = make_user("prefecture", own["name"])
    login(client, staff)
    for url in [f"/evaluation/runs/{draft.id}", "/evaluation/2026/runs", "/evaluation/2026/preview",
                f"/evaluation/2026/preview/{own['code']}", "/evaluation/2026/dashboard"]:
        assert client.get(url).status_code == 403, url
    for url in [f"/evaluation/runs/{draft.id}/publish", f"/evaluation/runs/{draft.id}/archive", "/evaluation/2026/runs",
                "/evaluation/2026/downloads/report", f"/evaluation/objections/{zhuzhou}/answer"]:
        assert client.post(url, data={"note": "x", "decision": "accept", "answer": "x"}).status_code == 403, url
    assert client.get(f"/evaluation/2026/{other['code']}").status_code == 404
    assert client.get(f"/evaluation/objections/{zhuzhou}").status_code == 404  # 株洲's request is 株洲's
    assert client.get("/evaluation/2026/objections").get_data(as_text=True).count("/evaluation/objections/") == 0

    pages = [client.get(url).get_data(as_text=True) for url in
             ["/evaluation/2026", f"/evaluation/2026/{own['code']}", "/evaluation/2026/versions",
              "/evaluation/2026/versions/1", "/evaluation/method"]]
    assert all(drafted_composite not in page and f"草稿 {draft.id}" not in page for page in pages)
    assert f"{own['composite']:.2f}" in pages[0] and "进入前三的概率" not in pages[0]
    assert f'href="/evaluation/2026/{other["code"]}"' not in pages[0]
    assert client.get("/evaluation/2026/versions/2").status_code == 404
    assert db.session.get(EvaluationRun, draft.id).state == "draft"

    office = app.test_client()  # the office reads and answers; publishing is the administrator's
    login(office, make_user("analyst"))
    assert office.get(f"/evaluation/runs/{draft.id}").status_code == 200
    assert office.post(f"/evaluation/runs/{draft.id}/publish", data={"note": "x"}).status_code == 403


def _docx_text(body: bytes) -> str:
    document = docx.Document(io.BytesIO(body))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_a_request_for_review_runs_to_a_correcting_version(app, client, run_cli, published, tmp_path,
                                                           make_user, login):
    own = published["prefectures"][-1]
    staff, analyst, admin = make_user("prefecture", own["name"]), make_user("analyst"), make_user("admin")
    login(client, staff)
    assert client.post("/evaluation/2026/objections", data={"reason": " "}).status_code == 400
    filed = client.post("/evaluation/2026/objections", data={"reason": "我市补报的 40 份答卷未计入。"})
    assert filed.status_code == 302, filed.get_data(as_text=True)[-800:]
    objection = db.session.scalar(sa.select(Objection).where(Objection.filed_by_id == staff.id))
    assert objection.state == "filed" and objection.run.version == 1
    again = client.post("/evaluation/2026/objections", data={"reason": "再次申请"})
    assert again.status_code == 400 and "已有一份待答复的复核申请" in again.get_data(as_text=True)

    office = app.test_client()
    login(office, analyst)
    answered = office.post(f"/evaluation/objections/{objection.id}/answer",
                           data={"decision": "accept", "answer": "采纳：补录 40 份答卷后发布第 2 版。"})
    assert answered.status_code == 302
    _add_excellent_answers(app, run_cli, tmp_path, own["code"])

    administrator = app.test_client()
    login(administrator, admin)
    started = administrator.post("/evaluation/2026/runs")
    manifest = json.loads(job_file(administrator, started))
    draft = db.session.scalar(sa.select(EvaluationRun).where(EvaluationRun.state == "draft"))
    assert manifest["fingerprint"] == draft.fingerprint
    refused = administrator.post(f"/evaluation/runs/{draft.id}/publish", data={"note": ""})
    assert refused.status_code == 400 and "发布新的版本须说明原因" in refused.get_data(as_text=True)
    assert administrator.post(f"/evaluation/runs/{draft.id}/publish", data={"note": "采纳市州复核申请，补录答卷"}).status_code == 302
    db.session.expire_all()
    assert draft.version == 2 and db.session.get(Objection, objection.id).corrected_in_id == draft.id

    versions = client.get("/evaluation/2026/versions").get_data(as_text=True)
    assert "第 2 版" in versions and "第 1 版" in versions and "采纳市州复核申请，补录答卷" in versions
    assert "与第 1 版相比的变化" in versions and own["name"] in versions
    mine = client.get(f"/evaluation/objections/{objection.id}").get_data(as_text=True)
    assert "采纳：补录 40 份答卷后发布第 2 版。" in mine
    first = client.get("/evaluation/2026/versions/1").get_data(as_text=True)
    assert f"{own['composite']:.2f}" in first  # the old version is kept as it was

    path = tmp_path / "bulletin.docx"
    made = run_cli(app, "bulletin", "--year", "2026", "-o", str(path))
    assert made.exit_code == 0, made.output
    text = _docx_text(path.read_bytes())
    for element in ["湖南省经济技术协作办公室文件", "湘经协〔", "关于2026年度全省", "各市州人民政府，省直有关单位：",
                    "第 2 版", "一、最优单位", "测评结果的确定程度", "抄送：", "印发", draft.fingerprint,
                    f"{today().year}年{today().month}月{today().day}日"]:
        assert element in text, element
    assert "进入前三的概率\n" not in text and "0%\n" not in text  # no column of probabilities

    events = {(e.action, e.username) for e in db.session.scalars(sa.select(AuditEvent))}
    assert {("objection_filed", staff.username), ("objection_answer", analyst.username),
            ("evaluation_run", admin.username), ("evaluation_publish", admin.username)} <= events


def test_a_request_for_review_is_refused_after_the_window(app, published, make_user):
    run = db.session.scalar(sa.select(EvaluationRun).where(EvaluationRun.version == 1))
    staff = make_user("prefecture", "长沙市")
    calendar = calendar_store.around(run.published_on)
    deadline = operations.objection_deadline(run, calendar, 10)
    with pytest.raises(RuleError, match="现已逾期"):
        operations.file_objection(run, staff.prefecture_id, staff.id, "理由", deadline + dt.timedelta(days=1), calendar, 10)
    filed = operations.file_objection(run, staff.prefecture_id, staff.id, "理由", deadline, calendar, 10)
    assert filed.state == "filed"


def test_commands_record_who_ran_and_published(app, run_cli, published):
    assert run_cli(app, "evaluation", "publish", "--year", "2026").exit_code == 1  # a second version needs a reason
    done = run_cli(app, "evaluation", "publish", "--year", "2026", "--note", "数据核对后重新发布")
    assert done.exit_code == 0, done.output
    actions = [e.action for e in db.session.scalars(sa.select(AuditEvent).where(AuditEvent.username.like("命令行:%")))]
    assert actions.count("evaluation_publish") == 1

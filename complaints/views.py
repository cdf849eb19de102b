"""Every complaint page (blueprint ``complaints``): the work queues and intake, the case with its
timeline and actions, attachments, the complainant's self-service status page, the inspection
register, the KPI page with its downloads, and the administration of the working-day calendar.
The JSON API is the blueprint in ``api``."""
from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from investenv import access, audit, listing, numbers
from investenv.auth import throttle
from investenv.errors import RuleError
from investenv.exporting import XLSX_MIMETYPE, attachment, workbook_bytes, xlsx_bytes
from investenv.extensions import db
from investenv.forms import attempt, options
from investenv.permissions import can, permission_required
from investenv.registry import queries as registry_queries
from investenv.registry.forms import county_choices
from investenv.registry.models import Enterprise, Prefecture
from investenv.timeutil import today
from investenv.uploads import display_name, stored_file
from investenv.web import number_arg
from notifications import queries as notification_queries
from notifications.models import CHANNELS as NOTICE_CHANNELS
from notifications.models import STATES as NOTICE_STATES

from . import calendar_store, documents, kpis, operations, queries
from .forms import (
    AcceptForm,
    ActionForm,
    AssignForm,
    AttachmentForm,
    CalendarYearForm,
    CloseForm,
    ComplainantActionForm,
    CorrectVisitForm,
    InspectionForm,
    InspectionReportForm,
    IntakeForm,
    OnlineComplaintForm,
    RefuseForm,
    ReopenForm,
    ReplyForm,
    StatusLookupForm,
    SupplementForm,
    VisitForm,
)
from .models import Complaint
from .rules import rule_set
from .vocabulary import CATEGORIES, CHANNELS, EVENT_KINDS, OUTCOMES, STATUSES, VISIT_METHODS

bp = Blueprint("complaints", __name__)


@bp.context_processor
def _deadlines() -> dict:
    """``due(day)`` on every page of the blueprint: a deadline as text, marked 预计 when provisional."""
    return {"due": calendar_store.Deadlines()}


# Cases: queues, intake, the case page and its actions, attachments, the status page.
LOOKUP_WINDOW = dt.timedelta(minutes=10)
PAGE_SIZE = 50


def _case(case_no: str) -> Complaint:
    case = queries.case_by_number(case_no)
    if case is None or not access.may_see_prefecture(case.prefecture_id):
        abort(404)
    return case


def _clock() -> queries.Clock:
    return queries.clock(today(), current_user.id)


def _choices() -> dict[str, dict[str, str]]:
    """The filters' options: the prefectures the user may see, the statuses and categories."""
    return {"prefecture": {p.code: p.name for p in registry_queries.prefectures() if access.may_see_prefecture(p.id)},
            "status": STATUSES, "category": CATEGORIES}


def _view() -> tuple[queries.CaseFilter, str, bool]:
    """The case list's filters and sort from the query string (unknown values are ignored, an
    unknown queue is a 404)."""
    queue = request.args.get("queue", "open")
    if queue not in queries.QUEUES:
        abort(404)
    choices = _choices()
    picked = {name: request.args.get(name, "") for name in choices}
    filters = queries.CaseFilter(
        queue=queue, **{name: value if value in choices[name] else "" for name, value in picked.items()},
        received_from=listing.date_arg("from"), received_to=listing.date_arg("to"), search=request.args.get("q", "").strip())
    sort = request.args.get("sort", "urgency")
    return filters, (sort if sort in queries.SORTS else "urgency"), request.args.get("dir") == "desc"


def _view_args(filters: queries.CaseFilter, sort: str, descending: bool) -> dict[str, str]:
    """The query string of a view without its queue and page: tabs, sort links and pages keep it."""
    args = {"prefecture": filters.prefecture, "status": filters.status, "category": filters.category,
            "from": filters.received_from.isoformat() if filters.received_from else "",
            "to": filters.received_to.isoformat() if filters.received_to else "", "q": filters.search,
            "sort": "" if sort == "urgency" else sort, "dir": "desc" if descending else ""}
    return {k: v for k, v in args.items() if v}


@bp.get("/work")
@permission_required("use_staff_pages")
def work():
    """The home of today's work: every queue's count, each a link to its list, and the most
    overdue cases; prefecture staff see their own prefecture's only."""
    audit.note("view", "work-home")  # the shortlist names the complainants
    now = _clock()
    return render_template("complaints/work.html", calendar_missing=_calendar_missing(now.day), counts=queries.queue_counts(queries.CaseFilter(), now),
                           queues=queries.QUEUES, urgent=queries.most_overdue(now, 5), day=now.day,
                           soon=now.soon, STATUSES=STATUSES, overdue_days=queries.overdue_days)


def _calendar_missing(day: dt.date) -> int | None:
    """Next year, for those who enter the calendar, from November on while its arrangement is missing."""
    year = day.year + 1
    if day.month < 11 or not can("enter_calendar") or year in calendar_store.known_years():
        return None
    return year


@bp.get("/complaints/")
@permission_required("use_staff_pages")
def cases():
    filters, sort, descending = _view()
    audit.note("view", f"complaint-list:{filters.queue}")  # the list names the complainants
    now = _clock()
    counts = queries.queue_counts(filters, now)
    page = queries.visible_cases(filters, now, counts[filters.queue], sort, descending,
                                 number_arg("page", numbers.ROW_ID, 1), PAGE_SIZE)
    return render_template(
        "complaints/cases.html", page=page, filters=filters, queue=filters.queue, queues=queries.QUEUES,
        counts=counts, cap=queries.COUNT_CAP, choices=_choices(), sorts=queries.SORTS, sort=sort,
        descending=descending, args=_view_args(filters, sort, descending), day=now.day, STATUSES=STATUSES,
        CATEGORIES=CATEGORIES, overdue=operations.is_overdue, overdue_days=queries.overdue_days)


EXPORT_LIMIT = 20000
EXPORT_HEADER = ["案件编号", "投诉企业", "承办市州", "县市区", "类别", "状态", "收件日期", "受理日期", "期限", "超期天数",
                 "下次通报进展", "省级督办"]


@bp.get("/complaints/export.xlsx")
@permission_required("use_staff_pages")
def export_cases():
    """The current view (queue, filters, sort) as an Excel file, up to EXPORT_LIMIT rows."""
    filters, sort, descending = _view()
    now = _clock()
    due = calendar_store.Deadlines()
    rows = [[c.case_no, c.complainant, c.prefecture.name, c.county.name if c.county else "", CATEGORIES[c.category],
             STATUSES[c.status], c.received_on.isoformat(), c.accepted_on.isoformat() if c.accepted_on else "",
             due(c.deadline), queries.overdue_days(c, now.day) or "",
             due(c.progress_due_on) if c.status == "extended" else "",
             "是" if c.major or c.escalated else ""]
            for c in queries.all_visible_cases(filters, now, sort, descending, EXPORT_LIMIT)]
    name = f"complaints-{filters.queue}-{now.day:%Y%m%d}.xlsx"
    return attachment(workbook_bytes([(queries.QUEUES[filters.queue], EXPORT_HEADER, rows)]), XLSX_MIMETYPE, name)


@bp.route("/complaints/new", methods=["GET", "POST"])
@permission_required("take_complaints")
def intake():
    form = IntakeForm()
    form.county.choices = county_choices("请选择")
    find, enterprise, earlier_cases = request.args.get("find", "").strip()[:100], None, []
    if not form.is_submitted():
        form.received_on.data = today()
        form.intake_key.data = uuid.uuid4().hex
        enterprise = _fill_from_registry(form)
        if enterprise is not None:
            earlier_cases = queries.cases_of_enterprise(enterprise.id, EARLIER_CASES)
    elif form.validate():
        earlier = _already_logged(form.intake_key.data)
        if earlier is not None:
            return _sent_again(earlier)
        try:
            logged, refusal = attempt(lambda: operations.intake(_case_intake(
                form, form.channel.data, form.received_on.data, current_user.id)), form)
        except IntegrityError:  # the same form sent twice at the same moment: the other one won
            db.session.rollback()
            return _sent_again(_already_logged(form.intake_key.data) or abort(409))
        if refusal is None:
            created, code = logged
            db.session.commit()
            return new_case_page(created, code)
    found = registry_queries.search_enterprises(find, SEARCH_LIMIT) if find and enterprise is None else []
    return render_template("complaints/intake.html", form=form, find=find, found=found, enterprise=enterprise,
                           earlier_cases=earlier_cases, limit=SEARCH_LIMIT, STATUSES=STATUSES,
                           CATEGORIES=CATEGORIES), (400 if form.errors or form.form_errors else 200)


SEARCH_LIMIT = 10
EARLIER_CASES = 20


def _fill_from_registry(form: IntakeForm) -> Enterprise | None:
    """A new intake form filled from the registry enterprise chosen in the search (``enterprise``),
    or with the name typed for an enterprise not in the registry (``new``)."""
    form.complainant.data = request.args.get("new", "").strip()[:200] or None
    chosen = number_arg("enterprise", numbers.ROW_ID)
    enterprise = registry_queries.visible_enterprise(chosen) if chosen else None
    if enterprise is not None:
        audit.note("view", f"intake-enterprise:{enterprise.credit_code}")  # its contact is shown
        form.complainant.data, form.credit_code.data = enterprise.name, enterprise.credit_code
        form.contact_name.data, form.contact_phone.data = enterprise.contact_name, enterprise.contact_phone
        form.county.data = enterprise.county.code
    return enterprise


@bp.get("/complaints/new/enterprises")
@permission_required("take_complaints")
def intake_search():
    """The registry search of the intake page as the clerk types (JSON for static/intake.js; the
    page's own search form gives the same results without script)."""
    find = request.args.get("find", "").strip()[:100]
    return jsonify([{"name": e.name, "credit_code": e.credit_code, "place": f"{e.prefecture.name} {e.county.name}",
                     "url": url_for("complaints.intake", enterprise=e.id)}
                    for e in registry_queries.search_enterprises(find, SEARCH_LIMIT)])


def _sent_again(earlier: Complaint):
    flash(f"这份投诉已经登记为 {earlier.case_no}（表单重复提交），没有再次登记。", "warning")
    return redirect(url_for("complaints.case", case_no=earlier.case_no))


def _already_logged(key: str | None) -> Complaint | None:
    return queries.case_by_intake_key(key) if key else None


def _case_intake(form: IntakeForm, channel: str, received_on: dt.date, user_id: int | None) -> operations.CaseIntake:
    county = registry_queries.county_by_code(form.county.data) if form.county.data else None
    if county is None:
        raise RuleError("请选择被投诉的县市区（未知的市州或县市区）。", field="county")
    enterprise = registry_queries.enterprise_by_credit_code(form.credit_code.data) if form.credit_code.data else None
    return operations.CaseIntake(
        prefecture=county.prefecture, county=county, department=form.department.data or "",
        complainant=form.complainant.data, enterprise_id=enterprise.id if enterprise else None,
        contact_name=form.contact_name.data or "", contact_phone=form.contact_phone.data or "",
        contact_email=form.contact_email.data or "", channel=channel, received_on=received_on, category=form.category.data,
        summary=form.summary.data, claims=form.claims.data or "",
        amount_yuan=Decimal(form.amount_yuan.data) if form.amount_yuan.data is not None else None,
        user_id=user_id, today=today(), intake_key=form.intake_key.data or None,
    )


# The online complaint form (channel 网站): anyone, no account, no script needed.
ONLINE_WINDOW = dt.timedelta(days=1)


def _shown_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="online-complaint-shown")


def _online_refusal(form: OnlineComplaintForm) -> tuple[str, int] | None:
    """Why a submission is refused before anything is written: a robot (the hidden field filled,
    or sent faster than a person fills the form) or over the day's limit per address or enterprise."""
    if form.website.data:
        return "提交未被受理。", 400
    try:
        _, shown_at = _shown_signer().loads(form.shown.data or "", max_age=int(ONLINE_WINDOW.total_seconds()),
                                            return_timestamp=True)
    except BadData:
        return "表单已过期，请核对内容后重新提交。", 400
    if (dt.datetime.now(dt.UTC) - shown_at).total_seconds() < current_app.config["ONLINE_MIN_SECONDS"]:
        return "提交过快，请核对填写的内容后再次提交。", 400
    config = current_app.config
    enterprise = operations.hash_secret(form.credit_code.data or form.complainant.data or "")  # a bounded key
    for key, limit in ((f"online:address:{request.remote_addr}", config["ONLINE_LIMIT_PER_ADDRESS"]),
                       (f"online:enterprise:{enterprise}", config["ONLINE_LIMIT_PER_ENTERPRISE"])):
        if throttle.exceeded(key, limit, ONLINE_WINDOW):
            return "今天从这里提交的投诉已达上限，请明天再提交，或拨打投诉热线。", 429
        throttle.record(key, ONLINE_WINDOW)
    return None


@bp.route("/complaints/online", methods=["GET", "POST"])
def online():
    form = OnlineComplaintForm()
    form.county.choices = county_choices("请选择", scoped=False)
    status = None
    if not form.is_submitted():
        form.intake_key.data = uuid.uuid4().hex
        form.shown.data = _shown_signer().dumps(form.intake_key.data)
    elif form.validate():
        earlier = _already_logged(form.intake_key.data)
        if earlier is not None:
            return _filed_page(earlier.case_no, None)
        refused = _online_refusal(form)
        if refused is not None:
            db.session.commit()  # the counted attempt stays counted
            form.form_errors.append(refused[0])
            status = refused[1]
        else:
            def file_case():
                case, code = operations.intake(_case_intake(form, "web", today(), None))
                upload = form.attachment.data
                if upload and upload.filename:  # checked by content, as staff uploads are
                    operations.attach(case, None, upload.read(), upload.filename, _attachments_folder(),
                                      current_app.config["UPLOAD_MAX_BYTES"])
                operations.flag_duplicates(case)
                return case, code

            try:
                logged, refusal = attempt(file_case, form)
            except IntegrityError:  # the same form sent twice at the same moment: the other one won
                db.session.rollback()
                return _filed_page((_already_logged(form.intake_key.data) or abort(409)).case_no, None)
            if refusal is None:
                created, code = logged
                db.session.commit()
                return _filed_page(created.case_no, code), 201
    return render_template("complaints/online.html", form=form), status or (
        400 if form.errors or form.form_errors else 200)


def _filed_page(case_no: str, code: str | None):
    """The answer to the POST that filed the case: its number, and its lookup code the only time
    it is shown (``None`` for a form sent again: the code is not kept anywhere in plain text)."""
    return render_template("complaints/online_done.html", case_no=case_no, code=code)


# action name → (permission it needs, form class, what it does)
ACTIONS = {
    "accept": ("take_complaints", AcceptForm, lambda c, f: operations.accept(c, current_user.id, today(), f.procedure.data, f.major.data)),
    "supplement": ("take_complaints", ActionForm, lambda c, f: operations.request_supplement(
        c, current_user.id, f.text.data or "", today())),
    "refuse": ("take_complaints", RefuseForm, lambda c, f: operations.refuse(c, current_user.id, f.text.data or "")),
    "assign": ("take_complaints", AssignForm, lambda c, f: operations.assign(
        c, current_user.id, _prefecture(f.prefecture.data), f.department.data or "", f.text.data or "",
        f.internal.data or "")),
    "start": ("handle_complaints", ActionForm, lambda c, f: operations.start(c, current_user.id)),
    "extend": ("handle_complaints", ActionForm, lambda c, f: operations.extend(c, current_user.id, f.text.data or "", today())),
    "progress": ("handle_complaints", ActionForm, lambda c, f: operations.progress(c, current_user.id, f.text.data or "", today())),
    "note": ("handle_complaints", ActionForm, lambda c, f: operations.note(c, current_user.id, f.text.data or "")),
    "reply": ("handle_complaints", ReplyForm, lambda c, f: operations.reply(c, current_user.id, f.text.data or "", today())),
    "close": ("take_complaints", CloseForm, lambda c, f: operations.close(
        c, current_user.id, f.outcome.data, Decimal(f.loss_recovered.data) if f.loss_recovered.data is not None else None,
        today())),
    "reopen": ("take_complaints", ReopenForm, lambda c, f: operations.reopen(c, current_user.id, f.text.data or "")),
    "objection": ("take_complaints", ActionForm, lambda c, f: operations.object_to_result(c, current_user.id, f.text.data or "")),
    "visit": ("take_complaints", VisitForm, lambda c, f: operations.return_visit(
        c, current_user.id, f.satisfaction.data, today(), f.method.data, f.comment.data or "", f.words.data or "")),
    "correct_visit": ("correct_visits", CorrectVisitForm, lambda c, f: operations.correct_visit(
        c, current_user.id, f.satisfaction.data, f.text.data or "")),
    "urge": ("take_complaints", ActionForm, lambda c, f: operations.urge(c, current_user.id, f.text.data or "", today())),
}

# What each action's text is, and who reads it: public entries are shown on the complainant's status page.
TEXT_LABELS = {
    "supplement": "需要补正的材料（投诉人可见，一次写明全部所需材料）",
    "refuse": "不予受理的理由（投诉人可见）",
    "assign": "派单说明（投诉人可见）",
    "extend": "延期理由（投诉人可见）",
    "progress": "进展情况（投诉人可见）",
    "reply": "答复内容（投诉人可见）",
    "reopen": "重新办理的理由（投诉人可见）",
    "objection": "投诉人的异议（投诉人可见）",
    "note": "备注内容（仅工作人员可见）",
    "correct_visit": "更正理由（仅工作人员可见）",
    "urge": "催办说明（仅工作人员可见，可不填）",
}


def _on_case_page(name: str, form):
    """``form`` as action ``name`` shows it: ids of its own (every action form has a version and
    a text, and the page holds them all) and the label of its text."""
    for each in form:
        each.id = each.label.field_id = f"{name}-{each.name}"
    if name in TEXT_LABELS:
        form.text.label.text = TEXT_LABELS[name]
    return form


def _prefecture(code: str) -> Prefecture:
    found = registry_queries.prefecture_by_code(code)
    if found is None:
        raise RuleError(f"未知的市州：{code or '（空）'}", field="prefecture")
    return found


def _forms(case: Complaint, posted: tuple[str, object] | None = None) -> dict:
    prefectures = options((p.code, p.name) for p in registry_queries.prefectures())
    forms = {}
    for name, (_, form_class, _) in ACTIONS.items():
        if posted and posted[0] == name:
            forms[name] = _on_case_page(name, posted[1])
            continue
        forms[name] = _on_case_page(name, form_class(formdata=None, version=str(case.version)))
    forms["assign"].prefecture.choices = prefectures
    if not (posted and posted[0] == "assign"):
        forms["assign"].prefecture.data = case.prefecture.code
    if not (posted and posted[0] == "refuse") and operations.supplement_overdue(case, today()):
        forms["refuse"].text.data = SUPPLEMENT_REASON
    return forms


def _may(name: str) -> bool:
    return can(ACTIONS[name][0])


@bp.get("/complaints/<case_no>")
@permission_required("use_staff_pages")
def case(case_no: str):
    found = _case(case_no)
    audit.note("view", f"complaint:{found.case_no}")
    return _render_case(found, _forms(found))


def new_case_page(case: Complaint, code: str):
    """The case page right after a case is logged, the only time its lookup code is shown: it is
    the answer to the POST itself, so the code is never kept in the session, nor anywhere else in
    plain text (the database holds its hash)."""
    audit.note("view", f"complaint:{case.case_no}")
    return _render_case(case, _forms(case), 201, new_code=(case.case_no, code))


# The reason the case page offers for refusing a case whose complainant did not supplement in time.
SUPPLEMENT_REASON = "投诉人未在规定期限内补正材料"


def _render_case(found: Complaint, forms: dict, status: int = 200, new_code=None, refused=None):
    """The case page; ``refused`` is the posted form whose action was refused (its messages
    are shown at the top, since its own form may not be on the page in the case's state)."""
    messages = []
    if refused is not None:
        messages = list(refused.form_errors) + [m for name, errs in refused.errors.items() if name for m in errs]
    notices = {}
    for message in notification_queries.for_complaint(found.id):
        notices.setdefault(message.complaint_event_id, []).append(message)
    return render_template(
        "complaints/case.html", case=found, forms=forms, may=_may, STATUSES=STATUSES, CHANNELS=CHANNELS,
        messages=messages, notices=notices, NOTICE_CHANNELS=NOTICE_CHANNELS, NOTICE_STATES=NOTICE_STATES,
        CATEGORIES=CATEGORIES, OUTCOMES=OUTCOMES, EVENT_KINDS=EVENT_KINDS, VISIT_METHODS=VISIT_METHODS, new_code=new_code, overdue=operations.is_overdue(found, today()),
        overdue_days=queries.overdue_days(found, today()),
        supplement_overdue=operations.supplement_overdue(found, today()), SUPPLEMENT_REASON=SUPPLEMENT_REASON,
        rules=rule_set(found.rule_set),
        attachment_form=AttachmentForm(),
        touched=current_user.id in operations.touched_by(found), extension=_extension(found),
        due=calendar_store.Deadlines(),  # also when another blueprint shows the page (feedback → case)
    ), status


def _extension(case: Complaint) -> tuple[dt.date, dt.date] | None:
    """The dates an extension today would set, for the extend form (provisional ones are shown
    marked); None if it cannot be extended now."""
    if case.status not in ("assigned", "handling") or case.accepted_on is None:
        return None
    return operations.extension_dates(case, today())


@bp.post("/complaints/<case_no>/<action>")
@permission_required("use_staff_pages")
def act(case_no: str, action: str):
    if action not in ACTIONS:
        abort(404)
    found = _case(case_no)
    permission, form_class, run = ACTIONS[action]
    if not can(permission):
        abort(403)
    form = form_class()
    if action == "assign":
        form.prefecture.choices = options((p.code, p.name) for p in registry_queries.prefectures())
    if form.validate_on_submit():
        if form.version.data != str(found.version):
            form.form_errors.append("保存失败：案件已被其他人更新。请刷新页面，查看最新情况后再操作。")
            return _render_case(found, _forms(found, (action, form)), 409, refused=form)
        try:
            _, refusal = attempt(lambda: run(found, form), form)
        except StaleDataError:
            db.session.rollback()
            form.form_errors.append("保存失败：案件已被其他人更新。请刷新页面，查看最新情况后再操作。")
            return _render_case(_case(case_no), _forms(found, (action, form)), 409, refused=form)
        if refusal is None:
            db.session.commit()
            flash("已保存。", "success")
            if not access.may_see_prefecture(found.prefecture_id):  # transferred out of the user's prefecture
                return redirect(url_for("complaints.cases"))
            return redirect(url_for("complaints.case", case_no=case_no))
    return _render_case(found, _forms(found, (action, form)), 400, refused=form)


def _attachments_folder() -> Path:
    return Path(current_app.instance_path) / "uploads" / "complaints"


@bp.post("/complaints/<case_no>/attachments")
@permission_required("handle_complaints")
def upload(case_no: str):
    found = _case(case_no)
    form = AttachmentForm()
    if form.validate_on_submit():
        _, refusal = attempt(lambda: operations.attach(
            found, current_user.id, form.file.data.read(), form.file.data.filename, _attachments_folder(),
            current_app.config["UPLOAD_MAX_BYTES"]), form)
        if refusal is None:
            db.session.commit()
            flash("附件已上传。", "success")
            return redirect(url_for("complaints.case", case_no=case_no))
    return _render_case(found, _forms(found), 400, refused=form)


@bp.get("/complaints/<case_no>/attachments/<int:attachment_id>")
@permission_required("use_staff_pages")
def download(case_no: str, attachment_id: int):
    found = _case(case_no)
    attachment = next((a for a in found.attachments if a.id == attachment_id), None) or abort(404)
    audit.note("export", f"attachment:{case_no}/{attachment.id}")
    return send_file(stored_file(_attachments_folder(), attachment.stored_name), mimetype=attachment.content_type,
                     as_attachment=True, download_name=display_name(attachment.original_name, attachment.stored_name))


def _looked_up(form: StatusLookupForm) -> Complaint | None:
    """The case of the posted number and code (every try counted per address; 429 over the limit)."""
    key = f"status-lookup:{request.remote_addr}"
    if throttle.exceeded(key, 20, LOOKUP_WINDOW):
        abort(429)
    throttle.record(key, LOOKUP_WINDOW)
    db.session.commit()
    candidate = queries.case_by_number(form.case_no.data.strip())
    if candidate is not None and candidate.secret_hash == operations.hash_secret(form.code.data):
        return candidate
    form.form_errors.append("案件编号或查询码不正确。")
    return None


def _status_page(form, found: Complaint | None, code: int, action_form=None, done: str = ""):
    actions = supplement = None
    if found is not None:
        blank = {"formdata": None, "case_no": found.case_no, "code": form.code.data}
        actions = action_form if isinstance(action_form, ComplainantActionForm) else ComplainantActionForm(**blank)
        supplement = action_form if isinstance(action_form, SupplementForm) else SupplementForm(**blank)
    return render_template("complaints/status.html", form=form, case=found, STATUSES=STATUSES,
                           actions=actions, supplement=supplement, done=done, refused=action_form,
                           supplement_overdue=found is not None and operations.supplement_overdue(found, today())), code


@bp.route("/status", methods=["GET", "POST"])
def status():
    """The complainant's status page: case number and lookup code, no login; rate-limited."""
    form = StatusLookupForm()
    found, code = None, 200
    if form.validate_on_submit():
        found = _looked_up(form)
        code = 200 if found else 404
    return _status_page(form, found, code)


def _supplied(case: Complaint, form: SupplementForm) -> None:
    files = [(f.read(), f.filename) for f in form.files.data or [] if f and f.filename]
    operations.supplement(case, form.text.data or "", files, _attachments_folder(),
                          current_app.config["UPLOAD_MAX_BYTES"], today())


# action → (its form, what it does, what the complainant is told once it is done)
COMPLAINANT_ACTIONS = {
    "objection": (ComplainantActionForm, lambda case, form: operations.object_to_result(case, None, form.text.data or ""),
                  "异议已提交，报省投资环境投诉服务中心处理。"),
    "rating": (ComplainantActionForm, lambda case, form: operations.rate_by_complainant(
        case, form.satisfaction.data, today()), "评价已提交，谢谢。"),
    "supplement": (SupplementForm, _supplied, "补正材料已提交，投诉服务中心将尽快决定是否受理。"),
}


@bp.post("/status/<action>")
def complainant_act(action: str):
    """The complainant objects to the result (to the province), rates it, or supplements the
    material asked for, each time with number and code."""
    if action not in COMPLAINANT_ACTIONS:
        abort(404)
    form_class, run, done = COMPLAINANT_ACTIONS[action]
    form = form_class()
    if not form.validate_on_submit():
        return _status_page(form, None, 400)
    found = _looked_up(form)
    if found is None:
        return _status_page(form, None, 404)
    _, refusal = attempt(lambda: run(found, form), form)
    if refusal is None:
        db.session.commit()
        return _status_page(form, queries.case_by_number(found.case_no), 200, done=done)
    return _status_page(form, queries.case_by_number(found.case_no), 400, action_form=form)


# The inspection register (检查外来投资企业申报制度) and reports of unregistered inspections.
def _enterprise(code: str) -> Enterprise:
    enterprise = registry_queries.visible_enterprise_by_credit_code(code)
    if enterprise is None:
        raise RuleError("企业名录中没有这个统一社会信用代码。", field="credit_code")
    return enterprise


def _page(register=None, report=None, status=200):
    return render_template("complaints/inspections.html", inspections=queries.visible_inspections(),
                           reported=queries.visible_inspection_complaints(),
                           register=register or InspectionForm(formdata=None, planned_on=today()),
                           report=report or InspectionReportForm(formdata=None, occurred_on=today())), status


@bp.get("/complaints/inspections")
@permission_required("use_staff_pages")
def inspections():
    audit.note("view", "inspection-register")  # names the enterprises and those who reported
    return _page()


@bp.post("/complaints/inspections")
@permission_required("handle_complaints")
def register_inspection():
    form = InspectionForm()
    if form.validate_on_submit():
        done, refusal = attempt(lambda: operations.register_inspection(
            _enterprise(form.credit_code.data), form.department.data, form.reason.data, form.planned_on.data,
            form.inspectors.data, form.notice_no.data, current_user.id), form)
        if refusal is None:
            db.session.commit()
            flash(f"已登记检查，通知单 {done.notice_no}。", "success")
            return redirect(url_for("complaints.inspections"))
    return _page(register=form, status=400)


@bp.post("/complaints/inspections/report")
@permission_required("take_complaints")
def report_inspection():
    form = InspectionReportForm()
    if form.validate_on_submit():
        def report():
            enterprise = _enterprise(form.credit_code.data)
            inspection = None
            if form.notice_no.data:
                inspection = queries.inspection_by_notice(enterprise.prefecture_id, form.notice_no.data.strip())
            return operations.report_inspection(enterprise, form.department.data, form.occurred_on.data,
                                                form.description.data, inspection, current_user.id, today())

        done, refusal = attempt(report, form)
        if refusal is None:
            case, code = done
            db.session.commit()
            return new_case_page(case, code)
    return _page(report=form, status=400)


# The KPI page and the periodic statistics report.
def _period() -> tuple[dt.date, dt.date]:
    try:
        first = dt.date.fromisoformat(request.args.get("from") or f"{today().year}-01-01")
        last = dt.date.fromisoformat(request.args.get("to") or today().isoformat())
    except ValueError:
        abort(404)
    if last < first:
        abort(404)
    return first, last


def _compute():
    first, last = _period()
    pid = access.own_prefecture_id()
    rows, total = kpis.kpis(first, last, None if pid is None else {pid}, today())
    return first, last, rows, total


@bp.get("/complaints/kpis")
@permission_required("use_staff_pages")
def kpi_page():
    first, last, rows, total = _compute()
    return render_template("complaints/kpis.html", first=first, last=last, rows=rows, total=total, header=kpis.HEADER,
                           note=kpis.NOTE)


@bp.get("/complaints/kpis.<fmt>")
@permission_required("use_staff_pages")
def kpi_report(fmt: str):
    first, last, rows, total = _compute()
    table = [r.row() for r in rows] + ([total.row()] if len(rows) > 1 else [])
    name = f"complaints-{first:%Y%m%d}-{last:%Y%m%d}.{fmt}"
    if fmt == "xlsx":
        return attachment(xlsx_bytes("投诉统计", kpis.HEADER, table), XLSX_MIMETYPE, name)
    if fmt == "pdf":
        return attachment(documents.report_pdf(first, last, table), "application/pdf", name)
    abort(404)


# The working-day calendar (administrators).
@bp.route("/admin/calendar", methods=["GET", "POST"])
@permission_required("enter_calendar")
def calendar():
    form = CalendarYearForm()
    if form.is_submitted() and form.validate():
        entered, refusal = attempt(lambda: calendar_store.enter_year(
            form.year.data, form.holidays.data, form.workdays.data or "", form.source.data, current_user.username), form)
        if refusal is None:
            fixed = operations.recompute_deadlines(entered.year)
            db.session.commit()
            flash(f"已录入 {entered.year} 年的节假日安排，{fixed} 件案件的期限已重新计算。", "success")
            return redirect(url_for("complaints.calendar"))
    elif not form.is_submitted():
        form.year.data = today().year + 1
    years = calendar_store.entered_years()
    next_year = today().year + 1
    return render_template(
        "complaints/calendar.html", form=form, years=years, counts=calendar_store.days_per_year(),
        missing_next=next_year if next_year not in {y.year for y in years} else None,
    ), (400 if form.errors else 200)

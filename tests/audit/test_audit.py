"""Logins, exports and views of identifying data are written to the audit log."""
import sqlalchemy as sa

from investenv.audit.models import AuditEvent
from investenv.extensions import db


def _events():
    db.session.expire_all()
    return [(e.username, e.action, e.target, e.status)
            for e in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))]


def test_logins_exports_and_identifying_views_are_audited(app, client, make_user, make_enterprise, login):
    admin = make_user("admin", username="auditor")
    client.post("/login", data={"username": "auditor", "password": "wrong-password"})
    login(client, admin)
    enterprise = make_enterprise()
    assert client.get(f"/registry/enterprises/{enterprise.id}").status_code == 200
    assert client.get("/registry/enterprises/export.csv").status_code == 200
    assert client.get("/complaints/").status_code == 200
    client.post("/logout")
    events = _events()
    assert ("auditor", "login_failed", "", 401) in events and ("auditor", "login", "", 302) in events
    assert ("auditor", "view", f"enterprise:{enterprise.credit_code}", 200) in events
    assert ("auditor", "view", "complaint-list:open", 200) in events
    assert any(e[1] == "export" and e[2].endswith(".csv") and e[3] == 200 for e in events)
    assert events[-1][:2] == ("auditor", "logout")
    address = db.session.scalar(sa.select(AuditEvent.address).limit(1))
    assert address == "127.0.0.1"


def test_only_administrators_read_the_log(app, client, make_user, login):
    login(client, make_user("analyst", username="reader"))
    assert client.get("/admin/audit/").status_code == 403
    client.post("/logout")
    login(client, make_user("admin", username="boss"))
    page = client.get("/admin/audit/?action=login").get_data(as_text=True)
    assert "reader" in page and "boss" in page and "登录成功" in page
    assert "reader" not in client.get("/admin/audit/?user=boss").get_data(as_text=True)


def test_the_log_filters_sorts_pages_and_downloads_the_current_view(app, client, make_user, login):
    import io
    import re

    from openpyxl import load_workbook

    from investenv import audit

    login(client, make_user("admin", username="boss"))
    for n in range(120):
        audit.record("api", f"complaint:{n:03d}", "clerk" if n % 2 else "other")
    db.session.commit()
    html = client.get("/admin/audit/?action=api&user=clerk&target=complaint:").get_data(as_text=True)
    assert re.search(r'id="total">60<', html) and 'aria-label="分页"' not in html
    html = client.get("/admin/audit/?action=api").get_data(as_text=True)
    assert re.search(r'id="total">120<', html) and 'aria-label="第 2 页"' in html
    newest_first = re.findall(r"complaint:(\d{3})", html)
    assert newest_first[:2] == ["119", "118"]
    oldest = client.get("/admin/audit/?action=api&sort=at").get_data(as_text=True)
    assert re.findall(r"complaint:(\d{3})", oldest)[:2] == ["000", "001"]
    response = client.get("/admin/audit/export.xlsx?action=api&user=clerk&sort=at")
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(min_row=2, values_only=True))
    assert [r[3] for r in rows] == [f"complaint:{n:03d}" for n in range(1, 120, 2)]
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "export",
                                                         AuditEvent.target == "audit-log.xlsx"))


def test_the_log_counts_up_to_its_cap(app, client, make_user, login, monkeypatch):
    """A million events are not counted on every page: beyond the cap the total reads "N+"; the
    pages and the order are those of the whole log."""
    import re

    from investenv import audit
    from investenv.audit import queries

    monkeypatch.setattr(queries, "COUNT_CAP", 50)
    login(client, make_user("admin", username="boss"))
    for n in range(120):
        audit.record("api", f"complaint:{n:03d}", "clerk")
    db.session.commit()
    html = client.get("/admin/audit/?action=api").get_data(as_text=True)
    assert re.search(r'id="total">50\+<', html)
    assert re.findall(r"complaint:(\d{3})", html)[:2] == ["119", "118"]
    html = client.get("/admin/audit/?action=api&user=clerk&target=complaint:00").get_data(as_text=True)
    assert re.search(r'id="total">10<', html)

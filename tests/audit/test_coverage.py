"""Every page or download that shows who an enterprise or a complainant is leaves a trace.

Rather than a list of pages someone remembered to audit, each role walks every GET route of the
URL map over a world holding identifying data (an enterprise's name and credit code, a monitoring
point, a complainant, a personal link); any answer that shows one of them must have written an
audit event (``view`` or ``export``) for that very request.  A new page that shows them without
auditing fails here.
"""
import pytest
import sqlalchemy as sa

from investenv.audit.models import AuditEvent
from investenv.extensions import db

from ..test_scoping import ROUTES, TOKEN

# Routes that cannot be walked by a logged-in user: they end the session, or they are an
# enterprise's personal link (refused to staff sessions and audited as such in test_integrity).
NOT_WALKED = {"auth.logout", "static"}


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))


@pytest.mark.parametrize("role", ["admin", "analyst", "centre", "prefecture"])
def test_every_page_showing_an_identity_is_audited(app, client, world, make_user, login, role):
    login(client, make_user(role, "株洲市" if role == "prefecture" else None))
    identities = (world["enterprise"].name, world["enterprise"].credit_code, "株洲机密投诉人",
                  world["invitation"].token)
    shown, unaudited = [], []
    for rule in app.url_map.iter_rules():
        kind, make_args = ROUTES[rule.endpoint]
        if "GET" not in rule.methods or rule.endpoint in NOT_WALKED or kind == TOKEN or rule.arguments - (
                set((make_args or (lambda w: {}))(world))):
            continue
        url = rule.build((make_args or (lambda w: {}))(world), append_unknown=False)[1]
        before = _count()
        response = client.get(url)
        body = response.get_data()
        response.close()
        text = body.decode("utf-8-sig", errors="replace")
        if response.status_code == 200 and any(identity in text for identity in identities):
            shown.append(rule.endpoint)
            db.session.expire_all()
            if _count() == before:
                unaudited.append(f"{rule.endpoint} ({url})")
    assert not unaudited, f"{role}: shows an identity without an audit event: {unaudited}"
    if role in ("admin", "centre"):
        assert shown, "the walk found no page with an identity at all"

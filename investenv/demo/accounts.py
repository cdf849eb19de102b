"""Demo staff accounts: one per provincial role, two centre clerks, one per prefecture."""
from __future__ import annotations

from sqlalchemy import select

from ..auth.models import User
from ..auth.operations import create_user
from ..extensions import db
from ..permissions import Role
from ..registry.models import Prefecture

DEMO_PASSWORD = "investenv-demo-2026"

PROVINCIAL = (
    ("admin", "省经协办管理员", Role.ADMIN),
    ("analyst", "省经协办分析员", Role.ANALYST),
    ("centre", "投诉中心 王敏", Role.CENTRE),
    ("centre2", "投诉中心 李强", Role.CENTRE),
)


def load() -> list[User]:
    users = [create_user(u, n, DEMO_PASSWORD, r, None) for u, n, r in PROVINCIAL]
    for prefecture in db.session.scalars(select(Prefecture).order_by(Prefecture.code)):
        users.append(
            create_user(
                prefecture.slug, f"{prefecture.name}经协办", DEMO_PASSWORD, Role.PREFECTURE, prefecture.id
            )
        )
    return users


def existing() -> list[User]:
    names = [u for u, _, _ in PROVINCIAL] + list(
        db.session.scalars(select(Prefecture.slug).order_by(Prefecture.code))
    )
    found = {u.username: u for u in db.session.scalars(select(User).where(User.username.in_(names)))}
    return [found[n] for n in names if n in found]

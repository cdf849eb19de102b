"""The packaged list of prefectures and counties (:mod:`.divisions`) synchronised into the database."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .divisions import divisions
from .models import County, Prefecture


def sync_divisions(session: Session) -> None:
    """Insert missing prefectures and counties and refresh their names; never deletes."""
    prefectures = {p.code: p for p in session.scalars(select(Prefecture))}
    counties = {c.code: c for c in session.scalars(select(County))}
    for entry in divisions()["prefectures"]:
        prefecture = prefectures.get(entry["code"])
        if prefecture is None:
            prefecture = Prefecture(code=entry["code"])
            session.add(prefecture)
        prefecture.name, prefecture.slug = entry["name"], entry["slug"]
        session.flush()
        for c in entry["counties"]:
            county = counties.get(c["code"])
            if county is None:
                county = County(code=c["code"])
                session.add(county)
            county.name, county.prefecture_id = c["name"], prefecture.id
    session.flush()

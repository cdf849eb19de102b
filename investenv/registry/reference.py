"""The packaged list of prefectures and counties, and its synchronisation into the database."""
from __future__ import annotations

import json
from functools import cache
from importlib.resources import files

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import County, Prefecture


@cache
def divisions() -> dict:
    """The packaged division list: 14 prefectures, each with its county-level divisions."""
    return json.loads(files(__package__).joinpath("data/divisions.json").read_text("utf-8"))


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

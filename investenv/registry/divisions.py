"""The packaged list of prefectures and counties (``data/divisions.json``), read without Flask or
the database: the registry synchronises it into the database, and ``scoring`` ranks its prefectures."""
from __future__ import annotations

import json
from functools import cache
from importlib.resources import files


@cache
def divisions() -> dict:
    """The packaged division list: 14 prefectures, each with its county-level divisions."""
    return json.loads(files(__package__).joinpath("data/divisions.json").read_text("utf-8"))


def prefectures() -> dict[str, str]:
    """Code → name of the province's prefectures, in the list's order."""
    return {p["code"]: p["name"] for p in divisions()["prefectures"]}

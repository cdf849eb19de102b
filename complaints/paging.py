"""Paging without a total count: one row more than a page tells whether there is a next page,
so a queue of a hundred thousand cases costs no more than one of fifty."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Page:
    items: list
    page: int
    has_next: bool

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def page_of(rows: list, page: int, per_page: int) -> Page:
    """``rows`` are the first ``page * per_page + 1`` rows of the ordered result."""
    start = (page - 1) * per_page
    return Page(rows[start:start + per_page], page, len(rows) > start + per_page)

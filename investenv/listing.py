"""What every staff list shares: the sort by column read from the query string, numbered pages
with the list's total, and the query string that the sort links, pages and the Excel download
keep (the download is the current view: :func:`investenv.exporting.attachment` audits it).

A list names its sortable columns once (:class:`Sorting`); its filters are its own (they read
the query string in its view and become WHERE clauses in its ``queries``).  The markup is
``templates/_list.html`` (sortable headers, total, pager)."""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from flask import request
from sqlalchemy import Select, Text, and_, cast, func, select
from sqlalchemy import text as sql_text
from sqlalchemy.dialects.postgresql import ARRAY

from . import numbers
from .extensions import db
from .web import number_arg

PER_PAGE = 50

# The search by part of a text (a case number, a name, an audit event's object).  On PostgreSQL the
# searched column has a GIN index of every substring of 1 to n characters (the function
# search_grams, migrations 0026 and 0028), named ix_<table>_<column>_grams: the rows that hold what
# was typed are among those whose substrings include its n-grams (or, when it is no longer than n,
# itself), so the index finds them for any length, CJK included, with no extension; LIKE still
# decides, so rows and order are those of LIKE '%…%' alone (as on SQLite).  Any of the n-grams
# narrows correctly, so the ones that nearly every row holds ("202" of every case number of 2026) are
# not asked for: reading their posting lists cost tens of milliseconds and removed no row.
LIKE_SPECIAL = frozenset("%_\\")  # LIKE's wildcards and PostgreSQL's escape: then LIKE alone
COMMON_GRAM = 0.5  # a fragment held by more than this share of the rows is not worth reading
GRAM_SHARES = sql_text(
    "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
    "WHERE schemaname = current_schema() AND tablename = :index")


def search_grams(text: str, n: int) -> list[str]:
    """The substrings of ``text`` that every value containing it holds in its index: the distinct
    n-grams, or the text itself when it has no more than n characters."""
    if len(text) <= n:
        return [text]
    return sorted({text[i:i + n] for i in range(len(text) - n + 1)})


def narrowing_grams(grams: list[str], shares: dict[str, float]) -> list[str]:
    """The fragments worth reading in the index: those held by at most COMMON_GRAM of the rows
    (``shares``: the share of rows holding each common fragment; the others are rarer), or, when
    every one is common, the least common one."""
    rare = [g for g in grams if shares.get(g, 0.0) <= COMMON_GRAM]
    return rare or [min(grams, key=lambda g: shares[g])]


def gram_shares(index: str) -> dict[str, float]:
    """The share of rows holding each of the most common fragments of ``index``, from PostgreSQL's
    statistics of the index's expression (gathered by ANALYZE, visible to the table's owner); empty
    without them, and then every fragment is read."""
    row = db.session.execute(GRAM_SHARES, {"index": index}).first()
    if row is None or row[0] is None:
        return {}
    elements, frequencies = row
    return dict(zip(elements, frequencies[:len(elements)], strict=True))  # three summary figures follow


def contains(column, text: str, n: int):
    """``column`` contains ``text`` (LIKE '%text%'), on PostgreSQL found through the column's index
    of substrings of up to ``n`` characters."""
    like = column.like(f"%{text}%")
    if db.session.get_bind().dialect.name != "postgresql" or LIKE_SPECIAL & set(text):
        return like
    grams = search_grams(text, n)
    if len(grams) > 1:
        grams = narrowing_grams(grams, gram_shares(f"ix_{column.table.name}_{column.name}_grams"))
    return and_(like, func.search_grams(column, n).op("@>")(cast(grams, ARRAY(Text))))


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(math.ceil(self.total / self.per_page), 1)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first(self) -> int:
        """The position of the page's first row in the whole list (1-based; 0 when empty)."""
        return (self.page - 1) * self.per_page + 1 if self.items else 0

    def numbers(self, around: int = 2) -> list[int | None]:
        """The page numbers to link: the first, the last and ``around`` either side of this one;
        None marks a gap."""
        shown = sorted({1, self.pages, *range(max(self.page - around, 1), min(self.page + around, self.pages) + 1)})
        numbers: list[int | None] = []
        for n in shown:
            if numbers and n - numbers[-1] > 1:
                numbers.append(None)
            numbers.append(n)
        return numbers


@dataclass(frozen=True)
class Sorting:
    """A list's sortable columns: key → (label, column); ``tiebreak`` (a unique column) makes the
    order total, so that pages neither repeat nor skip rows."""
    columns: dict
    default: str
    tiebreak: object
    default_descending: bool = False

    @property
    def labels(self) -> dict[str, str]:
        return {key: label for key, (label, _) in self.columns.items()}

    def read(self) -> tuple[str, bool]:
        """The sort and direction the query string asks for (``sort``, ``dir``); an unknown
        column is the default."""
        sort = request.args.get("sort", "")
        if sort not in self.columns:
            return self.default, self.default_descending
        return sort, request.args.get("dir") == "desc"

    def order(self, sort: str, descending: bool) -> list:
        """The ORDER BY: the column (or columns: a tuple; the later ones ascending), empty values
        last either way, then the tiebreak.  A column that cannot be empty is ordered plainly, so
        that an index on it (read backwards when descending) gives the order."""
        first, *then = self.columns[sort][1] if isinstance(self.columns[sort][1], tuple) else (self.columns[sort][1],)
        ordered = first.desc() if descending else first.asc()
        if getattr(getattr(first, "expression", first), "nullable", True):
            ordered = ordered.nulls_last()
        return [ordered, *then, self.tiebreak.desc() if descending else self.tiebreak]

    def args(self, sort: str, descending: bool) -> dict[str, str]:
        """The query-string part of the sort (empty for the default)."""
        if (sort, descending) == (self.default, self.default_descending):
            return {}
        return {"sort": sort, **({"dir": "desc"} if descending else {})}


def page_arg() -> int:
    return number_arg("page", numbers.ROW_ID, 1)


def date_arg(name: str) -> dt.date | None:
    """A date filter from the query string; a date that cannot be read is left out (the field
    shows empty)."""
    try:
        return dt.date.fromisoformat(request.args.get(name, "").strip())
    except ValueError:
        return None


def count(stmt: Select) -> int:
    """The number of rows of ``stmt`` (its ORDER BY dropped)."""
    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))


def page_of(stmt: Select, total: int, page: int, per_page: int = PER_PAGE) -> Page:
    """Page ``page`` of the ``total`` rows of the ordered ``stmt``."""
    rows = db.session.scalars(stmt.offset((page - 1) * per_page).limit(per_page))
    return Page(list(rows), page, per_page, total)


def first_rows(stmt: Select, limit: int) -> list:
    """The first ``limit`` rows of the ordered ``stmt``: a download of the current view."""
    return list(db.session.scalars(stmt.limit(limit)))


def kept(**args) -> dict[str, str]:
    """The non-empty arguments of a view's query string."""
    return {k: str(v) for k, v in args.items() if v not in (None, "", False)}
